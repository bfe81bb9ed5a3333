#pragma once
// Stage 4d: a resolved KeyConditionExpression checked against the table's
// (or index's) key schema and reduced to what a Query scans: the hash key's
// value and an optional condition on the range key.
//
// Thread-safety: pure function.

#include <boost/json/value.hpp>
#include <optional>
#include <vector>

#include "common/api_error.hpp"
#include "dynamodb/expr/ast.hpp"
#include "dynamodb/table.hpp"

namespace stratus::dynamodb::expr {

enum class key_op { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH };

struct range_condition {
  key_op op = key_op::EQ;
  std::vector<boost::json::value> values;  // one, or two for BETWEEN (lower, upper)
};

struct key_condition {
  boost::json::value hash_value;
  std::optional<range_condition> range;
};

// Whether a range key's value satisfies the range condition: the same
// typed order as conditions (numbers as decimals, bytes unsigned).
[[nodiscard]] bool range_matches(const range_condition& r, const boost::json::value& key_value);

// A Query's FilterExpression may not name a key attribute (DynamoDB: "Filter
// Expression can only contain non-primary key attributes: Primary key
// attribute: c"; test_filter_expression_sort_key).
[[nodiscard]] result<void> check_filter_keys(const condition& resolved_filter,
                                             const key_attribute& hash,
                                             const std::optional<key_attribute>& range);

[[nodiscard]] result<key_condition> parse_key_condition(const condition& resolved,
                                                        const key_attribute& hash,
                                                        const std::optional<key_attribute>& range);

// A key condition on an index with several HASH and/or RANGE attributes
// (composite GSI keys): equality on every HASH attribute; the RANGE
// attributes constrained left to right without gaps, all by equality but
// the last, which may use any key operator.
struct composite_key_condition {
  std::vector<boost::json::value> hash_values;  // in KeySchema order
  std::vector<boost::json::value> range_equal;  // the leading RANGE attributes
  std::optional<range_condition> last;          // on the next RANGE attribute
};

[[nodiscard]] result<composite_key_condition> parse_composite_key_condition(
    const condition& resolved, const std::vector<key_attribute>& hash,
    const std::vector<key_attribute>& range);

}  // namespace stratus::dynamodb::expr
