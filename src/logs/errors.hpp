#pragma once
// CloudWatch Logs' errors, spelled and worded as AWS sends them (all 400,
// sender faults). The messages are pinned by tests/integration/test_logs*.py.
#include <string>

#include "common/api_error.hpp"

namespace stratus::logs::errors {

inline api_error invalid_parameter(std::string message) {
  return {"InvalidParameterException", std::move(message)};
}
inline api_error group_not_found() {
  return {"ResourceNotFoundException", "The specified log group does not exist."};
}
inline api_error stream_not_found() {
  return {"ResourceNotFoundException", "The specified log stream does not exist."};
}
inline api_error group_exists() {
  return {"ResourceAlreadyExistsException", "The specified log group already exists"};
}
inline api_error stream_exists() {
  return {"ResourceAlreadyExistsException", "The specified log stream already exists"};
}
inline api_error invalid_token() {
  return invalid_parameter("The specified nextToken is invalid.");
}
inline api_error storage(const std::string& what) {
  return api_error::internal(what);
}

}  // namespace stratus::logs::errors
