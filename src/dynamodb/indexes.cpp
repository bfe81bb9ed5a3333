#include "dynamodb/indexes.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::size_t max_local_indexes = 5;
constexpr std::size_t max_global_indexes = 20;
constexpr std::size_t max_projected_attributes = 100;
constexpr std::size_t max_key_attributes = 4;

std::vector<std::string> names_of(const json::array& definitions) {
  std::vector<std::string> names;
  for (const auto& d : definitions) names.emplace_back(d.at("AttributeName").as_string());
  return names;
}

std::optional<std::string> type_in(const json::array& definitions, std::string_view name) {
  for (const auto& d : definitions)
    if (d.at("AttributeName").as_string() == name)
      return std::string(d.at("AttributeType").as_string());
  return std::nullopt;
}

// One index definition (LSI or GSI), the checks common to both, in
// DynamoDB's order.
result<secondary_index> parse_index(const json::object& def, const json::array& definitions,
                                    bool global) {
  secondary_index ix;
  ix.global = global;
  ix.name = def.at("IndexName").as_string();
  const auto& schema = def.at("KeySchema").as_array();
  std::vector<std::string> keys;
  for (const auto& k : schema) keys.emplace_back(k.at("AttributeName").as_string());
  std::vector<std::string> undefined;
  for (const auto& k : keys)
    if (!type_in(definitions, k)) undefined.push_back(k);
  if (!undefined.empty())
    return errors::invalid_parameter(
        "Some index key attributes are not defined in AttributeDefinitions. Keys: " +
        errors::java_list(keys) +
        ", AttributeDefinitions: " + errors::java_list(names_of(definitions)));
  if (keys.size() == 2 && keys[0] == keys[1])
    return api_error::validation(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  for (std::size_t i = 0; i < keys.size(); ++i)
    for (std::size_t j = i + 1; j < keys.size(); ++j)
      if (keys[i] == keys[j])
        return api_error::validation(
            "Invalid KeySchema: Some KeySchemaElements have the same name: " + keys[i]);
  if (schema[0].at("KeyType").as_string() != "HASH")
    return api_error::validation(
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (!global && schema.size() > 2)
    return api_error::validation("1 validation error detected: Value '" + json::serialize(schema) +
                                 "' at 'keySchema' failed to satisfy constraint: Member must have "
                                 "length less than or equal to 2");
  if (!global && schema.size() == 2 && schema[1].at("KeyType").as_string() != "RANGE")
    return api_error::validation(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  for (std::size_t i = 0; i < schema.size(); ++i) {
    key_attribute attr{keys[i], *type_in(definitions, keys[i])};
    if (schema[i].at("KeyType").as_string() == "HASH") {
      if (!ix.range_keys.empty())
        return api_error::validation(
            "Invalid KeySchema: All HASH key attributes must precede all RANGE key attributes");
      ix.hash_keys.push_back(std::move(attr));
    } else {
      ix.range_keys.push_back(std::move(attr));
    }
  }
  // Composite GSI keys (November 2025): up to four of each.
  if (ix.hash_keys.size() > max_key_attributes)
    return api_error::validation(
        "Invalid KeySchema: An index KeySchema can have at most 4 HASH key attributes");
  if (ix.range_keys.size() > max_key_attributes)
    return api_error::validation(
        "Invalid KeySchema: An index KeySchema can have at most 4 RANGE key attributes");

  const auto& projection = def.at("Projection").as_object();
  auto* type = projection.if_contains("ProjectionType");
  if (!type) return errors::invalid_parameter("Unknown ProjectionType: null");
  ix.projection = type->as_string();
  auto* non_key = projection.if_contains("NonKeyAttributes");
  if (non_key && ix.projection != "INCLUDE")
    return errors::invalid_parameter("ProjectionType is " + ix.projection +
                                     ", but NonKeyAttributes is specified");
  if (!non_key && ix.projection == "INCLUDE")
    return errors::invalid_parameter(
        "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  if (non_key) {
    std::set<std::string> seen;
    for (const auto& a : non_key->as_array()) {
      std::string name(a.as_string());
      if (!seen.insert(name).second)
        return errors::invalid_parameter("Duplicate NonKeyAttributes in Projection: " + name);
      ix.non_key.push_back(std::move(name));
    }
  }
  return ix;
}

json::array key_schema_of(const secondary_index& ix) {
  json::array schema;
  for (const auto& k : ix.hash_keys)
    schema.push_back(json::object{{"AttributeName", k.name}, {"KeyType", "HASH"}});
  for (const auto& k : ix.range_keys)
    schema.push_back(json::object{{"AttributeName", k.name}, {"KeyType", "RANGE"}});
  return schema;
}

// Whether an item has every index key attribute (of any type: the type is
// checked before writing).
bool has_index_keys(const secondary_index& ix, const json::object& item) {
  for (const auto* keys : {&ix.hash_keys, &ix.range_keys})
    for (const auto& k : *keys)
      if (!item.contains(k.name)) return false;
  return true;
}

void append_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

}  // namespace

std::string table_index_prefix(std::uint64_t table_id) {
  std::string out = "x";
  append_u64(out, table_id);
  return out;
}

std::string index_entries_prefix(const table& t, std::uint32_t number) {
  std::string prefix = table_index_prefix(t.id);
  append_u32(prefix, number);
  return prefix;
}

key_space index_space(const table& t, const secondary_index& ix) {
  std::string prefix = index_entries_prefix(t, ix.number);
  std::optional<key_attribute> range;
  if (!ix.range_keys.empty()) range = ix.range_keys[0];
  return {std::move(prefix), ix.hash_keys[0], std::move(range)};
}

bool composite(const secondary_index& ix) {
  return ix.hash_keys.size() > 1 || ix.range_keys.size() > 1;
}

bool is_index_key(const secondary_index& ix, std::string_view name) {
  for (const auto* keys : {&ix.hash_keys, &ix.range_keys})
    for (const auto& k : *keys)
      if (k.name == name) return true;
  return false;
}

std::string index_partition_prefix(const table& t, const secondary_index& ix,
                                   const std::vector<const json::value*>& hash_values) {
  std::string encoded;
  for (std::size_t i = 0; i < ix.hash_keys.size(); ++i)
    encoded += encode_key_value(ix.hash_keys[i].type, *hash_values[i]);
  std::string out = index_space(t, ix).prefix;
  append_u64(out, partition_hash(encoded));
  return out + encoded;
}

const secondary_index* find_index(const table& t, std::string_view name) {
  for (const auto& ix : t.indexes)
    if (ix.name == name) return &ix;
  return nullptr;
}

std::optional<api_error> parse_create_indexes(const json::object& in, bool pay_per_request,
                                              table& t) {
  const auto& definitions = in.at("AttributeDefinitions").as_array();
  std::set<std::string> names;
  std::set<std::string> used{t.hash.name};
  if (t.range) used.insert(t.range->name);
  if (auto* lsis = in.if_contains("LocalSecondaryIndexes")) {
    const auto& list = lsis->as_array();
    if (list.empty()) return errors::invalid_parameter("List of LocalSecondaryIndexes is empty");
    if (!t.range)
      return errors::invalid_parameter(
          "Table KeySchema does not have a range key, which is required when specifying a "
          "LocalSecondaryIndex");
    for (const auto& v : list) {
      auto ix = parse_index(v.as_object(), definitions, false);
      if (!ix) return ix.error();
      if (ix->range_keys.empty())
        return errors::invalid_parameter("Index KeySchema does not have a range key for index: " +
                                         ix->name);
      if (ix->hash_keys[0].name != t.hash.name)
        return errors::invalid_parameter(
            "Index KeySchema does not have the same leading hash key as table KeySchema for "
            "index: " +
            ix->name + ". index hash key: " + ix->hash_keys[0].name +
            ", table hash key: " + t.hash.name);
      if (!names.insert(ix->name).second)
        return errors::invalid_parameter("Duplicate index name: " + ix->name);
      used.insert(ix->range_keys[0].name);
      ix->number = t.next_index_number++;
      t.indexes.push_back(std::move(*ix));
    }
    if (list.size() > max_local_indexes)
      return errors::invalid_parameter(
          "Number of LocalSecondaryIndexes exceeds per-table limit of 5");
  }
  if (auto* gsis = in.if_contains("GlobalSecondaryIndexes")) {
    const auto& list = gsis->as_array();
    if (list.empty()) return errors::invalid_parameter("List of GlobalSecondaryIndexes is empty");
    for (const auto& v : list) {
      auto ix = parse_index(v.as_object(), definitions, true);
      if (!ix) return ix.error();
      const bool has_throughput = v.as_object().contains("ProvisionedThroughput");
      if (pay_per_request && has_throughput)
        return errors::invalid_parameter(
            "ProvisionedThroughput should not be specified for index: " + ix->name +
            " when BillingMode is PAY_PER_REQUEST");
      if (!pay_per_request && !has_throughput)
        return errors::invalid_parameter("ProvisionedThroughput must be specified for index: " +
                                         ix->name);
      if (!names.insert(ix->name).second)
        return errors::invalid_parameter("Duplicate index name: " + ix->name);
      for (const auto& k : ix->hash_keys) used.insert(k.name);
      for (const auto& k : ix->range_keys) used.insert(k.name);
      ix->number = t.next_index_number++;
      t.indexes.push_back(std::move(*ix));
    }
    if (list.size() > max_global_indexes)
      return errors::invalid_parameter(
          "GlobalSecondaryIndex count exceeds the per-table limit of 20");
  }
  std::size_t projected = 0;
  for (const auto& ix : t.indexes) projected += ix.non_key.size();
  if (projected > max_projected_attributes)
    return errors::invalid_parameter(
        "The sum of distinct NonKeyAttributes across all secondary indexes exceeds the limit of "
        "100");
  if (used.size() != definitions.size()) {
    std::vector<std::string> keys(used.begin(), used.end());
    return errors::invalid_parameter(
        "Some AttributeDefinitions are not used. AttributeDefinitions: " +
        errors::java_list(names_of(definitions)) + ", keys used: " + errors::java_list(keys));
  }
  return std::nullopt;
}

void describe_created_indexes(table& t, const json::object& in) {
  json::array locals, globals;
  for (const auto& ix : t.indexes) {
    if (!ix.global) {
      locals.push_back(describe_index(t, ix, {}));
      continue;
    }
    json::object throughput{
        {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
    for (const auto& g : in.at("GlobalSecondaryIndexes").as_array())
      if (g.at("IndexName").as_string() == ix.name)
        if (auto* pt = g.as_object().if_contains("ProvisionedThroughput"))
          for (const char* m : {"ReadCapacityUnits", "WriteCapacityUnits"})
            throughput[m] = pt->at(m);
    globals.push_back(describe_index(t, ix, throughput));
  }
  if (!locals.empty()) t.description["LocalSecondaryIndexes"] = std::move(locals);
  if (!globals.empty()) t.description["GlobalSecondaryIndexes"] = std::move(globals);
}

result<secondary_index> parse_new_global_index(const json::object& create,
                                               const json::array& definitions, bool pay_per_request,
                                               const table& t) {
  auto ix = parse_index(create, definitions, true);
  if (!ix) return ix.error();
  const bool has_throughput = create.contains("ProvisionedThroughput");
  if (pay_per_request && has_throughput)
    return errors::invalid_parameter("ProvisionedThroughput should not be specified for index: " +
                                     ix->name + " when BillingMode is PAY_PER_REQUEST");
  if (!pay_per_request && !has_throughput)
    return errors::invalid_parameter("ProvisionedThroughput must be specified for index: " +
                                     ix->name);
  if (find_index(t, ix->name))
    return api_error::validation("One or more parameter values were invalid: Index " + ix->name +
                                 " already exists");
  std::size_t globals = 0;
  for (const auto& other : t.indexes) globals += other.global;
  if (globals >= max_global_indexes)
    return errors::invalid_parameter(
        "GlobalSecondaryIndex count exceeds the per-table limit of 20");
  ix->number = t.next_index_number;
  return ix;
}

json::object describe_index(const table& t, const secondary_index& ix,
                            const json::object& throughput) {
  json::object d;
  d["IndexName"] = ix.name;
  d["KeySchema"] = key_schema_of(ix);
  json::object projection{{"ProjectionType", ix.projection}};
  if (!ix.non_key.empty()) {
    json::array non_key;
    for (const auto& n : ix.non_key) non_key.emplace_back(n);
    projection["NonKeyAttributes"] = std::move(non_key);
  }
  d["Projection"] = std::move(projection);
  if (ix.global) {
    d["IndexStatus"] = "ACTIVE";
    d["ProvisionedThroughput"] = throughput;
  }
  d["IndexSizeBytes"] = 0;
  d["ItemCount"] = 0;
  d["IndexArn"] =
      "arn:aws:dynamodb:" + t.region + ":" + t.account + ":table/" + t.name + "/index/" + ix.name;
  return d;
}

std::optional<api_error> check_index_keys(const table& t, const json::object& item) {
  for (const auto& ix : t.indexes)
    for (const auto* keys : {&ix.hash_keys, &ix.range_keys})
      for (const auto& k : *keys) {
        // The table's own key attributes are checked as table keys.
        if (k.name == t.hash.name || (t.range && k.name == t.range->name)) continue;
        if (auto* v = item.if_contains(k.name))
          if (auto e = check_item_key_value(k, *v, keys == &ix.hash_keys, ix.name)) return e;
      }
  return std::nullopt;
}

std::optional<std::string> index_entry_key(const table& t, const secondary_index& ix,
                                           const json::object& item) {
  if (!has_index_keys(ix, item)) return std::nullopt;
  // Items written before the index existed (UpdateTable backfill) may carry
  // a key attribute of another type, empty or too long: they are left out,
  // as DynamoDB does.
  std::vector<const json::value*> hash_values;
  for (const auto* keys : {&ix.hash_keys, &ix.range_keys})
    for (const auto& k : *keys)
      if (check_item_key_value(k, item.at(k.name), keys == &ix.hash_keys, ix.name))
        return std::nullopt;
  for (const auto& k : ix.hash_keys) hash_values.push_back(&item.at(k.name));
  std::string key = index_partition_prefix(t, ix, hash_values);
  for (const auto& k : ix.range_keys) key += encode_key_value(k.type, item.at(k.name));
  key += encode_key_value(t.hash.type, item.at(t.hash.name));
  if (t.range) key += encode_key_value(t.range->type, item.at(t.range->name));
  return key;
}

json::object project_for_index(const table& t, const secondary_index& ix,
                               const json::object& item) {
  if (ix.projection == "ALL") return item;
  json::object out;
  auto copy = [&](const std::string& name) {
    if (auto* v = item.if_contains(name)) out[name] = *v;
  };
  copy(t.hash.name);
  if (t.range) copy(t.range->name);
  for (const auto* keys : {&ix.hash_keys, &ix.range_keys})
    for (const auto& k : *keys) copy(k.name);
  for (const auto& name : ix.non_key) copy(name);
  return out;
}

void index_changes(const table& t, const json::object* before, const json::object* after,
                   storage::write_batch& out) {
  for (const auto& ix : t.indexes) {
    std::optional<std::string> old_key = before ? index_entry_key(t, ix, *before) : std::nullopt;
    std::optional<std::string> new_key = after ? index_entry_key(t, ix, *after) : std::nullopt;
    if (old_key && old_key != new_key) out.erase(*old_key);
    if (!new_key) continue;
    json::object entry = project_for_index(t, ix, *after);
    if (old_key == new_key && before && project_for_index(t, ix, *before) == entry) continue;
    out.put(*new_key, json::serialize(entry));
  }
}

std::vector<std::pair<const secondary_index*, double>> index_write_units(
    const table& t, const json::object* before, const json::object* after) {
  std::vector<std::pair<const secondary_index*, double>> out;
  auto units = [](const json::object& entry) {
    return std::max(1.0, std::ceil(static_cast<double>(item_size(entry)) / 1024.0));
  };
  for (const auto& ix : t.indexes) {
    auto old_key = before ? index_entry_key(t, ix, *before) : std::nullopt;
    auto new_key = after ? index_entry_key(t, ix, *after) : std::nullopt;
    double used = 0;
    if (old_key && old_key != new_key) used += units(project_for_index(t, ix, *before));
    if (new_key) {
      json::object entry = project_for_index(t, ix, *after);
      if (!(old_key == new_key && project_for_index(t, ix, *before) == entry)) used += units(entry);
    }
    if (used > 0) out.emplace_back(&ix, used);
  }
  return out;
}

json::object index_entry_key_of(const table& t, const secondary_index& ix,
                                const json::object& entry) {
  json::object key = key_of(t, entry);
  for (const auto* keys : {&ix.hash_keys, &ix.range_keys})
    for (const auto& k : *keys)
      if (auto* v = entry.if_contains(k.name)) key[k.name] = *v;
  return key;
}

result<std::string> index_start_after(const table& t, const secondary_index& ix,
                                      json::object& start) {
  std::vector<const key_attribute*> expected{&t.hash};
  if (t.range) expected.push_back(&*t.range);
  for (const auto* keys : {&ix.hash_keys, &ix.range_keys})
    for (const auto& k : *keys)
      if (std::none_of(expected.begin(), expected.end(),
                       [&](const key_attribute* e) { return e->name == k.name; }))
        expected.push_back(&k);
  auto invalid = [] {
    return api_error::validation(
        "The provided starting key is invalid: The provided key element does not match the "
        "schema");
  };
  if (start.size() != expected.size()) return invalid();
  for (const auto* k : expected) {
    auto* v = start.if_contains(k->name);
    if (!v || !normalize_value(*v) || type_of(*v) != k->type) return invalid();
  }
  auto key = index_entry_key(t, ix, start);
  if (!key) return invalid();
  return *key;
}

}  // namespace stratus::dynamodb
