#include "dynamodb/expr/ast.hpp"

namespace stratus::dynamodb::expr {

std::string_view member_name(expression_kind kind) {
  switch (kind) {
    case expression_kind::condition:
      return "ConditionExpression";
    case expression_kind::filter:
      return "FilterExpression";
    case expression_kind::key_condition:
      return "KeyConditionExpression";
    case expression_kind::projection:
      return "ProjectionExpression";
    case expression_kind::update:
      return "UpdateExpression";
  }
  return "Expression";
}

std::string to_string(const path& p) {
  std::string out = "[";
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    if (i) out += ", ";
    if (p.steps[i].is_index)
      out += "[" + std::to_string(p.steps[i].index) + "]";
    else
      out += p.steps[i].name;
  }
  return out + "]";
}

std::string_view symbol(comparator op) {
  switch (op) {
    case comparator::eq:
      return "=";
    case comparator::ne:
      return "<>";
    case comparator::lt:
      return "<";
    case comparator::le:
      return "<=";
    case comparator::gt:
      return ">";
    case comparator::ge:
      return ">=";
  }
  return "=";
}

}  // namespace stratus::dynamodb::expr
