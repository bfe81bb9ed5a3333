#pragma once
// The statement trees the PartiQL parser produces and the executor runs.
// WHERE clauses, SET/REMOVE lists and SELECT lists are the expression
// engine's own trees (expr/ast.hpp) with every literal and `?` parameter
// already bound to its wire-form AttributeValue, so evaluation reuses
// expr::evaluate_condition and expr::apply_update unchanged.
//
// Thread-safety: plain value types.

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "dynamodb/expr/ast.hpp"

namespace stratus::dynamodb::partiql {

// exists: EXISTS(SELECT ...), a ConditionCheck that only transactions take.
enum class statement_kind { select, insert, update, delete_, exists };

// UPDATE/DELETE ... RETURNING: which image ExecuteStatement answers in Items.
enum class returning { none, all_old, modified_old, all_new, modified_new };

struct statement {
  statement_kind kind = statement_kind::select;
  std::string table;
  std::string index;                           // SELECT ... FROM "T"."I"; empty: the table
  std::optional<expr::projection> projection;  // SELECT a, b.c; nullopt: SELECT *
  std::optional<expr::condition> where;
  std::string order_by;  // SELECT ... ORDER BY <key attribute>; empty: key order
  bool descending = false;
  boost::json::object item;  // INSERT ... VALUE {...}, normalised
  expr::update update;       // UPDATE ... SET / REMOVE
  partiql::returning returning = returning::none;

  [[nodiscard]] bool is_read() const { return kind == statement_kind::select; }
};

}  // namespace stratus::dynamodb::partiql
