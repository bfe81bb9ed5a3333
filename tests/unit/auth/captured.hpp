#pragma once
// What the requests captured from real SDKs (botocore_test, js_sdk_test) were
// signed with, and the checks both files run on them.

#include <gtest/gtest.h>

#include <chrono>
#include <string_view>

#include "auth/sigv4.hpp"
#include "wire_request.hpp"

namespace stratus::auth::test {

inline constexpr std::string_view captured_secret = "stratus/Secret+Key0123456789abcdefghijKL";
// The SDKs' clocks were frozen at 2026-11-21T06:30:00Z.
inline const std::chrono::system_clock::time_point captured_at =
    std::chrono::sys_days{std::chrono::November / 21 / 2026} + std::chrono::hours{6} +
    std::chrono::minutes{30};

// parse_signature then verify, as the edge runs them.
inline result<void> check_captured(const wire_request& request,
                                   std::chrono::system_clock::time_point now = captured_at) {
  const auto parsed = parse_signature(request.view());
  if (!parsed) return parsed.error();
  return verify(request.view(), *parsed, captured_secret, now);
}

inline void expect_accepted(const wire_request& request) {
  const auto verified = check_captured(request);
  EXPECT_TRUE(verified) << verified.error().message;
}

inline void expect_mismatch(const wire_request& request) {
  const auto verified = check_captured(request);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, auth_errc::invalid_signature);
}

}  // namespace stratus::auth::test
