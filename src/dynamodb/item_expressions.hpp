#pragma once
// The expressions of one item-level request (PutItem, DeleteItem,
// UpdateItem, GetItem, and each action of a transaction), resolved
// together, and the steps the write operations share: checking the
// condition against the current item and computing an updated item.
//
// Thread-safety: one object per request.

#include <boost/json/object.hpp>
#include <optional>

#include "common/api_error.hpp"
#include "dynamodb/expr/expr.hpp"
#include "dynamodb/table.hpp"

namespace stratus::dynamodb {

struct item_expressions {
  std::optional<expr::request_expressions> maps;
  std::optional<expr::condition> condition;
  std::optional<expr::projection> projection;
  std::optional<expr::update> update;
  bool legacy_update = false;  // the update came from AttributeUpdates
};

// Parses and resolves the ConditionExpression / ProjectionExpression /
// UpdateExpression members of `in` that `allowed` lets through, with the
// request's ExpressionAttributeNames/Values; unused entries are errors.
struct allowed_expressions {
  bool condition = false;
  bool projection = false;
  bool update = false;
};
// The legacy Expected (a condition) and AttributeUpdates (an update) are
// translated into the same trees; their values are normalised in place.
[[nodiscard]] result<item_expressions> resolve_item_expressions(boost::json::object& in,
                                                                allowed_expressions allowed);

// The ConditionExpression, if any, against the current item (null: absent).
[[nodiscard]] result<bool> condition_holds(const item_expressions& e,
                                           const boost::json::object* current);

// The item after the UpdateExpression (or just the key, creating it), with
// DynamoDB's refusal to modify key attributes and its size limit.
[[nodiscard]] result<expr::update_outcome> updated_item(const table& t, const item_expressions& e,
                                                        const boost::json::object* current,
                                                        const boost::json::object& key);

}  // namespace stratus::dynamodb
