#include "dynamodb/expr/evaluate.hpp"

#include <boost/json.hpp>

#include "dynamodb/expr/values.hpp"

namespace stratus::dynamodb::expr {
namespace json = boost::json;

namespace {

std::size_t utf8_length(std::string_view s) {
  return s.size();
}

// The value of an operand, or nullptr when it has none for this item.
// `scratch` holds computed values (size()).
const json::value* evaluate(const operand& o, const json::object* item, json::value& scratch) {
  switch (o.kind) {
    case operand_kind::path:
      return item ? find_path(*item, o.path) : nullptr;
    case operand_kind::value:
      return &o.value;
    case operand_kind::size: {
      json::value inner_scratch;
      const json::value* v = evaluate(o.args[0], item, inner_scratch);
      if (!v) return nullptr;
      const std::string_view tag = tag_of(*v);
      const json::value& p = payload_of(*v);
      std::size_t n = 0;
      // A string's size is its UTF-8 length in bytes, as Alternator counts it.
      if (tag == "S")
        n = p.get_string().size();
      else if (tag == "B")
        n = binary_bytes(p).size();
      else if (tag == "SS" || tag == "NS" || tag == "BS" || tag == "L")
        n = p.get_array().size();
      else if (tag == "M")
        n = p.get_object().size();
      else
        return nullptr;  // size of a number, boolean or null is undefined
      scratch = json::object{{"N", std::to_string(n)}};
      return &scratch;
    }
    default:  // update-only operands never reach a condition
      return nullptr;
  }
}

bool is_ordered(std::string_view tag) {
  return tag == "S" || tag == "N" || tag == "B";
}

bool compare(comparator op, const json::value* a, const json::value* b) {
  if (op == comparator::eq) return a && b && values_equal(*a, *b);
  if (op == comparator::ne) return !(a && b && values_equal(*a, *b));
  if (!a || !b || !is_ordered(tag_of(*a))) return false;
  auto order = compare_scalars(*a, *b);
  if (!order) return false;
  switch (op) {
    case comparator::lt:
      return *order < 0;
    case comparator::le:
      return *order <= 0;
    case comparator::gt:
      return *order > 0;
    default:
      return *order >= 0;
  }
}

bool begins_with(const json::value* a, const json::value* b) {
  if (!a || !b) return false;
  const std::string_view ta = tag_of(*a);
  if (ta != tag_of(*b)) return false;
  if (ta == "S") {
    std::string_view s = payload_of(*a).get_string();
    return s.starts_with(std::string_view(payload_of(*b).get_string()));
  }
  if (ta == "B") return binary_bytes(payload_of(*a)).starts_with(binary_bytes(payload_of(*b)));
  return false;
}

bool contains(const json::value* a, const json::value* b) {
  if (!a || !b) return false;
  const std::string_view ta = tag_of(*a), tb = tag_of(*b);
  const json::value& pa = payload_of(*a);
  if (ta == "S" && tb == "S")
    return std::string_view(pa.get_string()).find(std::string_view(payload_of(*b).get_string())) !=
           std::string_view::npos;
  if (ta == "B" && tb == "B")
    return binary_bytes(pa).find(binary_bytes(payload_of(*b))) != std::string::npos;
  if ((ta == "SS" && tb == "S") || (ta == "NS" && tb == "N") || (ta == "BS" && tb == "B")) {
    const std::string scalar_tag(tb);
    for (const auto& m : pa.get_array())
      if (values_equal(json::object{{scalar_tag, m}}, *b)) return true;
    return false;
  }
  if (ta == "L") {
    for (const auto& e : pa.get_array())
      if (values_equal(e, *b)) return true;
  }
  return false;
}

bool evaluate(const condition& c, const json::object* item) {
  json::value s0, s1, s2;
  auto arg = [&](std::size_t i, json::value& scratch) {
    return evaluate(c.operands[i], item, scratch);
  };
  switch (c.kind) {
    case condition_kind::and_:
      return evaluate(c.children[0], item) && evaluate(c.children[1], item);
    case condition_kind::or_:
      return evaluate(c.children[0], item) || evaluate(c.children[1], item);
    case condition_kind::not_:
      return !evaluate(c.children[0], item);
    case condition_kind::compare:
      return compare(c.op, arg(0, s0), arg(1, s1));
    case condition_kind::between: {
      const json::value* v = arg(0, s0);
      const json::value* lo = arg(1, s1);
      const json::value* hi = arg(2, s2);
      return compare(comparator::ge, v, lo) && compare(comparator::le, v, hi);
    }
    case condition_kind::in: {
      const json::value* v = arg(0, s0);
      if (!v) return false;
      for (std::size_t i = 1; i < c.operands.size(); ++i) {
        json::value scratch;
        const json::value* candidate = arg(i, scratch);
        if (candidate && values_equal(*v, *candidate)) return true;
      }
      return false;
    }
    case condition_kind::attribute_exists:
      return arg(0, s0) != nullptr;
    case condition_kind::attribute_not_exists:
      return arg(0, s0) == nullptr;
    case condition_kind::attribute_type: {
      const json::value* v = arg(0, s0);
      const json::value* t = arg(1, s1);
      return v && t && tag_of(*t) == "S" &&
             tag_of(*v) == std::string_view(payload_of(*t).get_string());
    }
    case condition_kind::begins_with:
      return begins_with(arg(0, s0), arg(1, s1));
    case condition_kind::contains:
      return contains(arg(0, s0), arg(1, s1));
  }
  return false;
}

}  // namespace

result<bool> evaluate_condition(const condition& c, const json::object* item) {
  return evaluate(c, item);
}

}  // namespace stratus::dynamodb::expr
