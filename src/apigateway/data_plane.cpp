#include "apigateway/data_plane.hpp"

#include <fmt/format.h>

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <random>

#include "apigateway/ops.hpp"
#include "common/ascii.hpp"
#include "common/uuid.hpp"

namespace stratus::apigateway {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr std::string_view execute_api_host = ".execute-api.";
constexpr std::string_view aws_prefix = "/_aws/execute-api/";
constexpr std::string_view user_request = "/_user_request_";

std::string_view host_api(std::string_view host) {
  for (std::size_t at = 1; at + execute_api_host.size() <= host.size(); ++at)
    if (host[at] == '.' &&
        ascii::iequals(host.substr(at, execute_api_host.size()), execute_api_host))
      return host.substr(0, at);
  return {};
}

// "a/b/rest" → ("a", "b/rest").
std::pair<std::string_view, std::string_view> first_segment(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return {s, {}};
  return {s.substr(0, slash), s.substr(slash + 1)};
}

std::string rooted(std::string_view rest) {
  return "/" + std::string(rest);
}

// x-amz-apigw-id: sixteen characters as API Gateway makes them.
std::string extended_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string id(15, 'A');
  for (auto& c : id) c = alphabet[rng() % 62];
  return id + "=";
}

std::string trace_id(std::chrono::system_clock::time_point at) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
  return fmt::format("Root=1-{:08x}-{:012x}{:012x}", seconds, rng() & 0xFFFFFFFFFFFFull,
                     rng() & 0xFFFFFFFFFFFFull);
}

raw_response to_raw(gateway_answer answer, const method_request& req) {
  raw_response out;
  out.status = answer.status;
  out.headers = std::move(answer.headers);
  out.headers.emplace_back("x-amzn-RequestId", req.request_id);
  out.headers.emplace_back("x-amz-apigw-id", req.extended_id);
  // API Gateway's own error responses carry no trace id.
  if (!header_of(out.headers, "x-amzn-ErrorType"))
    out.headers.emplace_back("X-Amzn-Trace-Id", trace_id(req.at));
  out.body = std::move(answer.body);
  return out;
}

// The path parameters of `path` read against a resource path template.
param_list params_along(std::string_view resource_path, std::string_view path) {
  param_list out;
  auto shape = path_segments(resource_path);
  auto given = path_segments(path);
  for (std::size_t i = 0; i < shape.size() && i < given.size(); ++i) {
    std::string_view part = shape[i];
    if (part.size() < 3 || part.front() != '{' || part.back() != '}') continue;
    if (part[part.size() - 2] == '+') {
      std::string rest;
      for (std::size_t j = i; j < given.size(); ++j)
        rest += (j > i ? "/" : "") + std::string(given[j]);
      out.emplace_back(std::string(part.substr(1, part.size() - 3)), rest);
      break;
    }
    out.emplace_back(std::string(part.substr(1, part.size() - 2)), std::string(given[i]));
  }
  return out;
}

}  // namespace

bool is_invoke_request(std::string_view host, std::string_view path) {
  if (!host_api(host).empty()) return true;
  if (path.starts_with(aws_prefix)) return true;
  if (path.starts_with("/restapis/")) {
    auto [api, rest] = first_segment(path.substr(std::string_view("/restapis/").size()));
    auto [stage, tail] = first_segment(rest);
    return !api.empty() && !stage.empty() && ("/" + std::string(tail)).starts_with(user_request);
  }
  return false;
}

std::optional<invoke_target> parse_invoke_target(std::string_view host, std::string_view path) {
  path = path.substr(0, path.find('?'));
  if (auto api = host_api(host); !api.empty()) {
    auto [stage, rest] = first_segment(path.substr(path.starts_with('/') ? 1 : 0));
    return invoke_target{std::string(api), std::string(stage), rooted(rest)};
  }
  if (path.starts_with(aws_prefix)) {
    auto [api, rest] = first_segment(path.substr(aws_prefix.size()));
    auto [stage, tail] = first_segment(rest);
    return invoke_target{std::string(api), std::string(stage), rooted(tail)};
  }
  if (path.starts_with("/restapis/")) {
    auto [api, rest] = first_segment(path.substr(std::string_view("/restapis/").size()));
    auto [stage, tail] = first_segment(rest);
    std::string_view after = tail.substr(std::min(tail.size(), user_request.size() - 1));
    return invoke_target{std::string(api), std::string(stage),
                         rooted(after.starts_with('/') ? after.substr(1) : after)};
  }
  return std::nullopt;
}

web_endpoint data_plane::endpoint() {
  web_endpoint e;
  e.claims = [](std::string_view host, std::string_view target) {
    return is_invoke_request(host, target.substr(0, target.find('?')));
  };
  e.max_body = 10 * 1024 * 1024;
  e.too_large = [] {
    auto answer = default_response(gateway_error::request_too_large);
    return raw_response{answer.status, std::move(answer.headers), std::move(answer.body)};
  };
  e.handle = [this](web_request req) { return handle(std::move(req)); };
  return e;
}

