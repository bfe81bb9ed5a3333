#include <boost/json.hpp>

#include "dynamodb/errors.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/keys.hpp"
#include "dynamodb/table.hpp"
#include "storage/retry.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::string_view meta_prefix = "c/dynamodb/table/";
constexpr std::string_view table_id_counter = "c/dynamodb/next-table-id";
constexpr int max_commit_attempts = 16;

std::string list_prefix(std::string_view account, std::string_view region) {
  return std::string(meta_prefix) + std::string(account) + "/" + std::string(region) + "/";
}

std::string serialize(const table& t) {
  json::object o;
  o["id"] = t.id;
  o["account"] = t.account;
  o["region"] = t.region;
  o["name"] = t.name;
  o["hash"] = {{"name", t.hash.name}, {"type", t.hash.type}};
  if (t.range) o["range"] = {{"name", t.range->name}, {"type", t.range->type}};
  o["description"] = t.description;
  if (!t.tags.empty()) o["tags"] = t.tags;
  if (!t.ttl_attribute.empty()) o["ttl_attribute"] = t.ttl_attribute;
  if (!t.indexes.empty()) {
    json::array indexes;
    for (const auto& ix : t.indexes) {
      json::object i{{"name", ix.name},
                     {"global", ix.global},
                     {"number", ix.number},
                     {"projection", ix.projection}};
      for (const auto* role : {"hash_keys", "range_keys"}) {
        json::array keys;
        for (const auto& k : std::string_view(role) == "hash_keys" ? ix.hash_keys : ix.range_keys)
          keys.push_back(json::object{{"name", k.name}, {"type", k.type}});
        i[role] = std::move(keys);
      }
      json::array non_key;
      for (const auto& n : ix.non_key) non_key.emplace_back(n);
      if (!non_key.empty()) i["non_key"] = std::move(non_key);
      indexes.push_back(std::move(i));
    }
    o["indexes"] = std::move(indexes);
  }
  o["next_index_number"] = t.next_index_number;
  if (t.stream)
    o["stream"] = {{"id", t.stream->id},
                   {"view_type", t.stream->view_type},
                   {"label", t.stream->label},
                   {"arn", t.stream->arn}};
  return json::serialize(o);
}

result<table_ptr> deserialize(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return errors::internal("corrupt table metadata");
  const auto& o = v.get_object();
  auto t = std::make_shared<table>();
  t->id = o.at("id").to_number<std::uint64_t>();
  t->account = o.at("account").as_string();
  t->region = o.at("region").as_string();
  t->name = o.at("name").as_string();
  t->hash = {std::string(o.at("hash").at("name").as_string()),
             std::string(o.at("hash").at("type").as_string())};
  if (auto* r = o.if_contains("range"))
    t->range = key_attribute{std::string(r->at("name").as_string()),
                             std::string(r->at("type").as_string())};
  t->description = o.at("description").as_object();
  if (auto* tags = o.if_contains("tags")) t->tags = tags->as_array();
  if (auto* ttl = o.if_contains("ttl_attribute")) t->ttl_attribute = ttl->as_string();
  auto attribute = [](const json::value& a) {
    return key_attribute{std::string(a.at("name").as_string()),
                         std::string(a.at("type").as_string())};
  };
  if (auto* indexes = o.if_contains("indexes"))
    for (const auto& v : indexes->as_array()) {
      secondary_index ix;
      ix.name = v.at("name").as_string();
      ix.global = v.at("global").as_bool();
      ix.number = v.at("number").to_number<std::uint32_t>();
      for (const auto& k : v.at("hash_keys").as_array()) ix.hash_keys.push_back(attribute(k));
      for (const auto& k : v.at("range_keys").as_array()) ix.range_keys.push_back(attribute(k));
      ix.projection = v.at("projection").as_string();
      if (auto* n = v.as_object().if_contains("non_key"))
        for (const auto& a : n->as_array()) ix.non_key.emplace_back(a.as_string());
      t->indexes.push_back(std::move(ix));
    }
  if (auto* s = o.if_contains("stream"))
    t->stream = stream_settings{
        s->at("id").to_number<std::uint64_t>(), std::string(s->at("view_type").as_string()),
        std::string(s->at("label").as_string()), std::string(s->at("arn").as_string())};
  if (auto* n = o.if_contains("next_index_number"))
    t->next_index_number = n->to_number<std::uint32_t>();
  return table_ptr(std::move(t));
}

}  // namespace

api_error storage_failure(const storage::error& e) {
  return errors::internal(e.message);
}

result<std::uint64_t> allocate_id(storage::store& store, std::string_view counter) {
  for (storage::occ_retry retry(max_commit_attempts); retry.next();) {
    auto txn = store.begin();
    auto stored = txn->get(counter);
    if (!stored) return storage_failure(stored.error());
    const std::uint64_t next = *stored ? std::stoull(**stored) : 1;
    txn->put(counter, std::to_string(next + 1));
    auto committed = txn->commit();
    if (committed) return next;
    if (!retry.retryable(committed.error())) return storage_failure(committed.error());
  }
  return errors::internal("could not allocate an id: too much contention");
}

