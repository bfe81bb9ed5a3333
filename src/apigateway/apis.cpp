#include "apigateway/apis.hpp"

#include <boost/json.hpp>
#include <random>

#include "storage/retry.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

constexpr std::string_view api_prefix = "c/apigateway/restapi/";

std::string list_prefix(std::string_view account, std::string_view region) {
  return std::string(api_prefix) + std::string(account) + "/" + std::string(region) + "/";
}

std::string api_key(std::string_view account, std::string_view region, std::string_view id) {
  return list_prefix(account, region) + std::string(id);
}

api_error storage_failure(const storage::error& e) {
  return api_error::internal("storage: " + e.message);
}

}  // namespace

api_error api_not_found(const std::string& account, const std::string& id) {
  return {"NotFoundException", "Invalid API identifier specified " + account + ":" + id, 404};
}

std::string new_id(std::size_t length) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string id;
  for (std::size_t i = 0; i < length; ++i) id += alphabet[pick(random)];
  return id;
}

json::array resources_json(const rest_api& api) {
  json::array resources;
  for (const auto& [id, r] : api.resources)
    resources.push_back(json::object{{"id", r.id},
                                     {"parent", r.parent_id},
                                     {"part", r.path_part},
                                     {"path", r.path},
                                     {"methods", r.methods}});
  return resources;
}

std::optional<std::map<std::string, resource>> resources_from(const json::array& tree) {
  try {
    std::map<std::string, resource> out;
    for (const auto& r : tree) {
      const auto& ro = r.as_object();
      resource res{std::string(ro.at("id").as_string()), std::string(ro.at("parent").as_string()),
                   std::string(ro.at("part").as_string()), std::string(ro.at("path").as_string()),
                   ro.at("methods").as_object()};
      out.emplace(res.id, std::move(res));
    }
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string serialize(const rest_api& api) {
  return json::serialize(json::object{{"account", api.account},
                                      {"region", api.region},
                                      {"settings", api.settings},
                                      {"root", api.root_id},
                                      {"resources", resources_json(api)},
                                      {"deployments", api.deployments},
                                      {"stages", api.stages},
                                      {"models", api.models},
                                      {"validators", api.validators}});
}

std::optional<rest_api> deserialize_api(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  try {
    const auto& o = v.get_object();
    rest_api api;
    api.account = o.at("account").as_string();
    api.region = o.at("region").as_string();
    api.settings = o.at("settings").as_object();
    api.root_id = o.at("root").as_string();
    auto resources = resources_from(o.at("resources").as_array());
    if (!resources) return std::nullopt;
    api.resources = std::move(*resources);
    for (auto [name, member] :
         {std::pair{"deployments", &api.deployments}, std::pair{"stages", &api.stages},
          std::pair{"models", &api.models}, std::pair{"validators", &api.validators}})
      if (auto* v = o.if_contains(name)) *member = v->as_object();
    return api;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

result<rest_api> api_store::find(const std::string& account, const std::string& region,
                                 const std::string& id) {
  auto stored = store_.get(api_key(account, region, id));
  if (!stored) return storage_failure(stored.error());
  if (!*stored) return api_not_found(account, id);
  auto api = deserialize_api(**stored);
  if (!api) return api_error::internal("unreadable REST API document " + id);
  return std::move(*api);
}

result<void> api_store::create(const rest_api& api) {
  const std::string id(api.settings.at("id").as_string());
  auto done = commit(api.account, api.region, id,
                     [&](std::optional<rest_api>& stored) -> std::optional<api_error> {
                       if (stored) return api_error::internal("REST API identifier collision");
                       stored = api;
                       return std::nullopt;
                     });
  if (!done) return done.error();
  return {};
}

result<rest_api> api_store::update(const std::string& account, const std::string& region,
                                   const std::string& id, const change_fn& change) {
  return commit(account, region, id,
                [&](std::optional<rest_api>& stored) -> std::optional<api_error> {
                  if (!stored) return api_not_found(account, id);
                  return change(*stored);
                });
}

result<void> api_store::remove(const std::string& account, const std::string& region,
                               const std::string& id) {
  auto done =
      commit(account, region, id, [&](std::optional<rest_api>& stored) -> std::optional<api_error> {
        if (!stored) return api_not_found(account, id);
        stored.reset();
        return std::nullopt;
      });
  if (!done) return done.error();
  return {};
}

result<rest_api> api_store::commit(const std::string& account, const std::string& region,
                                   const std::string& id, const mutation& change) {
  const std::string key = api_key(account, region, id);
  for (storage::occ_retry retry; retry.next();) {
    auto txn = store_.begin();
    auto existing = txn->get(key);
    if (!existing) return storage_failure(existing.error());
    std::optional<rest_api> api;
    if (*existing) {
      api = deserialize_api(**existing);
      if (!api) return api_error::internal("unreadable REST API document " + id);
    }
    if (auto e = change(api)) return *e;
    if (api)
      txn->put(key, serialize(*api));
    else
      txn->erase(key);
    auto committed = txn->commit();
    if (committed) {
      generation_.fetch_add(1, std::memory_order_acq_rel);
      return api ? std::move(*api) : rest_api{};
    }
    if (!retry.retryable(committed.error())) return storage_failure(committed.error());
  }
  return api_error("ConflictException", "Too much contention on this REST API", 409);
}

result<std::vector<rest_api>> api_store::list(const std::string& account, const std::string& region,
                                              const std::string& after, std::size_t limit) {
  const std::string prefix = list_prefix(account, region);
  storage::key_range range{prefix + after, storage::prefix_end(prefix)};
  if (!after.empty()) range.begin.push_back('\0');
  std::vector<rest_api> out;
  auto it = store_.scan(range);
  for (; it->valid() && out.size() < limit; it->next())
    if (auto api = deserialize_api(it->value())) out.push_back(std::move(*api));
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return out;
}

result<std::optional<rest_api>> api_store::locate(std::string_view id) {
  if (id.empty() || id.find('/') != std::string_view::npos) return std::optional<rest_api>{};
  const std::string prefix(api_prefix);
  auto it = store_.scan({prefix, storage::prefix_end(prefix)});
  for (; it->valid(); it->next()) {
    std::string_view key = it->key();
    if (key.size() > id.size() && key.ends_with(id) && key[key.size() - id.size() - 1] == '/') {
      auto api = deserialize_api(it->value());
      if (!api) return api_error::internal("unreadable REST API document " + std::string(id));
      return std::optional<rest_api>(std::move(*api));
    }
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return std::optional<rest_api>{};
}

}  // namespace stratus::apigateway
