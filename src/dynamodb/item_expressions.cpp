#include "dynamodb/item_expressions.hpp"

#include <boost/json.hpp>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/legacy.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

result<item_expressions> resolve_item_expressions(json::object& in, allowed_expressions allowed) {
  item_expressions e;
  if (allowed.condition && in.contains("ConditionalOperator")) {
    auto* expected = in.if_contains("Expected");
    if (!expected || expected->as_object().empty())
      return errors::invalid_parameter(
          "ConditionalOperator can only be used when Expected has at least one condition");
  }
  if (auto* expected = in.if_contains("Expected"); expected && allowed.condition) {
    auto c = legacy_expected(expected->as_object(), in);
    if (!c) return c.error();
    e.condition = std::move(*c);
  }
  if (auto* updates = in.if_contains("AttributeUpdates"); updates && allowed.update) {
    auto u = legacy_attribute_updates(updates->as_object());
    if (!u) return u.error();
    e.update = std::move(*u);
    e.legacy_update = true;
  }
  auto text = [&](const char* member) { return std::string_view(in.at(member).as_string()); };
  const bool any = (allowed.condition && in.contains("ConditionExpression")) ||
                   (allowed.projection && in.contains("ProjectionExpression")) ||
                   (allowed.update && in.contains("UpdateExpression"));
  if (!any) {
    if (auto err = check_unused_expression_maps(in)) return *err;
    return e;
  }
  auto* names = in.if_contains("ExpressionAttributeNames");
  auto* values = in.if_contains("ExpressionAttributeValues");
  auto maps = expr::request_expressions::create(names ? &names->as_object() : nullptr,
                                                values ? &values->as_object() : nullptr);
  if (!maps) return maps.error();
  e.maps = std::move(*maps);
  if (allowed.update && in.contains("UpdateExpression")) {
    auto u = e.maps->resolve_update(text("UpdateExpression"));
    if (!u) return u.error();
    e.update = std::move(*u);
  }
  if (allowed.condition && in.contains("ConditionExpression")) {
    auto c =
        e.maps->resolve_condition(text("ConditionExpression"), expr::expression_kind::condition);
    if (!c) return c.error();
    e.condition = std::move(*c);
  }
  if (allowed.projection && in.contains("ProjectionExpression")) {
    auto p = e.maps->resolve_projection(text("ProjectionExpression"));
    if (!p) return p.error();
    e.projection = std::move(*p);
  }
  if (auto ok = e.maps->check_unused(); !ok) return ok.error();
  return e;
}

result<bool> condition_holds(const item_expressions& e, const json::object* current) {
  if (!e.condition) return true;
  return expr::evaluate_condition(*e.condition, current);
}

result<expr::update_outcome> updated_item(const table& t, const item_expressions& e,
                                          const json::object* current, const json::object& key) {
  json::object base = current ? *current : key;
  expr::update_outcome outcome;
  if (e.update) {
    // Key attributes cannot change, whatever the action would have done.
    for (const auto& a : e.update->actions) {
      const std::string& name = a.target.steps[0].name;
      if (name == t.hash.name || (t.range && name == t.range->name))
        return errors::invalid_parameter("Cannot update attribute " + name +
                                         ". This attribute is part of the key");
    }
    auto applied = expr::apply_update(*e.update, &base);
    if (!applied && e.legacy_update &&
        applied.error().message == "An operand in the update expression has an incorrect data type")
      return api_error::validation("Type mismatch for attribute to update");
    if (!applied) return applied.error();
    for (const auto& name : applied->modified_attributes)
      if (name == t.hash.name || (t.range && name == t.range->name))
        return errors::invalid_parameter("Cannot update attribute " + name +
                                         ". This attribute is part of the key");
    outcome = std::move(*applied);
  } else {
    outcome.item = std::move(base);
  }
  if (item_size(outcome.item) > max_item_bytes)
    return api_error::validation("Item size to update has exceeded the maximum allowed size");
  if (auto e = check_index_keys(t, outcome.item)) return *e;
  return outcome;
}

}  // namespace stratus::dynamodb
