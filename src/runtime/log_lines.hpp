#pragma once
// The text of the lines Lambda itself writes into a function's log, and the
// names it gives log groups and streams. Pure functions, testable alone.
//
// Thread-safety: stateless; safe from any thread.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::runtime {

// "/aws/lambda/<name>"
[[nodiscard]] std::string log_group_name(std::string_view function_name);
// "YYYY/MM/DD/[<version>]<32 lower-case hex>", one per environment, dated
// (UTC) when the environment starts.
[[nodiscard]] std::string log_stream_name(std::chrono::system_clock::time_point started,
                                          std::string_view version);

// "START RequestId: <id> Version: <version>"
[[nodiscard]] std::string start_line(std::string_view request_id, std::string_view version);
// "END RequestId: <id>"
[[nodiscard]] std::string end_line(std::string_view request_id);

struct report {
  std::string request_id;
  double duration_ms = 0;
  int memory_size_mb = 128;
  int max_memory_used_mb = 0;
  std::optional<double> init_duration_ms;  // cold starts only
  std::string status;                      // "", "timeout" or "error"
  std::string error_type;                  // with status "error"
};
// "REPORT RequestId: <id>\tDuration: 1.23 ms\tBilled Duration: 2 ms\t..."
[[nodiscard]] std::string report_line(const report& r);

// "2024-01-01T00:00:00.000Z <id> Task timed out after 1.00 seconds"
[[nodiscard]] std::string timeout_line(std::chrono::system_clock::time_point at,
                                       std::string_view request_id, double timeout_seconds);

// "2024-01-01T00:00:00.000Z" (milliseconds, UTC)
[[nodiscard]] std::string iso_millis(std::chrono::system_clock::time_point at);

}  // namespace stratus::runtime
