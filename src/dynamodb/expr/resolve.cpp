#include "dynamodb/expr/resolve.hpp"

#include <algorithm>
#include <optional>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/expr/syntax.hpp"
#include "dynamodb/expr/values.hpp"

namespace stratus::dynamodb::expr {
namespace json = boost::json;
using detail::invalid;

namespace {

bool valid_key(std::string_view key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) return false;
  for (char c : key.substr(1))
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

std::string unused_keys(const json::object& all, const std::set<std::string>& used) {
  std::string out;
  for (const auto& [k, v] : all) {
    if (used.count(std::string(k))) continue;
    if (!out.empty()) out += ", ";
    out += std::string_view(k);
  }
  return out;
}

const char* operand_kind_name(operand_kind k) {
  switch (k) {
    case operand_kind::size:
      return "size";
    case operand_kind::if_not_exists:
      return "if_not_exists";
    case operand_kind::list_append:
      return "list_append";
    case operand_kind::plus:
      return "+";
    case operand_kind::minus:
      return "-";
    default:
      return "";
  }
}

const char* condition_kind_name(const condition& c) {
  switch (c.kind) {
    case condition_kind::attribute_exists:
      return "attribute_exists";
    case condition_kind::attribute_not_exists:
      return "attribute_not_exists";
    case condition_kind::attribute_type:
      return "attribute_type";
    case condition_kind::begins_with:
      return "begins_with";
    case condition_kind::contains:
      return "contains";
    case condition_kind::between:
      return "BETWEEN";
    case condition_kind::in:
      return "IN";
    default:
      return "";
  }
}

// The type an operand is known to have before any item is seen: a value's
// tag, "N" for size(), empty when it depends on the item.
std::string_view static_type(const operand& o) {
  if (o.kind == operand_kind::value) return tag_of(o.value);
  if (o.kind == operand_kind::size) return "N";
  return {};
}

// ADD and DELETE name types the way the Java SDK's enum does.
std::string_view long_type_name(std::string_view tag) {
  if (tag == "S") return "STRING";
  if (tag == "N") return "NUMBER";
  if (tag == "B") return "BINARY";
  if (tag == "BOOL") return "BOOLEAN";
  if (tag == "NULL") return "NULL";
  if (tag == "M") return "MAP";
  if (tag == "L") return "LIST";
  if (tag == "SS") return "STRING_SET";
  if (tag == "NS") return "NUMBER_SET";
  return "BINARY_SET";
}

bool is_set(std::string_view tag) {
  return tag == "SS" || tag == "NS" || tag == "BS";
}

}  // namespace

class resolver {
 public:
  resolver(request_expressions& request, expression_kind kind) : r_(request), kind_(kind) {}

  std::optional<api_error> resolve(path& p) {
    for (auto& step : p.steps) {
      if (!step.placeholder) continue;
      auto it = r_.names_.find(step.name);
      if (it == r_.names_.end())
        return invalid(kind_,
                       "An expression attribute name used in the document path is not "
                       "defined; attribute name: " +
                           step.name);
      r_.used_names_.insert(step.name);
      step.name = std::string(it->value().get_string());
      step.placeholder = false;
    }
    return std::nullopt;
  }

  api_error operand_count(std::string_view what, std::size_t n) {
    return invalid(kind_,
                   "Incorrect number of operands for operator or function; operator or "
                   "function: " +
                       std::string(what) + ", number of operands: " + std::to_string(n));
  }
  api_error operand_type(std::string_view what, std::string_view type) {
    return invalid(kind_,
                   "Incorrect operand type for operator or function; operator or "
                   "function: " +
                       std::string(what) + ", operand type: " + std::string(type));
  }
  api_error needs_path(std::string_view what) {
    return invalid(kind_, "Operator or function requires a document path; operator or function: " +
                              std::string(what));
  }

  std::optional<api_error> resolve(operand& o) {
    if (o.kind == operand_kind::path) return resolve(o.path);
    if (o.kind == operand_kind::value) {
      auto it = r_.values_.find(o.value_name);
      if (it == r_.values_.end())
        return invalid(kind_,
                       "An expression attribute value used in expression is not defined; "
                       "attribute value: " +
                           o.value_name);
      r_.used_values_.insert(o.value_name);
      o.value = it->value();
      return std::nullopt;
    }
    for (auto& arg : o.args)
      if (auto e = resolve(arg)) return e;
    const char* name = operand_kind_name(o.kind);
    switch (o.kind) {
      case operand_kind::size: {
        if (o.args.size() != 1) return operand_count(name, o.args.size());
        const std::string_view t = static_type(o.args[0]);
        if (t == "N" || t == "BOOL" || t == "NULL") return operand_type(name, t);
        break;
      }
      case operand_kind::if_not_exists:
        if (o.args.size() != 2) return operand_count(name, o.args.size());
        if (o.args[0].kind != operand_kind::path) return needs_path(name);
        break;
      case operand_kind::list_append:
        if (o.args.size() != 2) return operand_count(name, o.args.size());
        for (const auto& arg : o.args)
          if (auto t = static_type(arg); !t.empty() && t != "L") return operand_type(name, t);
        break;
      default:  // + and -
        for (const auto& arg : o.args)
          if (auto t = static_type(arg); !t.empty() && t != "N") return operand_type(name, t);
    }
    return std::nullopt;
  }

