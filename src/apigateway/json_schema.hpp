#pragma once
// JSON Schema draft 4, as API Gateway validates request bodies against a
// method's model: types, properties, required, additional and pattern
// properties, items, enum, numeric and length bounds, patterns, the
// combinators (allOf, anyOf, oneOf, not), local "#/definitions/..."
// references and references to other models of the API by their
// https://apigateway.amazonaws.com/restapis/{id}/models/{name} URL. Formats
// are not checked (API Gateway does not check them either).
//
// Thread-safety: pure functions.
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>

namespace stratus::apigateway {

// The schema of another model by name, for $ref (nullptr when none).
using model_lookup = std::function<const boost::json::value*(std::string_view name)>;

// The first violation, as a short description, or nullopt when `doc` is
// valid.
[[nodiscard]] std::optional<std::string> schema_violation(const boost::json::value& schema,
                                                          const boost::json::value& doc,
                                                          const model_lookup& models);

}  // namespace stratus::apigateway
