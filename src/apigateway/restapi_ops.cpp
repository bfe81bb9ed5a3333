// RestApis and Resources: what `aws apigateway create-rest-api`,
// `get-resources` and `create-resource` drive, with AWS's defaults,
// identifiers, conflicts and errors.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <functional>
#include <map>
#include <set>

#include "apigateway/ops.hpp"
#include "apigateway/service.hpp"
#include "common/base64.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

// Whether `embed` asks for the resources' methods.
bool embeds_methods(const json::object& in) {
  if (auto* e = in.if_contains("embed"); e && e->is_array())
    for (const auto& v : e->get_array())
      if (v.is_string() && v.get_string() == "methods") return true;
  return false;
}

api_error resource_not_found() {
  return not_found("Invalid Resource identifier specified");
}

bool is_variable(std::string_view part) {
  return part.size() >= 2 && part.front() == '{' && part.back() == '}';
}

bool is_greedy(std::string_view part) {
  return is_variable(part) && part.size() >= 3 && part[part.size() - 2] == '+';
}

// Letters, digits, `._-`, with curly braces around the whole part and an
// optional `+` before the closing one.
bool valid_path_part(std::string_view part) {
  if (part.empty()) return false;
  std::string_view core = part;
  if (part.front() == '{' || part.back() == '}') {
    if (!is_variable(part)) return false;
    core = part.substr(1, part.size() - 2);
    if (!core.empty() && core.back() == '+') core.remove_suffix(1);
    if (core.empty()) return false;
  }
  for (char c : core)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      return false;
  return true;
}

// Whether a resource `part` may be made under `parent_id`: AWS's checks
// and errors.
std::optional<api_error> check_new_resource(const rest_api& api, const std::string& parent_id,
                                            const std::string& part) {
  const auto parent = api.resources.find(parent_id);
  if (parent == api.resources.end()) return resource_not_found();
  if (!valid_path_part(part))
    return bad_request(
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning "
        "and the end and an optional plus sign before the closing brace.");
  if (is_greedy(parent->second.path_part))
    return bad_request("Cannot create a child of a resource with a greedy path variable: " +
                       parent->second.path_part);
  for (const auto& [id, sibling] : api.resources) {
    if (sibling.parent_id != parent_id) continue;
    if (sibling.path_part == part)
      return api_error("ConflictException",
                       "Another resource with the same parent already has this name: " + part, 409);
    if (is_variable(part) && is_variable(sibling.path_part))
      return bad_request("A sibling (" + sibling.path_part +
                         ") of this resource already has a variable path part -- only "
                         "one is allowed");
  }
  return std::nullopt;
}

// Recomputes every path from the parent links.
void repath(rest_api& api) {
  std::function<std::string(const std::string&)> path_of = [&](const std::string& id) {
    const resource& r = api.resources.at(id);
    if (r.parent_id.empty()) return std::string("/");
    const std::string up = path_of(r.parent_id);
    return (up == "/" ? std::string() : up) + "/" + r.path_part;
  };
  for (auto& [id, r] : api.resources) r.path = path_of(id);
}

// Applies one patch operation to a RestApi's settings; its error, if any.
std::optional<api_error> patch_rest_api(json::object& s, const json::object& patch) {
  const std::string op = text(patch, "op");
  const std::string path = text(patch, "path");
  const std::string value = text(patch, "value");
  if (auto e = check_patch_op(op)) return e;
  if (path.starts_with("/binaryMediaTypes/") && op != "replace") {
    const std::string type = unescape(std::string_view(path).substr(18));
    auto& types = s["binaryMediaTypes"];
    if (!types.is_array()) types = json::array{};
    auto& list = types.get_array();
    auto found = std::find(list.begin(), list.end(), json::value(type));
    if (op == "add" && found == list.end()) list.push_back(json::string(type));
    if (op == "remove" && found != list.end()) list.erase(found);
    if (list.empty()) s.erase("binaryMediaTypes");
    return std::nullopt;
  }
  if (op != "replace") return invalid_patch_path(path);
  if (path == "/name" || path == "/description" || path == "/policy" || path == "/version") {
    s[path.substr(1)] = value;
  } else if (path == "/apiKeySource") {
    if (value != "HEADER" && value != "AUTHORIZER")
      return bad_request("Invalid API Key source specified. Must be one of: [HEADER, AUTHORIZER]");
    s["apiKeySource"] = value;
  } else if (path == "/minimumCompressionSize") {
    if (value.empty()) {
      s.erase("minimumCompressionSize");
    } else {
      std::int64_t n = -1;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 0 || n > 10485760)
        return bad_request("Invalid minimum compression size, must be between 0 and 10485760");
      s["minimumCompressionSize"] = n;
    }
  } else if (path == "/disableExecuteApiEndpoint") {
    if (value != "true" && value != "false") return bad_request("Invalid boolean value: " + value);
    s["disableExecuteApiEndpoint"] = value == "true";
  } else if (path == "/endpointConfiguration/types/0") {
    if (value != "EDGE" && value != "REGIONAL" && value != "PRIVATE")
      return bad_request(
          "Invalid endpoint type specified. Must be one of: [EDGE, REGIONAL, PRIVATE]");
    s["endpointConfiguration"] = json::object{{"types", json::array{json::string(value)}}};
  } else {
    return invalid_patch_path(path);
  }
  return std::nullopt;
}

