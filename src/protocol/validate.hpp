#pragma once
// Input validation driven by the model's shapes, with AWS's wording:
//   1 validation error detected: Value null at 'tableName' failed to satisfy
//   constraint: Member must not be null
// A value of the wrong JSON type is a SerializationException (the request
// could not be deserialized), as AWS's json services answer.

#include <boost/json/object.hpp>
#include <optional>

#include "common/api_error.hpp"
#include "protocol/model.hpp"

namespace stratus::protocol {

// Checks `input` against `input_shape`. Returns the error AWS would send, or
// nothing when the input is valid.
[[nodiscard]] std::optional<api_error> validate(const shape& input_shape,
                                                const boost::json::object& input);

// "Value 'x' at 'a.b' failed to satisfy constraint: ..." pieces, joined the
// way AWS joins them: "N validation error(s) detected: m1; m2".
[[nodiscard]] std::string join_validation_errors(const std::vector<std::string>& errors);

}  // namespace stratus::protocol