  // "The first operand must be distinct ...": a = a can only be constant.
  std::optional<api_error> distinct(const condition& c, std::string_view what) {
    const operand& first = c.operands[0];
    if (first.kind != operand_kind::path) return std::nullopt;
    for (std::size_t i = 1; i < c.operands.size(); ++i)
      if (c.operands[i].kind == operand_kind::path && c.operands[i].path == first.path)
        return invalid(kind_,
                       "The first operand must be distinct from the remaining operands for "
                       "this operator or function; operator: " +
                           std::string(what) + ", first operand: " + to_string(first.path));
    return std::nullopt;
  }

  std::optional<api_error> resolve(condition& c) {
    for (auto& child : c.children)
      if (auto e = resolve(child)) return e;
    for (auto& o : c.operands)
      if (auto e = resolve(o)) return e;
    const char* name = condition_kind_name(c);
    auto count = [&](std::size_t n) -> std::optional<api_error> {
      if (c.operands.size() != n) return operand_count(name, c.operands.size());
      return std::nullopt;
    };
    switch (c.kind) {
      case condition_kind::and_:
      case condition_kind::or_:
      case condition_kind::not_:
        return std::nullopt;
      case condition_kind::compare: {
        if (auto e = distinct(c, symbol(c.op))) return e;
        if (c.op != comparator::eq && c.op != comparator::ne)
          for (const auto& o : c.operands)
            if (auto t = static_type(o); !t.empty() && t != "S" && t != "N" && t != "B")
              return operand_type(symbol(c.op), t);
        return std::nullopt;
      }
      case condition_kind::between: {
        if (auto e = distinct(c, name)) return e;
        for (const auto& o : c.operands)
          if (auto t = static_type(o); !t.empty() && t != "S" && t != "N" && t != "B")
            return operand_type(name, t);
        const operand& lo = c.operands[1];
        const operand& hi = c.operands[2];
        if (lo.kind == operand_kind::value && hi.kind == operand_kind::value) {
          const std::string bounds = "lower bound operand: AttributeValue: " + render(lo.value) +
                                     ", upper bound operand: AttributeValue: " + render(hi.value);
          auto order = compare_scalars(lo.value, hi.value);
          if (!order)
            return invalid(kind_,
                           "The BETWEEN operator requires same data type for lower and "
                           "upper bounds; " +
                               bounds);
          if (*order > 0)
            return invalid(kind_,
                           "The BETWEEN operator requires upper bound to be greater than "
                           "or equal to lower bound; " +
                               bounds);
        }
        return std::nullopt;
      }
      case condition_kind::in:
        return distinct(c, name);
      case condition_kind::attribute_exists:
      case condition_kind::attribute_not_exists:
        if (auto e = count(1)) return e;
        if (c.operands[0].kind != operand_kind::path) return needs_path(name);
        return std::nullopt;
      case condition_kind::attribute_type: {
        // The first operand may be a value too (test_update_condition_attribute_type).
        if (auto e = count(2)) return e;
        if (auto e = distinct(c, name)) return e;
        const operand& type = c.operands[1];
        const std::string_view t = static_type(type);
        if (type.kind == operand_kind::path) return operand_type(name, "document path");
        if (t != "S") return operand_type(name, t);
        static constexpr std::string_view valid[] = {"S",  "SS",   "N",    "NS", "B",
                                                     "BS", "BOOL", "NULL", "L",  "M"};
        const std::string_view wanted = payload_of(type.value).get_string();
        for (auto v : valid)
          if (v == wanted) return std::nullopt;
        return invalid(kind_, "Invalid attribute type name found; type: " + std::string(wanted) +
                                  ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
      }
      case condition_kind::begins_with: {
        if (auto e = count(2)) return e;
        for (const auto& o : c.operands)
          if (auto t = static_type(o); !t.empty() && t != "S" && t != "B")
            return operand_type(name, t);
        return distinct(c, name);
      }
      case condition_kind::contains:
        if (auto e = count(2)) return e;
        return distinct(c, name);
    }
    return std::nullopt;
  }

  std::optional<api_error> resolve(update_action& a) {
    if (auto e = resolve(a.target)) return e;
    if (a.kind == update_action_kind::remove) return std::nullopt;
    if (auto e = resolve(a.value)) return e;
    if (a.kind == update_action_kind::set) return std::nullopt;
    // ADD takes a number or a set, DELETE a set (the value is always a ":v").
    const std::string_view t = tag_of(a.value.value);
    const bool ok = a.kind == update_action_kind::add ? (t == "N" || is_set(t)) : is_set(t);
    if (!ok)
      return invalid(kind_, "Incorrect operand type for operator or function; operator: " +
                                std::string(a.kind == update_action_kind::add ? "ADD" : "DELETE") +
                                ", operand type: " + std::string(long_type_name(t)));
    return std::nullopt;
  }

 private:
  request_expressions& r_;
  expression_kind kind_;
};

result<request_expressions> request_expressions::create(const json::object* names,
                                                        const json::object* values,
                                                        expression_cache& cache) {
  request_expressions r;
  r.cache_ = &cache;
  if (names) {
    if (names->empty()) return api_error::validation("ExpressionAttributeNames must not be empty");
    for (const auto& [k, v] : *names) {
      if (!valid_key(k, '#'))
        return api_error::validation(
            "ExpressionAttributeNames contains invalid key: Syntax error; "
            "key: \"" +
            std::string(k) + "\"");
      if (!v.is_string())
        return api_error::serialization("Unexpected value type in payload; expected string");
      if (v.get_string().empty())
        return api_error::validation(
            "ExpressionAttributeNames contains invalid value: Empty attribute name for key " +
            std::string(k));
    }
    r.names_ = *names;
  }
  if (values) {
    if (values->empty())
      return api_error::validation("ExpressionAttributeValues must not be empty");
    for (const auto& [k, v] : *values)
      if (!valid_key(k, ':'))
        return api_error::validation(
            "ExpressionAttributeValues contains invalid key: Syntax "
            "error; key: \"" +
            std::string(k) + "\"");
    r.values_ = *values;
    for (auto& [k, v] : r.values_) {
      auto ok = normalize_value(v);
      if (ok) continue;
      api_error e = ok.error();
      if (e.code == "ValidationException")
        e.message = "ExpressionAttributeValues contains invalid value: " + e.message + " for key " +
                    std::string(k);
      return e;
    }
  }
  return r;
}

result<condition> request_expressions::resolve_condition(std::string_view text,
                                                         expression_kind kind) {
  auto parsed = cache_->get_condition(text, kind);
  if (!parsed) return parsed.error();
  condition c = **parsed;
  if (auto e = resolver(*this, kind).resolve(c)) return *e;
  return c;
}

result<projection> request_expressions::resolve_projection(std::string_view text) {
  auto parsed = cache_->get_projection(text);
  if (!parsed) return parsed.error();
  projection p = **parsed;
  resolver r(*this, expression_kind::projection);
  for (auto& path : p.paths)
    if (auto e = r.resolve(path)) return *e;
  if (auto ok = check_paths_disjoint(p.paths, expression_kind::projection); !ok) return ok.error();
  return p;
}

result<update> request_expressions::resolve_update(std::string_view text) {
  auto parsed = cache_->get_update(text);
  if (!parsed) return parsed.error();
  update u = **parsed;
  resolver r(*this, expression_kind::update);
  for (auto& action : u.actions)
    if (auto e = r.resolve(action)) return *e;
  std::vector<path> targets;
  for (const auto& action : u.actions) targets.push_back(action.target);
  if (auto ok = check_paths_disjoint(targets, expression_kind::update); !ok) return ok.error();
  return u;
}

result<void> request_expressions::check_unused() const {
  if (std::string keys = unused_keys(names_, used_names_); !keys.empty())
    return api_error::validation(
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {" + keys + "}");
  if (std::string keys = unused_keys(values_, used_values_); !keys.empty())
    return api_error::validation(
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {" + keys + "}");
  return {};
}

result<void> check_paths_disjoint(const std::vector<path>& paths, expression_kind kind) {
  // Sorted (indexes before names at each step), a path is directly followed
  // by any path it is a prefix of, and paths that share a prefix and then
  // differ in kind (index vs name) meet at the boundary of the two groups:
  // comparing neighbours finds every overlap and conflict in O(n log n).
  std::vector<std::size_t> order(paths.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return path_less(paths[x], paths[y]); });
  for (std::size_t n = 1; n < order.size(); ++n) {
    const std::size_t i = std::min(order[n - 1], order[n]);  // path one: first in the text
    const std::size_t j = std::max(order[n - 1], order[n]);
    const auto& a = paths[i].steps;
    const auto& b = paths[j].steps;
    std::size_t k = 0;
    while (k < a.size() && k < b.size() && a[k] == b[k]) ++k;
    const bool overlap = k == a.size() || k == b.size();
    if (!overlap && a[k].is_index == b[k].is_index) continue;
    return invalid(kind, std::string("Two document paths ") + (overlap ? "overlap" : "conflict") +
                             " with each other; must remove or rewrite one of these paths; path "
                             "one: " +
                             to_string(paths[i]) + ", path two: " + to_string(paths[j]));
  }
  return {};
}

}  // namespace stratus::dynamodb::expr
