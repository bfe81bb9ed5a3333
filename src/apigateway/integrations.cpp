// 3. The integrations: MOCK, Lambda (AWS and AWS_PROXY, through the
// service_caller, never over HTTP), other AWS services by action (DynamoDB
// in-process, through the same handlers its API uses), and HTTP
// (http_integration.cpp). Every call is bounded by the integration's
// timeoutInMillis: past it the client gets 504 while the call finishes on
// its own, holding no thread.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "apigateway/ops.hpp"
#include "apigateway/pipeline.hpp"
#include "apigateway/within.hpp"
#include "common/ascii.hpp"
#include "common/uuid.hpp"

namespace stratus::apigateway {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr std::int64_t default_timeout_ms = 29000;

std::chrono::milliseconds timeout_of(const json::object& integration) {
  auto* v = integration.if_contains("timeoutInMillis");
  if (v && v->is_int64() && v->get_int64() > 0) return std::chrono::milliseconds(v->get_int64());
  return std::chrono::milliseconds(default_timeout_ms);
}

struct function_arn_parts {
  std::string region;
  std::string account;
};

std::optional<function_arn_parts> parts_of(std::string_view arn) {
  // arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]
  std::vector<std::string_view> fields;
  while (true) {
    auto colon = arn.find(':');
    fields.push_back(arn.substr(0, colon));
    if (colon == std::string_view::npos) break;
    arn.remove_prefix(colon + 1);
  }
  if (fields.size() < 7 || fields[0] != "arn" || fields[2] != "lambda" || fields[5] != "function")
    return std::nullopt;
  return function_arn_parts{std::string(fields[3]), std::string(fields[4])};
}

request_context service_context(const deployed_stage& stage, const method_request& req,
                                std::string account, std::string region,
                                const json::object& integration) {
  request_context ctx;
  ctx.request_id = random_uuid();
  ctx.account_id = std::move(account);
  ctx.region = std::move(region);
  std::string credentials = text(integration, "credentials");
  if (credentials.empty()) {
    // API Gateway on its own behalf: the callee's resource policy decides,
    // for this method of this stage.
    ctx.caller_arn = ctx.service_principal = "apigateway.amazonaws.com";
    ctx.source_arn =
        fmt::format("arn:aws:execute-api:{}:{}:{}/{}/{}{}", stage.region, stage.account,
                    stage.api_id, stage.stage_name, req.http_method, req.path);
    ctx.source_account = stage.account;
  } else {
    // As the integration's role (IAM decides once it is enforced).
    ctx.caller_arn = credentials;
  }
  ctx.caller_user_id = ctx.caller_arn;
  ctx.endpoint = "http://" + req.domain_name;
  ctx.now = std::chrono::system_clock::now();
  return ctx;
}

integration_outcome mock_outcome(const integration_request& call) {
  integration_outcome out;
  boost::system::error_code ec;
  auto doc = json::parse(call.body, ec);
  if (!ec && doc.is_object())
    if (auto* status = doc.get_object().if_contains("statusCode")) {
      if (status->is_int64() && status->get_int64() >= 100 && status->get_int64() < 600)
        out.status = static_cast<unsigned>(status->get_int64());
      else if (status->is_string())
        out.status = static_cast<unsigned>(std::atoi(std::string(status->get_string()).c_str()));
    }
  if (out.status < 100 || out.status >= 600) out.status = 200;
  return out;
}

// arn:aws:apigateway:{region}:{service}:action/{Action} or :path/{path}.
struct service_uri {
  std::string region;
  std::string service;
  std::string kind;  // "action" or "path"
  std::string rest;
};

std::optional<service_uri> parse_service_uri(std::string_view uri) {
  constexpr std::string_view prefix = "arn:aws:apigateway:";
  if (!uri.starts_with(prefix)) return std::nullopt;
  uri.remove_prefix(prefix.size());
  auto c1 = uri.find(':');
  if (c1 == std::string_view::npos) return std::nullopt;
  auto c2 = uri.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return std::nullopt;
  std::string_view tail = uri.substr(c2 + 1);
  auto slash = tail.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return service_uri{std::string(uri.substr(0, c1)), std::string(uri.substr(c1 + 1, c2 - c1 - 1)),
                     std::string(tail.substr(0, slash)), std::string(tail.substr(slash + 1))};
}

// The services an AWS integration reaches by action, by the name their
// URIs use.
std::optional<std::string_view> model_of(std::string_view uri_service) {
  if (uri_service == "dynamodb") return "dynamodb";
  if (uri_service == "lambda") return "lambda";
  if (uri_service == "sts") return "sts";
  if (uri_service == "logs") return "logs";
  return std::nullopt;
}

asio::awaitable<std::variant<integration_outcome, gateway_answer>> call_service_action(
    const pipeline_deps& deps, const deployed_stage& stage, const method_request& req,
    const json::object& integration, const service_uri& uri, integration_request call,
    execution_log& log) {
  auto model = model_of(uri.service);
  if (!model || uri.kind != "action") {
    if (log.enabled())
      log.add("Execution failed due to configuration error: AWS service " + uri.service + " (" +
              uri.kind + ") is not available in Stratus");
    co_return default_response(gateway_error::integration_failure);
  }
  if (log.enabled())
    log.add("Endpoint request URI: " + std::string("https://") + uri.service + "." + uri.region +
            ".amazonaws.com/?Action=" + uri.rest);
  if (log.enabled()) log.add("Endpoint request body after transformations: " + call.body);
  boost::system::error_code ec;
  auto input = json::parse(call.body.empty() ? std::string_view("{}") : call.body, ec);
  integration_outcome out;
  out.headers = {{"Content-Type", "application/x-amz-json-1.0"}};
  if (ec || !input.is_object()) {
    out.status = 400;
    out.body = json::serialize(
        json::object{{"__type", "com.amazon.coral.service#SerializationException"}});
    if (log.enabled()) log.add(fmt::format("Received response. Status: {}", out.status));
    co_return out;
  }
  auto ctx = service_context(stage, req, stage.account, uri.region, integration);
  auto answered = co_await within(
      deps.services.call(std::move(ctx), *model, uri.rest, std::move(input.get_object())),
      timeout_of(integration));
  if (!answered) {
    log.add("Execution failed due to a timeout error");
    co_return default_response(gateway_error::integration_timeout);
  }
  if (*answered) {
    out.body = json::serialize(**answered);
  } else {
    const api_error& e = answered->error();
    out.status = e.status;
    std::string type = *model == "dynamodb" ? "com.amazonaws.dynamodb.v20120810#" + e.code : e.code;
    out.body = json::serialize(json::object{{"__type", type}, {"message", e.message}});
  }
  if (log.enabled())
    log.add(fmt::format("Received response. Status: {}, Integration latency: 0 ms", out.status));
  if (log.enabled()) log.add("Endpoint response body before transformations: " + out.body);
  co_return out;
}

}  // namespace

