// The pipeline's order and what its stages share: the default gateway
// responses, the execution log, request parsing and $context.
#include "apigateway/pipeline.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

#include "common/ascii.hpp"
#include "common/base64.hpp"
#include "vtl/apigw/jsonpath.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

// $context.requestTime: "08/Dec/2026:00:31:03 +0000".
std::string request_time(std::chrono::sys_seconds at) {
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = at.time_since_epoch().count();
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::snprintf(text, sizeof text, "%02d/%s/%04d:%02d:%02d:%02d +0000", utc.tm_mday,
                months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return text;
}

}  // namespace

gateway_answer default_response(gateway_error type, std::string message) {
  struct shape {
    unsigned status;
    const char* error_type;
    const char* message;
    // The responses API Gateway renders from its gateway-response template
    // are compact; the ones its integrations fail with have a space.
    bool spaced;
  };
  static constexpr shape shapes[] = {
      {403, "MissingAuthenticationTokenException", "Missing Authentication Token", false},
      {403, "ForbiddenException", "Forbidden", false},
      {400, "BadRequestException", "", false},
      {400, "BadRequestException", "Invalid request body", false},
      {415, "UnsupportedMediaTypeException", "Unsupported Media Type", false},
      {500, "InternalServerErrorException", "Internal server error", true},
      {502, "InternalServerErrorException", "Internal server error", true},
      {504, "InternalServerErrorException", "Endpoint request timed out", true},
      {413, "RequestTooLargeException", "", false},
  };
  const shape& s = shapes[static_cast<int>(type)];
  gateway_answer out;
  out.status = s.status;
  if (type == gateway_error::request_too_large) {
    // The front end refuses it before any gateway response applies.
    out.headers = {{"Content-Type", "text/plain"}};
    out.body = "HTTP content length exceeded 10485760 bytes.";
    return out;
  }
  if (message.empty()) message = s.message;
  out.headers = {{"Content-Type", "application/json"}, {"x-amzn-ErrorType", s.error_type}};
  out.body = std::string(s.spaced ? R"({"message": )" : R"({"message":)") +
             json::serialize(json::string(message)) + "}";
  return out;
}

param_list remapped(param_list headers) {
  param_list out;
  for (auto& [k, v] : headers) {
    if (ascii::iequals(k, "Transfer-Encoding")) continue;
    bool renamed = false;
    for (std::string_view name : {"Connection", "Content-Length", "Date", "Server"})
      if (ascii::iequals(k, name)) {
        out.emplace_back("x-amzn-Remapped-" + std::string(name), std::move(v));
        renamed = true;
      }
    if (!renamed) out.emplace_back(std::move(k), std::move(v));
  }
  return out;
}

void execution_log::add(std::string_view line) {
  if (!enabled_) return;
  // Java's Date.toString(): "Tue Dec 08 00:31:03 UTC 2026"; a message over
  // 1024 characters is cut there.
  constexpr std::size_t longest = 1024;
  auto seconds = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (seconds < std::chrono::floor<std::chrono::seconds>(at_))
    seconds = std::chrono::floor<std::chrono::seconds>(at_);
  std::string message(line.substr(0, longest));
  if (line.size() > longest) message += " [TRUNCATED]";
  kind what = kind::info;
  if (line.starts_with("Execution failed") || line.starts_with("Lambda execution failed") ||
      line.starts_with("Request validation failed") ||
      line.starts_with("Request body does not match"))
    what = kind::error;
  else if (line.find("body before transformations") != std::string_view::npos ||
           line.find("body after transformations") != std::string_view::npos ||
           line.find("request headers:") != std::string_view::npos ||
           line.find("response headers:") != std::string_view::npos)
    what = kind::data;
  std::string dated = fmt::format("{:%a %b %d %H:%M:%S} UTC {:%Y} : {}", seconds, seconds, message);
  entries_.push_back({what, std::move(message), std::move(dated)});
}

std::string execution_log::text() const {
  std::string out;
  for (const auto& e : entries_) {
    out += e.line;
    out += '\n';
  }
  return out;
}

std::string log_map(const param_list& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += items[i].first + "=" + items[i].second;
  }
  return out + "}";
}

std::optional<std::string> header_of(const param_list& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (ascii::iequals(k, name)) return v;
  return std::nullopt;
}

