#include "runtime/options.hpp"

namespace stratus::runtime {

role_credentials account_credentials(const lambda::function_spec& function) {
  // Shaped like STS session credentials; the gateway reads the account from
  // a 12-digit access key id in developer mode.
  return {function.account, "stratus/developer/mode/secret/access/key0",
          "IQoJb3JpZ2luX2VjEStratusDeveloperModeSessionToken" + function.account, nullptr};
}

std::filesystem::path default_bootstrap_dir() {
  return std::filesystem::path(STRATUS_SOURCE_DIR) / "src" / "runtime" / "bootstrap";
}

std::filesystem::path default_node_modules_dir() {
  return std::filesystem::path(STRATUS_SOURCE_DIR) / "runtimes" / "node_modules";
}

}  // namespace stratus::runtime
