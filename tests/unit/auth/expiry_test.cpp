// A header-signed request is good for 15 minutes either side of the server
// clock; a presigned URL from X-Amz-Date until X-Amz-Expires has passed.

#include <gtest/gtest.h>

#include <chrono>

#include "auth/sigv4.hpp"
#include "wire_request.hpp"

namespace stratus::auth {
namespace {

using namespace std::chrono;
using test::wire_request;

constexpr std::string_view secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const system_clock::time_point signed_at = sys_days{2015y / August / 30} + 12h + 36min;

// AWS suite get-vanilla, signed in the header and presigned for an hour.
const auto header_signed = wire_request::parse(
    "GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n"
    "Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
    "aws4_request, SignedHeaders=host;x-amz-date, "
    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
const auto presigned = wire_request::parse(
    "GET /?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2F"
    "service%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires="
    "3600&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d "
    "HTTP/1.1\nHost:example.amazonaws.com");

result<void> check(const wire_request& request, system_clock::time_point now,
                   std::string_view key = secret) {
  const auto parsed = parse_signature(request.view());
  if (!parsed) return parsed.error();
  return verify(request.view(), *parsed, key, now);
}

TEST(expiry, header_signed_within_fifteen_minutes) {
  EXPECT_TRUE(check(header_signed, signed_at + 15min));
  EXPECT_TRUE(check(header_signed, signed_at - 15min));
  // Sub-second parts of the server clock do not count.
  EXPECT_TRUE(check(header_signed, signed_at + 15min + 999ms));
}

TEST(expiry, header_signed_too_old) {
  const auto verified = check(header_signed, signed_at + 15min + 1s);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, auth_errc::signature_expired);
  EXPECT_EQ(verified.error().message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
            "(20150830T125101Z - 15 min.)");
}

TEST(expiry, header_signed_in_the_future) {
  const auto verified = check(header_signed, signed_at - 15min - 1s);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, auth_errc::signature_expired);
  EXPECT_EQ(verified.error().message,
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z "
            "(20150830T122059Z + 15 min.)");
}

TEST(expiry, reported_before_a_wrong_signature) {
  const auto verified = check(header_signed, signed_at + 1h, "wrong secret");
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, auth_errc::signature_expired);
}

TEST(expiry, presigned_until_x_amz_expires) {
  EXPECT_TRUE(check(presigned, signed_at));
  EXPECT_TRUE(check(presigned, signed_at + 3600s));
  const auto verified = check(presigned, signed_at + 3601s);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, auth_errc::signature_expired);
  EXPECT_EQ(verified.error().message, "Request has expired");
}

TEST(expiry, presigned_in_the_future) {
  const auto verified = check(presigned, signed_at - 16min);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, auth_errc::signature_expired);
}

TEST(expiry, presigned_never_longer_than_a_week) {
  const auto parsed = parse_signature(presigned.view());
  ASSERT_TRUE(parsed);
  auto stretched = *parsed;
  stretched.expires = hours{24 * 8};
  const auto verified = verify(presigned.view(), stretched, secret, signed_at + 2h);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, auth_errc::incomplete_signature);
}

TEST(errors, unrecognized_client_message) {
  const auto e = unrecognized_client_error();
  EXPECT_EQ(e.code, auth_errc::unrecognized_client);
  EXPECT_EQ(e.message, "The security token included in the request is invalid.");
}

}  // namespace
}  // namespace stratus::auth
