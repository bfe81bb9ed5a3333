#pragma once
// Operations on wire-form attribute values ({"N": "1"}) that evaluation,
// update and key conditions share: typed comparison as DynamoDB defines it
// (numbers as decimals, strings and binaries as unsigned bytes), equality of
// any two values, path lookup, and the Java-style rendering DynamoDB puts in
// messages ("AttributeValue: {N:5}").
//
// Thread-safety: pure functions. Values are assumed validated and
// normalised (attribute_value.hpp).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "dynamodb/expr/ast.hpp"

namespace stratus::dynamodb::expr {

// The type tag and the payload of a wire-form value.
[[nodiscard]] std::string_view tag_of(const boost::json::value& v);
[[nodiscard]] const boost::json::value& payload_of(const boost::json::value& v);

// Order of two S, N or B values of the same type: -1, 0, 1; nullopt when the
// types differ or are not ordered.
[[nodiscard]] std::optional<int> compare_scalars(const boost::json::value& a,
                                                 const boost::json::value& b);

// DynamoDB equality: same type and same value (sets regardless of order,
// numbers by value, binaries by bytes).
[[nodiscard]] bool values_equal(const boost::json::value& a, const boost::json::value& b);

// The value at `p` in `item`, or nullptr when any step is missing or of the
// wrong type.
[[nodiscard]] const boost::json::value* find_path(const boost::json::object& item, const path& p);

// A total order of paths: step by step, list indexes (as numbers) before
// names, a prefix before its extensions.
[[nodiscard]] bool path_less(const path& a, const path& b);

// {N:5}, {S:abc}, {L:[{N:1}]} ...
[[nodiscard]] std::string render(const boost::json::value& v);

// The bytes of a B value (its payload is base64).
[[nodiscard]] std::string binary_bytes(const boost::json::value& payload);

}  // namespace stratus::dynamodb::expr
