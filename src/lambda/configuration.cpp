#include "lambda/configuration.hpp"

#include <boost/json.hpp>
#include <string>

#include "common/base64.hpp"
#include "lambda/errors.hpp"

namespace stratus::lambda {
namespace json = boost::json;

namespace {

// Every Node.js, Python and custom runtime name AWS has had, retired ones
// included: the seed tutorials create nodejs8.10 functions, and GetFunction
// reports the name given.
constexpr std::string_view runtimes[] = {
    "nodejs",       "nodejs4.3",      "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x",
    "nodejs12.x",   "nodejs14.x",     "nodejs16.x",     "nodejs18.x", "nodejs20.x", "nodejs22.x",
    "nodejs24.x",   "python2.7",      "python3.6",      "python3.7",  "python3.8",  "python3.9",
    "python3.10",   "python3.11",     "python3.12",     "python3.13", "python3.14", "provided",
    "provided.al2", "provided.al2023"};

// Variables Lambda sets itself; AWS refuses them in Environment.
constexpr std::string_view reserved_keys[] = {"_HANDLER",
                                              "_X_AMZN_TRACE_ID",
                                              "AWS_DEFAULT_REGION",
                                              "AWS_REGION",
                                              "AWS_EXECUTION_ENV",
                                              "AWS_LAMBDA_FUNCTION_NAME",
                                              "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                              "AWS_LAMBDA_FUNCTION_VERSION",
                                              "AWS_LAMBDA_INITIALIZATION_TYPE",
                                              "AWS_LAMBDA_LOG_GROUP_NAME",
                                              "AWS_LAMBDA_LOG_STREAM_NAME",
                                              "AWS_ACCESS_KEY",
                                              "AWS_ACCESS_KEY_ID",
                                              "AWS_SECRET_ACCESS_KEY",
                                              "AWS_SESSION_TOKEN",
                                              "AWS_LAMBDA_RUNTIME_API",
                                              "LAMBDA_TASK_ROOT",
                                              "LAMBDA_RUNTIME_DIR"};

constexpr std::size_t max_environment_bytes = 4096;
constexpr std::int64_t max_timeout = 900;

std::string runtime_list() {
  std::string out;
  for (auto r : runtimes) out += (out.empty() ? "" : ", ") + std::string(r);
  return out;
}

}  // namespace

bool accepted_runtime(std::string_view runtime) {
  for (auto r : runtimes)
    if (r == runtime) return true;
  return false;
}

std::optional<api_error> check_configuration(const json::object& input) {
  if (auto* p = input.if_contains("PackageType"); p && p->is_string() && p->get_string() == "Image")
    return api_error("NotImplementedException",
                     "Container image functions (PackageType Image) are not supported by Stratus",
                     501);
  if (auto* r = input.if_contains("Runtime");
      r && r->is_string() && !accepted_runtime(r->get_string()))
    return errors::invalid_parameter(
        "Value " + std::string(r->get_string()) +
        " at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [" +
        runtime_list() + "] or be a valid ARN");
  if (auto* t = input.if_contains("Timeout");
      t && t->is_number() && t->to_number<std::int64_t>() > max_timeout)
    return api_error::validation(
        "1 validation error detected: Value '" + std::to_string(t->to_number<std::int64_t>()) +
        "' at 'timeout' failed to satisfy constraint: Member must have value less than or "
        "equal to 900");
  if (auto* env = input.if_contains("Environment"); env && env->is_object())
    if (auto* vars = env->get_object().if_contains("Variables"); vars && vars->is_object()) {
      std::string used;
      for (const auto& [k, v] : vars->get_object())
        for (auto r : reserved_keys)
          if (k == r) used += (used.empty() ? "" : ", ") + std::string(k);
      if (!used.empty())
        return errors::invalid_parameter(
            "Lambda was unable to configure your environment variables because the environment "
            "variables you have provided contains reserved keys that are currently not "
            "supported for modification. Reserved keys used in this request: " +
            used);
      std::string measured = json::serialize(*vars);
      if (measured.size() > max_environment_bytes)
        return errors::invalid_parameter(
            "Lambda was unable to configure your environment variables because the environment "
            "variables you have provided exceeded the 4KB limit. String measured: " +
            measured);
    }
  if (auto* layers = input.if_contains("Layers");
      layers && layers->is_array() && !layers->get_array().empty())
    // Stratus has no layers, so no layer version exists.
    return errors::invalid_parameter(
        "Layer version " + std::string(layers->get_array()[0].as_string()) + " does not exist.");
  if (auto* csc = input.if_contains("CodeSigningConfigArn"); csc && csc->is_string())
    return api_error("CodeSigningConfigNotFoundException",
                     "The Lambda code signing configuration " + std::string(csc->get_string()) +
                         " can not be found.",
                     404);
  if (auto* fsc = input.if_contains("FileSystemConfigs");
      fsc && fsc->is_array() && !fsc->get_array().empty())
    return api_error("NotImplementedException",
                     "FileSystemConfigs (Amazon EFS) are not supported by Stratus", 501);
  return std::nullopt;
}

void apply_configuration(const json::object& input, json::object& config) {
  for (std::string_view name : {"Runtime", "Role", "Handler", "Description", "KMSKeyArn"})
    if (auto* v = input.if_contains(name); v && v->is_string()) config[name] = *v;
  for (std::string_view name : {"Timeout", "MemorySize"})
    if (auto* v = input.if_contains(name); v && v->is_number()) config[name] = *v;
  if (auto* env = input.if_contains("Environment"); env && env->is_object()) {
    json::object vars;
    if (auto* v = env->get_object().if_contains("Variables"); v && v->is_object())
      vars = v->get_object();
    config["Environment"] = json::object{{"Variables", std::move(vars)}};
  }
  if (auto* t = input.if_contains("TracingConfig"); t && t->is_object())
    if (auto* mode = t->get_object().if_contains("Mode"))
      config["TracingConfig"] = json::object{{"Mode", *mode}};
  if (auto* d = input.if_contains("DeadLetterConfig"); d && d->is_object())
    config["DeadLetterConfig"] = *d;
  if (auto* e = input.if_contains("EphemeralStorage"); e && e->is_object())
    config["EphemeralStorage"] = *e;
  if (auto* vpc = input.if_contains("VpcConfig"); vpc && vpc->is_object()) {
    json::object out{
        {"SubnetIds", json::array{}}, {"SecurityGroupIds", json::array{}}, {"VpcId", ""}};
    for (std::string_view name : {"SubnetIds", "SecurityGroupIds"})
      if (auto* v = vpc->get_object().if_contains(name)) out[name] = *v;
    config["VpcConfig"] = std::move(out);
  }
}

result<std::string> read_zip_file(const json::object& code) {
  if (auto* zip = code.if_contains("ZipFile"); zip && zip->is_string()) {
    auto bytes = base64_decode(zip->get_string());
    if (!bytes) return api_error::serialization("Could not parse ZipFile: not valid base64");
    return *bytes;
  }
  if (code.contains("S3Bucket"))
    // Stratus has no S3: no bucket exists.
    return errors::invalid_parameter(
        "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The "
        "specified bucket does not exist");
  if (code.contains("ImageUri"))
    return api_error("NotImplementedException",
                     "Container image functions (ImageUri) are not supported by Stratus", 501);
  return errors::invalid_parameter("Please provide a source for function code.");
}

}  // namespace stratus::lambda
