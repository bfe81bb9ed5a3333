// BatchGetItem and BatchWriteItem. The whole batch is validated before any
// item is read or written, as DynamoDB does; a BatchWriteItem is then applied
// in one atomic storage write, so UnprocessedItems is always empty.
#include <boost/json.hpp>
#include <map>
#include <set>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/expr/expr.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/item_changes.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/keys.hpp"
#include "dynamodb/service.hpp"
#include "storage/retry.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::size_t max_batch_get_keys = 100;
constexpr std::size_t max_batch_write_requests = 25;

api_error duplicates() {
  return errors::invalid_parameter("Provided list of item keys contains duplicates");
}

// Index capacity consumed by the writes of a batch, by table id.
using batch_index_units = std::map<std::uint64_t, index_units>;

// Adds the per-table ConsumedCapacity list when it was asked for.
void add_consumed(json::object& out, std::string_view mode,
                  const std::vector<std::pair<table_ptr, double>>& per_table,
                  const batch_index_units& indexes = {}) {
  if (mode == "NONE") return;
  json::array list;
  for (const auto& [t, units] : per_table) {
    auto it = indexes.find(t->id);
    list.push_back(
        consumed_capacity(mode, *t, units, it == indexes.end() ? index_units{} : it->second));
  }
  out["ConsumedCapacity"] = std::move(list);
}

// A null per-table entry of RequestItems, which the model lets through.
std::optional<api_error> null_entry(const json::object& requests, json::kind wanted) {
  for (const auto& [name, v] : requests)
    if (v.kind() != wanted)
      return api_error::validation(
          "1 validation error detected: Value null at 'requestItems." + std::string(name) +
          ".member' failed to satisfy constraint: Member must not be null");
  return std::nullopt;
}

result<json::object> batch_get_item(catalog& tables, request_context& ctx, json::object& in) {
  auto& requests = in.at("RequestItems").as_object();
  if (auto e = null_entry(requests, json::kind::object)) return *e;
  struct table_request {
    table_ptr table;
    std::vector<std::string> storage_keys;
    std::vector<std::string> wanted;
    bool consistent = false;
    std::optional<expr::projection> projection;
  };
  std::vector<table_request> plan;
  std::size_t total = 0;
  for (auto& [name, request_value] : requests) {
    auto& request = request_value.as_object();
    total += request.at("Keys").as_array().size();
  }
  if (total > max_batch_get_keys)
    return api_error::validation("Too many items requested for the BatchGetItem call");

  for (auto& [name, request_value] : requests) {
    auto& request = request_value.as_object();
    if (auto e = check_parameter_mix(request)) return *e;
    std::optional<expr::projection> projection;
    if (auto* text = request.if_contains("ProjectionExpression")) {
      auto* names = request.if_contains("ExpressionAttributeNames");
      auto maps = expr::request_expressions::create(names ? &names->as_object() : nullptr, nullptr);
      if (!maps) return maps.error();
      auto p = maps->resolve_projection(text->as_string());
      if (!p) return p.error();
      if (auto ok = maps->check_unused(); !ok) return ok.error();
      projection = std::move(*p);
    } else if (auto e = check_unused_expression_maps(request)) {
      return *e;
    }
    auto wanted = attributes_to_get(request);
    if (!wanted) return wanted.error();
    auto t = find_table(tables, ctx, name);
    if (!t) return t.error();
    table_request tr{*t,
                     {},
                     std::move(*wanted),
                     request.contains("ConsistentRead") && request.at("ConsistentRead").as_bool(),
                     std::move(projection)};
    std::set<std::string> seen;
    for (auto& key : request.at("Keys").as_array()) {
      if (!key.is_object()) return api_error::serialization("Unexpected value type in payload");
      if (auto r = check_key(**t, key.get_object()); !r) return r.error();
      std::string storage_key = item_storage_key(**t, key.get_object());
      if (!seen.insert(storage_key).second) return duplicates();
      tr.storage_keys.push_back(std::move(storage_key));
    }
    plan.push_back(std::move(tr));
  }

  // One snapshot for the whole batch: every item is read at the same moment.
  auto& store = tables.store();
  auto snapshot = store.take_snapshot();
  json::object responses;
  std::vector<std::pair<table_ptr, double>> consumed;
  for (auto& tr : plan) {
    json::array items;
    double units = 0;
    for (const auto& key : tr.storage_keys) {
      auto stored = store.get(key, {snapshot.get()});
      if (!stored) return storage_failure(stored.error());
      std::size_t size = 0;
      if (*stored) {
        auto item = parse_stored_item(**stored);
        if (!item) return item.error();
        size = item_size(*item);
        if (tr.projection)
          *item = expr::apply_projection(*tr.projection, *item);
        else
          project(*item, tr.wanted);
        items.push_back(std::move(*item));
      }
      units += read_units(size, tr.consistent);
    }
    responses[tr.table->name] = std::move(items);
    consumed.emplace_back(tr.table, units);
  }
  json::object out{{"Responses", std::move(responses)}, {"UnprocessedKeys", json::object()}};
  add_consumed(out, capacity_mode(in), consumed);
  return out;
}

