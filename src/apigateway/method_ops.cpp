// Methods, method responses, integrations and integration responses: what
// `put-method`, `put-method-response`, `put-integration` and
// `put-integration-response` drive, with AWS's defaults and errors. All of
// them live in the resource's Method object, as GetMethod renders it.
#include <boost/json.hpp>
#include <charconv>
#include <set>

#include "apigateway/ops.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

std::optional<json::value> typed(field_kind kind, const std::string& value) {
  switch (kind) {
    case field_kind::boolean:
    case field_kind::boolean_map:
      if (value != "true" && value != "false") return std::nullopt;
      return json::value(value == "true");
    case field_kind::integer: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
      return json::value(n);
    }
    default:
      return json::value(value);
  }
}

}  // namespace

result<json::object> patched(json::object target, const json::object& in,
                             std::initializer_list<patchable> fields) {
  auto* ops = in.if_contains("patchOperations");
  if (!ops || !ops->is_array()) return target;
  for (const auto& item : ops->get_array()) {
    if (!item.is_object()) continue;
    const auto& patch = item.get_object();
    const std::string op = text(patch, "op"), path = text(patch, "path"),
                      value = text(patch, "value");
    if (auto e = check_patch_op(op)) return *e;
    const std::string_view rest = std::string_view(path).substr(path.empty() ? 0 : 1);
    const auto slash = rest.find('/');
    const std::string member(rest.substr(0, slash));
    const patchable* field = nullptr;
    for (const auto& f : fields)
      if (f.member == member) field = &f;
    if (!field) return invalid_patch_path(path);
    const bool is_map =
        field->kind == field_kind::text_map || field->kind == field_kind::boolean_map;
    if (is_map != (slash != std::string_view::npos) || (is_map && slash + 1 >= rest.size()) ||
        (!is_map && op != "replace"))
      return invalid_patch_path(path);
    if (op == "remove") {
      if (auto* map = target.if_contains(member); map && map->is_object()) {
        map->get_object().erase(unescape(rest.substr(slash + 1)));
        if (map->get_object().empty()) target.erase(member);
      }
      continue;
    }
    auto v = typed(field->kind, value);
    if (!v) return bad_request("Invalid value for " + path + ": " + value);
    if (is_map) {
      auto& map = target[member];
      if (!map.is_object()) map = json::object{};
      map.get_object()[unescape(rest.substr(slash + 1))] = *v;
    } else {
      target[member] = *v;
    }
  }
  return target;
}

