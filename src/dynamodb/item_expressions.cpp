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
  if (auto* expected = in.if_contains("Expected"); expected && allowed.condition) {
    auto c = legacy_expected(expected->as_object(), in);
    if (!c) return c.error();
    e.condition = std::move(*c);
  }
  if (auto* updates = in.if_contains("AttributeUpdates"); updates && allowed.update) {
    auto u = legacy_attribute_updates(updates->as_object());
    if (!u) return u.error();
    e.update = std::move(*u);
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
    auto applied = expr::apply_update(*e.update, &base);
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
