#pragma once
// Running parsed PartiQL statements against the catalog. Writes are planned
// first (table, key, extra condition) and then decided by a pure function of
// the current item, so a single statement (read_modify_write), a batch and a
// transaction all share the same steps. SELECT is a Query when the WHERE
// has an equality on the partition key, otherwise a Scan; the whole WHERE is
// then the filter.
//
// Thread-safety: free functions over the thread-safe catalog.

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "common/request_context.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/partiql/statement.hpp"
#include "dynamodb/table.hpp"

namespace stratus::dynamodb::partiql {

// One item addressed by a statement's WHERE: equalities on every key
// attribute, and whatever else the WHERE says as a condition on the item.
struct item_target {
  table_ptr table;
  boost::json::object key;
  std::string storage_key;
  std::optional<expr::condition> condition;  // the WHERE beyond the key
};

// INSERT / UPDATE / DELETE against its table; validation happens here,
// before any storage access.
struct write_plan {
  const statement* st = nullptr;
  item_target target;
  std::string put_value;  // INSERT: the serialized item
};

[[nodiscard]] result<write_plan> plan_write(catalog& tables, const request_context& ctx,
                                            const statement& st);

// What the write does to the current item (null: absent): DuplicateItem for
// an INSERT over an existing item, ConditionalCheckFailed when the WHERE
// does not hold (an UPDATE needs the item to exist).
[[nodiscard]] result<write_decision> decide_write(const write_plan& plan,
                                                  const boost::json::object* current);

// A SELECT that names one item by its full key (BatchExecuteStatement and
// ExecuteTransaction reads).
[[nodiscard]] result<item_target> plan_get(catalog& tables, const request_context& ctx,
                                           const statement& st);

// The SELECT list applied to an item: a nested path's value comes back
// under its last name (SELECT m.n gives {"n": ...}).
[[nodiscard]] boost::json::object select_list(const statement& st, boost::json::object item);

// ExecuteStatement: one page of a SELECT (Limit, NextToken, ConsistentRead,
// ReturnConsumedCapacity from `in`), or one write.
[[nodiscard]] result<boost::json::object> execute_single(catalog& tables,
                                                         const request_context& ctx,
                                                         const statement& st,
                                                         const boost::json::object& in);

// The AWS error code as the per-statement Error / CancellationReasons carry
// it: "ConditionalCheckFailed", "DuplicateItem", "ValidationError", ...
[[nodiscard]] std::string statement_error_code(const api_error& e);

}  // namespace stratus::dynamodb::partiql
