#pragma once
// Internal to the parser: the token stream and the untyped tree the
// recursive-descent parser builds before the checks that DynamoDB applies
// after a successful parse (redundant parentheses, function names, where a
// function may be used, reserved words) and before lowering to ast.hpp.
// Nothing outside parser.cpp / lower.cpp includes this file.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/api_error.hpp"
#include "dynamodb/expr/ast.hpp"

namespace stratus::dynamodb::expr::detail {

enum class token_type {
  name,       // a bare attribute name or keyword: [A-Za-z][A-Za-z0-9_]*
  name_ref,   // #[A-Za-z0-9_]+
  value_ref,  // :[A-Za-z0-9_]+
  number,     // [0-9]+, list indexes
  lparen,
  rparen,
  lbracket,
  rbracket,
  comma,
  dot,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  plus,
  minus,
  unknown,  // any other character (a whole UTF-8 sequence)
  eof,
};

struct token {
  token_type type = token_type::eof;
  std::size_t begin = 0;  // offsets into the expression text
  std::size_t end = 0;
};

[[nodiscard]] std::vector<token> tokenize(std::string_view text);

enum class node_kind { path, value, call, compare, between, in, and_, or_, not_, plus, minus };

struct node {
  node_kind kind = node_kind::path;
  comparator op = comparator::eq;
  std::string name;  // call: the function name as written; value: ":v"
  expr::path path;
  std::vector<std::string> spelled;  // path: each step's text as written (for reserved words)
  std::vector<node> kids;
  int parens = 0;  // parentheses wrapping this node directly
};

struct update_syntax {
  update_action_kind kind = update_action_kind::set;
  node target;  // a path
  node value;   // set: the right-hand side; add/delete: a value
};

// The post-parse checks and the conversion to ast.hpp (lower.cpp).
[[nodiscard]] result<condition> lower_condition(const node& root, expression_kind kind);
[[nodiscard]] result<projection> lower_projection(const std::vector<node>& paths);
// repeated_clause: the first clause keyword written twice ("SET"), or empty.
[[nodiscard]] result<update> lower_update(const std::vector<update_syntax>& actions,
                                          std::string_view repeated_clause);

// "Invalid ConditionExpression: <message>"
[[nodiscard]] api_error invalid(expression_kind kind, std::string_view message);

}  // namespace stratus::dynamodb::expr::detail
