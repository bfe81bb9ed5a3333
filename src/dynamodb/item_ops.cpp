// PutItem, GetItem, DeleteItem: whole items and keys. Expressions and the
// legacy conditional parameters come with the expression engine.
#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/keys.hpp"
#include "dynamodb/service.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr int max_commit_attempts = 32;

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

void add_consumed(json::object& out, const json::object& in, const table& t, double units) {
  auto mode = capacity_mode(in);
  if (mode != "NONE") out["ConsumedCapacity"] = consumed_capacity(mode, t, units);
}

result<table_ptr> find_table(catalog& tables, request_context& ctx, const json::object& in) {
  return dynamodb::find_table(tables, ctx, in.at("TableName").as_string());
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
      auto old_item = parse_stored_item(**old);
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
  auto wanted = attributes_to_get(in);
  if (!wanted) return wanted.error();
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
    auto item = parse_stored_item(**stored);
    if (!item) return item.error();
    size = item_size(*item);
    project(*item, *wanted);
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
    auto old_item = parse_stored_item(**old);
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
