#include "common/escaped.hpp"

#include <spdlog/spdlog.h>

namespace stratus {

void log_escaped(std::string_view where, const std::exception_ptr& e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("an exception escaped {}: {}", where, ex.what());
  } catch (...) {
    spdlog::error("an exception escaped {}", where);
  }
}

}  // namespace stratus
