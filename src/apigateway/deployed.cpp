#include "apigateway/deployed.hpp"

#include <boost/json.hpp>

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

std::string joined(const std::vector<std::string_view>& segments, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < segments.size(); ++i) {
    if (i > from) out += '/';
    out += segments[i];
  }
  return out;
}

std::shared_ptr<deployed_stage> view_of(const rest_api& api, std::map<std::string, resource> tree,
                                        json::object models, json::object validators) {
  auto view = std::make_shared<deployed_stage>();
  view->account = api.account;
  view->region = api.region;
  view->api_id = std::string(api.settings.at("id").as_string());
  view->settings = api.settings;
  view->resources = std::move(tree);
  view->models = std::move(models);
  view->validators = std::move(validators);
  view->routes = route_table(view->resources, api.root_id);
  return view;
}

}  // namespace

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    auto slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty()) out.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

route_table::route_table(const std::map<std::string, resource>& resources,
                         const std::string& root_id) {
  std::map<std::string, std::size_t> index;  // resource id → node
  auto root = resources.find(root_id);
  if (root == resources.end()) return;
  nodes_.push_back({&root->second, {}, {}, {}, {}});
  index[root_id] = 0;
  // Parents before children: a resource's path is longer than its parent's.
  std::vector<const resource*> order;
  for (const auto& [id, r] : resources)
    if (id != root_id) order.push_back(&r);
  std::sort(order.begin(), order.end(),
            [](const resource* a, const resource* b) { return a->path.size() < b->path.size(); });
  for (const resource* r : order) {
    auto parent = index.find(r->parent_id);
    if (parent == index.end()) continue;
    const std::size_t at = nodes_.size();
    node n{r, {}, {}, {}, {}};
    const std::string& part = r->path_part;
    const bool braced = part.size() > 2 && part.front() == '{' && part.back() == '}';
    const bool greedy = braced && part[part.size() - 2] == '+';
    if (braced) n.param_name = part.substr(1, part.size() - (greedy ? 3 : 2));
    nodes_.push_back(std::move(n));
    index[r->id] = at;
    node& p = nodes_[parent->second];
    if (greedy)
      p.greedy = at;
    else if (braced)
      p.param = at;
    else
      p.statics.emplace_back(part, at);
  }
}

std::optional<std::size_t> route_table::descend(std::size_t at,
                                                const std::vector<std::string_view>& segments,
                                                std::size_t i, param_list& params) const {
  if (i == segments.size()) return at;
  const node& n = nodes_[at];
  for (const auto& [part, child] : n.statics)
    if (part == segments[i])
      if (auto found = descend(child, segments, i + 1, params)) return found;
  if (n.param) {
    params.emplace_back(nodes_[*n.param].param_name, std::string(segments[i]));
    if (auto found = descend(*n.param, segments, i + 1, params)) return found;
    params.pop_back();
  }
  if (n.greedy) {
    params.emplace_back(nodes_[*n.greedy].param_name, joined(segments, i));
    return n.greedy;
  }
  return std::nullopt;
}

route_match route_table::match(std::string_view http_method, std::string_view path) const {
  route_match out;
  if (nodes_.empty()) return out;
  auto found = descend(0, path_segments(path), 0, out.path_params);
  if (!found) {
    out.path_params.clear();
    return out;
  }
  out.res = nodes_[*found].res;
  const auto& methods = out.res->methods;
  if (auto* m = methods.if_contains(http_method); m && m->is_object())
    out.method = &m->get_object();
  else if (auto* any = methods.if_contains("ANY"); any && any->is_object())
    out.method = &any->get_object();
  return out;
}

std::shared_ptr<const deployed_stage> deployed_view(const rest_api& api,
                                                    const std::string& stage_name) {
  auto* stage = api.stages.if_contains(stage_name);
  if (!stage || !stage->is_object()) return nullptr;
  const auto& s = stage->get_object();
  auto* id = s.if_contains("deploymentId");
  if (!id || !id->is_string()) return nullptr;
  auto* deployment = api.deployments.if_contains(id->get_string());
  if (!deployment || !deployment->is_object()) return nullptr;
  const auto& d = deployment->get_object();
  auto* tree = d.if_contains("resources");
  auto resources = tree && tree->is_array() ? resources_from(tree->get_array()) : std::nullopt;
  if (!resources) return nullptr;
  auto object_member = [&](const char* name) {
    auto* v = d.if_contains(name);
    return v && v->is_object() ? v->get_object() : json::object{};
  };
  auto view =
      view_of(api, std::move(*resources), object_member("models"), object_member("validators"));
  view->stage_name = stage_name;
  view->deployment_id = std::string(id->get_string());
  // The API's settings as deployed (binary media types, the default
  // endpoint's switch): they too wait for the next deployment.
  if (auto* settings = d.if_contains("settings"); settings && settings->is_object())
    view->settings = settings->get_object();
  view->stage = s;
  if (auto* vars = s.if_contains("variables"); vars && vars->is_object())
    view->variables = vars->get_object();
  return view;
}

std::shared_ptr<const deployed_stage> live_view(const rest_api& api, json::object variables) {
  auto view = view_of(api, api.resources, api.models, api.validators);
  view->stage_name = "test-invoke-stage";
  view->deployment_id = "test-invoke-deployment-id";
  view->variables = std::move(variables);
  return view;
}

result<std::shared_ptr<const deployed_stage>> stage_cache::find(const std::string& api_id,
                                                                const std::string& stage) {
  const std::string key = api_id + "/" + stage;
  const std::uint64_t generation = apis_.generation();
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end() && it->second.generation == generation)
      return it->second.stage;
  }
  auto api = apis_.locate(api_id);
  if (!api) return api.error();
  std::shared_ptr<const deployed_stage> view = *api ? deployed_view(**api, stage) : nullptr;
  std::lock_guard lock(mutex_);
  if (entries_.size() > 4096) entries_.clear();
  entries_[key] = {generation, view};
  return view;
}

}  // namespace stratus::apigateway
