// PutItem, GetItem, DeleteItem and UpdateItem, with their expressions
// (ConditionExpression, ProjectionExpression, UpdateExpression, and the
// legacy Expected/AttributeUpdates translated into the same trees).
// Conditional writes read, check and write in one optimistic transaction.
#include <boost/json.hpp>
#include <set>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/expr/expr.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/item_changes.hpp"
#include "dynamodb/item_expressions.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/keys.hpp"
#include "dynamodb/service.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

using decision = write_decision;

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

std::string_view text_of(const json::object& in, std::string_view member) {
  auto* v = in.if_contains(member);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

void add_consumed(json::object& out, const json::object& in, const table& t, double units,
                  const index_units& indexes = {}) {
  auto mode = capacity_mode(in);
  if (mode != "NONE") out["ConsumedCapacity"] = consumed_capacity(mode, t, units, indexes);
}

result<table_ptr> find_table(catalog& tables, request_context& ctx, const json::object& in) {
  return dynamodb::find_table(tables, ctx, in.at("TableName").as_string());
}

result<json::object> put_item(catalog& tables, request_context& ctx, json::object& in) {
  if (auto e = check_parameter_mix(in)) return *e;
  if (auto e = check_return_values(in)) return *e;
  auto exprs = resolve_item_expressions(in, {.condition = true});
  if (!exprs) return exprs.error();
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
  // A put is charged for the larger of the old and the new item, so the old
  // one is read when capacity is reported.
  std::size_t charged = size;
  index_units indexes;
  if (!exprs->condition && !wants(in, "ReturnValues", "ALL_OLD") && capacity_mode(in) == "NONE" &&
      !needs_old_image(**t)) {
    storage::write_batch batch;  // nothing to read: a blind write
    batch.put(key, value);
    if (auto written = tables.store().write(batch); !written)
      return storage_failure(written.error());
  } else {
    auto old =
        read_modify_write(tables, **t, key, [&](const json::object* current) -> result<decision> {
          auto holds = condition_holds(*exprs, current);
          if (!holds) return holds.error();
          if (!*holds) return condition_failed(in, current);
          return decision{decision::action::put, value, {}};
        });
    if (!old) return old.error();
    if (*old) charged = std::max(charged, item_size(**old));
    indexes = index_write_units(**t, *old ? &**old : nullptr, &item);
    if (*old && wants(in, "ReturnValues", "ALL_OLD")) out["Attributes"] = std::move(**old);
  }
  add_consumed(out, in, **t, write_units(charged), indexes);
  return out;
}

result<json::object> get_item(catalog& tables, request_context& ctx, json::object& in) {
  if (auto e = check_parameter_mix(in)) return *e;
  auto exprs = resolve_item_expressions(in, {.projection = true});
  if (!exprs) return exprs.error();
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
  const bool whole_item = !exprs->projection && wanted->empty() && capacity_mode(in) == "NONE";
  if (*stored && whole_item) {
    // Stored items are serialized documents already: sent as they are.
    ctx.raw_output.emplace_back("Item", std::move(**stored));
  } else if (*stored) {
    auto item = parse_stored_item(**stored);
    if (!item) return item.error();
    size = item_size(*item);
    if (exprs->projection)
      *item = expr::apply_projection(*exprs->projection, *item);
    else
      project(*item, *wanted);
    out["Item"] = std::move(*item);
  }
  add_consumed(out, in, **t, read_units(size, consistent));
  return out;
}

result<json::object> delete_item(catalog& tables, request_context& ctx, json::object& in) {
  if (auto e = check_parameter_mix(in)) return *e;
  if (auto e = check_return_values(in)) return *e;
  auto exprs = resolve_item_expressions(in, {.condition = true});
  if (!exprs) return exprs.error();
  auto t = find_table(tables, ctx, in);
  if (!t) return t.error();
  auto& key = in.at("Key").as_object();
  if (auto r = check_key(**t, key); !r) return r.error();

  auto old = read_modify_write(tables, **t, item_storage_key(**t, key),
                               [&](const json::object* current) -> result<decision> {
                                 auto holds = condition_holds(*exprs, current);
                                 if (!holds) return holds.error();
                                 if (!*holds) return condition_failed(in, current);
                                 if (!current) return decision{};
                                 return decision{decision::action::erase, {}, {}};
                               });
  if (!old) return old.error();
  json::object out;
  std::size_t size = 0;
  index_units indexes;
  if (*old) {
    size = item_size(**old);
    indexes = index_write_units(**t, &**old, nullptr);
    if (wants(in, "ReturnValues", "ALL_OLD")) out["Attributes"] = std::move(**old);
  }
  add_consumed(out, in, **t, write_units(size), indexes);
  return out;
}

result<json::object> update_item(catalog& tables, request_context& ctx, json::object& in) {
  if (auto e = check_parameter_mix(in)) return *e;
  auto exprs = resolve_item_expressions(in, {.condition = true, .update = true});
  if (!exprs) return exprs.error();
  auto t = find_table(tables, ctx, in);
  if (!t) return t.error();
  auto& key = in.at("Key").as_object();
  if (auto r = check_key(**t, key); !r) return r.error();
  std::string_view return_values = text_of(in, "ReturnValues");
  std::optional<expr::update_outcome> outcome;
  std::size_t new_size = 0;
  bool created = true;
  auto old = read_modify_write(
      tables, **t, item_storage_key(**t, key),
      [&](const json::object* current) -> result<decision> {
        auto holds = condition_holds(*exprs, current);
        if (!holds) return holds.error();
        if (!*holds) return condition_failed(in, current);
        // Removing from an item that does not exist does not create it,
        // and a nested path it lacks is no error then (DynamoDB ignores
        // REMOVE x.y on a missing item; test_nested_attribute_remove_from_missing_item).
        const bool removal_only =
            !current && exprs->update && !exprs->update->actions.empty() &&
            std::all_of(exprs->update->actions.begin(), exprs->update->actions.end(),
                        [](const expr::update_action& a) {
                          return a.kind == expr::update_action_kind::remove ||
                                 a.kind == expr::update_action_kind::delete_;
                        });
        auto applied = updated_item(**t, *exprs, current, key);
        if (!applied && removal_only &&
            applied.error().message == expr::invalid_update_path_message)
          applied = expr::update_outcome{json::object(key), {}, {}};
        if (!applied) return applied.error();
        outcome = std::move(*applied);
        if (removal_only) {
          created = false;
          return decision{};
        }
        new_size = item_size(outcome->item);
        return decision{decision::action::put, json::serialize(outcome->item), outcome->item};
      });
  if (!old) return old.error();

  json::object out;
  json::object attributes;
  if (return_values == "ALL_OLD" && *old)
    attributes = **old;
  else if (return_values == "ALL_NEW" && (*old || created))
    attributes = outcome->item;
  else if (return_values == "UPDATED_OLD" && *old)
    attributes = expr::apply_projection(outcome->updated_paths, **old);
  else if (return_values == "UPDATED_NEW" && (*old || created))
    attributes = expr::apply_projection(outcome->updated_paths, outcome->item);
  if (!attributes.empty()) out["Attributes"] = std::move(attributes);
  const bool written = *old || created;
  add_consumed(
      out, in, **t, write_units(std::max(new_size, *old ? item_size(**old) : 0)),
      written ? index_write_units(**t, *old ? &**old : nullptr, &outcome->item) : index_units{});
  return out;
}

}  // namespace

void add_item_operations(handler_table& table, catalog& tables) {
  table["PutItem"] = with_catalog(tables, put_item);
  table["GetItem"] = with_catalog(tables, get_item);
  table["DeleteItem"] = with_catalog(tables, delete_item);
  table["UpdateItem"] = with_catalog(tables, update_item);
}

}  // namespace stratus::dynamodb
