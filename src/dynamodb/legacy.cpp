#include "dynamodb/legacy.hpp"

#include <boost/json.hpp>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/expr/values.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

using expr::condition;
using expr::condition_kind;
using expr::operand;

operand attribute(std::string_view name) {
  operand o;
  o.kind = expr::operand_kind::path;
  o.path.steps.push_back({std::string(name), 0, false, false});
  return o;
}

operand constant(json::value v) {
  operand o;
  o.kind = expr::operand_kind::value;
  o.value = std::move(v);
  return o;
}

condition function(condition_kind kind, std::vector<operand> operands) {
  condition c;
  c.kind = kind;
  c.operands = std::move(operands);
  return c;
}

condition compare(expr::comparator op, operand a, operand b) {
  condition c = function(condition_kind::compare, {std::move(a), std::move(b)});
  c.op = op;
  return c;
}

condition combine(condition_kind kind, std::vector<condition> parts) {
  condition out = std::move(parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    condition both;
    both.kind = kind;
    both.children.push_back(std::move(out));
    both.children.push_back(std::move(parts[i]));
    out = std::move(both);
  }
  return out;
}

bool scalar(std::string_view type) {
  return type == "S" || type == "N" || type == "B";
}

// One {ComparisonOperator, AttributeValueList} on attribute `name`.
result<condition> comparison(std::string_view name, std::string_view op, json::array* list) {
  std::vector<json::value> values;
  if (list)
    for (auto& v : *list) {
      if (auto r = normalize_value(v); !r) return r.error();
      values.push_back(v);
    }
  auto count_error = [&] {
    return errors::invalid_parameter("Invalid number of argument(s) for the " + std::string(op) +
                                     " ComparisonOperator");
  };
  auto same_type_error = [] {
    return errors::invalid_parameter(
        "AttributeValues inside AttributeValueList must be of same type");
  };
  auto type_error = [&](const json::value& v) {
    return errors::invalid_parameter("ComparisonOperator " + std::string(op) +
                                     " is not valid for " + std::string(type_of(v)) +
                                     " AttributeValue type");
  };
  static const std::pair<std::string_view, expr::comparator> comparators[] = {
      {"EQ", expr::comparator::eq}, {"NE", expr::comparator::ne}, {"LT", expr::comparator::lt},
      {"LE", expr::comparator::le}, {"GT", expr::comparator::gt}, {"GE", expr::comparator::ge}};
  for (const auto& [symbol, cmp] : comparators) {
    if (op != symbol) continue;
    if (values.size() != 1) return count_error();
    if (cmp != expr::comparator::eq && cmp != expr::comparator::ne && !scalar(type_of(values[0])))
      return type_error(values[0]);
    return compare(cmp, attribute(name), constant(values[0]));
  }
  if (op == "NULL" || op == "NOT_NULL") {
    if (!values.empty()) return count_error();
    return function(
        op == "NULL" ? condition_kind::attribute_not_exists : condition_kind::attribute_exists,
        {attribute(name)});
  }
  if (op == "CONTAINS" || op == "NOT_CONTAINS" || op == "BEGINS_WITH") {
    if (values.size() != 1) return count_error();
    const auto type = type_of(values[0]);
    if (!scalar(type) || (op == "BEGINS_WITH" && type == "N")) return type_error(values[0]);
    if (op == "BEGINS_WITH")
      return function(condition_kind::begins_with, {attribute(name), constant(values[0])});
    condition has = function(condition_kind::contains, {attribute(name), constant(values[0])});
    if (op == "CONTAINS") return has;
    // NOT_CONTAINS is false for a missing attribute (unlike NE): both
    // CONTAINS and NOT_CONTAINS fail then, as DynamoDB behaves.
    condition negated;
    negated.kind = condition_kind::not_;
    negated.children.push_back(std::move(has));
    return combine(
        condition_kind::and_,
        {function(condition_kind::attribute_exists, {attribute(name)}), std::move(negated)});
  }
  if (op == "IN") {
    if (values.empty()) return count_error();
    std::vector<operand> operands{attribute(name)};
    for (auto& v : values) {
      if (!scalar(type_of(v))) return type_error(v);
      if (type_of(v) != type_of(values[0])) return same_type_error();
      operands.push_back(constant(v));
    }
    return function(condition_kind::in, std::move(operands));
  }
  if (op == "BETWEEN") {
    if (values.size() != 2) return count_error();
    for (auto& v : values)
      if (!scalar(type_of(v))) return type_error(v);
    if (type_of(values[0]) != type_of(values[1])) return same_type_error();
    if (auto order = expr::compare_scalars(values[0], values[1]); order && *order > 0)
      return api_error::validation(
          "The BETWEEN condition was provided a range where the lower bound is greater than the "
          "upper bound");
    return function(condition_kind::between,
                    {attribute(name), constant(values[0]), constant(values[1])});
  }
  return api_error::validation("1 validation error detected: Value '" + std::string(op) +
                               "' at 'comparisonOperator' failed to satisfy constraint: Member "
                               "must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, "
                               "EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
}

}  // namespace

