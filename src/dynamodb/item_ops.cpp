// PutItem, GetItem, DeleteItem: whole items and keys. Expressions and the
// legacy conditional parameters come with the expression engine.
#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/keys.hpp"
#include "dynamodb/service.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr int max_commit_attempts = 32;

api_error storage_failure(const storage::error& e) {
  return errors::internal(e.message);
}

// Parameters this slice does not evaluate yet: an honest error, never a
// silently ignored condition.
std::optional<api_error> reject_unsupported(std::string_view op, const json::object& in,
                                            std::initializer_list<const char*> members) {
  for (const char* m : members)
    if (in.contains(m)) return unsupported_parameter(op, m);
  return std::nullopt;
}

// ExpressionAttributeNames/Values given without any expression that could
// use them are an error on DynamoDB.
std::optional<api_error> check_unused_expression_maps(const json::object& in) {
  if (in.contains("ExpressionAttributeNames"))
    return api_error::validation(
        "ExpressionAttributeNames can only be specified when using expressions");
  if (in.contains("ExpressionAttributeValues"))
    return api_error::validation(
        "ExpressionAttributeValues can only be specified when using expressions");
  return std::nullopt;
}

std::optional<api_error> check_return_values(const json::object& in) {
  if (auto* rv = in.if_contains("ReturnValues")) {
    std::string_view v = rv->as_string();
    if (v != "NONE" && v != "ALL_OLD")
      return api_error::validation("ReturnValues can only be ALL_OLD or NONE");
  }
  return std::nullopt;
}

bool wants(const json::object& in, std::string_view member, std::string_view value) {
  auto* v = in.if_contains(member);
  return v && v->is_string() && v->get_string() == value;
}

// ConsumedCapacity as DynamoDB computes it: writes in 1 KB units, reads in
// 4 KB units, eventually consistent reads at half price.
void add_consumed(json::object& out, const json::object& in, const table& t, double units) {
  if (!wants(in, "ReturnConsumedCapacity", "TOTAL") &&
      !wants(in, "ReturnConsumedCapacity", "INDEXES"))
    return;
  json::object c{{"TableName", t.name}, {"CapacityUnits", units}};
  if (wants(in, "ReturnConsumedCapacity", "INDEXES")) c["Table"] = {{"CapacityUnits", units}};
  out["ConsumedCapacity"] = std::move(c);
}

