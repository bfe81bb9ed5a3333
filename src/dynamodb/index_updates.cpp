// UpdateTable's GlobalSecondaryIndexUpdates: adding a GSI to a table that
// has items (with backfill), changing its throughput, deleting it.
#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "dynamodb/errors.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/keys.hpp"
#include "storage/retry.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::size_t backfill_chunk = 100;
constexpr int max_attempts = 32;

// The table's AttributeDefinitions with `added` merged in; an attribute
// given another type than it has is an error.
result<json::array> merged_definitions(const json::array& current, const json::array* added) {
  json::array merged = current;
  if (!added) return merged;
  for (const auto& d : *added) {
    std::string_view name = d.at("AttributeName").as_string();
    bool found = false;
    for (const auto& c : current)
      if (c.at("AttributeName").as_string() == name) {
        found = true;
        if (c.at("AttributeType") != d.at("AttributeType"))
          return errors::invalid_parameter(
              "Cannot change the type of attribute " + std::string(name) +
              ": it is already defined with another type and it cannot be redefined");
      }
    if (!found) merged.push_back(d);
  }
  return merged;
}

// Only the attributes some key uses stay defined.
json::array used_definitions(const json::array& definitions, const table& t) {
  std::set<std::string> used{t.hash.name};
  if (t.range) used.insert(t.range->name);
  for (const auto& ix : t.indexes) {
    for (const auto& k : ix.hash_keys) used.insert(k.name);
    for (const auto& k : ix.range_keys) used.insert(k.name);
  }
  json::array out;
  for (const auto& d : definitions)
    if (used.count(std::string(d.at("AttributeName").as_string()))) out.push_back(d);
  return out;
}

