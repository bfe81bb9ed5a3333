#pragma once
// Stage 4b: a resolved ProjectionExpression applied to an item, in the shape
// DynamoDB returns: only the requested paths, nested maps keeping only the
// requested keys, lists keeping only the requested elements (in index order,
// compacted), missing paths left out.
//
// Thread-safety: pure functions.

#include <boost/json/object.hpp>
#include <vector>

#include "dynamodb/expr/ast.hpp"

namespace stratus::dynamodb::expr {

[[nodiscard]] boost::json::object apply_projection(const projection& p,
                                                   const boost::json::object& item);

// The same over any disjoint paths, e.g. update_outcome::updated_paths for
// ReturnValues UPDATED_OLD / UPDATED_NEW.
[[nodiscard]] boost::json::object apply_projection(const std::vector<path>& paths,
                                                   const boost::json::object& item);

}  // namespace stratus::dynamodb::expr