std::optional<std::string> lambda_function_of(std::string_view uri) {
  auto parsed = parse_service_uri(uri);
  if (!parsed || parsed->service != "lambda" || parsed->kind != "path") return std::nullopt;
  std::string_view rest = parsed->rest;
  while (rest.starts_with('/')) rest.remove_prefix(1);  // the console's "path//2015-03-31/..."
  constexpr std::string_view functions = "2015-03-31/functions/";
  constexpr std::string_view invocations = "/invocations";
  if (!rest.starts_with(functions) || !rest.ends_with(invocations)) return std::nullopt;
  rest = rest.substr(functions.size(), rest.size() - functions.size() - invocations.size());
  if (rest.empty()) return std::nullopt;
  return std::string(rest);
}

std::string with_stage_variables(std::string_view text, const json::object& variables) {
  constexpr std::string_view open = "${stageVariables.";
  std::string out;
  while (true) {
    auto at = text.find(open);
    if (at == std::string_view::npos) break;
    auto close = text.find('}', at);
    if (close == std::string_view::npos) break;
    out += text.substr(0, at);
    std::string_view name = text.substr(at + open.size(), close - at - open.size());
    if (auto* v = variables.if_contains(name); v && v->is_string()) out += v->get_string();
    text.remove_prefix(close + 1);
  }
  out += text;
  return out;
}