std::string table_meta_key(std::string_view account, std::string_view region,
                           std::string_view name) {
  return list_prefix(account, region) + std::string(name);
}

result<table_ptr> catalog::find(const std::string& account, const std::string& region,
                                const std::string& name) {
  std::string key = table_meta_key(account, region, name);
  std::uint64_t seen_generation;
  {
    std::shared_lock lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    seen_generation = generation_;
  }
  auto stored = store_.get(key);
  if (!stored) return storage_failure(stored.error());
  if (!*stored) return table_ptr();
  auto t = deserialize(**stored);
  if (!t) return t;
  std::unique_lock lock(mutex_);
  // A create, update or delete that committed while we read the store may
  // have made what we read stale: only a quiet catalog may cache it.
  if (generation_ == seen_generation) cache_.emplace(key, *t);
  return *t;
}

result<table_ptr> catalog::create(table t) {
  std::string key = table_meta_key(t.account, t.region, t.name);
  for (storage::occ_retry retry(max_commit_attempts); retry.next();) {
    auto txn = store_.begin();
    auto existing = txn->get(key);
    if (!existing) return storage_failure(existing.error());
    if (*existing) return errors::resource_in_use("Table already exists: " + t.name);
    auto counter = txn->get(table_id_counter);
    if (!counter) return storage_failure(counter.error());
    std::uint64_t id = *counter ? std::stoull(**counter) : 1;
    txn->put(table_id_counter, std::to_string(id + 1));
    t.id = id;
    txn->put(key, serialize(t));
    auto committed = txn->commit();
    if (committed) {
      auto published = std::make_shared<const table>(std::move(t));
      std::unique_lock lock(mutex_);
      cache_[key] = published;
      ++generation_;
      return table_ptr(published);
    }
    if (!retry.retryable(committed.error())) return storage_failure(committed.error());
  }
  return errors::internal("could not create the table: too much contention");
}

result<table_ptr> catalog::remove(const std::string& account, const std::string& region,
                                  const std::string& name) {
  std::string key = table_meta_key(account, region, name);
  for (storage::occ_retry retry(max_commit_attempts); retry.next();) {
    auto txn = store_.begin();
    auto existing = txn->get(key);
    if (!existing) return storage_failure(existing.error());
    if (!*existing) return table_ptr();
    auto t = deserialize(**existing);
    if (!t) return t;
    txn->erase(key);
    auto committed = txn->commit();
    if (!committed) {
      if (retry.retryable(committed.error())) continue;
      return storage_failure(committed.error());
    }
    {
      std::unique_lock lock(mutex_);
      cache_.erase(key);
      ++generation_;
    }
    // The table id is never reused, so items left behind by a racing write
    // are unreachable; erasing the range reclaims the space.
    for (const std::string& prefix : {table_data_prefix((*t)->id), table_index_prefix((*t)->id)})
      if (auto erased = store_.erase_range(prefix, storage::prefix_end(prefix)); !erased)
        return storage_failure(erased.error());
    return *t;
  }
  return errors::internal("could not delete the table: too much contention");
}

result<table_ptr> catalog::update(const std::string& account, const std::string& region,
                                  const std::string& name,
                                  const std::function<std::optional<api_error>(table&)>& change) {
  std::string key = table_meta_key(account, region, name);
  for (storage::occ_retry retry(max_commit_attempts); retry.next();) {
    auto txn = store_.begin();
    auto existing = txn->get(key);
    if (!existing) return storage_failure(existing.error());
    if (!*existing) return errors::table_not_found(name);
    auto current = deserialize(**existing);
    if (!current) return current;
    table changed = **current;
    if (auto e = change(changed)) return *e;
    txn->put(key, serialize(changed));
    auto committed = txn->commit();
    if (committed) {
      auto published = std::make_shared<const table>(std::move(changed));
      std::unique_lock lock(mutex_);
      cache_[key] = published;
      ++generation_;
      return table_ptr(published);
    }
    if (!retry.retryable(committed.error())) return storage_failure(committed.error());
  }
  return errors::internal("could not update the table: too much contention");
}

result<std::vector<table_ptr>> catalog::all() {
  std::vector<table_ptr> tables;
  auto it = store_.scan({std::string(meta_prefix), storage::prefix_end(meta_prefix)});
  for (; it->valid(); it->next()) {
    auto t = deserialize(it->value());
    if (!t) return t.error();
    tables.push_back(std::move(*t));
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return tables;
}

result<std::vector<std::string>> catalog::list(const std::string& account,
                                               const std::string& region, const std::string& start,
                                               std::size_t limit) {
  std::string prefix = list_prefix(account, region);
  storage::key_range range{prefix + start, storage::prefix_end(prefix)};
  if (!start.empty()) range.begin.push_back('\0');  // exclusive start
  std::vector<std::string> names;
  auto it = store_.scan(range);
  for (; it->valid() && names.size() < limit; it->next())
    names.emplace_back(it->key().substr(prefix.size()));
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return names;
}

}  // namespace stratus::dynamodb