std::string media_type_of(const param_list& headers) {
  auto ct = header_of(headers, "Content-Type");
  if (!ct) return "application/json";
  std::string base = ct->substr(0, ct->find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  while (!base.empty() && base.front() == ' ') base.erase(0, 1);
  return ascii::to_lower(base);
}

namespace {

// $context's members, in the order API Gateway lists them.
constexpr std::string_view context_members[] = {
    "resourceId",  "resourcePath", "httpMethod",       "extendedRequestId",
    "requestTime", "path",         "accountId",        "protocol",
    "stage",       "domainPrefix", "requestTimeEpoch", "requestId",
    "identity",    "domainName",   "deploymentId",     "apiId"};

}  // namespace

std::optional<json::value> context_value(const deployed_stage& stage, const route_match& route,
                                         const method_request& req, std::string_view name) {
  if (req.context) {
    if (auto* v = req.context->if_contains(name)) return *v;
    return std::nullopt;
  }
  if (name == "resourceId") return json::value(route.res->id);
  if (name == "resourcePath") return json::value(route.res->path);
  if (name == "httpMethod") return json::value(req.http_method);
  if (name == "extendedRequestId") return json::value(req.extended_id);
  if (name == "requestTime")
    return json::value(request_time(std::chrono::floor<std::chrono::seconds>(req.at)));
  if (name == "path")
    return json::value("/" + stage.stage_name + (req.path == "/" ? std::string("/") : req.path));
  if (name == "accountId") return json::value(stage.account);
  if (name == "protocol") return json::value("HTTP/1.1");
  if (name == "stage") return json::value(stage.stage_name);
  if (name == "domainPrefix")
    return json::value(req.domain_name.substr(0, req.domain_name.find('.')));
  if (name == "requestTimeEpoch")
    return json::value(
        std::chrono::duration_cast<std::chrono::milliseconds>(req.at.time_since_epoch()).count());
  if (name == "requestId") return json::value(req.request_id);
  if (name == "identity")
    return json::object{{"cognitoIdentityPoolId", nullptr},
                        {"accountId", nullptr},
                        {"cognitoIdentityId", nullptr},
                        {"caller", nullptr},
                        {"sourceIp", req.source_ip},
                        {"principalOrgId", nullptr},
                        {"accessKey", nullptr},
                        {"cognitoAuthenticationType", nullptr},
                        {"cognitoAuthenticationProvider", nullptr},
                        {"userArn", nullptr},
                        {"userAgent", header_of(req.headers, "User-Agent").value_or("")},
                        {"user", nullptr}};
  if (name == "domainName") return json::value(req.domain_name);
  if (name == "deploymentId") return json::value(stage.deployment_id);
  if (name == "apiId") return json::value(stage.api_id);
  return std::nullopt;
}

const json::object& context_of(const deployed_stage& stage, const route_match& route,
                               const method_request& req) {
  if (req.context) return *req.context;
  json::object context;
  context.reserve(std::size(context_members));
  for (std::string_view name : context_members)
    context[name] = *context_value(stage, route, req, name);
  req.context = std::move(context);
  return *req.context;
}

std::string value_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return json::serialize(v);
}

std::optional<std::string> json_path_text(std::string_view body, const std::string& path) {
  boost::system::error_code ec;
  auto doc = json::parse(body, ec);
  if (ec) return std::nullopt;
  auto found = vtl::apigw::evaluate_jsonpath(path, doc);
  if (!found.ok || found.matches.empty()) return std::nullopt;
  return value_text(*found.matches.front());
}

void put_param(param_list& items, const std::string& name, std::string value, bool ignore_case) {
  for (auto& [k, v] : items)
    if (ignore_case ? ascii::iequals(k, name) : k == name) {
      v = std::move(value);
      return;
    }
  items.emplace_back(name, std::move(value));
}

const json::value* value_at(const json::object& doc, std::string_view dotted) {
  const json::object* scope = &doc;
  while (true) {
    const auto dot = dotted.find('.');
    const json::value* at = scope->if_contains(dotted.substr(0, dot));
    if (!at || dot == std::string_view::npos) return at;
    if (!at->is_object()) return nullptr;
    scope = &at->get_object();
    dotted.remove_prefix(dot + 1);
  }
}

bool is_binary_type(const deployed_stage& stage, std::string_view media_type) {
  auto* types = stage.settings.if_contains("binaryMediaTypes");
  if (!types || !types->is_array() || media_type.empty()) return false;
  const std::string wanted = ascii::to_lower(media_type);
  for (const auto& t : types->get_array()) {
    if (!t.is_string()) continue;
    std::string pattern = ascii::to_lower(t.get_string());
    if (pattern == wanted || pattern == "*/*") return true;
    if (pattern.size() > 2 && pattern.ends_with("/*") &&
        wanted.starts_with(pattern.substr(0, pattern.size() - 1)))
      return true;
  }
  return false;
}

