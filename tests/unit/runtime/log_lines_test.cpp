// The lines Lambda writes into function logs, character for character.
#include "runtime/log_lines.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "runtime/process.hpp"

namespace stratus::runtime {
namespace {

TEST(log_lines, names) {
  EXPECT_EQ(log_group_name("my-fn"), "/aws/lambda/my-fn");
  const auto at =
      std::chrono::system_clock::time_point(std::chrono::seconds(1704153600));  // 2024-01-02
  const auto stream = log_stream_name(at, "$LATEST");
  EXPECT_TRUE(std::regex_match(stream, std::regex(R"(2024/01/02/\[\$LATEST\][0-9a-f]{32})")))
      << stream;
  EXPECT_NE(stream, log_stream_name(at, "$LATEST"));
}

TEST(log_lines, start_end_report) {
  EXPECT_EQ(start_line("id-1", "$LATEST"), "START RequestId: id-1 Version: $LATEST");
  EXPECT_EQ(end_line("id-1"), "END RequestId: id-1");
  report r;
  r.request_id = "id-1";
  r.duration_ms = 1.234;
  r.memory_size_mb = 128;
  r.max_memory_used_mb = 40;
  EXPECT_EQ(report_line(r),
            "REPORT RequestId: id-1\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 "
            "MB\tMax Memory Used: 40 MB");
  r.init_duration_ms = 95.117;
  r.duration_ms = 0.2;
  EXPECT_EQ(report_line(r),
            "REPORT RequestId: id-1\tDuration: 0.20 ms\tBilled Duration: 1 ms\tMemory Size: 128 "
            "MB\tMax Memory Used: 40 MB\tInit Duration: 95.12 ms");
  r.init_duration_ms.reset();
  r.status = "error";
  r.error_type = "Runtime.ExitError";
  EXPECT_TRUE(report_line(r).ends_with("\tStatus: error\tError Type: Runtime.ExitError"));
}

TEST(log_lines, timeout_line_and_timestamps) {
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1704153600123));
  EXPECT_EQ(iso_millis(at), "2024-01-02T00:00:00.123Z");
  EXPECT_EQ(timeout_line(at, "id-9", 3),
            "2024-01-02T00:00:00.123Z id-9 Task timed out after 3.00 seconds");
}

TEST(log_lines, wait_status_as_aws_words_it) {
  EXPECT_EQ(describe_wait_status(1 << 8), "exit status 1");
  EXPECT_EQ(describe_wait_status(9), "signal: killed");
  EXPECT_EQ(describe_wait_status(11 | 0x80), "signal: segmentation fault (core dumped)");
}

}  // namespace
}  // namespace stratus::runtime
