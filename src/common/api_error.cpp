#include "common/api_error.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace stratus {

api_error api_error::validation(std::string message) {
  return {"ValidationException", std::move(message), 400, true, {}};
}

api_error api_error::serialization(std::string message) {
  return {"SerializationException", std::move(message), 400, true, {}};
}

api_error api_error::unknown_operation(std::string message) {
  return {"UnknownOperationException", std::move(message), 400, true, {}};
}

api_error api_error::not_implemented(std::string_view service, std::string_view operation) {
  // Not an AWS error (AWS implements everything it models): Stratus's honest
  // answer for an operation it does not support yet, listed in
  // docs/compatibility/. 501 tells SDKs not to retry.
  return {"NotImplementedException",
          fmt::format("Stratus does not implement {}:{} yet; see docs/compatibility/{}.md", service,
                      operation, service),
          501,
          false,
          {}};
}

api_error api_error::internal(std::string message) {
  return {"InternalFailure", std::move(message), 500, false, {}};
}

void throw_exception_from_error(const api_error& e, const boost::source_location&) {
  throw std::runtime_error(e.code + ": " + e.message);
}

}  // namespace stratus
