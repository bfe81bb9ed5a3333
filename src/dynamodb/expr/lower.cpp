// The checks DynamoDB makes once an expression has parsed, each a pass over
// the whole tree in DynamoDB's order (redundant parentheses, then function
// names, then function placement, then reserved words, then path depth: the
// order dynalite's captured AWS answers show), and the conversion of the
// untyped tree to ast.hpp.

#include <optional>
#include <string>

#include "dynamodb/expr/parser.hpp"
#include "dynamodb/expr/reserved_words.hpp"
#include "dynamodb/expr/syntax.hpp"

namespace stratus::dynamodb::expr::detail {

namespace {

using maybe_error = std::optional<api_error>;

bool is_condition_function(std::string_view name) {
  return name == "attribute_exists" || name == "attribute_not_exists" || name == "attribute_type" ||
         name == "begins_with" || name == "contains";
}
bool is_update_function(std::string_view name) {
  return name == "if_not_exists" || name == "list_append";
}

// Calls every node in pre-order until one reports an error.
template <class F>
maybe_error walk(const node& n, F& visit) {
  if (auto e = visit(n)) return e;
  for (const auto& kid : n.kids)
    if (auto e = walk(kid, visit)) return e;
  return std::nullopt;
}

class checker {
 public:
  explicit checker(expression_kind kind) : kind_(kind) {}

  maybe_error redundant_parentheses(const node& root) const {
    auto visit = [&](const node& n) -> maybe_error {
      if (n.parens > 1) return invalid(kind_, "The expression has redundant parentheses;");
      return std::nullopt;
    };
    return walk(root, visit);
  }

  maybe_error function_names(const node& root) const {
    auto visit = [&](const node& n) -> maybe_error {
      if (n.kind != node_kind::call) return std::nullopt;
      // Function names are case-sensitive (test_key_condition_expression:
      // BEGINS_WITH is unknown). Every kind knows all eight names; a known
      // function in the wrong kind is a placement error
      // (test_update_condition_other_funcs: if_not_exists "not allowed").
      const bool known =
          is_condition_function(n.name) || n.name == "size" || is_update_function(n.name);
      if (!known) return invalid(kind_, "Invalid function name; function: " + n.name);
      return std::nullopt;
    };
    return walk(root, visit);
  }

  // A condition function stands where a condition does, size() (or in an
  // update, if_not_exists and list_append) where a value does.
  maybe_error function_placement(const node& n, bool as_condition) const {
    if (n.kind == node_kind::call) {
      const bool ok = as_condition                       ? is_condition_function(n.name)
                      : kind_ == expression_kind::update ? is_update_function(n.name)
                                                         : n.name == "size";
      if (!ok)
        return invalid(kind_,
                       "The function is not allowed to be used this way in an expression; "
                       "function: " +
                           n.name);
    }
    const bool kids_are_conditions =
        n.kind == node_kind::and_ || n.kind == node_kind::or_ || n.kind == node_kind::not_;
    for (const auto& kid : n.kids) {
      // DynamoDB refuses list_append as a function's argument, even
      // list_append(list_append(:a, :b), :c) (test_update_expression_function_nesting).
      if (n.kind == node_kind::call && kid.kind == node_kind::call && kid.name == "list_append")
        return invalid(kind_,
                       "The function is not allowed to be used this way in an expression; "
                       "function: list_append");
      if (auto e = function_placement(kid, kids_are_conditions)) return e;
    }
    return std::nullopt;
  }

  maybe_error reserved_words(const node& root) const {
    auto visit = [&](const node& n) -> maybe_error {
      if (n.kind != node_kind::path) return std::nullopt;
      for (std::size_t i = 0; i < n.path.steps.size(); ++i) {
        const auto& step = n.path.steps[i];
        if (!step.is_index && !step.placeholder && is_reserved_word(step.name))
          return invalid(kind_,
                         "Attribute name is a reserved keyword; reserved keyword: " + n.spelled[i]);
      }
      return std::nullopt;
    };
    return walk(root, visit);
  }

  maybe_error path_depth(const node& root) const {
    auto visit = [&](const node& n) -> maybe_error {
      if (n.kind == node_kind::path && n.path.steps.size() > max_path_depth)
        return invalid(kind_, "The document path has too many nesting levels; nesting levels: " +
                                  std::to_string(n.path.steps.size()));
      return std::nullopt;
    };
    return walk(root, visit);
  }

