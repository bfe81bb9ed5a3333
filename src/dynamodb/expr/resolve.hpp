#pragma once
// Stage 3: placeholders -> names and values. One request_expressions object
// per request holds its ExpressionAttributeNames/Values; each expression
// member the request carries is parsed (through the cache) and resolved
// through it, and check_unused() then reports entries no expression used,
// as DynamoDB does across all expressions of a request.
//
// Resolution walks the tree once, in post-order: a placeholder is resolved
// when reached, and a node is checked (operand count, document-path
// operands, operand types of constant values, distinct operands, BETWEEN
// bounds) after its operands. That order reproduces which of several errors
// DynamoDB reports first.
//
// Thread-safety: one object per request, not shared.

#include <boost/json/object.hpp>
#include <set>
#include <string>
#include <string_view>

#include "common/api_error.hpp"
#include "dynamodb/expr/ast.hpp"
#include "dynamodb/expr/cache.hpp"

namespace stratus::dynamodb::expr {

class request_expressions {
 public:
  // `names` and `values` are the request's members, or null when absent.
  // Validates their keys and normalises the values (numbers canonical).
  [[nodiscard]] static result<request_expressions> create(
      const boost::json::object* names, const boost::json::object* values,
      expression_cache& cache = expression_cache::shared());

  // kind is condition, filter or key_condition.
  [[nodiscard]] result<condition> resolve_condition(std::string_view text, expression_kind kind);
  [[nodiscard]] result<projection> resolve_projection(std::string_view text);
  [[nodiscard]] result<update> resolve_update(std::string_view text);

  // Call after every expression of the request was resolved.
  [[nodiscard]] result<void> check_unused() const;

 private:
  friend class resolver;
  boost::json::object names_;
  boost::json::object values_;
  std::set<std::string> used_names_;
  std::set<std::string> used_values_;
  expression_cache* cache_ = nullptr;
};

// "Two document paths overlap/conflict ..." over a list of paths, as
// ProjectionExpression and UpdateExpression check them.
[[nodiscard]] result<void> check_paths_disjoint(const std::vector<path>& paths,
                                                expression_kind kind);

}  // namespace stratus::dynamodb::expr
