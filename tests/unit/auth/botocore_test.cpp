// Requests signed by real botocore (Debian's python3-botocore 1.29.27), captured
// before sending with the clock frozen at 2026-11-21T06:30:00Z, access key
// AKIASTRATUSTEST00001 and secret "stratus/Secret+Key0123456789abcdefghijKL".
// They pin what AWS's suite does not: the JSON and query protocols' headers,
// a Lambda path label that botocore encodes once and SigV4 encodes again, S3's
// single encoding, and presigned URLs for STS and S3.

#include <gtest/gtest.h>

#include <chrono>

#include "auth/sigv4.hpp"
#include "captured.hpp"
#include "wire_request.hpp"

namespace stratus::auth {
namespace {

using namespace std::chrono;
using test::wire_request;

using test::captured_at;
using test::captured_secret;
using test::expect_accepted;
using test::expect_mismatch;

constexpr std::string_view dynamodb_get_item = R"(POST / HTTP/1.1
X-Amz-Target:DynamoDB_20120810.GetItem
Content-Type:application/x-amz-json-1.0
User-Agent:Botocore/1.29.27 Python/3.11.2 Linux/6.18.44-fc-v445 awscrt/1.0.0.dev0
host:localhost:4566
X-Amz-Date:20261121T063000Z
Authorization:AWS4-HMAC-SHA256 Credential=AKIASTRATUSTEST00001/20261121/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=f94b0bb5ec4008b10a34dff3d766d6fea339a720d92e9634354d5aa4583ea6a2
amz-sdk-invocation-id:b2c23a46-8655-434b-a8a9-c71a4f3599fd
amz-sdk-request:attempt=1
Content-Length:59

{"TableName": "orders", "Key": {"pk": {"S": "a b/\u00fc"}}})";

constexpr std::string_view sts_get_caller_identity_with_token = R"(POST / HTTP/1.1
Content-Type:application/x-www-form-urlencoded; charset=utf-8
User-Agent:Botocore/1.29.27 Python/3.11.2 Linux/6.18.44-fc-v445 awscrt/1.0.0.dev0
host:localhost:4566
X-Amz-Security-Token:FQoGZXIvYXdzEXAMPLEtoken//+=
X-Amz-Date:20261121T063000Z
Authorization:AWS4-HMAC-SHA256 Credential=AKIASTRATUSTEST00001/20261121/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=a7ad023d6fa272f978c1ff6d639a944ddddfa1b2061d6a7a359a43d141b39687
amz-sdk-invocation-id:09f58069-800b-41b2-8cd6-d50976f5fc34
amz-sdk-request:attempt=1
Content-Length:43

Action=GetCallerIdentity&Version=2011-06-15)";

constexpr std::string_view lambda_get_function_by_arn =
    R"(GET /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn?Qualifier=%24LATEST HTTP/1.1
User-Agent:Botocore/1.29.27 Python/3.11.2 Linux/6.18.44-fc-v445 awscrt/1.0.0.dev0
host:localhost:4566
X-Amz-Date:20261121T063000Z
Authorization:AWS4-HMAC-SHA256 Credential=AKIASTRATUSTEST00001/20261121/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=568b5341692a656abc10d18d4da48a05550be583f19c4401431dad6bc227245a
amz-sdk-invocation-id:e9cd7745-81ec-4fd2-996e-7016c5738b9c
amz-sdk-request:attempt=1)";

// generate_presigned_url('get_caller_identity', ExpiresIn=900, HttpMethod='GET'),
// as `aws eks get-token` builds it.
constexpr std::string_view sts_presigned_get =
    R"(GET /?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIASTRATUSTEST00001%2F20261121%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261121T063000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=900&X-Amz-Signature=7619d2774177708ddd521f80408fb8a11831f948ba6412e5fd40813882276933 HTTP/1.1
host:localhost:4566)";

constexpr std::string_view s3_put_object = R"(PUT /bkt/dir/my%20file%2B%C3%BC.txt HTTP/1.1
User-Agent:Botocore/1.29.27 Python/3.11.2 Linux/6.18.44-fc-v445 awscrt/1.0.0.dev0
Content-MD5:XUFAKrxLKna5cZ2REBfFkg==
Expect:100-continue
host:localhost:4566
X-Amz-Date:20261121T063000Z
x-amz-content-sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
Authorization:AWS4-HMAC-SHA256 Credential=AKIASTRATUSTEST00001/20261121/us-east-1/s3/aws4_request, SignedHeaders=content-md5;host;x-amz-content-sha256;x-amz-date, Signature=8b08a3d6b7183ae5811dfaca03d7c0a34ce3985350ae7752eb98c64b06c1510d
amz-sdk-invocation-id:d7275f47-0655-4c88-bb03-8c1d6f24c2f6
amz-sdk-request:attempt=1
Content-Length:5

hello)";

constexpr std::string_view s3_presigned_get =
    R"(GET /bkt/a%20b.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIASTRATUSTEST00001%2F20261121%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261121T063000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=3296a3dbd6edca5f274840d7879822ef46b84f1e5d0eb9017d065217a229a072 HTTP/1.1
host:localhost:4566)";

// Replaces the first occurrence of `from` in `text`.
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

void expect_accepted(std::string_view text) {
  test::expect_accepted(wire_request::parse(text));
}

TEST(botocore, dynamodb_json_post_is_accepted) {
  expect_accepted(dynamodb_get_item);
}