asio::awaitable<std::variant<integration_outcome, gateway_answer>> invoke_lambda(
    const pipeline_deps& deps, const deployed_stage& stage, const route_match& route,
    const method_request& req, const json::object& integration, std::string_view function_arn,
    std::string event, bool asynchronous, execution_log& log) {
  (void)route;
  auto parts = parts_of(function_arn);
  if (!parts) {
    log.add("Execution failed due to configuration error: Invalid function ARN or invalid uri");
    co_return default_response(gateway_error::integration_failure);
  }
  if (log.enabled())
    log.add(fmt::format(
        "Endpoint request URI: https://lambda.{}.amazonaws.com/2015-03-31/functions/{}/invocations",
        parts->region, function_arn));
  if (log.enabled()) log.add("Endpoint request body after transformations: " + event);
  if (log.enabled())
    log.add(fmt::format(
        "Sending request to https://lambda.{}.amazonaws.com/2015-03-31/functions/{}/invocations",
        parts->region, function_arn));
  auto ctx = service_context(stage, req, parts->account, parts->region, integration);
  const std::string lambda_request_id = ctx.request_id;
  json::object input;
  input["FunctionName"] = function_arn;
  input["Payload"] = std::move(event);
  input["InvocationType"] = asynchronous ? "Event" : "RequestResponse";
  const auto started = std::chrono::steady_clock::now();
  auto answered =
      co_await within(deps.services.call(std::move(ctx), "lambda", "Invoke", std::move(input)),
                      timeout_of(integration));
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  if (!answered) {
    log.add("Execution failed due to a timeout error");
    co_return default_response(gateway_error::integration_timeout);
  }
  if (!*answered) {
    const api_error& e = answered->error();
    if (log.enabled())
      log.add(e.code == "AccessDeniedException"
                  ? std::string("Execution failed due to configuration error: Invalid permissions "
                                "on Lambda function")
                  : fmt::format("Execution failed due to configuration error: {}: {}", e.code,
                                e.message));
    co_return default_response(gateway_error::integration_failure);
  }
  const json::object& output = **answered;
  integration_outcome out;
  out.lambda = true;
  out.request_id = lambda_request_id;
  out.body = text(output, "Payload");
  out.headers = {{"Content-Type", "application/json"}};
  if (log.enabled())
    log.add(fmt::format("Received response. Status: {}, Integration latency: {} ms",
                        asynchronous ? 202 : 200, latency));
  if (log.enabled()) log.add("Endpoint response body before transformations: " + out.body);
  if (output.contains("FunctionError")) {
    out.headers.emplace_back("X-Amz-Function-Error", text(output, "FunctionError"));
    boost::system::error_code ec;
    auto doc = json::parse(out.body, ec);
    std::string message;
    if (!ec && doc.is_object()) message = text(doc.get_object(), "errorMessage");
    out.lambda_error = std::move(message);
  }
  co_return out;
}

asio::awaitable<std::variant<integration_outcome, gateway_answer>> call_integration(
    const pipeline_deps& deps, const deployed_stage& stage, const route_match& route,
    const method_request& req, const json::object& integration, integration_request call,
    execution_log& log) {
  const std::string type = text(integration, "type");
  if (type == "MOCK") co_return mock_outcome(call);
  const std::string uri = with_stage_variables(text(integration, "uri"), stage.variables);
  if (type == "AWS") {
    if (auto function = lambda_function_of(uri)) {
      auto invocation = header_of(call.headers, "X-Amz-Invocation-Type");
      const bool asynchronous = invocation && ascii::iequals(*invocation, "Event");
      co_return co_await invoke_lambda(deps, stage, route, req, integration, *function,
                                       std::move(call.body), asynchronous, log);
    }
    if (auto service = parse_service_uri(uri))
      co_return co_await call_service_action(deps, stage, req, integration, *service,
                                             std::move(call), log);
    if (log.enabled())
      log.add("Execution failed due to configuration error: Invalid integration URI " + uri);
    co_return default_response(gateway_error::integration_failure);
  }
  if (type == "HTTP" || type == "HTTP_PROXY")
    co_return co_await call_http(stage, req, integration, uri, std::move(call),
                                 type == "HTTP_PROXY", timeout_of(integration), log);
  if (log.enabled())
    log.add("Execution failed due to configuration error: Unsupported integration type " + type);
  co_return default_response(gateway_error::integration_failure);
}

}  // namespace stratus::apigateway
