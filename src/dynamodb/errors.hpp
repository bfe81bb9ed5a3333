#pragma once
// DynamoDB's own errors, spelled as DynamoDB sends them (see
// docs/compatibility/dynamodb.md and tests/integration/test_dynamodb_*.py).
#include <string>

#include "common/api_error.hpp"

namespace stratus::dynamodb::errors {

inline api_error resource_not_found(std::string message = "Requested resource not found") {
  return {"ResourceNotFoundException", std::move(message), 400, true, {}};
}
inline api_error table_not_found(std::string_view table) {
  return resource_not_found("Requested resource not found: Table: " + std::string(table) +
                            " not found");
}
inline api_error resource_in_use(std::string message) {
  return {"ResourceInUseException", std::move(message), 400, true, {}};
}
inline api_error invalid_parameter(std::string_view what) {
  return api_error::validation("One or more parameter values were invalid: " + std::string(what));
}
inline api_error internal(std::string message) {
  return {"InternalServerError", std::move(message), 500, false, {}};
}

}  // namespace stratus::dynamodb::errors
