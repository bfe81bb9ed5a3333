// The syntax tree of a parsed template.
//
// Produced once by parse() (parser.hpp) and then only read: a parsed
// template is immutable and shared by every render that uses it.
//
// Thread-safety: immutable after parsing; safe to share across threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "vtl/value.hpp"

namespace stratus::vtl::ast {

struct expr;
struct node;
using expr_ptr = std::unique_ptr<expr>;
using block = std::vector<node>;

// 1-based line and column in the template text.
struct position {
  int line = 0;
  int column = 0;
};

enum class step_kind { property, method, index };

// One link of a reference chain: `.name`, `.name(args)` or `[args[0]]`.
struct step {
  step_kind kind = step_kind::property;
  std::string name;
  std::vector<expr_ptr> args;
};

// `$root.step.step[...]`, `${...}`, `$!...`.
struct reference {
  std::string root;
  std::vector<step> steps;
  std::string source;  // the reference as written, e.g. "$!{a.b}"
  position pos;
};

enum class expr_kind {
  literal,       // number, 'single quoted', true, false, null
  interpolated,  // "double quoted": rendered as a template
  reference,
  list,    // [a, b]
  range,   // [a..b]: operands[0], operands[1]
  map,     // {k: v}: operands alternate key, value
  unary,   // ! / not / unary minus: operands[0]
  binary,  // operands[0] op operands[1]
};

enum class op {
  logical_or,
  logical_and,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  add,
  sub,
  mul,
  div,
  mod,
  not_,
  neg
};

enum class node_kind { text, reference, set, if_chain, foreach, define, break_loop, stop };

struct if_branch;

struct node {
  node_kind kind = node_kind::text;
  std::string text;                 // text: the literal text; foreach: loop variable; define: name
  reference ref;                    // reference: what to print; set: the left-hand side
  expr_ptr expression;              // set: right-hand side; foreach: what to iterate
  std::vector<if_branch> branches;  // if_chain: #if and each #elseif
  block body;                       // foreach, define: the body; if_chain: the #else body
  std::shared_ptr<const block> shared_body;  // define: body shared with its values
  position pos;
};

struct if_branch {
  expr_ptr condition;
  block body;
};

struct expr {
  expr_kind kind = expr_kind::literal;
  value literal;
  block parts;  // interpolated
  reference ref;
  std::vector<expr_ptr> operands;
  op oper = op::add;
  position pos;
};

}  // namespace stratus::vtl::ast