class operations {
 public:
  explicit operations(api_store& apis) : apis_(apis) {}

  result<json::object> create_rest_api(request_context& ctx, json::object& in) {
    if (in.contains("cloneFrom"))
      return api_error("NotImplementedException",
                       "Stratus does not clone REST APIs yet (cloneFrom)", 501);
    rest_api api;
    api.account = ctx.account_id;
    api.region = ctx.region;
    json::object& s = api.settings;
    s["id"] = new_id();
    s["name"] = text(in, "name");
    for (const char* copied :
         {"description", "version", "binaryMediaTypes", "minimumCompressionSize", "policy", "tags"})
      if (auto* v = in.if_contains(copied); v && !v->is_null()) s[copied] = *v;
    s["createdDate"] =
        std::chrono::duration_cast<std::chrono::seconds>(ctx.now.time_since_epoch()).count();
    s["apiKeySource"] = in.contains("apiKeySource") ? in.at("apiKeySource") : "HEADER";
    s["endpointConfiguration"] = in.contains("endpointConfiguration")
                                     ? in.at("endpointConfiguration")
                                     : json::value(json::object{{"types", json::array{"EDGE"}}});
    s["disableExecuteApiEndpoint"] =
        in.contains("disableExecuteApiEndpoint") ? in.at("disableExecuteApiEndpoint") : false;
    api.models = default_models();
    api.root_id = new_id();
    api.resources.emplace(api.root_id, resource{api.root_id, "", "", "/", {}});
    if (auto created = apis_.create(api); !created) return created.error();
    return s;
  }

  result<json::object> get_rest_api(request_context& ctx, json::object& in) {
    auto api = apis_.find(ctx.account_id, ctx.region, text(in, "restApiId"));
    if (!api) return api.error();
    return api->settings;
  }

  result<json::object> get_rest_apis(request_context& ctx, json::object& in) {
    auto limit = page_size(in);
    if (!limit) return limit.error();
    std::string after;
    if (auto position = text(in, "position"); !position.empty()) {
      auto decoded = base64_decode(position);
      if (!decoded) return bad_request("Invalid position parameter");
      after = *decoded;
    }
    auto apis = apis_.list(ctx.account_id, ctx.region, after, *limit + 1);
    if (!apis) return apis.error();
    json::array items;
    json::object out;
    for (std::size_t i = 0; i < apis->size(); ++i) {
      if (i == *limit) {
        out["position"] = base64_encode(std::string((*apis)[i - 1].settings.at("id").as_string()));
        break;
      }
      items.push_back((*apis)[i].settings);
    }
    out["items"] = std::move(items);
    return out;
  }

