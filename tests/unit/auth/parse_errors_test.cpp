// Malformed signatures get the error code and the exact message AWS sends
// (see src/auth/errors.cpp for where each message was recorded).

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

// AWS suite get-vanilla, without its Authorization header.
wire_request vanilla() {
  return wire_request::parse(
      "GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z");
}

constexpr std::string_view vanilla_credential =
    "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
constexpr std::string_view vanilla_signature =
    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

auth_error error_of(const wire_request& request) {
  const auto parsed = parse_signature(request.view());
  EXPECT_FALSE(parsed);
  return parsed ? auth_error{} : parsed.error();
}

auth_error error_with_authorization(std::string authorization) {
  return error_of(vanilla().with_header("Authorization", std::move(authorization)));
}

TEST(parse_errors, no_signature_at_all) {
  const auto e = error_of(vanilla());
  EXPECT_EQ(e.code, auth_errc::missing_authentication_token);
  EXPECT_EQ(e.message, "Request is missing Authentication Token");
}

TEST(parse_errors, other_schemes_count_as_no_signature) {
  for (const auto* scheme : {"Bearer abc", "Basic dXNlcjpwYXNz", "AWS AKID:c2lnbmF0dXJl", "   "}) {
    const auto e = error_with_authorization(scheme);
    EXPECT_EQ(e.code, auth_errc::missing_authentication_token) << scheme;
  }
}

TEST(parse_errors, every_part_missing) {
  auto request = wire_request::parse("GET / HTTP/1.1\nHost:example.amazonaws.com");
  const auto e = error_of(request.with_header("Authorization", "AWS4-HMAC-SHA256"));
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "Authorization header requires 'Credential' parameter. Authorization header requires "
            "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=AWS4-HMAC-SHA256");
}

TEST(parse_errors, credential_missing) {
  const std::string header =
      "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, " + std::string(vanilla_signature);
  const auto e = error_with_authorization(header);
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "Authorization header requires 'Credential' parameter. Authorization=" + header);
}

TEST(parse_errors, signature_missing) {
  const std::string header =
      "AWS4-HMAC-SHA256 " + std::string(vanilla_credential) + ", SignedHeaders=host;x-amz-date";
  const auto e = error_with_authorization(header);
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "Authorization header requires 'Signature' parameter. Authorization=" + header);
}

TEST(parse_errors, signed_headers_missing_or_empty) {
  const std::string header = "AWS4-HMAC-SHA256 " + std::string(vanilla_credential) +
                             ", SignedHeaders=, " + std::string(vanilla_signature);
  const auto e = error_with_authorization(header);
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "Authorization header requires 'SignedHeaders' parameter. Authorization=" + header);
}

TEST(parse_errors, date_missing) {
  const std::string header = "AWS4-HMAC-SHA256 " + std::string(vanilla_credential) +
                             ", SignedHeaders=host;x-amz-date, " + std::string(vanilla_signature);
  auto request = wire_request::parse("GET / HTTP/1.1\nHost:example.amazonaws.com");
  const auto e = error_of(request.with_header("Authorization", header));
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=" +
                header);
}

TEST(parse_errors, component_without_equal_sign) {
  const auto e = error_with_authorization("AWS4-HMAC-SHA256 Credential, SignedHeaders=host");
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: "
            "'AWS4-HMAC-SHA256 Credential, SignedHeaders=host'.");
}

std::string vanilla_authorization(std::string_view algorithm = "AWS4-HMAC-SHA256",
                                  std::string_view credential = vanilla_credential,
                                  std::string_view signed_headers = "host;x-amz-date") {
  return std::string(algorithm) + " " + std::string(credential) +
         ", SignedHeaders=" + std::string(signed_headers) + ", " + std::string(vanilla_signature);
}

TEST(parse_errors, date_not_in_basic_format) {
  const auto request = vanilla()
                           .with_header("X-Amz-Date", "2015-08-30T12:36:00Z")
                           .with_header("Authorization", vanilla_authorization());
  const auto e = error_of(request);
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See "
            "http://en.wikipedia.org/wiki/ISO_8601");
}

TEST(parse_errors, impossible_dates_are_rejected) {
  for (const auto* date : {"20150230T123600Z", "20151330T123600Z", "20150830T243600Z",
                           "20150830T126000Z", "20150830T123600", "20150830 123600Z"}) {
    const auto e = error_of(vanilla()
                                .with_header("X-Amz-Date", date)
                                .with_header("Authorization", vanilla_authorization()));
    EXPECT_EQ(e.code, auth_errc::incomplete_signature) << date;
  }
}

TEST(parse_errors, unsupported_algorithm) {
  const auto e = error_with_authorization(vanilla_authorization("AWS4-HMAC-SHA512"));
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ");
}

