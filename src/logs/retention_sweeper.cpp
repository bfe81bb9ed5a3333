#include "logs/retention_sweeper.hpp"

#include <spdlog/spdlog.h>

namespace stratus::logs {

std::size_t retention_sweeper::sweep_once(std::chrono::system_clock::time_point now) {
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  auto groups = logs_.groups_with_retention();
  if (!groups) {
    spdlog::warn("logs retention: cannot list log groups: {}", groups.error().message);
    return 0;
  }
  std::size_t deleted = 0;
  for (const auto& g : *groups) {
    const std::int64_t cutoff = now_ms - std::int64_t{*g.retention_days} * 86'400'000;
    auto n = logs_.expire({g.account, g.region, g.name}, g.id, cutoff);
    if (!n) {
      spdlog::warn("logs retention: {}: {}", g.name, n.error().message);
      continue;
    }
    deleted += *n;
  }
  return deleted;
}

}  // namespace stratus::logs