  result<json::object> update_rest_api(request_context& ctx, json::object& in) {
    auto updated =
        apis_.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                     [&](rest_api& api) -> std::optional<api_error> {
                       json::object settings = api.settings;  // all the operations or none
                       if (auto* ops = in.if_contains("patchOperations"); ops && ops->is_array())
                         for (const auto& patch : ops->get_array())
                           if (patch.is_object())
                             if (auto e = patch_rest_api(settings, patch.get_object())) return e;
                       api.settings = std::move(settings);
                       return std::nullopt;
                     });
    if (!updated) return updated.error();
    return updated->settings;
  }

  result<json::object> update_resource(request_context& ctx, json::object& in) {
    const std::string target = text(in, "resourceId");
    resource answer;
    auto updated = apis_.update(
        ctx.account_id, ctx.region, text(in, "restApiId"),
        [&](rest_api& api) -> std::optional<api_error> {
          auto found = api.resources.find(target);
          if (found == api.resources.end()) return resource_not_found();
          std::string parent = found->second.parent_id, part = found->second.path_part;
          if (auto* ops = in.if_contains("patchOperations"); ops && ops->is_array())
            for (const auto& patch : ops->get_array()) {
              if (!patch.is_object()) continue;
              const auto& p = patch.get_object();
              if (auto e = check_patch_op(text(p, "op"))) return e;
              const std::string path = text(p, "path");
              if (text(p, "op") != "replace" || (path != "/pathPart" && path != "/parentId"))
                return invalid_patch_path(path);
              (path == "/pathPart" ? part : parent) = text(p, "value");
            }
          if (target == api.root_id) return bad_request("Cannot update the root resource");
          // Moved or renamed as if made again there: the same checks.
          rest_api without = api;
          without.resources.erase(target);
          if (auto e = check_new_resource(without, parent, part)) return e;
          for (auto cursor = parent; !cursor.empty(); cursor = api.resources.at(cursor).parent_id)
            if (cursor == target) return bad_request("Cannot move a resource under itself");
          found->second.parent_id = parent;
          found->second.path_part = part;
          repath(api);
          answer = api.resources.at(target);
          return std::nullopt;
        });
    if (!updated) return updated.error();
    return render(answer, false);
  }

  result<json::object> delete_rest_api(request_context& ctx, json::object& in) {
    if (auto removed = apis_.remove(ctx.account_id, ctx.region, text(in, "restApiId")); !removed)
      return removed.error();
    return json::object{};
  }

  result<json::object> get_resources(request_context& ctx, json::object& in) {
    auto limit = page_size(in);
    if (!limit) return limit.error();
    auto api = apis_.find(ctx.account_id, ctx.region, text(in, "restApiId"));
    if (!api) return api.error();
    // In path order; the position is the last path answered.
    std::map<std::string, const resource*> by_path;
    for (const auto& [id, r] : api->resources) by_path.emplace(r.path, &r);
    auto it = by_path.begin();
    if (auto position = text(in, "position"); !position.empty()) {
      auto decoded = base64_decode(position);
      if (!decoded) return bad_request("Invalid position parameter");
      it = by_path.upper_bound(*decoded);
    }
    const bool embed = embeds_methods(in);
    json::array items;
    json::object out;
    for (; it != by_path.end(); ++it) {
      if (items.size() == *limit) {
        out["position"] = base64_encode(std::prev(it)->first);
        break;
      }
      items.push_back(render(*it->second, embed));
    }
    out["items"] = std::move(items);
    return out;
  }

  result<json::object> get_resource(request_context& ctx, json::object& in) {
    auto api = apis_.find(ctx.account_id, ctx.region, text(in, "restApiId"));
    if (!api) return api.error();
    auto found = api->resources.find(text(in, "resourceId"));
    if (found == api->resources.end()) return resource_not_found();
    const bool embed = embeds_methods(in);
    return render(found->second, embed);
  }

  result<json::object> create_resource(request_context& ctx, json::object& in) {
    const std::string parent_id = text(in, "parentId");
    const std::string part = text(in, "pathPart");
    resource made;
    auto updated = apis_.update(
        ctx.account_id, ctx.region, text(in, "restApiId"),
        [&](rest_api& api) -> std::optional<api_error> {
          if (auto e = check_new_resource(api, parent_id, part)) return e;
          const auto parent = api.resources.find(parent_id);
          made.id = new_id();
          while (api.resources.contains(made.id)) made.id = new_id();
          made.methods = {};
          made.parent_id = parent_id;
          made.path_part = part;
          made.path =
              (parent->second.path == "/" ? std::string() : parent->second.path) + "/" + part;
          api.resources.emplace(made.id, made);
          return std::nullopt;
        });
    if (!updated) return updated.error();
    return render(made, false);
  }

  result<json::object> delete_resource(request_context& ctx, json::object& in) {
    const std::string target = text(in, "resourceId");
    auto updated = apis_.update(ctx.account_id, ctx.region, text(in, "restApiId"),
                                [&](rest_api& api) -> std::optional<api_error> {
                                  if (!api.resources.contains(target)) return resource_not_found();
                                  if (target == api.root_id)
                                    return bad_request("Cannot delete root resource");
                                  // The resource and everything under it.
                                  std::set<std::string> doomed{target};
                                  for (bool grew = true; grew;) {
                                    grew = false;
                                    for (const auto& [id, r] : api.resources)
                                      if (doomed.contains(r.parent_id) && doomed.insert(id).second)
                                        grew = true;
                                  }
                                  for (const auto& id : doomed) api.resources.erase(id);
                                  return std::nullopt;
                                });
    if (!updated) return updated.error();
    return json::object{};
  }

 private:
  api_store& apis_;
};

}  // namespace