asio::awaitable<raw_response> data_plane::handle(web_request in) {
  method_request req;
  req.request_id = random_uuid();
  req.extended_id = extended_request_id();
  req.at = std::chrono::system_clock::now();
  req.http_method = std::move(in.method);
  req.query = std::move(in.query);
  req.headers = std::move(in.headers);
  req.body = std::move(in.body);
  req.source_ip = std::move(in.source_ip);
  const std::string host = header_of(req.headers, "Host").value_or("");
  req.domain_name = host.substr(0, host.find(':'));
  auto target = parse_invoke_target(host, in.path);
  if (!target || target->api_id.empty() || target->stage.empty())
    co_return to_raw(default_response(gateway_error::missing_authentication_token), req);
  req.path = std::move(target->path);
  auto stage = stages_.find(target->api_id, target->stage);
  if (!stage) co_return to_raw(default_response(gateway_error::integration_failure), req);
  if (!*stage) co_return to_raw(default_response(gateway_error::forbidden), req);
  const deployed_stage& s = **stage;
  // An API that turned its default endpoint off answers there as an
  // unknown one.
  if (auto* off = s.settings.if_contains("disableExecuteApiEndpoint");
      off && off->is_bool() && off->get_bool())
    co_return to_raw(default_response(gateway_error::forbidden), req);
  auto route = s.routes.match(req.http_method, req.path);
  if (!route.method)
    co_return to_raw(default_response(gateway_error::missing_authentication_token), req);
  const auto started = std::chrono::steady_clock::now();
  execution_log log(req.at, logs_execution(s, route));
  auto answer = co_await run_method(deps(), s, route, req, log);
  write_stage_logs(co_await asio::this_coro::executor, deps(), s, route, req, answer, log,
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started));
  co_return to_raw(std::move(answer), req);
}

asio::awaitable<result<json::object>> data_plane::test_invoke(request_context& ctx,
                                                              json::object& in) {
  auto api = apis_.find(ctx.account_id, ctx.region, text(in, "restApiId"));
  if (!api) co_return api.error();
  auto resource = api->resources.find(text(in, "resourceId"));
  if (resource == api->resources.end())
    co_return api_error("NotFoundException", "Invalid Resource identifier specified", 404);
  const std::string http_method = text(in, "httpMethod");
  auto* method = resource->second.methods.if_contains(http_method);
  if (!method || !method->is_object())
    co_return api_error("NotFoundException", "Invalid Method identifier specified", 404);

  json::object variables;
  if (auto* v = in.if_contains("stageVariables"); v && v->is_object()) variables = v->get_object();
  auto view = live_view(*api, std::move(variables));

  method_request req;
  req.request_id = random_uuid();
  req.extended_id = extended_request_id();
  req.at = ctx.now;
  req.http_method = http_method;
  req.source_ip = "test-invoke-source-ip";
  req.domain_name = "testPrefix.testDomainName";
  std::string with_query = text(in, "pathWithQueryString");
  auto q = with_query.find('?');
  req.path = with_query.substr(0, q);
  if (q != std::string::npos) req.query = with_query.substr(q + 1);
  if (req.path.empty()) req.path = resource->second.path;
  if (!req.path.starts_with('/')) req.path.insert(0, "/");
  if (auto* h = in.if_contains("headers"); h && h->is_object())
    for (const auto& [k, v] : h->get_object())
      if (v.is_string()) req.headers.emplace_back(k, v.get_string());
  if (auto* h = in.if_contains("multiValueHeaders"); h && h->is_object())
    for (const auto& [k, list] : h->get_object())
      if (list.is_array())
        for (const auto& v : list.get_array())
          if (v.is_string()) req.headers.emplace_back(k, v.get_string());
  req.body = text(in, "body");

  route_match route;
  route.res = &view->resources.at(resource->first);
  route.method = &route.res->methods.at(http_method).as_object();
  route.path_params = params_along(route.res->path, req.path);

  const auto started = std::chrono::steady_clock::now();
  execution_log log(req.at, true);
  auto answer = co_await run_method(deps(), *view, route, req, log);
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  json::object headers;
  json::object multi;
  for (const auto& [k, v] : answer.headers) {
    headers[k] = v;
    auto& list = multi[k];
    if (!list.is_array()) list = json::array{};
    list.get_array().push_back(json::string(v));
  }
  co_return json::object{{"status", answer.status},
                         {"body", std::move(answer.body)},
                         {"headers", std::move(headers)},
                         {"multiValueHeaders", std::move(multi)},
                         {"log", "Execution log for request " + req.request_id + "\n" + log.text()},
                         {"latency", latency}};
}

}  // namespace stratus::apigateway