TEST(parse_errors, host_must_be_signed) {
  const auto e = error_with_authorization(
      vanilla_authorization("AWS4-HMAC-SHA256", vanilla_credential, "x-amz-date"));
  EXPECT_EQ(e.code, auth_errc::invalid_signature);
  EXPECT_EQ(e.message, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

TEST(parse_errors, credential_with_four_parts) {
  const auto e = error_with_authorization(vanilla_authorization(
      "AWS4-HMAC-SHA256", "Credential=AKIDEXAMPLE/20150830/us-east-1/service"));
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            "keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1/service'");
}

TEST(parse_errors, credential_trailing_slash_is_ignored) {
  const auto request = vanilla().with_header(
      "Authorization",
      vanilla_authorization("AWS4-HMAC-SHA256", std::string(vanilla_credential) + "/"));
  EXPECT_TRUE(parse_signature(request.view()));
}

TEST(parse_errors, credential_scope_is_checked_by_verify_after_the_clock) {
  const auto request = vanilla().with_header(
      "Authorization",
      vanilla_authorization("AWS4-HMAC-SHA256",
                            "Credential=AKIDEXAMPLE/20150831/us-east-1/service/aws5_request"));
  const auto sig = parse_signature(request.view());
  ASSERT_TRUE(sig);  // well-formed: the scope is a verification matter
  using namespace std::chrono;
  const sys_time<seconds> signed_at = sys_days{year{2015} / 8 / 30} + hours{12} + minutes{36};
  const auto e = verify(request.view(), *sig, "secret", signed_at).error();
  EXPECT_EQ(e.code, auth_errc::invalid_signature);
  EXPECT_EQ(e.message,
            "Credential should be scoped with a valid terminator: 'aws4_request', not "
            "'aws5_request'. Date in Credential scope does not match YYYYMMDD from ISO-8601 "
            "version of date from HTTP: '20150831' != '20150830', from '20150830T123600Z'.");
  // A stale request is reported as stale first, as AWS does.
  const auto stale = verify(request.view(), *sig, "secret", signed_at + hours{1}).error();
  EXPECT_EQ(stale.code, auth_errc::signature_expired);
}

TEST(parse_errors, header_and_presigned_query_together) {
  auto request = vanilla().with_header("Authorization", vanilla_authorization());
  request.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256";
  const auto e = error_of(request);
  EXPECT_EQ(e.code, auth_errc::invalid_signature);
  EXPECT_EQ(e.message,
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP "
            "header.");
}

TEST(parse_errors, presigned_parameters_missing) {
  auto request = wire_request::parse("GET / HTTP/1.1\nHost:example.amazonaws.com");
  request.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20150830T123600Z&X-Amz-Credential=";
  const auto e = error_of(request);
  EXPECT_EQ(e.code, auth_errc::incomplete_signature);
  EXPECT_EQ(e.message,
            "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string "
            "parameters must include 'X-Amz-Signature'. AWS query-string parameters must include "
            "'X-Amz-SignedHeaders'. Re-examine the query-string parameters.");
}

auth_error presigned_error(std::string_view expires) {
  auto request = wire_request::parse("GET / HTTP/1.1\nHost:example.amazonaws.com");
  request.query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2F"
      "service%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&"
      "X-Amz-Signature=00&X-Amz-Expires=" +
      std::string(expires);
  return error_of(request);
}

TEST(parse_errors, presigned_expires_must_be_a_week_or_less) {
  EXPECT_EQ(presigned_error("soon").message, "X-Amz-Expires should be a number");
  EXPECT_EQ(presigned_error("").message, "X-Amz-Expires should be a number");
  EXPECT_EQ(presigned_error("-5").message, "X-Amz-Expires must be non-negative");
  for (const auto* too_long : {"604801", "99999999999999999999999999"}) {
    const auto e = presigned_error(too_long);
    EXPECT_EQ(e.code, auth_errc::incomplete_signature);
    EXPECT_EQ(e.message,
              "X-Amz-Expires must be less than a week (in seconds); that is, the given "
              "X-Amz-Expires must be less than 604800 seconds");
  }
}

TEST(parse_errors, presigned_date_not_in_basic_format) {
  auto request = wire_request::parse("GET / HTTP/1.1\nHost:example.amazonaws.com");
  request.query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb%2Fc%2Fd%2Fe&X-Amz-Date=201&"
      "X-Amz-SignedHeaders=host&X-Amz-Signature=00";
  EXPECT_EQ(error_of(request).message,
            "Date must be in ISO-8601 'basic format'. Got '201'. See "
            "http://en.wikipedia.org/wiki/ISO_8601");
}

// The spacing SDKs and hand-written signers put between components.
TEST(parse_variants, component_spacing) {
  for (const auto* header :
       {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
        "SignedHeaders=host;x-amz-date,Signature="
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "AWS4-HMAC-SHA256   Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request ,  "
        "SignedHeaders=host;x-amz-date ,Signature="
        "5FA00FA31553B73EBF1942676E86291E8372FF2A2260956D9B8AAE1D763FBF31  ",
        "AWS4-HMAC-SHA256 "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        " Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request "
        "SignedHeaders=host;X-Amz-Date"}) {
    const auto request = vanilla().with_header("Authorization", header);
    const auto parsed = parse_signature(request.view());
    ASSERT_TRUE(parsed) << header << ": " << parsed.error().message;
    EXPECT_EQ(parsed->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
    EXPECT_TRUE(verify(request.view(), *parsed, secret, signed_at)) << header;
  }
}

TEST(parse_variants, date_header_when_no_x_amz_date) {
  for (const auto* date : {"Sun, 30 Aug 2015 12:36:00 GMT", "Sun, 30 Aug 2015 12:36:00 -0000"}) {
    auto request = wire_request::parse("GET / HTTP/1.1\nHost:example.amazonaws.com");
    request.headers.emplace_back("Date", date);
    request.headers.emplace_back(
        "Authorization",
        sign_authorization_header(request.view(), "AKIDEXAMPLE", secret,
                                  {"20150830", "us-east-1", "service"}, "20150830T123600Z"));
    const auto parsed = parse_signature(request.view());
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->amz_date, "20150830T123600Z");
    EXPECT_EQ(parsed->signed_headers, (std::vector<std::string>{"date", "host"}));
    EXPECT_TRUE(verify(request.view(), *parsed, secret, signed_at));
  }
}

TEST(parse_variants, x_amz_date_wins_over_date) {
  auto request = vanilla().with_header("Authorization", vanilla_authorization());
  request.headers.emplace_back("Date", "Mon, 31 Aug 2015 00:00:00 GMT");
  const auto parsed = parse_signature(request.view());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->amz_date, "20150830T123600Z");
}

}  // namespace
}  // namespace stratus::auth