namespace {

const std::set<std::string, std::less<>> http_methods = {"ANY",     "DELETE", "GET",  "HEAD",
                                                         "OPTIONS", "PATCH",  "POST", "PUT"};

api_error method_not_found() {
  return not_found("Invalid Method identifier specified");
}

api_error no_integration() {
  return not_found("No integration defined for method");
}

api_error response_not_found() {
  return not_found("Invalid Response status code specified");
}

// Copies the members present in `in` into `out`.
void copy_present(const json::object& in, json::object& out,
                  std::initializer_list<std::string_view> names) {
  for (auto name : names)
    if (auto* v = in.if_contains(name); v && !v->is_null()) out[name] = *v;
}

// A template map as AWS keeps it: an empty template is null.
json::object templates(const json::value& given) {
  json::object out;
  if (!given.is_object()) return out;
  for (const auto& [type, body] : given.get_object())
    out[type] = body.is_string() && body.get_string().empty() ? json::value(nullptr) : body;
  return out;
}

// The response for `code` in holder[member] (methodResponses,
// integrationResponses), or response_not_found().
result<json::object> response_in(const json::object& holder, std::string_view member,
                                 const std::string& code) {
  auto* responses = holder.if_contains(member);
  auto* response =
      responses && responses->is_object() ? responses->get_object().if_contains(code) : nullptr;
  if (!response || !response->is_object()) return response_not_found();
  return response->get_object();
}

// Removes the response for `code` from holder[member], and the member
// when it is left empty; false when there was none.
bool erase_response(json::object& holder, std::string_view member, const std::string& code) {
  auto* responses = holder.if_contains(member);
  if (!responses || !responses->is_object() || responses->get_object().erase(code) == 0)
    return false;
  if (responses->get_object().empty()) holder.erase(member);
  return true;
}

// Finds the API's resource and its method (by the input's ids) and lets
// `change` edit the method; commits and answers what `change` answered.
using method_change = std::function<result<json::object>(resource&, json::object* method)>;

result<json::object> with_method(api_store& apis, request_context& ctx, const json::object& in,
                                 bool write, const method_change& change) {
  result<json::object> answer = json::object{};
  auto visit = [&](rest_api& api) -> std::optional<api_error> {
    auto r = api.resources.find(text(in, "resourceId"));
    if (r == api.resources.end()) return not_found("Invalid Resource identifier specified");
    auto* method = r->second.methods.if_contains(text(in, "httpMethod"));
    answer = change(r->second, method ? &method->as_object() : nullptr);
    if (!answer) return answer.error();
    return std::nullopt;
  };
  if (!write) {
    auto api = apis.find(ctx.account_id, ctx.region, text(in, "restApiId"));
    if (!api) return api.error();
    if (auto e = visit(*api)) return *e;
    return answer;
  }
  auto updated = apis.update(ctx.account_id, ctx.region, text(in, "restApiId"), visit);
  if (!updated) return updated.error();
  return answer;
}

result<json::object> put_method(api_store& apis, request_context& ctx, json::object& in) {
  const std::string verb = text(in, "httpMethod");
  if (!http_methods.contains(verb))
    return bad_request(
        "Invalid HttpMethod specified. Valid options are ANY,DELETE,GET,HEAD,OPTIONS,PATCH,POST,"
        "PUT");
  return with_method(
      apis, ctx, in, true, [&](resource& r, json::object* existing) -> result<json::object> {
        if (existing) return conflict("Method already exists for this resource");
        json::object method{{"httpMethod", verb},
                            {"authorizationType", text(in, "authorizationType")},
                            {"apiKeyRequired", false}};
        copy_present(in, method,
                     {"authorizerId", "apiKeyRequired", "requestValidatorId", "operationName",
                      "requestParameters", "requestModels", "authorizationScopes"});
        r.methods[verb] = method;
        return method;
      });
}

result<json::object> get_method(api_store& apis, request_context& ctx, json::object& in) {
  return with_method(apis, ctx, in, false,
                     [](resource&, json::object* method) -> result<json::object> {
                       if (!method) return method_not_found();
                       return *method;
                     });
}

result<json::object> delete_method(api_store& apis, request_context& ctx, json::object& in) {
  return with_method(apis, ctx, in, true,
                     [&](resource& r, json::object* method) -> result<json::object> {
                       if (!method) return method_not_found();
                       r.methods.erase(text(in, "httpMethod"));
                       return json::object{};
                     });
}

result<json::object> put_method_response(api_store& apis, request_context& ctx, json::object& in) {
  const std::string code = text(in, "statusCode");
  return with_method(apis, ctx, in, true,
                     [&](resource&, json::object* method) -> result<json::object> {
                       if (!method) return method_not_found();
                       auto& responses = (*method)["methodResponses"];
                       if (!responses.is_object()) responses = json::object{};
                       if (responses.get_object().contains(code))
                         return conflict("Response already exists for this resource");
                       json::object response{{"statusCode", code}};
                       copy_present(in, response, {"responseParameters", "responseModels"});
                       responses.get_object()[code] = response;
                       return response;
                     });
}

result<json::object> get_method_response(api_store& apis, request_context& ctx, json::object& in) {
  return with_method(apis, ctx, in, false,
                     [&](resource&, json::object* method) -> result<json::object> {
                       if (!method) return method_not_found();
                       return response_in(*method, "methodResponses", text(in, "statusCode"));
                     });
}

result<json::object> delete_method_response(api_store& apis, request_context& ctx,
                                            json::object& in) {
  return with_method(apis, ctx, in, true,
                     [&](resource&, json::object* method) -> result<json::object> {
                       if (!method) return method_not_found();
                       if (!erase_response(*method, "methodResponses", text(in, "statusCode")))
                         return response_not_found();
                       return json::object{};
                     });
}

result<json::object> put_integration(api_store& apis, request_context& ctx, json::object& in) {
  const std::string type = text(in, "type");
  if (type != "MOCK" && text(in, "integrationHttpMethod").empty())
    return bad_request("Enumeration value for HttpMethod must be non-empty");
  return with_method(
      apis, ctx, in, true, [&](resource& r, json::object* method) -> result<json::object> {
        if (!method) return method_not_found();
        json::object integration{{"type", type}};
        if (auto verb = text(in, "integrationHttpMethod"); !verb.empty())
          integration["httpMethod"] = verb;
        copy_present(in, integration,
                     {"uri", "connectionType", "connectionId", "credentials", "requestParameters",
                      "contentHandling", "tlsConfig"});
        if (auto* t = in.if_contains("requestTemplates"))
          integration["requestTemplates"] = templates(*t);
        integration["passthroughBehavior"] =
            in.contains("passthroughBehavior") ? in.at("passthroughBehavior") : "WHEN_NO_MATCH";
        integration["timeoutInMillis"] =
            in.contains("timeoutInMillis") ? in.at("timeoutInMillis") : 29000;
        integration["cacheNamespace"] =
            in.contains("cacheNamespace") ? in.at("cacheNamespace") : json::value(r.id);
        integration["cacheKeyParameters"] = in.contains("cacheKeyParameters")
                                                ? in.at("cacheKeyParameters")
                                                : json::value(json::array{});
        // Integration responses outlive a replaced integration.
        if (auto* old = method->if_contains("methodIntegration"); old && old->is_object())
          if (auto* responses = old->get_object().if_contains("integrationResponses"))
            integration["integrationResponses"] = *responses;
        (*method)["methodIntegration"] = integration;
        return integration;
      });
}

result<json::object> get_integration(api_store& apis, request_context& ctx, json::object& in) {
  return with_method(apis, ctx, in, false,
                     [](resource&, json::object* method) -> result<json::object> {
                       if (!method) return method_not_found();
                       auto* integration = method->if_contains("methodIntegration");
                       if (!integration) return no_integration();
                       return integration->as_object();
                     });
}

result<json::object> delete_integration(api_store& apis, request_context& ctx, json::object& in) {
  return with_method(apis, ctx, in, true,
                     [](resource&, json::object* method) -> result<json::object> {
                       if (!method) return method_not_found();
                       if (method->erase("methodIntegration") == 0) return no_integration();
                       return json::object{};
                     });
}

// The method's integration, or the error GetIntegration would answer.
result<json::object*> integration_of(json::object* method) {
  if (!method) return method_not_found();
  auto* integration = method->if_contains("methodIntegration");
  if (!integration || !integration->is_object()) return no_integration();
  return &integration->get_object();
}

result<json::object> put_integration_response(api_store& apis, request_context& ctx,
                                              json::object& in) {
  const std::string code = text(in, "statusCode");
  return with_method(
      apis, ctx, in, true, [&](resource&, json::object* method) -> result<json::object> {
        auto integration = integration_of(method);
        if (!integration) return integration.error();
        json::object response{{"statusCode", code}};
        copy_present(in, response, {"selectionPattern", "responseParameters", "contentHandling"});
        if (auto* t = in.if_contains("responseTemplates"))
          response["responseTemplates"] = templates(*t);
        auto& responses = (**integration)["integrationResponses"];
        if (!responses.is_object()) responses = json::object{};
        responses.get_object()[code] = response;
        return response;
      });
}

result<json::object> get_integration_response(api_store& apis, request_context& ctx,
                                              json::object& in) {
  return with_method(
      apis, ctx, in, false, [&](resource&, json::object* method) -> result<json::object> {
        auto integration = integration_of(method);
        if (!integration) return integration.error();
        return response_in(**integration, "integrationResponses", text(in, "statusCode"));
      });
}

result<json::object> delete_integration_response(api_store& apis, request_context& ctx,
                                                 json::object& in) {
  return with_method(
      apis, ctx, in, true, [&](resource&, json::object* method) -> result<json::object> {
        auto integration = integration_of(method);
        if (!integration) return integration.error();
        if (!erase_response(**integration, "integrationResponses", text(in, "statusCode")))
          return response_not_found();
        return json::object{};
      });
}

result<json::object> update_method(api_store& apis, request_context& ctx, json::object& in) {
  return with_method(apis, ctx, in, true,
                     [&](resource&, json::object* method) -> result<json::object> {
                       if (!method) return method_not_found();
                       auto next = patched(*method, in,
                                           {{"authorizationType", field_kind::text},
                                            {"authorizerId", field_kind::text},
                                            {"apiKeyRequired", field_kind::boolean},
                                            {"requestValidatorId", field_kind::text},
                                            {"operationName", field_kind::text},
                                            {"requestParameters", field_kind::boolean_map},
                                            {"requestModels", field_kind::text_map}});
                       if (!next) return next.error();
                       *method = *next;
                       return *next;
                     });
}

result<json::object> update_method_response(api_store& apis, request_context& ctx,
                                            json::object& in) {
  return with_method(
      apis, ctx, in, true, [&](resource&, json::object* method) -> result<json::object> {
        if (!method) return method_not_found();
        auto current = response_in(*method, "methodResponses", text(in, "statusCode"));
        if (!current) return current.error();
        auto next = patched(*current, in,
                            {{"responseParameters", field_kind::boolean_map},
                             {"responseModels", field_kind::text_map}});
        if (!next) return next.error();
        (*method)["methodResponses"].as_object()[text(in, "statusCode")] = *next;
        return *next;
      });
}

result<json::object> update_integration(api_store& apis, request_context& ctx, json::object& in) {
  return with_method(apis, ctx, in, true,
                     [&](resource&, json::object* method) -> result<json::object> {
                       auto integration = integration_of(method);
                       if (!integration) return integration.error();
                       auto next = patched(**integration, in,
                                           {{"httpMethod", field_kind::text},
                                            {"uri", field_kind::text},
                                            {"credentials", field_kind::text},
                                            {"connectionType", field_kind::text},
                                            {"connectionId", field_kind::text},
                                            {"passthroughBehavior", field_kind::text},
                                            {"contentHandling", field_kind::text},
                                            {"timeoutInMillis", field_kind::integer},
                                            {"cacheNamespace", field_kind::text},
                                            {"requestParameters", field_kind::text_map},
                                            {"requestTemplates", field_kind::text_map}});
                       if (!next) return next.error();
                       **integration = *next;
                       return *next;
                     });
}

result<json::object> update_integration_response(api_store& apis, request_context& ctx,
                                                 json::object& in) {
  return with_method(
      apis, ctx, in, true, [&](resource&, json::object* method) -> result<json::object> {
        auto integration = integration_of(method);
        if (!integration) return integration.error();
        auto current = response_in(**integration, "integrationResponses", text(in, "statusCode"));
        if (!current) return current.error();
        auto next = patched(*current, in,
                            {{"selectionPattern", field_kind::text},
                             {"contentHandling", field_kind::text},
                             {"responseParameters", field_kind::text_map},
                             {"responseTemplates", field_kind::text_map}});
        if (!next) return next.error();
        (**integration)["integrationResponses"].as_object()[text(in, "statusCode")] = *next;
        return *next;
      });
}

}  // namespace

void add_method_operations(handler_table& table, api_store& apis) {
  table["PutMethod"] = bind_op(apis, put_method);
  table["GetMethod"] = bind_op(apis, get_method);
  table["DeleteMethod"] = bind_op(apis, delete_method);
  table["PutMethodResponse"] = bind_op(apis, put_method_response);
  table["GetMethodResponse"] = bind_op(apis, get_method_response);
  table["DeleteMethodResponse"] = bind_op(apis, delete_method_response);
  table["PutIntegration"] = bind_op(apis, put_integration);
  table["GetIntegration"] = bind_op(apis, get_integration);
  table["DeleteIntegration"] = bind_op(apis, delete_integration);
  table["PutIntegrationResponse"] = bind_op(apis, put_integration_response);
  table["GetIntegrationResponse"] = bind_op(apis, get_integration_response);
  table["DeleteIntegrationResponse"] = bind_op(apis, delete_integration_response);
  table["UpdateMethod"] = bind_op(apis, update_method);
  table["UpdateMethodResponse"] = bind_op(apis, update_method_response);
  table["UpdateIntegration"] = bind_op(apis, update_integration);
  table["UpdateIntegrationResponse"] = bind_op(apis, update_integration_response);
}

}  // namespace stratus::apigateway
