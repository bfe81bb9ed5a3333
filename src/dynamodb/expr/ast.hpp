#pragma once
// The trees the expression parser produces and every later stage consumes.
// A parsed tree still holds "#name" and ":value" placeholders; resolve.hpp
// makes a copy with the names substituted and the values filled in, which is
// what evaluate, projection, update and key_condition take.
//
// Thread-safety: plain value types. Parsed trees are shared read-only through
// the cache (std::shared_ptr<const T>).

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::dynamodb::expr {

// Which request member an expression came from; it names the expression in
// every message ("Invalid ConditionExpression: ...").
enum class expression_kind { condition, filter, key_condition, projection, update };
[[nodiscard]] std::string_view member_name(expression_kind kind);

// One step of a document path: a name (attribute or map key) or a list index.
struct path_step {
  std::string name;       // before resolve may be "#placeholder"
  std::size_t index = 0;  // when is_index
  bool is_index = false;
  bool placeholder = false;  // name is an ExpressionAttributeNames key
  bool operator==(const path_step&) const = default;
};

// a.b[3].c: the first step is always a name.
struct path {
  std::vector<path_step> steps;
  bool operator==(const path&) const = default;
};

// DynamoDB's rendering of a path in messages: [a, b, [3], c].
[[nodiscard]] std::string to_string(const path& p);

enum class operand_kind { path, value, size, if_not_exists, list_append, plus, minus };

// A value-producing term: a path, a ":value", size(x), or (update only)
// if_not_exists, list_append, x + y and x - y.
struct operand {
  operand_kind kind = operand_kind::path;
  expr::path path;            // kind == path
  std::string value_name;     // kind == value: ":v"
  boost::json::value value;   // kind == value, after resolve: the wire form
  std::vector<operand> args;  // functions and arithmetic
};

enum class comparator { eq, ne, lt, le, gt, ge };
[[nodiscard]] std::string_view symbol(comparator op);

enum class condition_kind {
  compare,
  between,
  in,
  and_,
  or_,
  not_,
  attribute_exists,
  attribute_not_exists,
  attribute_type,
  begins_with,
  contains,
};

// ConditionExpression, FilterExpression and KeyConditionExpression trees.
struct condition {
  condition_kind kind = condition_kind::compare;
  comparator op = comparator::eq;   // kind == compare
  std::vector<operand> operands;    // compare: 2; between: 3; in: 1 + list; functions
  std::vector<condition> children;  // and_, or_ (2), not_ (1)
};

struct projection {
  std::vector<path> paths;
};

enum class update_action_kind { set, remove, add, delete_ };

struct update_action {
  update_action_kind kind = update_action_kind::set;
  path target;
  operand value;  // set: any operand; add/delete: a value; remove: unused
};

// Actions in the order written; each clause appears at most once.
struct update {
  std::vector<update_action> actions;
};

}  // namespace stratus::dynamodb::expr
