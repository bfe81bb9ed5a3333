// 5. Lambda proxy integrations (AWS_PROXY): the version 1.0 event API
// Gateway hands the function, and the function's answer checked as API
// Gateway checks it (only its keys, a status code that reads as an integer,
// a string body) and turned into the response.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "apigateway/pipeline.hpp"
#include "common/ascii.hpp"
#include "common/base64.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

// Single-value map (the last value of a name wins) and multi-value map of
// pairs, or nulls when there are none.
std::pair<json::value, json::value> maps_of(const param_list& items) {
  if (items.empty()) return {nullptr, nullptr};
  json::object single;
  json::object multi;
  for (const auto& [k, v] : items) {
    single[k] = v;
    auto& list = multi[k];
    if (!list.is_array()) list = json::array{};
    list.get_array().push_back(json::string(v));
  }
  return {std::move(single), std::move(multi)};
}

gateway_answer malformed(execution_log& log) {
  if (log.enabled())
    log.add("Execution failed due to configuration error: Malformed Lambda proxy response");
  return default_response(gateway_error::bad_gateway);
}

std::optional<std::string> scalar_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64() || v.is_uint64() || v.is_double() || v.is_bool()) return json::serialize(v);
  return std::nullopt;
}

}  // namespace

std::string proxy_event(const deployed_stage& stage, const route_match& route,
                        const method_request& req) {
  auto [headers, multi_headers] = maps_of(req.headers);
  if (stage.stage_name != "test-invoke-stage" && headers.is_object()) {
    // What API Gateway's front end adds on its way to the function.
    for (auto [name, value] :
         {std::pair<const char*, std::string>{"X-Forwarded-For", req.source_ip},
          {"X-Forwarded-Proto", "http"}}) {
      if (header_of(req.headers, name)) continue;
      headers.get_object()[name] = value;
      multi_headers.get_object()[name] = json::array{json::string(value)};
    }
  }
  auto [query, multi_query] = maps_of(parse_query(req.query));
  json::value path_params = nullptr;
  if (!route.path_params.empty()) {
    json::object p;
    for (const auto& [k, v] : route.path_params) p[k] = v;
    path_params = std::move(p);
  }
  json::value variables = nullptr;
  if (!stage.variables.empty()) variables = stage.variables;
  json::object context = context_of(stage, route, req);
  if (stage.stage_name == "test-invoke-stage") context.erase("deploymentId");
  json::value body = nullptr;
  bool base64 = false;
  if (!req.body.empty()) {
    auto ct = header_of(req.headers, "Content-Type");
    base64 = ct && is_binary_type(stage, media_type_of(req.headers));
    body = base64 ? json::string(base64_encode(req.body)) : json::string(req.body);
  }
  return json::serialize(json::object{
      {"resource", route.res->path},
      {"path", req.path},
      {"httpMethod", req.http_method},
      {"headers", std::move(headers)},
      {"multiValueHeaders", std::move(multi_headers)},
      {"queryStringParameters", std::move(query)},
      {"multiValueQueryStringParameters", std::move(multi_query)},
      {"pathParameters", std::move(path_params)},
      {"stageVariables", std::move(variables)},
      {"requestContext", std::move(context)},
      {"body", std::move(body)},
      {"isBase64Encoded", base64},
  });
}

gateway_answer proxy_response(const deployed_stage& stage, const method_request& req,
                              const integration_outcome& outcome, execution_log& log) {
  if (outcome.lambda_error) {
    if (log.enabled())
      log.add("Lambda execution failed with status 200 due to customer function error: " +
              *outcome.lambda_error + ". Lambda request id: " + outcome.request_id);
    return default_response(gateway_error::bad_gateway);
  }
  boost::system::error_code ec;
  auto doc = json::parse(outcome.body, ec);
  if (ec || !doc.is_object()) return malformed(log);
  const json::object& o = doc.get_object();
  for (const auto& [key, value] : o)
    if (key != "statusCode" && key != "headers" && key != "multiValueHeaders" && key != "body" &&
        key != "isBase64Encoded")
      return malformed(log);
  gateway_answer out;
  if (auto* status = o.if_contains("statusCode"); status && !status->is_null()) {
    auto text = scalar_text(*status);
    if (!text) return malformed(log);
    char* end = nullptr;
    long code = std::strtol(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || code < 100 || code > 599) return malformed(log);
    out.status = static_cast<unsigned>(code);
  }
  // multiValueHeaders first, then headers: a name in both has both values.
  if (auto* multi = o.if_contains("multiValueHeaders"); multi && !multi->is_null()) {
    if (!multi->is_object()) return malformed(log);
    for (const auto& [k, list] : multi->get_object()) {
      if (!list.is_array()) return malformed(log);
      for (const auto& item : list.get_array())
        if (auto text = scalar_text(item)) out.headers.emplace_back(k, std::move(*text));
    }
  }
  if (auto* headers = o.if_contains("headers"); headers && !headers->is_null()) {
    if (!headers->is_object()) return malformed(log);
    for (const auto& [k, v] : headers->get_object()) {
      auto text = scalar_text(v);
      if (!text) return malformed(log);
      out.headers.emplace_back(k, std::move(*text));
    }
  }
  out.headers = remapped(std::move(out.headers));
  bool base64 = false;
  if (auto* flag = o.if_contains("isBase64Encoded"); flag && !flag->is_null()) {
    if (!flag->is_bool()) return malformed(log);
    base64 = flag->get_bool();
  }
  if (auto* body = o.if_contains("body"); body && !body->is_null()) {
    auto text = scalar_text(*body);
    if (!text) return malformed(log);
    out.body = std::move(*text);
  }
  if (base64) {
    // Decoded to bytes only for a client that accepts a binary type.
    auto accept = header_of(req.headers, "Accept");
    if (accept && is_binary_type(stage, accept->substr(0, accept->find(',')))) {
      auto bytes = base64_decode(out.body);
      if (!bytes) return malformed(log);
      out.body = std::move(*bytes);
    }
  }
  if (!header_of(out.headers, "Content-Type"))
    out.headers.emplace_back("Content-Type", "application/json");
  if (log.enabled()) log.add("Method response body after transformations: " + out.body);
  if (log.enabled()) log.add("Method response headers: " + log_map(out.headers));
  return out;
}

}  // namespace stratus::apigateway