result<std::size_t> page_size(const json::object& in) {
  constexpr std::int64_t default_page = 25;
  constexpr std::int64_t max_page = 500;
  auto* v = in.if_contains("limit");
  if (!v || !v->is_int64()) return static_cast<std::size_t>(default_page);
  const std::int64_t n = v->get_int64();
  if (n > max_page)
    return bad_request("1 validation error detected: Value '" + std::to_string(n) +
                       "' at 'limit' failed to satisfy constraint: Member must have value less "
                       "than or equal to " +
                       std::to_string(max_page));
  return static_cast<std::size_t>(std::max<std::int64_t>(n, 1));
}

result<json::object> page_of(const std::map<std::string, json::object>& items,
                             const json::object& in) {
  auto limit = page_size(in);
  if (!limit) return limit.error();
  auto it = items.begin();
  if (auto position = text(in, "position"); !position.empty()) it = items.upper_bound(position);
  json::array page;
  json::object out;
  for (; it != items.end(); ++it) {
    if (page.size() == *limit) {
      out["position"] = std::prev(it)->first;
      break;
    }
    page.push_back(it->second);
  }
  out["items"] = std::move(page);
  return out;
}

std::string unescape(std::string_view segment) {
  std::string out;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '~' && i + 1 < segment.size() &&
        (segment[i + 1] == '0' || segment[i + 1] == '1')) {
      out += segment[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += segment[i];
    }
  }
  return out;
}

std::optional<api_error> check_patch_op(std::string_view op) {
  if (op == "add" || op == "remove" || op == "replace") return std::nullopt;
  return bad_request("Invalid patch operation specified. Must be one of: [add, remove, replace]");
}

api_error invalid_patch_path(std::string_view path) {
  return bad_request("Invalid patch path " + std::string(path));
}

std::string text(const json::object& in, std::string_view name) {
  auto* v = in.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

api_error bad_request(std::string message) {
  return {"BadRequestException", std::move(message), 400};
}

api_error conflict(std::string message) {
  return {"ConflictException", std::move(message), 409};
}

api_error not_found(std::string message) {
  return {"NotFoundException", std::move(message), 404};
}

json::object render(const resource& r, bool embed_methods) {
  json::object out{{"id", r.id}, {"path", r.path}};
  if (!r.parent_id.empty()) {
    out["parentId"] = r.parent_id;
    out["pathPart"] = r.path_part;
  }
  if (!r.methods.empty()) {
    json::object methods;
    for (const auto& [verb, method] : r.methods)
      methods[verb] = embed_methods ? method : json::value(json::object{});
    out["resourceMethods"] = std::move(methods);
  }
  return out;
}

handler_table service::handlers() {
  auto ops = std::make_shared<operations>(apis_);
  handler_table table;
  auto bind = [&](auto method) {
    return
        [ops, method](request_context& ctx, json::object& in) { return ((*ops).*method)(ctx, in); };
  };
  table["CreateRestApi"] = bind(&operations::create_rest_api);
  table["GetRestApi"] = bind(&operations::get_rest_api);
  table["GetRestApis"] = bind(&operations::get_rest_apis);
  table["DeleteRestApi"] = bind(&operations::delete_rest_api);
  table["UpdateRestApi"] = bind(&operations::update_rest_api);
  table["UpdateResource"] = bind(&operations::update_resource);
  table["GetResources"] = bind(&operations::get_resources);
  table["GetResource"] = bind(&operations::get_resource);
  table["CreateResource"] = bind(&operations::create_resource);
  table["DeleteResource"] = bind(&operations::delete_resource);
  add_method_operations(table, apis_);
  add_deployment_operations(table, apis_);
  add_model_operations(table, apis_);
  add_tag_operations(table, apis_);
  add_account_operations(table, store_);
  return table;
}

async_handler_table service::async_handlers() {
  async_handler_table table;
  table["TestInvokeMethod"] = [this](request_context& ctx, json::object& in) {
    return data_plane_.test_invoke(ctx, in);
  };
  return table;
}

}  // namespace stratus::apigateway
