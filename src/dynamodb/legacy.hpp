#pragma once
// The legacy (pre-expression) parameters, translated into the expression
// engine's trees so that one evaluator serves both: Expected, QueryFilter
// and ScanFilter (with ConditionalOperator) become conditions,
// AttributeUpdates becomes an update. Values are validated and normalised
// here, with DynamoDB's messages for wrong argument counts and types.
//
// Thread-safety: pure functions.

#include <boost/json/object.hpp>
#include <optional>

#include "common/api_error.hpp"
#include "dynamodb/expr/ast.hpp"

namespace stratus::dynamodb {

// Expected: {attr: {Value, Exists, ComparisonOperator, AttributeValueList}}.
// An empty map is no condition (nullopt).
[[nodiscard]] result<std::optional<expr::condition>> legacy_expected(
    boost::json::object& expected, const boost::json::object& request);

// QueryFilter / ScanFilter: {attr: {ComparisonOperator, AttributeValueList}}.
[[nodiscard]] result<std::optional<expr::condition>> legacy_filter(
    boost::json::object& filter, const boost::json::object& request);

// AttributeUpdates: {attr: {Value, Action: PUT | DELETE | ADD}}.
[[nodiscard]] result<expr::update> legacy_attribute_updates(boost::json::object& updates);

}  // namespace stratus::dynamodb
