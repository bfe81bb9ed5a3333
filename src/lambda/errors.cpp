#include "lambda/errors.hpp"

namespace stratus::lambda::errors {

api_error function_not_found(std::string_view arn) {
  return not_found("Function not found: " + std::string(arn));
}

api_error not_found(std::string message) {
  return {"ResourceNotFoundException", std::move(message), 404};
}

api_error invalid_parameter(std::string message) {
  return {"InvalidParameterValueException", std::move(message), 400};
}

api_error conflict(std::string message) {
  return {"ResourceConflictException", std::move(message), 409};
}

api_error precondition_failed(std::string message) {
  return {"PreconditionFailedException", std::move(message), 412};
}

api_error revision_mismatch(std::string_view api) {
  return precondition_failed(
      "The Revision Id provided does not match the latest Revision Id. Call the " +
      std::string(api) + " API to retrieve the latest Revision Id");
}

api_error too_large(std::string message) {
  return {"RequestEntityTooLargeException", std::move(message), 413};
}

api_error internal(std::string message) {
  return {"ServiceException", std::move(message), 500, false};
}

}  // namespace stratus::lambda::errors
