#pragma once
// Stage 4c: a resolved UpdateExpression applied to an item. Every right-hand
// side is computed from the item as it was before the update ("SET a = b,
// b = a" swaps), then SETs apply (list indexes past the end append, in index
// order), then ADD and DELETE, then REMOVEs (list elements from the highest
// index down, so indexes name the original positions).
//
// The function is pure: it takes the old item and returns the new one, so a
// caller may retry it (e.g. after a conditional-write race).
//
// Thread-safety: pure function.

#include <boost/json/object.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/api_error.hpp"
#include "dynamodb/expr/ast.hpp"

namespace stratus::dynamodb::expr {

// DynamoDB's message for a path the item does not have (REMOVE a.b when
// there is no a, SET a[0] on a map, ...).
inline constexpr std::string_view invalid_update_path_message =
    "The document path provided in the update expression is invalid for update";

struct update_outcome {
  boost::json::object item;                   // the new item
  std::vector<path> updated_paths;            // every action's target, in order (as written)
  std::set<std::string> modified_attributes;  // their top-level names (for the key check)
};

// `old_item` is null when the item does not exist yet.
[[nodiscard]] result<update_outcome> apply_update(const update& u,
                                                  const boost::json::object* old_item);

}  // namespace stratus::dynamodb::expr
