// Deployments and stages: a deployment is an immutable copy of the API's
// resource tree, models and validators as they were when made (later changes are invisible until
// the next deployment, as on AWS); a stage names the deployment it serves.
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "apigateway/ops.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

std::int64_t epoch_seconds(const request_context& ctx) {
  return std::chrono::duration_cast<std::chrono::seconds>(ctx.now.time_since_epoch()).count();
}

api_error deployment_not_found() {
  return not_found("Invalid Deployment identifier specified");
}

api_error stage_not_found() {
  return not_found("Invalid Stage identifier specified");
}

bool has_methods(const rest_api& api) {
  for (const auto& [id, r] : api.resources)
    if (!r.methods.empty()) return true;
  return false;
}

// A new stage of `deployment`, as CreateStage and CreateDeployment make it.
json::object new_stage(const request_context& ctx, const std::string& name,
                       const std::string& deployment, const json::object& in,
                       std::string_view description_member) {
  json::object stage{{"deploymentId", deployment},        {"stageName", name},
                     {"cacheClusterEnabled", false},      {"cacheClusterStatus", "NOT_AVAILABLE"},
                     {"methodSettings", json::object{}},  {"tracingEnabled", false},
                     {"createdDate", epoch_seconds(ctx)}, {"lastUpdatedDate", epoch_seconds(ctx)}};
  if (auto d = text(in, description_member); !d.empty()) stage["description"] = d;
  for (const char* copied : {"variables", "tracingEnabled", "tags"})
    if (auto* v = in.if_contains(copied); v && !v->is_null()) stage[copied] = *v;
  return stage;
}

result<json::object> create_deployment(api_store& apis, request_context& ctx, json::object& in) {
  json::object made;
  auto updated =
      apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                  [&](rest_api& api) -> std::optional<api_error> {
                    if (!has_methods(api))
                      return bad_request("The REST API doesn't contain any methods");
                    std::string id = new_id(6);
                    while (api.deployments.contains(id)) id = new_id(6);
                    made = json::object{{"id", id}, {"createdDate", epoch_seconds(ctx)}};
                    if (auto d = text(in, "description"); !d.empty()) made["description"] = d;
                    api.deployments[id] = json::object{{"deployment", made},
                                                       {"resources", resources_json(api)},
                                                       {"models", api.models},
                                                       {"validators", api.validators},
                                                       {"settings", api.settings}};
                    if (auto name = text(in, "stageName"); !name.empty()) {
                      if (auto* existing = api.stages.if_contains(name)) {
                        auto& stage = existing->as_object();
                        stage["deploymentId"] = id;
                        stage["lastUpdatedDate"] = epoch_seconds(ctx);
                        if (auto* v = in.if_contains("variables"); v && !v->is_null())
                          stage["variables"] = *v;
                      } else {
                        api.stages[name] = new_stage(ctx, name, id, in, "stageDescription");
                      }
                    }
                    return std::nullopt;
                  });
  if (!updated) return updated.error();
  return made;
}

result<json::object> get_deployment(api_store& apis, request_context& ctx, json::object& in) {
  auto api = apis.find(ctx.account_id, ctx.region, text(in, "restApiId"));
  if (!api) return api.error();
  auto* d = api->deployments.if_contains(text(in, "deploymentId"));
  if (!d) return deployment_not_found();
  return d->at("deployment").as_object();
}

result<json::object> get_deployments(api_store& apis, request_context& ctx, json::object& in) {
  auto api = apis.find(ctx.account_id, ctx.region, text(in, "restApiId"));
  if (!api) return api.error();
  std::map<std::string, json::object> by_id;
  for (const auto& [id, d] : api->deployments)
    by_id.emplace(std::string(id), d.at("deployment").as_object());
  return page_of(by_id, in);
}

result<json::object> update_deployment(api_store& apis, request_context& ctx, json::object& in) {
  const std::string id = text(in, "deploymentId");
  json::object answer;
  auto updated = apis.update(
      ctx.account_id, ctx.region, text(in, "restApiId"),
      [&](rest_api& api) -> std::optional<api_error> {
        auto* d = api.deployments.if_contains(id);
        if (!d) return deployment_not_found();
        auto& deployment = d->as_object()["deployment"];
        auto next = patched(deployment.as_object(), in, {{"description", field_kind::text}});
        if (!next) return next.error();
        deployment = *next;
        answer = std::move(*next);
        return std::nullopt;
      });
  if (!updated) return updated.error();
  return answer;
}

result<json::object> delete_deployment(api_store& apis, request_context& ctx, json::object& in) {
  const std::string id = text(in, "deploymentId");
  auto updated = apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                             [&](rest_api& api) -> std::optional<api_error> {
                               if (!api.deployments.contains(id)) return deployment_not_found();
                               for (const auto& [name, stage] : api.stages)
                                 if (stage.at("deploymentId").as_string() == id)
                                   return bad_request(
                                       "Active stages pointing to this deployment must be moved "
                                       "or deleted");
                               api.deployments.erase(id);
                               return std::nullopt;
                             });
  if (!updated) return updated.error();
  return json::object{};
}

