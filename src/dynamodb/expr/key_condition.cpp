#include "dynamodb/expr/key_condition.hpp"

#include <boost/json.hpp>
#include <string>

#include "dynamodb/expr/syntax.hpp"
#include "dynamodb/expr/values.hpp"

namespace stratus::dynamodb::expr {
namespace json = boost::json;

namespace {

api_error invalid_key(std::string_view message) {
  return detail::invalid(expression_kind::key_condition, message);
}

const char* operator_name(const condition& c) {
  switch (c.kind) {
    case condition_kind::or_:
      return "OR";
    case condition_kind::not_:
      return "NOT";
    case condition_kind::in:
      return "IN";
    case condition_kind::attribute_exists:
      return "attribute_exists";
    case condition_kind::attribute_not_exists:
      return "attribute_not_exists";
    case condition_kind::attribute_type:
      return "attribute_type";
    case condition_kind::contains:
      return "contains";
    default:
      return "<>";
  }
}

// The conditions ANDed together, in order.
result<void> flatten(const condition& c, std::vector<const condition*>& out) {
  switch (c.kind) {
    case condition_kind::and_:
      for (const auto& child : c.children)
        if (auto r = flatten(child, out); !r) return r;
      return {};
    case condition_kind::compare:
      if (c.op == comparator::ne) break;
      [[fallthrough]];
    case condition_kind::between:
    case condition_kind::begins_with:
      out.push_back(&c);
      return {};
    default:
      break;
  }
  return api_error::validation("Invalid operator used in KeyConditionExpression: " +
                               std::string(operator_name(c)));
}

struct simple_condition {
  std::string attribute;
  key_op op = key_op::EQ;
  std::vector<json::value> values;
};

result<simple_condition> simplify(const condition& c) {
  // Operand by operand, so that the first offending operand picks the
  // message: "a between b and size(a)" is about two names, "a between size(b)
  // and size(a)" about nesting (dynalite's query tests).
  int paths = 0;
  for (const auto& o : c.operands) {
    if (o.kind != operand_kind::path && o.kind != operand_kind::value)
      return api_error::validation("KeyConditionExpressions cannot contain nested operations");
    if (o.kind != operand_kind::path) continue;
    if (++paths > 1)
      return api_error::validation(
          "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
          "condition");
    if (o.path.steps.size() != 1)
      return api_error::validation(
          "KeyConditionExpressions cannot have conditions on nested attributes");
  }
  if (paths == 0)
    return api_error::validation(
        "Invalid condition in KeyConditionExpression: No key attribute specified");
  simple_condition s;
  if (c.kind == condition_kind::compare) {
    // ":v < k" reads as "k > :v".
    bool swapped = c.operands[0].kind != operand_kind::path;
    const operand& key = c.operands[swapped ? 1 : 0];
    const operand& value = c.operands[swapped ? 0 : 1];
    s.attribute = key.path.steps[0].name;
    s.values.push_back(value.value);
    switch (c.op) {
      case comparator::eq:
        s.op = key_op::EQ;
        break;
      case comparator::lt:
        s.op = swapped ? key_op::GT : key_op::LT;
        break;
      case comparator::le:
        s.op = swapped ? key_op::GE : key_op::LE;
        break;
      case comparator::gt:
        s.op = swapped ? key_op::LT : key_op::GT;
        break;
      default:
        s.op = swapped ? key_op::LE : key_op::GE;
        break;
    }
    return s;
  }
  const char* name = c.kind == condition_kind::between ? "BETWEEN" : "begins_with";
  if (c.operands[0].kind != operand_kind::path)
    return api_error::validation(
        "Invalid condition in KeyConditionExpression: " + std::string(name) +
        " operator must have the key attribute as its first operand");
  s.attribute = c.operands[0].path.steps[0].name;
  s.op = c.kind == condition_kind::between ? key_op::BETWEEN : key_op::BEGINS_WITH;
  for (std::size_t i = 1; i < c.operands.size(); ++i) s.values.push_back(c.operands[i].value);
  return s;
}

// The AND-ed conditions of a key condition, one per attribute.
result<std::vector<simple_condition>> simple_conditions(const condition& resolved) {
  std::vector<const condition*> parts;
  if (auto r = flatten(resolved, parts); !r) return r.error();
  std::vector<simple_condition> conditions;
  for (const auto* c : parts) {
    auto s = simplify(*c);
    if (!s) return s.error();
    conditions.push_back(std::move(*s));
  }
  for (std::size_t i = 0; i < conditions.size(); ++i)
    for (std::size_t j = i + 1; j < conditions.size(); ++j)
      if (conditions[i].attribute == conditions[j].attribute)
        return api_error::validation(
            "KeyConditionExpressions must only contain one condition per key");
  return conditions;
}

api_error type_mismatch() {
  return api_error::validation(
      "One or more parameter values were invalid: Condition parameter type does not match schema "
      "type");
}

// The first key attribute an operand reads, in tree order.
const std::string* key_in(const operand& o, const key_attribute& hash,
                          const std::optional<key_attribute>& range) {
  if (o.kind == operand_kind::path) {
    const std::string& name = o.path.steps[0].name;
    if (name == hash.name) return &hash.name;
    if (range && name == range->name) return &range->name;
    return nullptr;
  }
  for (const auto& arg : o.args)
    if (auto* k = key_in(arg, hash, range)) return k;
  return nullptr;
}

const std::string* key_in(const condition& c, const key_attribute& hash,
                          const std::optional<key_attribute>& range) {
  for (const auto& child : c.children)
    if (auto* k = key_in(child, hash, range)) return k;
  for (const auto& o : c.operands)
    if (auto* k = key_in(o, hash, range)) return k;
  return nullptr;
}

}  // namespace

bool range_matches(const range_condition& r, const json::value& key_value) {
  if (r.values.empty()) return false;
  if (r.op == key_op::BEGINS_WITH) {
    if (tag_of(key_value) != tag_of(r.values[0])) return false;
    if (tag_of(key_value) == "S")
      return std::string_view(payload_of(key_value).get_string())
          .starts_with(std::string_view(payload_of(r.values[0]).get_string()));
    return binary_bytes(payload_of(key_value)).starts_with(binary_bytes(payload_of(r.values[0])));
  }
  auto order = compare_scalars(key_value, r.values[0]);
  if (!order) return false;
  switch (r.op) {
    case key_op::EQ:
      return *order == 0;
    case key_op::LT:
      return *order < 0;
    case key_op::LE:
      return *order <= 0;
    case key_op::GT:
      return *order > 0;
    case key_op::GE:
      return *order >= 0;
    default: {  // BETWEEN
      if (*order < 0 || r.values.size() < 2) return false;
      auto upper = compare_scalars(key_value, r.values[1]);
      return upper && *upper <= 0;
    }
  }
}

result<void> check_filter_keys(const condition& resolved_filter, const key_attribute& hash,
                               const std::optional<key_attribute>& range) {
  if (const std::string* key = key_in(resolved_filter, hash, range))
    return api_error::validation(
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: " +
        *key);
  return {};
}

result<key_condition> parse_key_condition(const condition& resolved, const key_attribute& hash,
                                          const std::optional<key_attribute>& range) {
  auto simple = simple_conditions(resolved);
  if (!simple) return simple.error();
  const std::vector<simple_condition>& conditions = *simple;
  if (conditions.size() > 2)
    return api_error::validation("Conditions can be of length 1 or 2 only");

  key_condition out;
  const simple_condition* on_hash = nullptr;
  const simple_condition* on_range = nullptr;
  for (const auto& s : conditions) {
    if (s.attribute == hash.name)
      on_hash = &s;
    else if (range && s.attribute == range->name)
      on_range = &s;
  }
  if (!on_hash)
    return api_error::validation("Query condition missed key schema element: " + hash.name);
  // A condition on anything else: AWS names the sort key it expected
  // instead, or, without one, refuses the condition.
  if (conditions.size() == 2 && !on_range)
    return api_error::validation(range ? "Query condition missed key schema element: " + range->name
                                       : std::string("Query key condition not supported"));
  if (on_hash->op != key_op::EQ) return api_error::validation("Query key condition not supported");
  if (tag_of(on_hash->values[0]) != hash.type) return type_mismatch();
  out.hash_value = on_hash->values[0];
  if (on_range) {
    for (const auto& v : on_range->values)
      if (tag_of(v) != range->type) return type_mismatch();
    if (on_range->op == key_op::BEGINS_WITH && range->type == "N")
      return invalid_key(
          "Incorrect operand type for operator or function; operator or function: "
          "begins_with, operand type: N");
    out.range = range_condition{on_range->op, on_range->values};
  }
  return out;
}

}  // namespace stratus::dynamodb::expr

