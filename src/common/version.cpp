#include "common/version.hpp"

namespace stratus {
std::string_view version() {
  return STRATUS_VERSION;
}
}  // namespace stratus
