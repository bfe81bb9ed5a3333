// 5. Lambda proxy integrations (AWS_PROXY): the version 1.0 event API
// Gateway hands the function, and the function's answer checked as API
// Gateway checks it (only its keys, a status code that reads as an integer,
// a string body) and turned into the response.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>

#include "apigateway/pipeline.hpp"
#include "common/ascii.hpp"
#include "common/base64.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

// Single-value map (the last value of a name wins) and multi-value map of
// pairs, or nulls when there are none.
// `s` with every byte that is not part of well-formed UTF-8 replaced by
// U+FFFD, as Java decodes request text before API Gateway builds the event
// (a function would otherwise get a document that is not JSON).
std::string well_formed(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k)
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && n > 1) {
      // No overlong forms, surrogates or code points past U+10FFFF.
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(n == 2 && c < 0xC2) && !(n == 3 && c == 0xE0 && c1 < 0xA0) &&
           !(n == 3 && c == 0xED && c1 >= 0xA0) && !(n == 4 && c == 0xF0 && c1 < 0x90) &&
           !(n == 4 && (c > 0xF4 || (c == 0xF4 && c1 >= 0x90)));
    }
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// JSON text of `s` as a string.
void put_string(std::string& out, std::string_view s) {
  const bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
  const std::string checked = ascii ? std::string() : well_formed(s);
  const std::string_view text = ascii ? s : std::string_view(checked);
  out += json::serialize(json::string_view(text.data(), text.size()));
}

// The single-value map (a repeated name keeps its first place and its last
// value) and the multi-value map of pairs, as JSON text, or nulls when there
// are none.
void put_maps(std::string& out, std::string_view single_name, std::string_view multi_name,
              const param_list& items) {
  out += '"';
  out += single_name;
  out += "\":";
  if (items.empty()) {
    out += "null,\"";
    out += multi_name;
    out += "\":null";
    return;
  }
  // Names in order of first appearance, each with its values.
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> names;
  for (const auto& [k, v] : items) {
    auto it = std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == k; });
    if (it == names.end()) it = names.insert(names.end(), {k, {}});
    it->second.push_back(v);
  }
  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    put_string(out, names[i].first);
    out += ':';
    put_string(out, names[i].second.back());
  }
  out += "},\"";
  out += multi_name;
  out += "\":{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    put_string(out, names[i].first);
    out += ":[";
    for (std::size_t j = 0; j < names[i].second.size(); ++j) {
      if (j) out += ',';
      put_string(out, names[i].second[j]);
    }
    out += ']';
  }
  out += '}';
}

gateway_answer malformed(execution_log& log) {
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
  // Written as text, in AWS's member order: building a JSON document to
  // serialize it cost a tenth of a proxy request.
  const param_list* headers = &req.headers;
  param_list forwarded;
  if (stage.stage_name != "test-invoke-stage" && !req.headers.empty()) {
    // What API Gateway's front end adds on its way to the function.
    forwarded = req.headers;
    if (!header_of(req.headers, "X-Forwarded-For"))
      forwarded.emplace_back("X-Forwarded-For", req.source_ip);
    if (!header_of(req.headers, "X-Forwarded-Proto"))
      forwarded.emplace_back("X-Forwarded-Proto", "http");
    headers = &forwarded;
  }
  std::string out;
  out.reserve(1024 + req.body.size() * 4 / 3);
  out += "{\"resource\":";
  put_string(out, route.res->path);
  out += ",\"path\":";
  put_string(out, req.path);
  out += ",\"httpMethod\":";
  put_string(out, req.http_method);
  out += ',';
  put_maps(out, "headers", "multiValueHeaders", *headers);
  out += ',';
  put_maps(out, "queryStringParameters", "multiValueQueryStringParameters", parse_query(req.query));
  out += ",\"pathParameters\":";
  if (route.path_params.empty()) {
    out += "null";
  } else {
    out += '{';
    for (std::size_t i = 0; i < route.path_params.size(); ++i) {
      if (i) out += ',';
      put_string(out, route.path_params[i].first);
      out += ':';
      put_string(out, route.path_params[i].second);
    }
    out += '}';
  }
  out += ",\"stageVariables\":";
  out += stage.variables.empty() ? std::string("null") : json::serialize(stage.variables);
  out += ",\"requestContext\":";
  if (stage.stage_name == "test-invoke-stage") {
    json::object context = context_of(stage, route, req);
    context.erase("deploymentId");
    out += json::serialize(context);
  } else {
    out += json::serialize(context_of(stage, route, req));
  }
  out += ",\"body\":";
  bool base64 = false;
  if (req.body.empty()) {
    out += "null";
  } else {
    base64 =
        header_of(req.headers, "Content-Type") && is_binary_type(stage, media_type_of(req.headers));
    put_string(out, base64 ? base64_encode(req.body) : req.body);
  }
  out += base64 ? ",\"isBase64Encoded\":true}" : ",\"isBase64Encoded\":false}";
  return out;
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
