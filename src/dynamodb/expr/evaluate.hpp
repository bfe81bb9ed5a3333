#pragma once
// Stage 4a: a resolved ConditionExpression / FilterExpression against an
// item. A missing attribute or a type mismatch makes a comparison false
// (<> true), never an error; numbers compare as decimals, strings and
// binaries as unsigned bytes.
//
// Thread-safety: pure function over const data.

#include <boost/json/object.hpp>

#include "common/api_error.hpp"
#include "dynamodb/expr/ast.hpp"

namespace stratus::dynamodb::expr {

// `item` is null when the item does not exist (every attribute is missing).
[[nodiscard]] result<bool> evaluate_condition(const condition& c, const boost::json::object* item);

}  // namespace stratus::dynamodb::expr