template <class Write>
std::optional<api_error> apply(catalog& tables, const std::vector<Write>& writes, bool blind,
                               batch_index_units& indexes) {
  if (blind) {
    storage::write_batch batch;
    for (const auto& w : writes) {
      if (w.item)
        batch.put(w.storage_key, w.value);
      else
        batch.erase(w.storage_key);
    }
    if (auto written = tables.store().write(batch); !written)
      return storage_failure(written.error());
    return std::nullopt;
  }
  // Index entries follow the items they replace: read them in one
  // optimistic transaction, retried when a concurrent write got in between.
  for (storage::occ_retry retry(32); retry.next();) {
    auto txn = tables.store().begin();
    change_set ops;
    indexes.clear();
    for (const auto& w : writes) {
      auto stored = txn->get(w.storage_key);
      if (!stored) return storage_failure(stored.error());
      std::optional<json::object> before;
      if (*stored) {
        auto parsed = parse_stored_item(**stored);
        if (!parsed) return parsed.error();
        before = std::move(*parsed);
      }
      item_change_writes(*w.table, w.storage_key, before ? &*before : nullptr, w.item, w.value,
                         ops);
      auto& used = indexes[w.table->id];
      for (const auto& [ix, units] :
           index_write_units(*w.table, before ? &*before : nullptr, w.item)) {
        auto slot = std::find_if(used.begin(), used.end(),
                                 [id = ix](const auto& u) { return u.first == id; });
        if (slot == used.end())
          used.emplace_back(ix, units);
        else
          slot->second += units;
      }
    }
    auto committed = commit_changes(tables, *txn, ops);
    if (committed) return std::nullopt;
    if (!retry.retryable(committed.error())) return storage_failure(committed.error());
  }
  return api_error{"TransactionConflictException",
                   "Transaction is ongoing for the item; too much contention", 400};
}

result<json::object> batch_write_item(catalog& tables, request_context& ctx, json::object& in) {
  auto& requests = in.at("RequestItems").as_object();
  if (auto e = null_entry(requests, json::kind::array)) return *e;
  std::size_t total = 0;
  for (auto& [name, list] : requests) total += list.as_array().size();
  if (total > max_batch_write_requests)
    return api_error::validation("Too many items requested for the BatchWriteItem call");

  // Validated first; written together afterwards.
  struct write {
    table_ptr table;
    std::string storage_key;
    const json::object* item;  // null: delete
    std::string value;
  };
  std::vector<write> writes;
  bool blind = true;  // no table needs the items being replaced
  std::vector<std::pair<table_ptr, double>> consumed;
  for (auto& [name, list] : requests) {
    auto t = find_table(tables, ctx, name);
    if (!t) return t.error();
    std::set<std::string> seen;
    double units = 0;
    for (auto& request_value : list.as_array()) {
      if (!request_value.is_object())
        return api_error::serialization("Unexpected value type in payload");
      auto& request = request_value.get_object();
      // A null member is no member (the model lets nulls through).
      auto member = [&](const char* name) {
        auto* v = request.if_contains(name);
        return v && !v->is_null() ? v : nullptr;
      };
      auto* put = member("PutRequest");
      auto* del = member("DeleteRequest");
      if ((put == nullptr) == (del == nullptr))
        return api_error::validation(
            "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest");
      std::string storage_key;
      if (put) {
        auto& item = put->as_object().at("Item").as_object();
        if (auto r = normalize_item(item); !r) return r.error();
        const std::size_t size = item_size(item);
        if (size > max_item_bytes)
          return api_error::validation("Item size has exceeded the maximum allowed size");
        if (auto r = check_item_key(**t, item); !r) return r.error();
        storage_key = item_storage_key(**t, item);
        writes.push_back({*t, storage_key, &item, json::serialize(item)});
        units += write_units(size);
      } else {
        auto& key = del->as_object().at("Key").as_object();
        if (auto r = check_key(**t, key); !r) return r.error();
        storage_key = item_storage_key(**t, key);
        writes.push_back({*t, storage_key, nullptr, {}});
        units += write_units(0);
      }
      if (!seen.insert(storage_key).second) return duplicates();
    }
    consumed.emplace_back(*t, units);
    blind = blind && !needs_old_image(**t);
  }
  batch_index_units indexes;
  if (auto e = apply(tables, writes, blind, indexes)) return *e;
  json::object out{{"UnprocessedItems", json::object()}};
  add_consumed(out, capacity_mode(in), consumed, indexes);
  return out;
}

}  // namespace

void add_batch_operations(handler_table& table, catalog& tables) {
  table["BatchGetItem"] = with_catalog(tables, batch_get_item);
  table["BatchWriteItem"] = with_catalog(tables, batch_write_item);
}

}  // namespace stratus::dynamodb