json::object throughput_of(const json::object* given) {
  json::object pt{
      {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  if (given)
    for (const char* m : {"ReadCapacityUnits", "WriteCapacityUnits"}) pt[m] = given->at(m);
  return pt;
}

}  // namespace

result<index_update_outcome> apply_index_updates(const json::object& in, bool pay_per_request,
                                                 table& t) {
  index_update_outcome outcome;
  auto& d = t.description;
  const auto* updates = in.if_contains("GlobalSecondaryIndexUpdates");
  if (!updates) return outcome;
  std::size_t online = 0;  // creates and deletes: one at a time, as on DynamoDB
  for (const auto& entry : updates->as_array()) {
    const auto& u = entry.as_object();
    const int given = u.contains("Create") + u.contains("Update") + u.contains("Delete");
    if (given != 1)
      return errors::invalid_parameter(
          "Exactly one of GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Update or "
          "GlobalSecondaryIndexUpdate.Delete must be given");
    online += u.contains("Create") + u.contains("Delete");
  }
  if (online > 1)
    return api_error{"LimitExceededException",
                     "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                     "simultaneously per table",
                     400};
  auto* attribute_defs = in.if_contains("AttributeDefinitions");
  auto definitions = merged_definitions(d.at("AttributeDefinitions").as_array(),
                                        attribute_defs ? &attribute_defs->as_array() : nullptr);
  if (!definitions) return definitions.error();

  for (const auto& entry : updates->as_array()) {
    const auto& u = entry.as_object();
    if (auto* c = u.if_contains("Create")) {
      const auto& create = c->as_object();
      if (find_index(t, create.at("IndexName").as_string()))
        return errors::invalid_parameter("Attempting to create an index which already exists");
      // The new index's keys must be defined in this request, even when
      // the table already knows them.
      static const json::array none;
      auto ix = parse_new_global_index(create, attribute_defs ? attribute_defs->as_array() : none,
                                       pay_per_request, t);
      if (!ix) return ix.error();
      ++t.next_index_number;
      t.indexes.push_back(*ix);
      auto* pt = create.if_contains("ProvisionedThroughput");
      json::object described =
          describe_index(t, *ix, throughput_of(pt ? &pt->as_object() : nullptr));
      if (!d.contains("GlobalSecondaryIndexes")) d["GlobalSecondaryIndexes"] = json::array();
      d["GlobalSecondaryIndexes"].as_array().push_back(std::move(described));
      outcome.created = ix->name;
    } else if (auto* del = u.if_contains("Delete")) {
      std::string name(del->at("IndexName").as_string());
      const secondary_index* ix = find_index(t, name);
      if (ix && !ix->global)
        return errors::invalid_parameter("Local secondary index " + name + " cannot be deleted");
      if (!ix)
        return errors::resource_not_found("Requested resource not found: Index: " + name +
                                          " not found");
      outcome.deleted = ix->number;
      std::erase_if(t.indexes, [&](const secondary_index& i) { return i.name == name; });
      auto& globals = d["GlobalSecondaryIndexes"].as_array();
      globals.erase(std::remove_if(globals.begin(), globals.end(),
                                   [&](const json::value& g) {
                                     return g.at("IndexName").as_string() == name;
                                   }),
                    globals.end());
      if (globals.empty()) d.erase("GlobalSecondaryIndexes");
    } else {
      const auto& update = u.at("Update").as_object();
      std::string name(update.at("IndexName").as_string());
      const secondary_index* ix = find_index(t, name);
      if (!ix || !ix->global)
        return errors::resource_not_found("Requested resource not found: Index: " + name +
                                          " not found");
      if (pay_per_request)
        return errors::invalid_parameter(
            "ProvisionedThroughput should not be specified for index: " + name +
            " when BillingMode is PAY_PER_REQUEST");
      for (auto& g : d["GlobalSecondaryIndexes"].as_array())
        if (g.at("IndexName").as_string() == name) {
          auto& pt = g.as_object()["ProvisionedThroughput"].as_object();
          const auto& given = update.at("ProvisionedThroughput").as_object();
          for (const char* m : {"ReadCapacityUnits", "WriteCapacityUnits"}) pt[m] = given.at(m);
        }
    }
  }
  d["AttributeDefinitions"] = used_definitions(*definitions, t);
  return outcome;
}

std::optional<api_error> backfill_index(storage::store& store, const table& t,
                                        const secondary_index& ix) {
  const std::string prefix = table_data_prefix(t.id);
  std::string from = prefix;
  const std::string end = storage::prefix_end(prefix);
  for (;;) {
    // The next chunk of item keys, then their entries in one transaction
    // that re-reads each item (conflicting with any concurrent change).
    std::vector<std::string> keys;
    {
      auto it = store.scan({from, end});
      for (; it->valid() && keys.size() < backfill_chunk; it->next()) keys.emplace_back(it->key());
      if (auto st = it->status(); !st) return storage_failure(st.error());
    }
    if (keys.empty()) return std::nullopt;
    bool done = false;
    for (storage::occ_retry retry(max_attempts); !done && retry.next();) {
      auto txn = store.begin();
      for (const auto& key : keys) {
        auto stored = txn->get(key);
        if (!stored) return storage_failure(stored.error());
        if (!*stored) continue;
        auto item = parse_stored_item(**stored);
        if (!item) return item.error();
        if (auto entry = index_entry_key(t, ix, *item))
          txn->put(*entry, json::serialize(project_for_index(t, ix, *item)));
      }
      auto committed = txn->commit();
      if (committed)
        done = true;
      else if (!retry.retryable(committed.error()))
        return storage_failure(committed.error());
    }
    if (!done) return errors::internal("could not backfill the index: too much contention");
    from = keys.back() + '\0';
  }
}

std::optional<api_error> erase_index(storage::store& store, const table& t, std::uint32_t number) {
  const std::string prefix = index_entries_prefix(t, number);
  if (auto erased = store.erase_range(prefix, storage::prefix_end(prefix)); !erased)
    return storage_failure(erased.error());
  return std::nullopt;
}

}  // namespace stratus::dynamodb
