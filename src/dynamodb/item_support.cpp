#include "dynamodb/item_support.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "dynamodb/errors.hpp"
#include "dynamodb/item_changes.hpp"
#include "dynamodb/service.hpp"
#include "storage/retry.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

result<table_ptr> find_table(catalog& tables, const request_context& ctx, std::string_view name) {
  auto t = tables.find(ctx.account_id, ctx.region, std::string(name));
  if (!t) return t.error();
  if (!*t) return errors::resource_not_found();
  return *t;
}

result<json::object> parse_stored_item(std::string_view text, json::storage_ptr storage) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, std::move(storage));
  if (ec || !v.is_object()) return errors::internal("corrupt item");
  return std::move(v.get_object());
}

std::optional<api_error> reject_unsupported(std::string_view operation, const json::object& in,
                                            std::initializer_list<const char*> members) {
  for (const char* m : members)
    if (in.contains(m)) return unsupported_parameter(operation, m);
  return std::nullopt;
}

std::optional<api_error> check_unused_expression_maps(const json::object& in) {
  if (in.contains("ExpressionAttributeNames"))
    return api_error::validation(
        "ExpressionAttributeNames can only be specified when using expressions");
  if (in.contains("ExpressionAttributeValues"))
    return api_error::validation(
        "ExpressionAttributeValues can only be specified when using expressions");
  return std::nullopt;
}

result<std::vector<std::string>> attributes_to_get(const json::object& in) {
  std::vector<std::string> names;
  auto* a = in.if_contains("AttributesToGet");
  if (!a) return names;
  std::set<std::string> seen;
  for (const auto& name : a->as_array()) {
    std::string n(name.as_string());
    if (n.empty()) return errors::invalid_parameter("Empty attribute name");
    if (!seen.insert(n).second)
      return errors::invalid_parameter("Duplicate value in attribute name: " + n);
    names.push_back(std::move(n));
  }
  return names;
}

void project(json::object& item, const std::vector<std::string>& names) {
  if (names.empty()) return;
  json::object projected;
  for (const auto& name : names)
    if (auto* v = item.if_contains(name)) projected[name] = std::move(*v);
  item = std::move(projected);
}

double write_units(std::size_t bytes) {
  return std::max(1.0, std::ceil(static_cast<double>(bytes) / 1024.0));
}

double read_units(std::size_t bytes, bool consistent) {
  double units = std::max(1.0, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

std::string_view capacity_mode(const json::object& in) {
  auto* v = in.if_contains("ReturnConsumedCapacity");
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view("NONE");
}

json::object consumed_capacity(std::string_view mode, const table& t, double units) {
  json::object c{{"TableName", t.name}, {"CapacityUnits", units}};
  if (mode == "INDEXES") c["Table"] = {{"CapacityUnits", units}};
  return c;
}

json::object consumed_capacity(std::string_view mode, const table& t,
                               std::optional<double> table_units, const index_units& indexes) {
  double total = table_units.value_or(0);
  for (const auto& [ix, units] : indexes) total += units;
  json::object c{{"TableName", t.name}, {"CapacityUnits", total}};
  if (mode != "INDEXES") return c;
  if (table_units) c["Table"] = {{"CapacityUnits", *table_units}};
  for (const auto& [ix, units] : indexes) {
    const char* kind = ix->global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes";
    if (!c.contains(kind)) c[kind] = json::object();
    c[kind].as_object()[ix->name] = {{"CapacityUnits", units}};
  }
  return c;
}

json::array consumed_per_table(std::string_view mode, const std::vector<table_ptr>& used,
                               double per_item) {
  std::vector<std::pair<table_ptr, double>> per_table;
  for (const auto& t : used) {
    auto it = std::find_if(per_table.begin(), per_table.end(),
                           [&](const auto& p) { return p.first->id == t->id; });
    if (it == per_table.end())
      per_table.emplace_back(t, per_item);
    else
      it->second += per_item;
  }
  json::array list;
  for (const auto& [t, units] : per_table) list.push_back(consumed_capacity(mode, *t, units));
  return list;
}

result<json::object> decided_item(const write_decision& d) {
  if (d.item) return *d.item;
  return parse_stored_item(d.value);
}

result<std::optional<json::object>> read_modify_write(
    catalog& tables, const table& t, const std::string& key,
    const std::function<result<write_decision>(const json::object* old)>& decide) {
  for (storage::occ_retry retry(32); retry.next();) {
    auto txn = tables.store().begin();
    auto stored = txn->get(key);
    if (!stored) return storage_failure(stored.error());
    std::optional<json::object> old;
    if (*stored) {
      auto parsed = parse_stored_item(**stored);
      if (!parsed) return parsed.error();
      old = std::move(*parsed);
    }
    auto decision = decide(old ? &*old : nullptr);
    if (!decision) return decision.error();
    if (decision->what == write_decision::action::keep) return old;
    change_set writes;
    if (decision->what == write_decision::action::put && needs_old_image(t)) {
      auto after = decided_item(*decision);
      if (!after) return after.error();
      item_change_writes(t, key, old ? &*old : nullptr, &*after, decision->value, writes);
    } else if (decision->what == write_decision::action::put) {
      writes.writes.put(key, decision->value);
    } else {
      item_change_writes(t, key, old ? &*old : nullptr, nullptr, {}, writes);
    }
    auto committed = commit_changes(tables, *txn, writes);
    if (committed) return old;
    if (!retry.retryable(committed.error())) return storage_failure(committed.error());
  }
  return api_error{"TransactionConflictException",
                   "Transaction is ongoing for the item; too much contention", 400};
}

api_error condition_failed(const json::object& in, const json::object* old) {
  api_error e{"ConditionalCheckFailedException", "The conditional request failed", 400};
  auto* mode = in.if_contains("ReturnValuesOnConditionCheckFailure");
  if (old && mode && mode->is_string() && mode->get_string() == "ALL_OLD") e.extra["Item"] = *old;
  return e;
}

std::optional<api_error> check_parameter_mix(const json::object& in) {
  // KeyConditions may go with the other expressions (AWS accepts
  // KeyConditions + FilterExpression); it only clashes with its own new form.
  std::vector<std::string> legacy, modern;
  for (const char* name : {"AttributeUpdates", "AttributesToGet", "ConditionalOperator", "Expected",
                           "QueryFilter", "ScanFilter"})
    if (in.contains(name)) legacy.emplace_back(name);
  if (in.contains("KeyConditions") && in.contains("KeyConditionExpression"))
    legacy.emplace_back("KeyConditions");
  std::sort(legacy.begin(), legacy.end());
  for (const char* name : {"ConditionExpression", "FilterExpression", "KeyConditionExpression",
                           "ProjectionExpression", "UpdateExpression"})
    if (in.contains(name)) modern.emplace_back(name);
  if (legacy.empty() || modern.empty()) return std::nullopt;
  auto set = [](const std::vector<std::string>& names) {
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
    return out + "}";
  };
  return api_error::validation(
      "Can not use both expression and non-expression parameters in the same request: "
      "Non-expression parameters: " +
      set(legacy) + " Expression parameters: " + set(modern));
}

}  // namespace stratus::dynamodb