TEST(botocore, dynamodb_body_change_is_rejected) {
  auto request = wire_request::parse(dynamodb_get_item);
  request.body = replaced(request.body, "orders", "orderz");
  expect_mismatch(request);
}

TEST(botocore, dynamodb_signed_header_change_is_rejected) {
  expect_mismatch(wire_request::parse(dynamodb_get_item)
                      .with_header("X-Amz-Target", "DynamoDB_20120810.PutItem"));
}

TEST(botocore, unsigned_headers_may_change) {
  expect_accepted(replaced(std::string(dynamodb_get_item), "attempt=1", "attempt=2"));
}

TEST(botocore, sts_query_post_with_session_token_is_accepted) {
  const auto request = wire_request::parse(sts_get_caller_identity_with_token);
  const auto parsed = parse_signature(request.view());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->security_token, "FQoGZXIvYXdzEXAMPLEtoken//+=");
  expect_accepted(sts_get_caller_identity_with_token);
}

TEST(botocore, sts_security_token_change_is_rejected) {
  expect_mismatch(wire_request::parse(sts_get_caller_identity_with_token)
                      .with_header("X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLEtoken//+-"));
}

TEST(botocore, lambda_arn_label_is_encoded_twice) {
  const auto request = wire_request::parse(lambda_get_function_by_arn);
  const auto parsed = parse_signature(request.view());
  ASSERT_TRUE(parsed);
  const auto canonical = canonical_request(request.view(), *parsed, "lambda");
  EXPECT_NE(canonical.find("\n/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A"
                           "123456789012%253Afunction%253Amy-fn\nQualifier=%24LATEST\n"),
            std::string::npos)
      << canonical;
  expect_accepted(lambda_get_function_by_arn);
}

TEST(botocore, lambda_path_change_is_rejected) {
  auto request = wire_request::parse(lambda_get_function_by_arn);
  request.path = replaced(request.path, "my-fn", "my-fm");
  expect_mismatch(request);
}

TEST(botocore, lambda_query_change_is_rejected) {
  auto request = wire_request::parse(lambda_get_function_by_arn);
  request.query = "Qualifier=%24LATESU";
  expect_mismatch(request);
}

TEST(botocore, sts_presigned_get_is_accepted_until_it_expires) {
  const auto request = wire_request::parse(sts_presigned_get);
  const auto parsed = parse_signature(request.view());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(parsed->presigned);
  EXPECT_EQ(parsed->expires, seconds{900});
  // botocore hashes the (empty) body for presigned non-S3 URLs, it does not
  // use UNSIGNED-PAYLOAD.
  EXPECT_TRUE(canonical_request(request.view(), *parsed, "sts")
                  .ends_with("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_TRUE(test::check_captured(request, captured_at + 15min));

  const auto late = test::check_captured(request, captured_at + 15min + 1s);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, auth_errc::signature_expired);
  EXPECT_EQ(late.error().message, "Request has expired");
}

TEST(botocore, sts_presigned_query_change_is_rejected) {
  auto request = wire_request::parse(sts_presigned_get);
  request.query = replaced(request.query, "GetCallerIdentity", "GetCallerIdentitz");
  expect_mismatch(request);
}

TEST(botocore, sts_presigned_signature_change_is_rejected) {
  auto request = wire_request::parse(sts_presigned_get);
  request.query = replaced(request.query, "X-Amz-Signature=7619", "X-Amz-Signature=7618");
  expect_mismatch(request);
}

TEST(botocore, s3_path_is_signed_as_sent) {
  const auto request = wire_request::parse(s3_put_object);
  const auto parsed = parse_signature(request.view());
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(canonical_request(request.view(), *parsed, "s3")
                  .starts_with("PUT\n/bkt/dir/my%20file%2B%C3%BC.txt\n\n"));
  expect_accepted(s3_put_object);
}

TEST(botocore, s3_declared_payload_hash_is_what_is_signed) {
  expect_mismatch(
      wire_request::parse(s3_put_object).with_header("x-amz-content-sha256", "UNSIGNED-PAYLOAD"));
}

TEST(botocore, s3_presigned_get_signs_unsigned_payload) {
  const auto request = wire_request::parse(s3_presigned_get);
  const auto parsed = parse_signature(request.view());
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(canonical_request(request.view(), *parsed, "s3").ends_with("\nUNSIGNED-PAYLOAD"));
  expect_accepted(s3_presigned_get);

  auto renamed = request;
  renamed.path = "/bkt/a%20c.txt";
  expect_mismatch(renamed);
}

TEST(signer, signs_as_botocore_does) {
  // Re-signing the captured DynamoDB request without its Authorization and
  // the headers botocore leaves unsigned gives botocore's own header back.
  auto request = wire_request::parse(dynamodb_get_item);
  std::erase_if(request.headers, [](const auto& header) {
    return header.first == "Authorization" || header.first.starts_with("amz-sdk") ||
           header.first == "Content-Length";
  });
  const auto header =
      sign_authorization_header(request.view(), "AKIASTRATUSTEST00001", captured_secret,
                                {"20261121", "us-east-1", "dynamodb"}, "20261121T063000Z");
  EXPECT_EQ(header,
            "AWS4-HMAC-SHA256 Credential=AKIASTRATUSTEST00001/20261121/us-east-1/dynamodb/"
            "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            "Signature=f94b0bb5ec4008b10a34dff3d766d6fea339a720d92e9634354d5aa4583ea6a2");

  request.headers.emplace_back("Authorization", header);
  EXPECT_TRUE(test::check_captured(request));
}

}  // namespace
}  // namespace stratus::auth