result<json::object> create_stage(api_store& apis, request_context& ctx, json::object& in) {
  const std::string name = text(in, "stageName");
  const std::string deployment = text(in, "deploymentId");
  json::object made;
  auto updated = apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                             [&](rest_api& api) -> std::optional<api_error> {
                               if (!api.deployments.contains(deployment))
                                 return deployment_not_found();
                               if (api.stages.contains(name))
                                 return conflict("Stage already exists");
                               made = new_stage(ctx, name, deployment, in, "description");
                               api.stages[name] = made;
                               return std::nullopt;
                             });
  if (!updated) return updated.error();
  return made;
}

result<json::object> get_stage(api_store& apis, request_context& ctx, json::object& in) {
  auto api = apis.find(ctx.account_id, ctx.region, text(in, "restApiId"));
  if (!api) return api.error();
  auto* stage = api->stages.if_contains(text(in, "stageName"));
  if (!stage) return stage_not_found();
  return stage->as_object();
}

result<json::object> get_stages(api_store& apis, request_context& ctx, json::object& in) {
  auto api = apis.find(ctx.account_id, ctx.region, text(in, "restApiId"));
  if (!api) return api.error();
  const std::string deployment = text(in, "deploymentId");
  json::array items;
  for (const auto& [name, stage] : api->stages)
    if (deployment.empty() || stage.at("deploymentId").as_string() == deployment)
      items.push_back(stage);
  return json::object{{"item", std::move(items)}};
}

result<json::object> delete_stage(api_store& apis, request_context& ctx, json::object& in) {
  const std::string name = text(in, "stageName");
  auto updated = apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                             [&](rest_api& api) -> std::optional<api_error> {
                               if (api.stages.erase(name) == 0) return stage_not_found();
                               return std::nullopt;
                             });
  if (!updated) return updated.error();
  return json::object{};
}

// Applies one patch operation to a stage; its error, if any.
// A method setting as AWS fills one in when a patch first names its method.
json::object default_method_setting() {
  return json::object{{"metricsEnabled", false},
                      {"loggingLevel", "OFF"},
                      {"dataTraceEnabled", false},
                      {"throttlingBurstLimit", 5000},
                      {"throttlingRateLimit", 10000.0},
                      {"cachingEnabled", false},
                      {"cacheTtlInSeconds", 300},
                      {"cacheDataEncrypted", false},
                      {"requireAuthorizationForCacheControl", true},
                      {"unauthorizedCacheControlHeaderStrategy", "SUCCEED_WITH_RESPONSE_HEADER"}};
}

// "/{resource}/{method}/{group}/{setting}": "/*/*/logging/loglevel",
// "/~1pets/GET/throttling/rateLimit", ...
std::optional<api_error> patch_method_setting(json::object& stage, const std::string& path,
                                              const std::string& value) {
  const auto third = path.find('/', path.find('/', 1) + 1);
  const std::string key = path.substr(1, third - 1);
  const std::string setting = path.substr(third + 1);
  struct known {
    std::string_view path;
    std::string_view member;
    char kind;  // b: boolean, i: integer, d: double, t: text
  };
  static constexpr known settings[] = {
      {"metrics/enabled", "metricsEnabled", 'b'},
      {"logging/loglevel", "loggingLevel", 't'},
      {"logging/dataTrace", "dataTraceEnabled", 'b'},
      {"throttling/burstLimit", "throttlingBurstLimit", 'i'},
      {"throttling/rateLimit", "throttlingRateLimit", 'd'},
      {"caching/enabled", "cachingEnabled", 'b'},
      {"caching/ttlInSeconds", "cacheTtlInSeconds", 'i'},
      {"caching/dataEncrypted", "cacheDataEncrypted", 'b'},
      {"caching/requireAuthorizationForCacheControl", "requireAuthorizationForCacheControl", 'b'},
      {"caching/unauthorizedCacheControlHeaderStrategy", "unauthorizedCacheControlHeaderStrategy",
       't'},
  };
  const known* found = nullptr;
  for (const auto& k : settings)
    if (k.path == setting) found = &k;
  if (!found) return invalid_patch_path(path);
  json::value typed;
  char* end = nullptr;
  switch (found->kind) {
    case 'b':
      if (value != "true" && value != "false")
        return bad_request("Invalid boolean value for " + path + ": " + value);
      typed = value == "true";
      break;
    case 'i': {
      long n = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end) return bad_request("Invalid value for " + path + ": " + value);
      typed = n;
      break;
    }
    case 'd': {
      double d = std::strtod(value.c_str(), &end);
      if (value.empty() || *end) return bad_request("Invalid value for " + path + ": " + value);
      typed = d;
      break;
    }
    default:
      if (found->member == "loggingLevel" && value != "OFF" && value != "ERROR" && value != "INFO")
        return bad_request("Invalid logging level " + value +
                           ". Valid values are OFF, ERROR, INFO");
      typed = value;
  }
  auto& all = stage["methodSettings"];
  if (!all.is_object()) all = json::object{};
  auto& entry = all.get_object()[key];
  if (!entry.is_object()) entry = default_method_setting();
  entry.get_object()[found->member] = std::move(typed);
  return std::nullopt;
}

