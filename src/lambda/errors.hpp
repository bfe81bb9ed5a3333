#pragma once
// Lambda's errors as AWS spells them. Lambda's error bodies carry "Type"
// (User/Service) and "Message"; the rest-json codec adds both.
#include <string>
#include <string_view>

#include "common/api_error.hpp"

namespace stratus::lambda::errors {

// ResourceNotFoundException (404) "Function not found: <arn>".
[[nodiscard]] api_error function_not_found(std::string_view arn);
[[nodiscard]] api_error not_found(std::string message);          // ResourceNotFoundException
[[nodiscard]] api_error invalid_parameter(std::string message);  // InvalidParameterValueException
[[nodiscard]] api_error conflict(std::string message);           // ResourceConflictException 409
[[nodiscard]] api_error precondition_failed(
    std::string message);  // PreconditionFailedException 412
// "The Revision Id provided does not match the latest Revision Id. Call the
// <api> API to retrieve the latest Revision Id"
[[nodiscard]] api_error revision_mismatch(std::string_view api = "GetFunction/GetAlias");
[[nodiscard]] api_error too_large(std::string message);  // RequestEntityTooLargeException 413
[[nodiscard]] api_error internal(std::string message);   // ServiceException 500

}  // namespace stratus::lambda::errors