  // All passes over a list of roots, pass by pass.
  maybe_error all(const std::vector<const node*>& roots, bool as_condition) const {
    for (auto* r : roots)
      if (auto e = redundant_parentheses(*r)) return e;
    for (auto* r : roots)
      if (auto e = function_names(*r)) return e;
    for (auto* r : roots)
      if (auto e = function_placement(*r, as_condition)) return e;
    for (auto* r : roots)
      if (auto e = reserved_words(*r)) return e;
    for (auto* r : roots)
      if (auto e = path_depth(*r)) return e;
    return std::nullopt;
  }

 private:
  expression_kind kind_;
};

operand lower_operand(const node& n) {
  operand o;
  switch (n.kind) {
    case node_kind::path:
      o.kind = operand_kind::path;
      o.path = n.path;
      return o;
    case node_kind::value:
      o.kind = operand_kind::value;
      o.value_name = n.name;
      return o;
    case node_kind::plus:
      o.kind = operand_kind::plus;
      break;
    case node_kind::minus:
      o.kind = operand_kind::minus;
      break;
    default:  // a call; placement checks leave only value functions here
      o.kind = n.name == "size"            ? operand_kind::size
               : n.name == "if_not_exists" ? operand_kind::if_not_exists
                                           : operand_kind::list_append;
  }
  for (const auto& kid : n.kids) o.args.push_back(lower_operand(kid));
  return o;
}

condition lower(const node& n) {
  condition c;
  switch (n.kind) {
    case node_kind::and_:
      c.kind = condition_kind::and_;
      break;
    case node_kind::or_:
      c.kind = condition_kind::or_;
      break;
    case node_kind::not_:
      c.kind = condition_kind::not_;
      break;
    case node_kind::compare:
      c.kind = condition_kind::compare;
      c.op = n.op;
      break;
    case node_kind::between:
      c.kind = condition_kind::between;
      break;
    case node_kind::in:
      c.kind = condition_kind::in;
      break;
    default:  // a condition function
      c.kind = n.name == "attribute_exists"       ? condition_kind::attribute_exists
               : n.name == "attribute_not_exists" ? condition_kind::attribute_not_exists
               : n.name == "attribute_type"       ? condition_kind::attribute_type
               : n.name == "begins_with"          ? condition_kind::begins_with
                                                  : condition_kind::contains;
  }
  if (c.kind == condition_kind::and_ || c.kind == condition_kind::or_ ||
      c.kind == condition_kind::not_) {
    for (const auto& kid : n.kids) c.children.push_back(lower(kid));
  } else {
    for (const auto& kid : n.kids) c.operands.push_back(lower_operand(kid));
  }
  return c;
}

}  // namespace

result<condition> lower_condition(const node& root, expression_kind kind) {
  if (auto e = checker(kind).all({&root}, true)) return *e;
  return lower(root);
}

result<projection> lower_projection(const std::vector<node>& paths) {
  std::vector<const node*> roots;
  for (const auto& p : paths) roots.push_back(&p);
  if (auto e = checker(expression_kind::projection).all(roots, false)) return *e;
  projection out;
  for (const auto& p : paths) out.paths.push_back(p.path);
  return out;
}

result<update> lower_update(const std::vector<update_syntax>& actions,
                            std::string_view repeated_clause) {
  std::vector<const node*> roots;
  for (const auto& a : actions) {
    roots.push_back(&a.target);
    if (a.kind != update_action_kind::remove) roots.push_back(&a.value);
  }
  if (auto e = checker(expression_kind::update).all(roots, false)) return *e;
  if (!repeated_clause.empty())
    return invalid(expression_kind::update,
                   "The \"" + std::string(repeated_clause) +
                       "\" section can only be used once in an update expression;");
  update out;
  for (const auto& a : actions) {
    update_action action;
    action.kind = a.kind;
    action.target = a.target.path;
    if (a.kind != update_action_kind::remove) action.value = lower_operand(a.value);
    out.actions.push_back(std::move(action));
  }
  return out;
}

}  // namespace stratus::dynamodb::expr::detail
