// 2. The integration request: the method request's parameters mapped onto
// the integration's (integration.requestParameters), and the body through
// the request template the Content-Type selects, or passed through as the
// passthrough behaviour allows.
#include <boost/json.hpp>

#include "apigateway/pipeline.hpp"
#include "common/ascii.hpp"
#include "common/base64.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

std::optional<std::string> lookup(const param_list& items, std::string_view name,
                                  bool ignore_case = false) {
  for (const auto& [k, v] : items)
    if (ignore_case ? ascii::iequals(k, name) : k == name) return v;
  return std::nullopt;
}

// The value of a mapping expression (the right-hand side of a
// requestParameters entry), or nullopt when it names nothing present.
std::optional<std::string> mapping_source(std::string_view expr, const deployed_stage& stage,
                                          const route_match& route, const method_request& req) {
  if (expr.size() >= 2 && expr.front() == '\'' && expr.back() == '\'')
    return std::string(expr.substr(1, expr.size() - 2));
  auto after = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (expr.starts_with(prefix)) return expr.substr(prefix.size());
    return std::nullopt;
  };
  if (auto name = after("method.request.path.")) return lookup(route.path_params, *name);
  if (auto name = after("method.request.querystring."))
    return lookup(parse_query(req.query), *name);
  if (auto name = after("method.request.multivaluequerystring.")) {
    std::string joined;
    bool any = false;
    for (const auto& [k, v] : parse_query(req.query))
      if (k == *name) {
        if (any) joined += ',';
        joined += v;
        any = true;
      }
    return any ? std::optional<std::string>(joined) : std::nullopt;
  }
  if (auto name = after("method.request.header.")) return header_of(req.headers, *name);
  if (auto name = after("method.request.multivalueheader.")) {
    std::string joined;
    bool any = false;
    for (const auto& [k, v] : req.headers)
      if (ascii::iequals(k, *name)) {
        if (any) joined += ',';
        joined += v;
        any = true;
      }
    return any ? std::optional<std::string>(joined) : std::nullopt;
  }
  if (expr == "method.request.body") return req.body;
  if (auto path = after("method.request.body."))
    return json_path_text(req.body, "$." + std::string(*path));
  if (auto name = after("stageVariables.")) {
    auto* v = stage.variables.if_contains(*name);
    return v ? std::optional<std::string>(value_text(*v)) : std::nullopt;
  }
  if (auto path = after("context.")) {
    const json::value* at = value_at(context_of(stage, route, req), *path);
    if (!at || at->is_null()) return std::nullopt;
    return value_text(*at);
  }

  return std::nullopt;
}

}  // namespace

std::variant<integration_request, gateway_answer> map_integration_request(
    const pipeline_deps& deps, const deployed_stage& stage, const route_match& route,
    const method_request& req, const json::object& integration, execution_log& log) {
  integration_request out;
  if (auto* params = integration.if_contains("requestParameters"); params && params->is_object())
    for (const auto& [target, source] : params->get_object()) {
      if (!source.is_string()) continue;
      auto value = mapping_source(source.get_string(), stage, route, req);
      if (!value) continue;
      std::string_view t = target;
      auto rest = [&](std::string_view prefix) -> std::optional<std::string> {
        if (t.starts_with(prefix)) return std::string(t.substr(prefix.size()));
        return std::nullopt;
      };
      if (auto name = rest("integration.request.header."))
        put_param(out.headers, *name, std::move(*value), true);
      else if (auto name = rest("integration.request.querystring."))
        put_param(out.query, *name, std::move(*value), false);
      else if (auto name = rest("integration.request.multivaluequerystring."))
        put_param(out.query, *name, std::move(*value), false);
      else if (auto name = rest("integration.request.path."))
        put_param(out.path, *name, std::move(*value), false);
    }

  const std::string media_type = media_type_of(req.headers);
  const std::string handling =
      integration.contains("contentHandling") && integration.at("contentHandling").is_string()
          ? std::string(integration.at("contentHandling").get_string())
          : std::string();
  const bool binary = is_binary_type(stage, media_type);
  // The payload as the integration is to see it; a template reads a
  // binary one as base64 text.
  std::string payload = converted(req.body, handling, binary);
  const json::value* templates = integration.if_contains("requestTemplates");
  const bool has_templates =
      templates && templates->is_object() && !templates->get_object().empty();
  const json::value* chosen = nullptr;
  if (has_templates)
    for (const auto& [type, text] : templates->get_object())
      if (ascii::iequals(type, media_type)) chosen = &text;
  const std::string passthrough =
      integration.contains("passthroughBehavior") &&
              integration.at("passthroughBehavior").is_string()
          ? std::string(integration.at("passthroughBehavior").get_string())
          : std::string("WHEN_NO_MATCH");
  if (!chosen) {
    if (passthrough == "NEVER" || (passthrough == "WHEN_NO_TEMPLATES" && has_templates)) {
      if (log.enabled())
        log.add("Execution failed: Unsupported Media Type: no template for " + media_type);
      return default_response(gateway_error::unsupported_media_type);
    }
    out.body = std::move(payload);
  } else if (chosen->is_string() && !chosen->get_string().empty()) {
    auto rendered = render_template(deps, stage, route, req, chosen->get_string(),
                                    binary ? base64_encode(req.body) : req.body);
    if (!rendered) {
      if (log.enabled())
        log.add("Execution failed due to configuration error: Unable to transform request: " +
                rendered.err().describe());
      return default_response(gateway_error::integration_failure);
    }
    out.body = std::move(rendered->body);
    for (auto& [k, v] : rendered->overrides.request_header) put_param(out.headers, k, v, true);
    for (auto& [k, v] : rendered->overrides.request_querystring) put_param(out.query, k, v, false);
    for (auto& [k, v] : rendered->overrides.request_path) put_param(out.path, k, v, false);
  } else {
    out.body = std::move(payload);
  }
  return out;
}

}  // namespace stratus::apigateway
