// JSON text to template values, as API Gateway's JSON provider builds them
// for $util.parseJson and $input.path: objects become insertion-ordered maps
// (printed "{a=1}"), arrays become JSON-printing lists (printed "[1,2]"),
// integers become Integer/Long and other numbers Double.
//
// Thread-safety: stateless.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "vtl/value.hpp"

namespace stratus::vtl {

// Deepest JSON nesting accepted (Boost.JSON's default of 32 is too shallow
// for real payloads).
inline constexpr int max_json_depth = 256;

[[nodiscard]] value from_json(const boost::json::value& j);
[[nodiscard]] value from_json(const boost::json::object& o);

// Parses and converts JSON text; nullopt when it is not JSON.
[[nodiscard]] std::optional<value> parse_json(std::string_view text);

// Parses JSON text into Boost.JSON; nullopt when it is not JSON.
[[nodiscard]] std::optional<boost::json::value> parse_json_document(std::string_view text);

}  // namespace stratus::vtl
