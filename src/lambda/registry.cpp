#include "lambda/registry.hpp"

#include <boost/json.hpp>
#include <mutex>

#include "lambda/errors.hpp"
#include "storage/retry.hpp"

namespace stratus::lambda {
namespace json = boost::json;

namespace {

constexpr std::string_view function_prefix = "c/lambda/function/";
constexpr int max_commit_attempts = 16;

std::string list_prefix(std::string_view account, std::string_view region) {
  return std::string(function_prefix) + std::string(account) + "/" + std::string(region) + "/";
}

std::string function_key(std::string_view account, std::string_view region, std::string_view name) {
  return list_prefix(account, region) + std::string(name);
}

api_error storage_failure(const storage::error& e) {
  return errors::internal(e.message);
}

}  // namespace

std::string serialize(const function_record& f) {
  json::object o;
  o["account"] = f.account;
  o["region"] = f.region;
  o["name"] = f.name;
  o["latest"] = f.latest;
  json::object versions;
  for (const auto& [n, v] : f.versions) versions[std::to_string(n)] = v;
  o["versions"] = std::move(versions);
  o["last_version"] = f.last_version;
  o["published_revision"] = f.published_revision;
  json::object aliases;
  for (const auto& [n, a] : f.aliases) aliases[n] = a;
  o["aliases"] = std::move(aliases);
  json::object policies;
  for (const auto& [q, p] : f.policies) {
    json::array statements;
    for (const auto& s : p.statements) statements.push_back(s);
    policies[q] = {{"revision_id", p.revision_id}, {"statements", std::move(statements)}};
  }
  o["policies"] = std::move(policies);
  if (f.reserved_concurrency) o["reserved_concurrency"] = *f.reserved_concurrency;
  json::object event_invoke;
  for (const auto& [q, c] : f.event_invoke) event_invoke[q] = c;
  o["event_invoke"] = std::move(event_invoke);
  o["tags"] = f.tags;
  return json::serialize(o);
}

result<function_record> deserialize_function(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return errors::internal("corrupt function document");
  try {
    const auto& o = v.get_object();
    function_record f;
    f.account = o.at("account").as_string();
    f.region = o.at("region").as_string();
    f.name = o.at("name").as_string();
    f.latest = o.at("latest").as_object();
    for (const auto& [n, c] : o.at("versions").as_object())
      f.versions[std::stoull(std::string(n))] = c.as_object();
    f.last_version = o.at("last_version").to_number<std::uint64_t>();
    f.published_revision = o.at("published_revision").as_string();
    for (const auto& [n, a] : o.at("aliases").as_object())
      f.aliases[std::string(n)] = a.as_object();
    for (const auto& [q, p] : o.at("policies").as_object()) {
      policy pol;
      pol.revision_id = p.at("revision_id").as_string();
      for (const auto& s : p.at("statements").as_array()) pol.statements.push_back(s.as_object());
      f.policies[std::string(q)] = std::move(pol);
    }
    if (auto* r = o.if_contains("reserved_concurrency"))
      f.reserved_concurrency = r->to_number<int>();
    for (const auto& [q, c] : o.at("event_invoke").as_object())
      f.event_invoke[std::string(q)] = c.as_object();
    f.tags = o.at("tags").as_object();
    return f;
  } catch (const std::exception&) {
    return errors::internal("corrupt function document");
  }
}

result<function_ptr> registry::find(const std::string& account, const std::string& region,
                                    const std::string& name) {
  std::string key = function_key(account, region, name);
  std::uint64_t seen_generation;
  {
    std::shared_lock lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    seen_generation = generation_;
  }
  auto stored = store_.get(key);
  if (!stored) return storage_failure(stored.error());
  if (!*stored) return function_ptr();
  auto f = deserialize_function(**stored);
  if (!f) return f.error();
  auto published = std::make_shared<const function_record>(std::move(*f));
  std::unique_lock lock(mutex_);
  // A change committed while we read may have made what we read stale:
  // only a quiet registry may cache it.
  if (generation_ == seen_generation) cache_.emplace(key, published);
  return function_ptr(published);
}

result<function_ptr> registry::commit(const std::string& key, const mutation& change) {
  for (storage::occ_retry retry(max_commit_attempts); retry.next();) {
    auto txn = store_.begin();
    auto existing = txn->get(key);
    if (!existing) return storage_failure(existing.error());
    std::optional<function_record> record;
    if (*existing) {
      auto current = deserialize_function(**existing);
      if (!current) return current.error();
      record = std::move(*current);
    }
    const bool existed = record.has_value();
    if (auto e = change(record)) return *e;
    if (record)
      txn->put(key, serialize(*record));
    else if (existed)
      txn->erase(key);
    auto committed = txn->commit();
    if (!committed) {
      if (retry.retryable(committed.error())) continue;
      return storage_failure(committed.error());
    }
    function_ptr published =
        record ? std::make_shared<const function_record>(std::move(*record)) : nullptr;
    std::unique_lock lock(mutex_);
    if (published)
      cache_[key] = published;
    else
      cache_.erase(key);
    ++generation_;
    return published;
  }
  return errors::internal("could not change the function: too much contention");
}

result<function_ptr> registry::create(function_record f) {
  return commit(function_key(f.account, f.region, f.name),
                [&](std::optional<function_record>& r) -> std::optional<api_error> {
                  if (r) return errors::conflict("Function already exist: " + f.name);
                  r = f;
                  return std::nullopt;
                });
}

result<function_ptr> registry::update(const std::string& account, const std::string& region,
                                      const std::string& name, const api_error& not_found,
                                      const change_fn& change) {
  return commit(function_key(account, region, name),
                [&](std::optional<function_record>& r) -> std::optional<api_error> {
                  if (!r) return not_found;
                  return change(*r);
                });
}

result<function_ptr> registry::remove(const std::string& account, const std::string& region,
                                      const std::string& name) {
  function_ptr removed;
  auto done = commit(function_key(account, region, name),
                     [&](std::optional<function_record>& r) -> std::optional<api_error> {
                       if (r) removed = std::make_shared<const function_record>(*r);
                       r.reset();
                       return std::nullopt;
                     });
  if (!done) return done.error();
  return removed;
}

result<std::vector<function_ptr>> registry::list(const std::string& account,
                                                 const std::string& region,
                                                 const std::string& after, std::size_t limit) {
  std::string prefix = list_prefix(account, region);
  storage::key_range range{prefix + after, storage::prefix_end(prefix)};
  if (!after.empty()) range.begin.push_back('\0');  // exclusive start
  std::vector<function_ptr> out;
  auto it = store_.scan(range);
  for (; it->valid() && out.size() < limit; it->next()) {
    auto f = deserialize_function(it->value());
    if (!f) return f.error();
    out.push_back(std::make_shared<const function_record>(std::move(*f)));
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return out;
}

result<std::set<std::string>> registry::code_in_use() {
  std::set<std::string> out;
  auto note = [&](const json::object& config) {
    if (auto* sha = config.if_contains("CodeSha256"); sha && sha->is_string())
      out.emplace(sha->get_string());
  };
  auto it = store_.scan({std::string(function_prefix), storage::prefix_end(function_prefix)});
  for (; it->valid(); it->next()) {
    auto f = deserialize_function(it->value());
    if (!f) return f.error();
    note(f->latest);
    for (const auto& [number, config] : f->versions) note(config);
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return out;
}

}  // namespace stratus::lambda
