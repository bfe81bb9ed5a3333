#pragma once
// DynamoDB attribute values in their wire form ({"S": "x"}, {"N": "1"}, ...):
// validation with DynamoDB's messages, normalisation (numbers to canonical
// text), and item size as DynamoDB counts it against the 400 KB limit.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>

#include "common/api_error.hpp"

namespace stratus::dynamodb {

inline constexpr std::size_t max_item_bytes = 400 * 1024;
inline constexpr int max_nesting = 32;  // the top-level attribute counts as 1

// Validates `value` and rewrites its numbers in canonical form. `depth` is
// the nesting level of the value (1 for a top-level attribute).
[[nodiscard]] result<void> normalize_value(boost::json::value& value, int depth = 1);

// Validates every attribute of an item (names and values) and normalises it.
[[nodiscard]] result<void> normalize_item(boost::json::object& item);

// The size DynamoDB charges for an item: UTF-8 name lengths plus value sizes.
[[nodiscard]] std::size_t item_size(const boost::json::object& item);

// The type tag of a validated value: "S", "N", "B", "BOOL", ...
[[nodiscard]] std::string_view type_of(const boost::json::value& value);

}  // namespace stratus::dynamodb
