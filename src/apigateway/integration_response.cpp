// 4. The integration response: the one whose selection pattern matches the
// Lambda function's errorMessage (or, for the other integrations, the
// status code), else the default one; its response parameters; and the
// response template the Accept header selects.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <mutex>
#include <regex>
#include <unordered_map>

#include "apigateway/ops.hpp"
#include "apigateway/pipeline.hpp"
#include "common/ascii.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

// A selection pattern as Java's String.matches reads it (the whole text);
// a pattern that does not compile matches nothing.
bool pattern_matches(const std::string& pattern, const std::string& text) {
  thread_local std::unordered_map<std::string, std::optional<std::regex>> compiled;
  auto it = compiled.find(pattern);
  if (it == compiled.end()) {
    if (compiled.size() > 256) compiled.clear();
    std::optional<std::regex> re;
    try {
      re.emplace(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
    }
    it = compiled.emplace(pattern, std::move(re)).first;
  }
  if (!it->second) return false;
  try {
    return std::regex_match(text, *it->second);
  } catch (const std::regex_error&) {
    return false;
  }
}

const json::object* select_response(const json::object& responses,
                                    const integration_outcome& outcome) {
  const json::object* fallback = nullptr;
  const bool by_error = outcome.lambda;
  // A function that succeeded has no errorMessage: only a pattern that
  // matches the empty text (".*") selects something other than the default.
  const std::string subject =
      by_error ? outcome.lambda_error.value_or("") : std::to_string(outcome.status);
  for (const auto& [status, r] : responses) {
    if (!r.is_object()) continue;
    const std::string pattern = text(r.get_object(), "selectionPattern");
    if (pattern.empty()) {
      if (!fallback) fallback = &r.get_object();
      continue;
    }
    if (pattern_matches(pattern, subject)) return &r.get_object();
  }
  return fallback;
}

std::optional<std::string> response_source(std::string_view expr, const deployed_stage& stage,
                                           const integration_outcome& outcome) {
  if (expr.size() >= 2 && expr.front() == '\'' && expr.back() == '\'')
    return std::string(expr.substr(1, expr.size() - 2));
  constexpr std::string_view header = "integration.response.header.";
  constexpr std::string_view multi = "integration.response.multivalueheader.";
  constexpr std::string_view body = "integration.response.body";
  constexpr std::string_view variables = "stageVariables.";
  if (expr.starts_with(header)) return header_of(outcome.headers, expr.substr(header.size()));
  if (expr.starts_with(multi)) return header_of(outcome.headers, expr.substr(multi.size()));
  if (expr == body) return outcome.body;
  if (expr.starts_with(body) && expr.size() > body.size() && expr[body.size()] == '.')
    return json_path_text(outcome.body, "$" + std::string(expr.substr(body.size())));
  if (expr.starts_with(variables))
    if (auto* v = stage.variables.if_contains(expr.substr(variables.size()))) return value_text(*v);
  return std::nullopt;
}

// The template for the client's Accept: the one of that type, else
// application/json, else the first.
std::pair<std::string, const json::value*> select_template(const json::object& templates,
                                                           const method_request& req) {
  if (templates.empty()) return {"application/json", nullptr};
  if (auto accept = header_of(req.headers, "Accept")) {
    std::string_view list = *accept;
    while (!list.empty()) {
      auto comma = list.find(',');
      std::string_view item = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      item = item.substr(0, item.find(';'));
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      for (const auto& [type, text] : templates)
        if (ascii::iequals(type, item)) return {std::string(type), &text};
    }
  }
  if (auto* json_template = templates.if_contains("application/json"))
    return {"application/json", json_template};
  return {std::string(templates.begin()->key()), &templates.begin()->value()};
}

}  // namespace

gateway_answer map_integration_response(const pipeline_deps& deps, const deployed_stage& stage,
                                        const route_match& route, const method_request& req,
                                        const json::object& integration,
                                        integration_outcome outcome, execution_log& log) {
  static const json::object none;
  auto* responses_value = integration.if_contains("integrationResponses");
  const json::object& responses =
      responses_value && responses_value->is_object() ? responses_value->get_object() : none;
  const json::object* chosen = select_response(responses, outcome);
  if (!chosen) {
    if (log.enabled())
      log.add(fmt::format(
          "Execution failed due to configuration error: No match for output mapping and no default "
          "output mapping configured. Endpoint Response Status Code: {}",
          outcome.status));
    return default_response(gateway_error::integration_failure);
  }
  gateway_answer out;
  const std::string status = text(*chosen, "statusCode");
  out.status = static_cast<unsigned>(std::atoi(status.c_str()));
  if (out.status < 100 || out.status > 599) out.status = 200;

  auto* templates_value = chosen->if_contains("responseTemplates");
  const json::object& templates =
      templates_value && templates_value->is_object() ? templates_value->get_object() : none;
  auto [content_type, tpl] = select_template(templates, req);
  out.headers.emplace_back("Content-Type", content_type);
  if (auto* params = chosen->if_contains("responseParameters"); params && params->is_object())
    for (const auto& [target, source] : params->get_object()) {
      constexpr std::string_view prefix = "method.response.header.";
      std::string_view t = target;
      if (!t.starts_with(prefix) || !source.is_string()) continue;
      if (auto value = response_source(source.get_string(), stage, outcome))
        put_param(out.headers, std::string(t.substr(prefix.size())), std::move(*value), true);
    }

  if (tpl && tpl->is_string() && !tpl->get_string().empty()) {
    auto rendered =
        render_template(deps, stage, route, req, tpl->get_string(), outcome.body, &outcome.headers);
    if (!rendered) {
      if (log.enabled())
        log.add("Execution failed due to configuration error: Unable to transform response: " +
                rendered.err().describe());
      return default_response(gateway_error::integration_failure);
    }
    out.body = std::move(rendered->body);
    if (rendered->overrides.response_status)
      out.status = static_cast<unsigned>(*rendered->overrides.response_status);
    for (auto& [k, v] : rendered->overrides.response_header) put_param(out.headers, k, v, true);
  } else {
    // Passed through, converted as the response's contentHandling asks: a
    // body is binary when the backend says its type is one of the API's
    // binary media types.
    auto* handling = chosen->if_contains("contentHandling");
    auto type = header_of(outcome.headers, "Content-Type");
    const bool binary = type && is_binary_type(stage, type->substr(0, type->find(';')));
    out.body =
        converted(std::move(outcome.body),
                  handling && handling->is_string() ? std::string_view(handling->get_string())
                                                    : std::string_view{},
                  binary);
  }
  if (log.enabled()) log.add("Method response body after transformations: " + out.body);
  if (log.enabled()) log.add("Method response headers: " + log_map(out.headers));
  return out;
}

}  // namespace stratus::apigateway