namespace stratus::dynamodb::expr {

result<composite_key_condition> parse_composite_key_condition(
    const condition& resolved, const std::vector<key_attribute>& hash,
    const std::vector<key_attribute>& range) {
  auto simple = simple_conditions(resolved);
  if (!simple) return simple.error();
  const std::vector<simple_condition>& conditions = *simple;
  auto position = [](const std::vector<key_attribute>& keys,
                     const std::string& name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i].name == name) return i;
    return std::nullopt;
  };
  composite_key_condition out;
  out.hash_values.resize(hash.size());
  std::vector<const simple_condition*> on_range(range.size(), nullptr);
  std::size_t hash_found = 0;
  for (const auto& s : conditions) {
    if (auto h = position(hash, s.attribute)) {
      if (s.op != key_op::EQ)
        return api_error::validation(
            "Query key condition not supported: every HASH key attribute of the index needs an "
            "equality condition; " +
            s.attribute + " has another");
      if (tag_of(s.values[0]) != hash[*h].type) return type_mismatch();
      out.hash_values[*h] = s.values[0];
      ++hash_found;
    } else if (auto r = position(range, s.attribute)) {
      on_range[*r] = &s;
    } else {
      return api_error::validation("Query key condition not supported");
    }
  }
  if (hash_found != hash.size()) {
    std::string missing;
    for (std::size_t i = 0; i < hash.size(); ++i)
      if (out.hash_values[i].is_null()) missing += (missing.empty() ? "" : ", ") + hash[i].name;
    return api_error::validation(
        "Query key condition not supported: every HASH key attribute of the index needs an "
        "equality condition; missing: " +
        missing);
  }
  // RANGE attributes: a prefix of the KeySchema, equal but for the last.
  std::size_t given = 0;
  while (given < range.size() && on_range[given]) ++given;
  for (std::size_t i = given; i < range.size(); ++i)
    if (on_range[i])
      return api_error::validation(
          "Query key condition not supported: RANGE key attributes must be used in KeySchema "
          "order without gaps, each with an equality condition but the last; " +
          range[i].name + " follows a missing one");
  for (std::size_t i = 0; i < given; ++i) {
    const auto& s = *on_range[i];
    for (const auto& v : s.values)
      if (tag_of(v) != range[i].type) return type_mismatch();
    if (s.op == key_op::BEGINS_WITH && range[i].type == "N")
      return invalid_key(
          "Incorrect operand type for operator or function; operator or function: "
          "begins_with, operand type: N");
    if (i + 1 < given && s.op != key_op::EQ)
      return api_error::validation(
          "Query key condition not supported: RANGE key attributes must be used in KeySchema "
          "order without gaps, each with an equality condition but the last; " +
          range[i].name + " is not the last");
    if (i + 1 < given || s.op == key_op::EQ)
      out.range_equal.push_back(s.values[0]);
    else
      out.last = range_condition{s.op, s.values};
  }
  return out;
}

}  // namespace stratus::dynamodb::expr