std::optional<api_error> patch_stage(const rest_api& api, json::object& stage,
                                     const json::object& patch) {
  const std::string op = text(patch, "op");
  const std::string path = text(patch, "path");
  const std::string value = text(patch, "value");
  if (auto e = check_patch_op(op)) return e;
  if (path.starts_with("/variables/") && path.size() > 11) {
    const std::string name = unescape(std::string_view(path).substr(11));
    auto& variables = stage["variables"];
    if (!variables.is_object()) variables = json::object{};
    if (op == "remove")
      variables.get_object().erase(name);
    else
      variables.get_object()[name] = value;
    if (variables.get_object().empty()) stage.erase("variables");
    return std::nullopt;
  }
  if (op == "remove" && path == "/accessLogSettings") {
    stage.erase("accessLogSettings");
    return std::nullopt;
  }
  if (op == "remove" && std::count(path.begin(), path.end(), '/') == 2) {
    // "/{resource}/{method}": that method's settings.
    if (auto* settings = stage.if_contains("methodSettings"); settings && settings->is_object())
      settings->get_object().erase(path.substr(1));
    return std::nullopt;
  }
  if (op != "replace") return invalid_patch_path(path);
  if (path == "/description") {
    stage["description"] = value;
  } else if (path == "/deploymentId") {
    if (!api.deployments.contains(value)) return deployment_not_found();
    stage["deploymentId"] = value;
  } else if (path == "/tracingEnabled") {
    if (value != "true" && value != "false") return bad_request("Invalid boolean value: " + value);
    stage["tracingEnabled"] = value == "true";
  } else if (path == "/accessLogSettings/destinationArn" || path == "/accessLogSettings/format") {
    auto& settings = stage["accessLogSettings"];
    if (!settings.is_object()) settings = json::object{};
    settings.get_object()[path.substr(std::string_view("/accessLogSettings/").size())] = value;
  } else if (std::count(path.begin(), path.end(), '/') == 4) {
    return patch_method_setting(stage, path, value);
  } else if (path == "/cacheClusterEnabled" || path == "/cacheClusterSize" ||
             path == "/clientCertificateId" || path.starts_with("/canarySettings")) {
    // The cache, client certificates and canaries: not applied, so not
    // accepted either.
    return api_error("NotImplementedException",
                     "Stratus does not apply the stage setting " + path + " yet", 501);
  } else {
    return invalid_patch_path(path);
  }
  return std::nullopt;
}

result<json::object> update_stage(api_store& apis, request_context& ctx, json::object& in) {
  const std::string name = text(in, "stageName");
  json::object updated_stage;
  auto updated =
      apis.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                  [&](rest_api& api) -> std::optional<api_error> {
                    auto* found = api.stages.if_contains(name);
                    if (!found) return stage_not_found();
                    json::object stage = found->as_object();  // all the operations or none
                    if (auto* ops = in.if_contains("patchOperations"); ops && ops->is_array())
                      for (const auto& patch : ops->get_array())
                        if (patch.is_object())
                          if (auto e = patch_stage(api, stage, patch.get_object())) return e;
                    stage["lastUpdatedDate"] = epoch_seconds(ctx);
                    api.stages[name] = stage;
                    updated_stage = std::move(stage);
                    return std::nullopt;
                  });
  if (!updated) return updated.error();
  return updated_stage;
}

}  // namespace

void add_deployment_operations(handler_table& table, api_store& apis) {
  table["CreateDeployment"] = bind_op(apis, create_deployment);
  table["GetDeployment"] = bind_op(apis, get_deployment);
  table["GetDeployments"] = bind_op(apis, get_deployments);
  table["DeleteDeployment"] = bind_op(apis, delete_deployment);
  table["UpdateDeployment"] = bind_op(apis, update_deployment);
  table["CreateStage"] = bind_op(apis, create_stage);
  table["GetStage"] = bind_op(apis, get_stage);
  table["GetStages"] = bind_op(apis, get_stages);
  table["DeleteStage"] = bind_op(apis, delete_stage);
  table["UpdateStage"] = bind_op(apis, update_stage);
}

}  // namespace stratus::apigateway
