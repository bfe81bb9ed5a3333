#pragma once
// The DynamoDB expression engine: ConditionExpression, FilterExpression,
// KeyConditionExpression, ProjectionExpression and UpdateExpression, in four
// stages (docs/architecture/dynamodb-expressions.md):
//
//   parse (parser.hpp)  ->  cache (cache.hpp)  ->  resolve (resolve.hpp)
//     -> evaluate (evaluate.hpp, projection.hpp, update.hpp, key_condition.hpp)
//
// Usage from an operation handler (UpdateItem shown; the others take the
// members they have):
//
//   auto exprs = expr::request_expressions::create(names_or_null, values_or_null);
//   if (!exprs) return exprs.error();
//   auto upd = exprs->resolve_update(update_text);           // parse + resolve
//   if (!upd) return upd.error();
//   auto cond = exprs->resolve_condition(condition_text, expr::expression_kind::condition);
//   if (!cond) return cond.error();
//   if (auto ok = exprs->check_unused(); !ok) return ok.error();  // after all of them
//   ... read the old item (nullptr when absent) ...
//   auto pass = expr::evaluate_condition(*cond, old_item);    // false -> ConditionalCheckFailed
//   auto out = expr::apply_update(*upd, old_item);            // new item + updated paths
//   // key attributes: reject out->modified_attributes that name a key.
//   // UPDATED_NEW: expr::apply_projection(out->updated_paths, out->item)
//
// Query: resolve_condition(text, expression_kind::key_condition), then
// expr::parse_key_condition(resolved, table.hash, table.range) gives the hash
// value and the range condition to scan with (expr::range_matches tests a
// range key against it); a Query's filter goes through
// expr::check_filter_keys before evaluate_condition runs on each item.
// GetItem/Query/Scan: expr::apply_projection(resolved_projection, item).
//
// Thread-safety: see each header; the shared cache is thread-safe, a
// request_expressions object belongs to one request.

#include "dynamodb/expr/ast.hpp"
#include "dynamodb/expr/cache.hpp"
#include "dynamodb/expr/evaluate.hpp"
#include "dynamodb/expr/key_condition.hpp"
#include "dynamodb/expr/parser.hpp"
#include "dynamodb/expr/projection.hpp"
#include "dynamodb/expr/resolve.hpp"
#include "dynamodb/expr/update.hpp"
