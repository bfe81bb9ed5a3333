#pragma once
// The storage range a Query's key condition selects: one partition, narrowed
// by the sort-key condition. Shared by Query (query_scan.cpp) and PartiQL
// SELECT (partiql/executor.cpp).
//
// Thread-safety: pure function.

#include <optional>

#include "common/api_error.hpp"
#include "dynamodb/expr/key_condition.hpp"
#include "dynamodb/keys.hpp"
#include "storage/store.hpp"

namespace stratus::dynamodb {

// Sets `range` (begin/end; `reverse` untouched) from a validated key
// condition; a BETWEEN whose lower bound is above its upper bound is
// DynamoDB's ValidationException.
[[nodiscard]] std::optional<api_error> key_range_of(const key_space& space,
                                                    const expr::key_condition& kc,
                                                    storage::key_range& range);

// Narrows `range` (already the keys under `prefix`) to the keys whose next
// key attribute `attr` satisfies `rc`.
[[nodiscard]] std::optional<api_error> narrow_range(const std::string& prefix,
                                                    const key_attribute& attr,
                                                    const expr::range_condition& rc,
                                                    storage::key_range& range);

}  // namespace stratus::dynamodb
