#include "vtl/error.hpp"

namespace stratus::vtl {

std::string error::describe() const {
  if (line <= 0) return message;
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

}  // namespace stratus::vtl
