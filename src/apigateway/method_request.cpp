// 1. Method request validation, as the method's request validator asks:
// its required parameters present (path, query string, header), and the
// body valid against the model the request's Content-Type selects.
#include <boost/json.hpp>

#include "apigateway/json_schema.hpp"
#include "apigateway/pipeline.hpp"
#include "common/ascii.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

bool flag(const json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  return v && v->is_bool() && v->get_bool();
}

bool present(std::string_view expression, const route_match& route, const method_request& req,
             const param_list& query) {
  auto after = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (expression.starts_with(prefix)) return expression.substr(prefix.size());
    return std::nullopt;
  };
  if (auto name = after("method.request.path.")) {
    for (const auto& [k, v] : route.path_params)
      if (k == *name && !v.empty()) return true;
    return false;
  }
  if (auto name = after("method.request.querystring.")) {
    for (const auto& [k, v] : query)
      if (k == *name) return true;
    return false;
  }
  if (auto name = after("method.request.multivaluequerystring.")) {
    for (const auto& [k, v] : query)
      if (k == *name) return true;
    return false;
  }
  if (auto name = after("method.request.header.")) return header_of(req.headers, *name).has_value();
  if (auto name = after("method.request.multivalueheader."))
    return header_of(req.headers, *name).has_value();
  return true;
}

std::string parameter_name(std::string_view expression) {
  auto dot = expression.rfind('.');
  return std::string(expression.substr(dot + 1));
}

}  // namespace

std::optional<gateway_answer> validate_method_request(const deployed_stage& stage,
                                                      const route_match& route,
                                                      const method_request& req,
                                                      execution_log& log) {
  const json::object& method = *route.method;
  auto* id = method.if_contains("requestValidatorId");
  if (!id || !id->is_string()) return std::nullopt;
  auto* validator = stage.validators.if_contains(id->get_string());
  if (!validator || !validator->is_object()) return std::nullopt;
  const json::object& v = validator->get_object();

  if (flag(v, "validateRequestParameters"))
    if (auto* params = method.if_contains("requestParameters"); params && params->is_object()) {
      const param_list query = parse_query(req.query);
      // AWS lists them by place: headers, then the path, then the query
      // string.
      std::string by_place[3];
      for (const auto& [expression, required] : params->get_object()) {
        if (!required.is_bool() || !required.get_bool()) continue;
        if (present(expression, route, req, query)) continue;
        const std::string_view e = expression;
        std::string& list = by_place[e.starts_with("method.request.header.") ||
                                             e.starts_with("method.request.multivalueheader.")
                                         ? 0
                                     : e.starts_with("method.request.path.") ? 1
                                                                             : 2];
        if (!list.empty()) list += ", ";
        list += parameter_name(expression);
      }
      std::string missing;
      for (const auto& list : by_place) {
        if (list.empty()) continue;
        if (!missing.empty()) missing += ", ";
        missing += list;
      }
      if (!missing.empty()) {
        std::string message = "Missing required request parameters: [" + missing + "]";
        if (log.enabled()) log.add("Request validation failed: " + message);
        return default_response(gateway_error::bad_request_parameters, message);
      }
    }

  if (flag(v, "validateRequestBody"))
    if (auto* models = method.if_contains("requestModels"); models && models->is_object()) {
      const std::string media_type = media_type_of(req.headers);
      const json::value* model_name = nullptr;
      for (const auto& [type, name] : models->get_object())
        if (ascii::iequals(type, media_type)) model_name = &name;
      if (!model_name) model_name = models->get_object().if_contains("$default");
      if (model_name && model_name->is_string()) {
        auto schema_of = [&](std::string_view name) -> std::optional<json::value> {
          auto* model = stage.models.if_contains(name);
          if (!model || !model->is_object()) return std::nullopt;
          auto* text = model->get_object().if_contains("schema");
          if (!text || !text->is_string()) return std::nullopt;
          boost::system::error_code ec;
          auto parsed = json::parse(text->get_string(), ec);
          if (ec) return std::nullopt;
          return parsed;
        };
        if (auto schema = schema_of(model_name->get_string())) {
          std::map<std::string, json::value, std::less<>> referenced;
          model_lookup lookup = [&](std::string_view name) -> const json::value* {
            if (auto it = referenced.find(name); it != referenced.end()) return &it->second;
            auto s = schema_of(name);
            if (!s) return nullptr;
            return &referenced.emplace(std::string(name), std::move(*s)).first->second;
          };
          boost::system::error_code ec;
          auto doc = json::parse(req.body, ec);
          std::optional<std::string> violation;
          if (ec)
            violation = "Invalid JSON in request body";
          else
            violation = schema_violation(*schema, doc, lookup);
          if (violation) {
            if (log.enabled())
              log.add("Request body does not match model schema for content type " + media_type +
                      ": [" + *violation + "]");
            return default_response(gateway_error::bad_request_body);
          }
        }
      }
    }
  return std::nullopt;
}

}  // namespace stratus::apigateway
