#include "runtime/log_lines.hpp"

#include <fmt/format.h>

#include <cmath>
#include <ctime>
#include <random>

namespace stratus::runtime {

std::string log_group_name(std::string_view function_name) {
  return fmt::format("/aws/lambda/{}", function_name);
}

std::string log_stream_name(std::chrono::system_clock::time_point started,
                            std::string_view version) {
  const std::time_t t = std::chrono::system_clock::to_time_t(started);
  std::tm tm{};
  gmtime_r(&t, &tm);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:04}/{:02}/{:02}/[{}]{:016x}{:016x}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, version, rng(), rng());
}

std::string start_line(std::string_view request_id, std::string_view version) {
  return fmt::format("START RequestId: {} Version: {}", request_id, version);
}

std::string end_line(std::string_view request_id) {
  return fmt::format("END RequestId: {}", request_id);
}

std::string report_line(const report& r) {
  // Lambda bills by the millisecond, rounding up, and never less than 1 ms.
  const auto billed = std::max<long long>(1, static_cast<long long>(std::ceil(r.duration_ms)));
  std::string line = fmt::format(
      "REPORT RequestId: {}\tDuration: {:.2f} ms\tBilled Duration: {} ms\tMemory Size: {} "
      "MB\tMax Memory Used: {} MB",
      r.request_id, r.duration_ms, billed, r.memory_size_mb, r.max_memory_used_mb);
  if (r.init_duration_ms) line += fmt::format("\tInit Duration: {:.2f} ms", *r.init_duration_ms);
  if (!r.status.empty()) line += fmt::format("\tStatus: {}", r.status);
  if (!r.error_type.empty()) line += fmt::format("\tError Type: {}", r.error_type);
  return line;
}

std::string iso_millis(std::chrono::system_clock::time_point at) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

std::string timeout_line(std::chrono::system_clock::time_point at, std::string_view request_id,
                         double timeout_seconds) {
  return fmt::format("{} {} Task timed out after {:.2f} seconds", iso_millis(at), request_id,
                     timeout_seconds);
}

}  // namespace stratus::runtime
