// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions,
// UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction.
#include <boost/json.hpp>

#include "common/base64.hpp"
#include "common/uuid.hpp"
#include "lambda/configuration.hpp"
#include "lambda/context.hpp"
#include "lambda/errors.hpp"
#include "lambda/versions.hpp"

namespace stratus::lambda {
namespace json = boost::json;

namespace {

constexpr std::int64_t default_page = 50;
constexpr std::size_t max_name_length = 64;

// What AWS answers while a function is being created: it is Active by the
// time anyone asks again (Stratus has nothing to provision), so
// `aws lambda wait function-active` succeeds at its first poll.
json::object as_pending(json::object config) {
  config.erase("LastUpdateStatus");
  config["State"] = "Pending";
  config["StateReason"] = "The function is being created.";
  config["StateReasonCode"] = "Creating";
  return config;
}

json::object as_updating(json::object config) {
  config["LastUpdateStatus"] = "InProgress";
  config["LastUpdateStatusReason"] = "The function is being created.";
  config["LastUpdateStatusReasonCode"] = "Creating";
  return config;
}

void set_code(json::object& config, const code_info& code) {
  config["CodeSize"] = code.size;
  config["CodeSha256"] = code.sha256;
}

result<json::object> create_function(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  if (ref->name.size() > max_name_length)
    return api_error::validation("1 validation error detected: Value '" + ref->name +
                                 "' at 'functionName' failed to satisfy constraint: Member must "
                                 "have length less than or equal to 64");
  if (auto e = check_configuration(in)) return *e;
  if (!in.contains("Runtime") || !in.contains("Handler"))
    return errors::invalid_parameter(
        "Runtime and Handler are mandatory parameters for functions created with deployment "
        "packages.");
  auto zip = read_zip_file(in.at("Code").as_object());
  if (!zip) return zip.error();
  auto code = c.code.put(*zip);
  if (!code) return code.error();

  const std::string unqualified = function_arn(ref->region, ref->account, ref->name);
  json::object cfg;
  cfg["FunctionName"] = ref->name;
  cfg["FunctionArn"] = unqualified;
  cfg["Runtime"] = in.at("Runtime");
  cfg["Role"] = in.at("Role");
  cfg["Handler"] = in.at("Handler");
  set_code(cfg, *code);
  cfg["Description"] = "";
  cfg["Timeout"] = 3;
  cfg["MemorySize"] = 128;
  cfg["LastModified"] = lambda_timestamp(ctx.now);
  cfg["Version"] = "$LATEST";
  cfg["TracingConfig"] = json::object{{"Mode", "PassThrough"}};
  cfg["RevisionId"] = random_uuid();
  cfg["State"] = "Active";
  cfg["LastUpdateStatus"] = "Successful";
  cfg["PackageType"] = "Zip";
  cfg["Architectures"] =
      in.contains("Architectures") ? in.at("Architectures") : json::value(json::array{"x86_64"});
  cfg["EphemeralStorage"] = json::object{{"Size", 512}};
  cfg["SnapStart"] = json::object{{"ApplyOn", "None"}, {"OptimizationStatus", "Off"}};
  cfg["LoggingConfig"] =
      json::object{{"LogFormat", "Text"}, {"LogGroup", "/aws/lambda/" + ref->name}};
  apply_configuration(in, cfg);

  function_record f;
  f.account = ref->account;
  f.region = ref->region;
  f.name = ref->name;
  f.latest = std::move(cfg);
  if (auto* tags = in.if_contains("Tags"); tags && tags->is_object()) f.tags = tags->get_object();
  const bool publish = bool_member(in, "Publish");
  if (publish) publish_version(f, std::nullopt, ctx.now);
  auto created = c.functions.create(std::move(f));
  if (!created) return created.error();
  const function_record& fn = **created;
  return as_pending(publish ? fn.versions.rbegin()->second : fn.latest);
}

json::object code_location(context& c, const request_context& ctx, const json::object& cfg) {
  auto hex = sha256_hex_of(string_member(cfg, "CodeSha256").value_or(""));
  return {{"RepositoryType", "S3"},
          {"Location", ctx.endpoint + c.code.download_path(hex, ctx.now)}};
}

result<json::object> get_function(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  auto r = resolve(c, *ref);
  if (!r) return r.error();
  json::object out;
  out["Configuration"] = render_config(*r, *ref);
  out["Code"] = code_location(c, ctx, *r->config);
  if (!r->function->tags.empty()) out["Tags"] = r->function->tags;
  if (r->function->reserved_concurrency)
    out["Concurrency"] =
        json::object{{"ReservedConcurrentExecutions", *r->function->reserved_concurrency}};
  return out;
}

result<json::object> get_function_configuration(context& c, request_context& ctx,
                                                json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  auto r = resolve(c, *ref);
  if (!r) return r.error();
  return render_config(*r, *ref);
}

// Markers are opaque to clients: base64 of "<function name>\n<position in
// that function's entries>".
std::string make_marker(const std::string& name, std::size_t index) {
  return base64_encode(name + "\n" + std::to_string(index));
}

result<std::pair<std::string, std::size_t>> read_marker(const json::object& in) {
  auto marker = string_member(in, "Marker");
  if (!marker || marker->empty()) return std::make_pair(std::string(), std::size_t{0});
  auto text = base64_decode(*marker);
  auto nl = text ? text->find('\n') : std::string::npos;
  if (nl == std::string::npos) return errors::invalid_parameter("Invalid marker: " + *marker);
  try {
    return std::make_pair(text->substr(0, nl), std::stoul(text->substr(nl + 1)));
  } catch (const std::exception&) {
    return errors::invalid_parameter("Invalid marker: " + *marker);
  }
}

result<json::object> list_functions(context& c, request_context& ctx, json::object& in) {
  const bool all_versions = string_member(in, "FunctionVersion").value_or("") == "ALL";
  const auto limit = static_cast<std::size_t>(int_member(in, "MaxItems").value_or(default_page));
  auto marker = read_marker(in);
  if (!marker) return marker.error();
  auto [start_name, start_index] = *marker;
  json::array items;
  std::string next;
  std::string after;  // scan position: the functions after this name
  bool first = true;
  while (next.empty()) {
    // The marker's own function comes first when it is resumed mid-way.
    std::vector<function_ptr> batch;
    if (first && !start_name.empty()) {
      auto f = c.functions.find(ctx.account_id, ctx.region, start_name);
      if (!f) return f.error();
      if (*f) batch.push_back(*f);
      after = start_name;
    } else {
      auto page = c.functions.list(ctx.account_id, ctx.region, after, 64);
      if (!page) return page.error();
      if (page->empty()) break;
      batch = std::move(*page);
      after = batch.back()->name;
    }
    for (const auto& f : batch) {
      function_ref ref{f->account, f->region, f->name, std::nullopt};
      std::vector<json::object> entries;
      if (all_versions) {
        json::object latest = f->latest;
        latest["FunctionArn"] = function_arn(ref, "$LATEST");
        entries.push_back(std::move(latest));
        for (const auto& [n, v] : f->versions) entries.push_back(v);
      } else {
        entries.push_back(f->latest);
      }
      std::size_t i = (first && f->name == start_name) ? start_index : 0;
      for (; i < entries.size(); ++i) {
        if (items.size() == limit) {
          next = make_marker(f->name, i);
          break;
        }
        items.push_back(std::move(entries[i]));
      }
      if (!next.empty()) break;
    }
    first = false;
  }
  json::object out{{"Functions", std::move(items)}};
  if (!next.empty()) out["NextMarker"] = next;
  return out;
}

result<json::object> update_function_code(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  if (ref->qualifier) return unqualified_only();
  auto zip = read_zip_file(in);
  if (!zip) return zip.error();
  auto code = c.code.put(*zip);
  if (!code) return code.error();
  const auto revision = string_member(in, "RevisionId");
  const bool publish = bool_member(in, "Publish");
  auto apply = [&](function_record& f) -> std::optional<api_error> {
    if (revision && *revision != f.latest.at("RevisionId").as_string())
      return errors::revision_mismatch();
    set_code(f.latest, *code);
    if (auto* arch = in.if_contains("Architectures")) f.latest["Architectures"] = *arch;
    f.latest["LastModified"] = lambda_timestamp(ctx.now);
    f.latest["RevisionId"] = random_uuid();
    return std::nullopt;
  };
  if (bool_member(in, "DryRun")) {
    // Checks everything and answers what the update would make, storing
    // nothing but the package.
    auto f = find_function(c, *ref);
    if (!f) return f.error();
    function_record copy = **f;
    if (auto e = apply(copy)) return *e;
    return as_updating(std::move(copy.latest));
  }
  json::object answer;
  auto updated = c.functions.update(ref->account, ref->region, ref->name,
                                    errors::function_not_found(function_arn(*ref, "")),
                                    [&](function_record& f) -> std::optional<api_error> {
                                      if (auto e = apply(f)) return e;
                                      if (publish) publish_version(f, std::nullopt, ctx.now);
                                      answer = publish ? f.versions.rbegin()->second : f.latest;
                                      return std::nullopt;
                                    });
  if (!updated) return updated.error();
  c.runner.retire(ref->account, ref->region, ref->name);
  return as_updating(std::move(answer));
}

result<json::object> update_function_configuration(context& c, request_context& ctx,
                                                   json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  if (ref->qualifier) return unqualified_only();
  if (auto e = check_configuration(in)) return *e;
  const auto revision = string_member(in, "RevisionId");
  json::object answer;
  auto updated = c.functions.update(
      ref->account, ref->region, ref->name, errors::function_not_found(function_arn(*ref, "")),
      [&](function_record& f) -> std::optional<api_error> {
        if (revision && *revision != f.latest.at("RevisionId").as_string())
          return errors::revision_mismatch();
        apply_configuration(in, f.latest);
        f.latest["LastModified"] = lambda_timestamp(ctx.now);
        f.latest["RevisionId"] = random_uuid();
        answer = f.latest;
        return std::nullopt;
      });
  if (!updated) return updated.error();
  c.runner.retire(ref->account, ref->region, ref->name);
  return as_updating(std::move(answer));
}

result<json::object> delete_function(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  if (!ref->qualifier) {
    auto removed = c.functions.remove(ref->account, ref->region, ref->name);
    if (!removed) return removed.error();
    if (!*removed) return errors::function_not_found(function_arn(*ref, ""));
    c.runner.retire(ref->account, ref->region, ref->name);
    return json::object{};
  }
  const std::string q = *ref->qualifier;
  if (q == "$LATEST")
    return errors::invalid_parameter(
        "$LATEST version cannot be deleted without deleting the function.");
  if (!is_version_number(q))
    return errors::invalid_parameter("Deletion of aliases is not currently supported.");
  auto updated = c.functions.update(
      ref->account, ref->region, ref->name, errors::function_not_found(function_arn(*ref, "")),
      [&](function_record& f) -> std::optional<api_error> {
        auto v = f.versions.find(std::stoull(q));
        if (v == f.versions.end()) return errors::function_not_found(function_arn(*ref, q));
        std::string using_aliases;
        for (const auto& [name, alias] : f.aliases)
          if (alias.at("FunctionVersion").as_string() == q)
            using_aliases += (using_aliases.empty() ? "" : ", ") + name;
        if (!using_aliases.empty())
          return errors::conflict(
              "Unable to delete version because the following aliases "
              "reference it: [" +
              using_aliases + "]");
        f.versions.erase(v);
        f.event_invoke.erase(q);
        f.policies.erase(q);
        return std::nullopt;
      });
  if (!updated) return updated.error();
  c.runner.retire(ref->account, ref->region, ref->name);
  return json::object{};
}

}  // namespace

void add_function_operations(context& c, handler_table& table) {
  table["CreateFunction"] = bind<create_function>(c);
  table["GetFunction"] = bind<get_function>(c);
  table["GetFunctionConfiguration"] = bind<get_function_configuration>(c);
  table["ListFunctions"] = bind<list_functions>(c);
  table["UpdateFunctionCode"] = bind<update_function_code>(c);
  table["UpdateFunctionConfiguration"] = bind<update_function_configuration>(c);
  table["DeleteFunction"] = bind<delete_function>(c);
}

}  // namespace stratus::lambda