std::string converted(std::string body, std::string_view content_handling, bool binary) {
  if (content_handling == "CONVERT_TO_TEXT" && binary) return base64_encode(body);
  if (content_handling == "CONVERT_TO_BINARY" && !binary)
    if (auto bytes = base64_decode(body)) return std::move(*bytes);
  return body;
}

vtl::result<vtl::apigw::rendered> render_template(const pipeline_deps& deps,
                                                  const deployed_stage& stage,
                                                  const route_match& route,
                                                  const method_request& req, std::string_view text,
                                                  std::string body, const param_list* headers) {
  if (text.find_first_of("$#") == std::string_view::npos)
    return vtl::apigw::rendered{std::string(text), {}};
  auto tpl = deps.templates.get(text);
  if (!tpl) return tpl.err();
  vtl::apigw::request_data data;
  data.body = std::move(body);
  data.path = route.path_params;
  data.querystring = parse_query(req.query);
  data.header = headers ? *headers : req.headers;
  if (auto reached = (*tpl)->properties_of("context")) {
    // Only what the template reaches, without building the rest.
    for (const auto& name : *reached)
      if (auto v = context_value(stage, route, req, name)) data.context[name] = std::move(*v);
  } else {
    data.context = context_of(stage, route, req);
  }
  data.stage_variables = stage.variables;
  return vtl::apigw::render_mapping_template(**tpl, data);
}

boost::asio::awaitable<gateway_answer> run_method(const pipeline_deps& deps,
                                                  const deployed_stage& stage,
                                                  const route_match& route,
                                                  const method_request& req, execution_log& log) {
  if (log.enabled()) log.add("Starting execution for request: " + req.request_id);
  if (log.enabled()) log.add("HTTP Method: " + req.http_method + ", Resource Path: " + req.path);
  if (log.enabled()) log.add("Method request path: " + log_map(route.path_params));
  if (log.enabled()) log.add("Method request query string: " + log_map(parse_query(req.query)));
  if (log.enabled()) log.add("Method request headers: " + log_map(req.headers));
  if (log.enabled()) log.add("Method request body before transformations: " + req.body);
  auto finish = [&](gateway_answer answer) {
    if (!header_of(answer.headers, "x-amzn-ErrorType")) log.add("Successfully completed execution");
    if (log.enabled()) log.add(fmt::format("Method completed with status: {}", answer.status));
    return answer;
  };
  if (auto invalid = validate_method_request(stage, route, req, log)) co_return finish(*invalid);

  const json::value* integration_value = route.method->if_contains("methodIntegration");
  if (!integration_value || !integration_value->is_object()) {
    log.add("Execution failed due to configuration error: No integration defined for method");
    co_return finish(default_response(gateway_error::integration_failure));
  }
  const json::object& integration = integration_value->get_object();
  const std::string type = integration.contains("type")
                               ? std::string(integration.at("type").as_string())
                               : std::string("MOCK");

  if (type == "AWS_PROXY") {
    auto function = lambda_function_of(with_stage_variables(
        integration.contains("uri") ? std::string_view(integration.at("uri").as_string()) : "",
        stage.variables));
    if (!function) {
      log.add("Execution failed due to configuration error: Invalid Lambda function URI");
      co_return finish(default_response(gateway_error::integration_failure));
    }
    auto outcome = co_await invoke_lambda(deps, stage, route, req, integration, *function,
                                          proxy_event(stage, route, req), false, log);
    if (auto* answer = std::get_if<gateway_answer>(&outcome)) co_return finish(std::move(*answer));
    co_return finish(proxy_response(stage, req, std::get<integration_outcome>(outcome), log));
  }

  auto mapped = map_integration_request(deps, stage, route, req, integration, log);
  if (auto* answer = std::get_if<gateway_answer>(&mapped)) co_return finish(std::move(*answer));
  auto outcome = co_await call_integration(deps, stage, route, req, integration,
                                           std::move(std::get<integration_request>(mapped)), log);
  if (auto* answer = std::get_if<gateway_answer>(&outcome)) co_return finish(std::move(*answer));
  if (type == "HTTP_PROXY") {
    auto& o = std::get<integration_outcome>(outcome);
    co_return finish(gateway_answer{o.status, remapped(std::move(o.headers)), std::move(o.body)});
  }
  co_return finish(map_integration_response(deps, stage, route, req, integration,
                                            std::move(std::get<integration_outcome>(outcome)),
                                            log));
}

}  // namespace stratus::apigateway