result<std::optional<condition>> legacy_expected(json::object& expected,
                                                 const json::object& request) {
  std::vector<condition> parts;
  for (auto& [name, spec_value] : expected) {
    if (!spec_value.is_object())
      return api_error::serialization("Unexpected value type in payload");
    auto& spec = spec_value.get_object();
    auto* op = spec.if_contains("ComparisonOperator");
    auto* value = spec.if_contains("Value");
    auto* exists = spec.if_contains("Exists");
    if (op) {
      if (value)
        return errors::invalid_parameter(
            "Value and AttributeValueList cannot be used together for Attribute: " +
            std::string(name));
      if (exists)
        return errors::invalid_parameter(
            "Exists and ComparisonOperator cannot be used together for Attribute: " +
            std::string(name));
      auto* list = spec.if_contains("AttributeValueList");
      auto c = comparison(name, op->as_string(), list ? &list->as_array() : nullptr);
      if (!c) return c.error();
      parts.push_back(std::move(*c));
      continue;
    }
    if (spec.contains("AttributeValueList"))
      return errors::invalid_parameter(
          "AttributeValueList can only be used with a ComparisonOperator for Attribute: " +
          std::string(name));
    const bool must_exist = !exists || exists->as_bool();
    if (must_exist) {
      if (!value)
        return errors::invalid_parameter(
            "Value must be provided when Exists is true for Attribute: " + std::string(name));
      if (auto r = normalize_value(*value); !r) return r.error();
      parts.push_back(compare(expr::comparator::eq, attribute(name), constant(*value)));
    } else {
      if (value)
        return errors::invalid_parameter(
            "Value cannot be used when Exists is false for Attribute: " + std::string(name));
      parts.push_back(function(condition_kind::attribute_not_exists, {attribute(name)}));
    }
  }
  if (parts.empty()) return std::optional<condition>();
  const auto* op = request.if_contains("ConditionalOperator");
  const bool use_or = op && op->is_string() && op->get_string() == "OR";
  return combine(use_or ? condition_kind::or_ : condition_kind::and_, std::move(parts));
}

result<std::optional<condition>> legacy_filter(json::object& filter, const json::object& request) {
  std::vector<condition> parts;
  for (auto& [name, spec_value] : filter) {
    auto& spec = spec_value.as_object();
    auto* list = spec.if_contains("AttributeValueList");
    auto c = comparison(name, spec.at("ComparisonOperator").as_string(),
                        list ? &list->as_array() : nullptr);
    if (!c) return c.error();
    parts.push_back(std::move(*c));
  }
  if (parts.empty()) return std::optional<condition>();
  const auto* op = request.if_contains("ConditionalOperator");
  const bool use_or = op && op->is_string() && op->get_string() == "OR";
  return combine(use_or ? condition_kind::or_ : condition_kind::and_, std::move(parts));
}

result<expr::update> legacy_attribute_updates(json::object& updates) {
  expr::update out;
  for (auto& [name, spec_value] : updates) {
    if (name.empty()) return errors::invalid_parameter("Empty attribute name");
    auto& spec = spec_value.as_object();
    std::string_view action = spec.contains("Action")
                                  ? std::string_view(spec.at("Action").as_string())
                                  : std::string_view("PUT");
    json::value* value = spec.if_contains("Value");
    if (value)
      if (auto r = normalize_value(*value); !r) return r.error();
    expr::update_action a;
    a.target = attribute(name).path;
    if (action == "PUT") {
      if (!value)
        return errors::invalid_parameter(
            "Only DELETE action is allowed when no attribute value is "
            "specified");
      a.kind = expr::update_action_kind::set;
      a.value = constant(*value);
    } else if (action == "DELETE") {
      if (!value) {
        a.kind = expr::update_action_kind::remove;
      } else {
        const auto type = type_of(*value);
        if (type != "SS" && type != "NS" && type != "BS")
          return errors::invalid_parameter("Action DELETE is not supported for the type " +
                                           std::string(type));
        a.kind = expr::update_action_kind::delete_;
        a.value = constant(*value);
      }
    } else {  // ADD
      if (!value)
        return errors::invalid_parameter(
            "Only DELETE action is allowed when no attribute value is "
            "specified");
      const auto type = type_of(*value);
      if (type == "L") {
        // Legacy ADD appends to a list: SET a = list_append(if_not_exists(a, []), v).
        operand existing;
        existing.kind = expr::operand_kind::if_not_exists;
        existing.args = {attribute(name), constant(json::object{{"L", json::array{}}})};
        operand appended;
        appended.kind = expr::operand_kind::list_append;
        appended.args = {std::move(existing), constant(*value)};
        a.kind = expr::update_action_kind::set;
        a.value = std::move(appended);
      } else if (type == "N" || type == "SS" || type == "NS" || type == "BS") {
        a.kind = expr::update_action_kind::add;
        a.value = constant(*value);
      } else {
        return errors::invalid_parameter("Action ADD is not supported for the type " +
                                         std::string(type));
      }
    }
    out.actions.push_back(std::move(a));
  }
  return out;
}

}  // namespace stratus::dynamodb
