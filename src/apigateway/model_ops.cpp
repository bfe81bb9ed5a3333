// Models (JSON Schema documents that methods name for request and response
// bodies; every API starts with AWS's `Empty` and `Error`) and request
// validators.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "apigateway/ops.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

api_error model_not_found(const std::string& name) {
  return not_found("Invalid model name specified: " + name);
}

api_error validator_not_found() {
  return not_found("Invalid Request Validator identifier specified");
}

result<json::object> create_model(api_store& apis, request_context& ctx, json::object& in) {
  const std::string name = text(in, "name");
  if (name.empty() ||
      !std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) != 0; }))
    return bad_request("Model name must be alphanumeric: " + name);
  json::object made;
  auto updated = apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                             [&](rest_api& api) -> std::optional<api_error> {
                               if (api.models.contains(name))
                                 return conflict("Model name already exists for this REST API");
                               made = json::object{{"id", new_id(6)},
                                                   {"name", name},
                                                   {"contentType", text(in, "contentType")}};
                               for (const char* copied : {"description", "schema"})
                                 if (auto v = text(in, copied); !v.empty()) made[copied] = v;
                               api.models[name] = made;
                               return std::nullopt;
                             });
  if (!updated) return updated.error();
  return made;
}

result<json::object> get_model(api_store& apis, request_context& ctx, json::object& in) {
  auto api = apis.find(ctx.account_id, ctx.region, text(in, "restApiId"));
  if (!api) return api.error();
  const std::string name = text(in, "modelName");
  auto* model = api->models.if_contains(name);
  if (!model) return model_not_found(name);
  return model->as_object();
}

result<json::object> get_models(api_store& apis, request_context& ctx, json::object& in) {
  auto api = apis.find(ctx.account_id, ctx.region, text(in, "restApiId"));
  if (!api) return api.error();
  std::map<std::string, json::object> by_name;
  for (const auto& [name, model] : api->models)
    by_name.emplace(std::string(name), model.as_object());
  return page_of(by_name, in);
}

result<json::object> delete_model(api_store& apis, request_context& ctx, json::object& in) {
  const std::string name = text(in, "modelName");
  auto updated = apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                             [&](rest_api& api) -> std::optional<api_error> {
                               if (api.models.erase(name) == 0) return model_not_found(name);
                               return std::nullopt;
                             });
  if (!updated) return updated.error();
  return json::object{};
}

result<json::object> create_request_validator(api_store& apis, request_context& ctx,
                                              json::object& in) {
  json::object made;
  auto updated =
      apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                  [&](rest_api& api) -> std::optional<api_error> {
                    std::string id = new_id(6);
                    while (api.validators.contains(id)) id = new_id(6);
                    made = json::object{{"id", id}};
                    if (auto name = text(in, "name"); !name.empty()) made["name"] = name;
                    for (const char* flag : {"validateRequestBody", "validateRequestParameters"}) {
                      auto* v = in.if_contains(flag);
                      made[flag] = v && v->is_bool() ? v->get_bool() : false;
                    }
                    api.validators[id] = made;
                    return std::nullopt;
                  });
  if (!updated) return updated.error();
  return made;
}

result<json::object> get_request_validator(api_store& apis, request_context& ctx,
                                           json::object& in) {
  auto api = apis.find(ctx.account_id, ctx.region, text(in, "restApiId"));
  if (!api) return api.error();
  auto* validator = api->validators.if_contains(text(in, "requestValidatorId"));
  if (!validator) return validator_not_found();
  return validator->as_object();
}

result<json::object> get_request_validators(api_store& apis, request_context& ctx,
                                            json::object& in) {
  auto api = apis.find(ctx.account_id, ctx.region, text(in, "restApiId"));
  if (!api) return api.error();
  std::map<std::string, json::object> by_id;
  for (const auto& [id, validator] : api->validators)
    by_id.emplace(std::string(id), validator.as_object());
  return page_of(by_id, in);
}

result<json::object> delete_request_validator(api_store& apis, request_context& ctx,
                                              json::object& in) {
  const std::string id = text(in, "requestValidatorId");
  auto updated = apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                             [&](rest_api& api) -> std::optional<api_error> {
                               if (api.validators.erase(id) == 0) return validator_not_found();
                               return std::nullopt;
                             });
  if (!updated) return updated.error();
  return json::object{};
}

// Patches one member of the API's `models` or `validators` by key.
result<json::object> patch_entry(api_store& apis, request_context& ctx, const json::object& in,
                                 json::object rest_api::*collection, const std::string& key,
                                 const api_error& missing,
                                 std::initializer_list<patchable> fields) {
  json::object answer;
  auto updated = apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                             [&](rest_api& api) -> std::optional<api_error> {
                               auto* entry = (api.*collection).if_contains(key);
                               if (!entry) return missing;
                               auto next = patched(entry->as_object(), in, fields);
                               if (!next) return next.error();
                               *entry = *next;
                               answer = std::move(*next);
                               return std::nullopt;
                             });
  if (!updated) return updated.error();
  return answer;
}

result<json::object> update_model(api_store& apis, request_context& ctx, json::object& in) {
  const std::string name = text(in, "modelName");
  return patch_entry(apis, ctx, in, &rest_api::models, name, model_not_found(name),
                     {{"schema", field_kind::text}, {"description", field_kind::text}});
}

result<json::object> update_request_validator(api_store& apis, request_context& ctx,
                                              json::object& in) {
  return patch_entry(apis, ctx, in, &rest_api::validators, text(in, "requestValidatorId"),
                     validator_not_found(),
                     {{"name", field_kind::text},
                      {"validateRequestBody", field_kind::boolean},
                      {"validateRequestParameters", field_kind::boolean}});
}

}  // namespace

json::object default_models() {
  return json::object{
      {"Empty", json::object{{"id", new_id(6)},
                             {"name", "Empty"},
                             {"description", "This is a default empty schema model"},
                             {"schema",
                              "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n"
                              "  \"title\" : \"Empty Schema\",\n  \"type\" : \"object\"\n}"},
                             {"contentType", "application/json"}}},
      {"Error", json::object{{"id", new_id(6)},
                             {"name", "Error"},
                             {"description", "This is a default error schema model"},
                             {"schema",
                              "{\n  \"$schema\" : \"http://json-schema.org/draft-04/schema#\",\n"
                              "  \"title\" : \"Error Schema\",\n  \"type\" : \"object\",\n"
                              "  \"properties\" : {\n    \"message\" : { \"type\" : \"string\" "
                              "}\n  }\n}"},
                             {"contentType", "application/json"}}}};
}

void add_model_operations(handler_table& table, api_store& apis) {
  table["CreateModel"] = bind_op(apis, create_model);
  table["GetModel"] = bind_op(apis, get_model);
  table["GetModels"] = bind_op(apis, get_models);
  table["DeleteModel"] = bind_op(apis, delete_model);
  table["CreateRequestValidator"] = bind_op(apis, create_request_validator);
  table["GetRequestValidator"] = bind_op(apis, get_request_validator);
  table["GetRequestValidators"] = bind_op(apis, get_request_validators);
  table["DeleteRequestValidator"] = bind_op(apis, delete_request_validator);
  table["UpdateModel"] = bind_op(apis, update_model);
  table["UpdateRequestValidator"] = bind_op(apis, update_request_validator);
}

}  // namespace stratus::apigateway