double write_units(std::size_t bytes) {
  return std::max(1.0, std::ceil(static_cast<double>(bytes) / 1024.0));
}
double read_units(std::size_t bytes, bool consistent) {
  double units = std::max(1.0, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

result<table_ptr> find_table(catalog& tables, request_context& ctx, const json::object& in) {
  std::string name(in.at("TableName").as_string());
  auto t = tables.find(ctx.account_id, ctx.region, name);
  if (!t) return t.error();
  if (!*t) return errors::resource_not_found();
  return *t;
}

result<json::object> parse_stored(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return errors::internal("corrupt item");
  return std::move(v.get_object());
}

// Reads the item at `key` and writes `new_value` (or deletes when nullopt)
// atomically, returning the previous item when one existed.
result<std::optional<std::string>> swap_item(catalog& tables, const std::string& key,
                                             const std::optional<std::string>& new_value) {
  for (int attempt = 0; attempt < max_commit_attempts; ++attempt) {
    auto txn = tables.store().begin();
    auto old = txn->get(key);
    if (!old) return storage_failure(old.error());
    if (new_value)
      txn->put(key, *new_value);
    else
      txn->erase(key);
    auto committed = txn->commit();
    if (committed) return std::move(*old);
    if (committed.error().code != storage::errc::conflict)
      return storage_failure(committed.error());
  }
  return errors::internal("too much contention on one item");
}

// Writes without reading when the caller does not need the old item.
result<void> blind_write(catalog& tables, const std::string& key,
                         const std::optional<std::string>& new_value) {
  storage::write_batch batch;
  if (new_value)
    batch.put(key, *new_value);
  else
    batch.erase(key);
  auto written = tables.store().write(batch);
  if (!written) return storage_failure(written.error());
  return {};
}

result<json::object> put_item(catalog& tables, request_context& ctx, json::object& in) {
  if (auto e = reject_unsupported("PutItem", in,
                                  {"ConditionExpression", "Expected", "ConditionalOperator"}))
    return *e;
  if (auto e = check_unused_expression_maps(in)) return *e;
  if (auto e = check_return_values(in)) return *e;
  auto& item = in.at("Item").as_object();
  if (auto r = normalize_item(item); !r) return r.error();
  const std::size_t size = item_size(item);
  if (size > max_item_bytes)
    return api_error::validation("Item size has exceeded the maximum allowed size");
  auto t = find_table(tables, ctx, in);
  if (!t) return t.error();
  if (auto r = check_item_key(**t, item); !r) return r.error();

  const std::string key = item_storage_key(**t, item);
  const std::string value = json::serialize(item);
  json::object out;
  if (wants(in, "ReturnValues", "ALL_OLD")) {
    auto old = swap_item(tables, key, value);
    if (!old) return old.error();
    if (*old) {
      auto old_item = parse_stored(**old);
      if (!old_item) return old_item.error();
      out["Attributes"] = std::move(*old_item);
    }
  } else if (auto r = blind_write(tables, key, value); !r) {
    return r.error();
  }
  add_consumed(out, in, **t, write_units(size));
  return out;
}

result<json::object> get_item(catalog& tables, request_context& ctx, json::object& in) {
  if (auto e = reject_unsupported("GetItem", in, {"ProjectionExpression"})) return *e;
  if (auto e = check_unused_expression_maps(in)) return *e;
  std::vector<std::string> wanted;
  if (auto* a = in.if_contains("AttributesToGet")) {
    std::set<std::string> seen;
    for (const auto& name : a->as_array()) {
      std::string n(name.as_string());
      if (!seen.insert(n).second)
        return errors::invalid_parameter("Duplicate value in attribute name: " + n);
      wanted.push_back(std::move(n));
    }
  }
  auto t = find_table(tables, ctx, in);
  if (!t) return t.error();
  auto& key = in.at("Key").as_object();
  if (auto r = check_key(**t, key); !r) return r.error();

  auto stored = tables.store().get(item_storage_key(**t, key));
  if (!stored) return storage_failure(stored.error());
  const bool consistent = in.contains("ConsistentRead") && in.at("ConsistentRead").as_bool();
  json::object out;
  std::size_t size = 0;
  if (*stored) {
    auto item = parse_stored(**stored);
    if (!item) return item.error();
    size = item_size(*item);
    if (!wanted.empty()) {
      json::object projected;
      for (const auto& name : wanted)
        if (auto* v = item->if_contains(name)) projected[name] = *v;
      *item = std::move(projected);
    }
    out["Item"] = std::move(*item);
  }
  add_consumed(out, in, **t, read_units(size, consistent));
  return out;
}

result<json::object> delete_item(catalog& tables, request_context& ctx, json::object& in) {
  if (auto e = reject_unsupported("DeleteItem", in,
                                  {"ConditionExpression", "Expected", "ConditionalOperator"}))
    return *e;
  if (auto e = check_unused_expression_maps(in)) return *e;
  if (auto e = check_return_values(in)) return *e;
  auto t = find_table(tables, ctx, in);
  if (!t) return t.error();
  auto& key = in.at("Key").as_object();
  if (auto r = check_key(**t, key); !r) return r.error();

  const std::string storage_key = item_storage_key(**t, key);
  json::object out;
  std::size_t size = 0;
  // The old item is read in the same transaction as the delete: it is needed
  // for ALL_OLD, and for the capacity the delete consumes.
  auto old = swap_item(tables, storage_key, std::nullopt);
  if (!old) return old.error();
  if (*old) {
    auto old_item = parse_stored(**old);
    if (!old_item) return old_item.error();
    size = item_size(*old_item);
    if (wants(in, "ReturnValues", "ALL_OLD")) out["Attributes"] = std::move(*old_item);
  }
  add_consumed(out, in, **t, write_units(size));
  return out;
}

}  // namespace

void add_item_operations(handler_table& table, catalog& tables) {
  auto bind = [&tables](auto fn) {
    return [&tables, fn](request_context& ctx, json::object& in) { return fn(tables, ctx, in); };
  };
  table["PutItem"] = bind(put_item);
  table["GetItem"] = bind(get_item);
  table["DeleteItem"] = bind(delete_item);
}

}  // namespace stratus::dynamodb
