// Requests signed by the AWS SDK for JavaScript v3 (@aws-sdk/client-lambda
// and client-dynamodb 3.1162, @smithy/signature-v4), captured by a request
// handler that never sent them, with Date.now frozen at 2026-11-21T06:30:00Z.
// The JS SDK signs more than botocore: x-amz-content-sha256 on every request
// and its amz-sdk-* headers, whose "; " values exercise trimming.

#include <gtest/gtest.h>

#include "auth/sigv4.hpp"
#include "captured.hpp"
#include "wire_request.hpp"

namespace stratus::auth {
namespace {

using test::wire_request;

using test::expect_accepted;
using test::expect_mismatch;

constexpr std::string_view lambda_get_function_by_arn =
    R"(GET /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn?Qualifier=%24LATEST HTTP/1.1
x-amz-user-agent:aws-sdk-js/3.1161.0
user-agent:aws-sdk-js/3.1161.0 ua/2.1 os/linux#6.18.44-fc-v445 lang/js md/nodejs#20.20.2 api/lambda#3.1161.0 m/N,E,e
host:localhost:4566
amz-sdk-invocation-id:01be892c-36de-407b-80df-0017567a86b4
amz-sdk-request:attempt=1; max=1
x-amz-date:20261121T063000Z
x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
authorization:AWS4-HMAC-SHA256 Credential=AKIASTRATUSTEST00001/20261121/us-east-1/lambda/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=edb1bba068eb1ed659ddca5f5e7c47dedb16efd3887b7ba2dbdd84d4e038e127)";

constexpr std::string_view lambda_invoke_qualified_arn =
    R"(POST /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn%3Aprod/invocations HTTP/1.1
content-type:application/octet-stream
content-length:12
x-amz-user-agent:aws-sdk-js/3.1161.0
user-agent:aws-sdk-js/3.1161.0 ua/2.1 os/linux#6.18.44-fc-v445 lang/js md/nodejs#20.20.2 api/lambda#3.1161.0 m/N,E,e
host:localhost:4566
amz-sdk-invocation-id:0eefb893-21b2-4b01-a797-f58e039771b9
amz-sdk-request:attempt=1; max=1
x-amz-date:20261121T063000Z
x-amz-content-sha256:565b01b6bc10313f42affe075ef5de69c1014859714573e248317be740f5c138
authorization:AWS4-HMAC-SHA256 Credential=AKIASTRATUSTEST00001/20261121/us-east-1/lambda/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=aed5104c9b39ad60236934ff495b266ae4229aae0fbf225b5ecbd730fb4677eb

{"k": "v w"})";

constexpr std::string_view dynamodb_get_item = R"(POST / HTTP/1.1
content-type:application/x-amz-json-1.0
x-amz-target:DynamoDB_20120810.GetItem
content-length:50
x-amz-user-agent:aws-sdk-js/3.1161.0
user-agent:aws-sdk-js/3.1161.0 ua/2.1 os/linux#6.18.44-fc-v445 lang/js md/nodejs#20.20.2 api/dynamodb#3.1161.0 m/N,E,P,e
host:localhost:4566
amz-sdk-invocation-id:4e8e8018-ab1f-4f2b-91e9-6415a942c142
amz-sdk-request:attempt=1; max=1
x-amz-date:20261121T063000Z
x-amz-content-sha256:24a4623d3a8e6733a00d0b14708765ee849927a35c866efd70e4c77f996929d1
authorization:AWS4-HMAC-SHA256 Credential=AKIASTRATUSTEST00001/20261121/us-east-1/dynamodb/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target;x-amz-user-agent, Signature=2895f71532f3342605dadbf6769167f8f1348e2a55bfe03003dffe012816e45b

{"TableName":"orders","Key":{"pk":{"S":"a b/ü"}}})";

TEST(js_sdk, lambda_get_function_by_arn_is_accepted) {
  expect_accepted(wire_request::parse(lambda_get_function_by_arn));
}

TEST(js_sdk, lambda_invoke_by_qualified_arn_is_accepted) {
  expect_accepted(wire_request::parse(lambda_invoke_qualified_arn));
}

TEST(js_sdk, lambda_invoke_other_qualifier_is_rejected) {
  auto request = wire_request::parse(lambda_invoke_qualified_arn);
  request.path.replace(request.path.find("%3Aprod"), 7, "%3Aprof");
  expect_mismatch(request);
}

TEST(js_sdk, dynamodb_get_item_is_accepted) {
  expect_accepted(wire_request::parse(dynamodb_get_item));
}

TEST(js_sdk, dynamodb_signed_sdk_header_change_is_rejected) {
  expect_mismatch(
      wire_request::parse(dynamodb_get_item).with_header("amz-sdk-request", "attempt=2; max=1"));
}

// The JS SDK declares the body's hash in a signed header. The signature must
// still cover the body itself: a request observed once cannot be replayed
// with another body of the same length.
TEST(js_sdk, dynamodb_body_other_than_the_declared_hash_is_rejected) {
  auto request = wire_request::parse(dynamodb_get_item);
  ASSERT_EQ(request.body, R"({"TableName":"orders","Key":{"pk":{"S":"a b/ü"}}})");
  request.body.replace(request.body.find("orders"), 6, "secret");
  expect_mismatch(request);
}

// Outside S3, AWS hashes the body whatever the header says: a client that
// signs UNSIGNED-PAYLOAD (or a STREAMING-* marker) as its payload hash, as
// S3 clients may, does not verify.
TEST(js_sdk, unsigned_and_streaming_payloads_are_refused_outside_s3) {
  for (const std::string_view marker : {"UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                                        "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}) {
    SCOPED_TRACE(marker);
    auto request = wire_request::parse(dynamodb_get_item)
                       .with_header("x-amz-content-sha256", std::string(marker));
    const auto parsed = parse_signature(request.view());
    ASSERT_TRUE(parsed);
    // The signature such a client sends: its canonical request ends in the
    // marker (S3's rule; the path "/" canonicalises alike for both).
    const auto canonical = canonical_request(request.view(), *parsed, "s3");
    ASSERT_TRUE(canonical.ends_with(marker));
    const auto signature = hex(hmac_sha256(signing_key(test::captured_secret, parsed->scope),
                                           string_to_sign(*parsed, canonical)));
    std::string authorization;
    for (const auto& [name, value] : request.headers)
      if (name == "authorization") authorization = value;
    authorization.replace(authorization.find("Signature=") + 10, std::string::npos, signature);
    expect_mismatch(request.with_header("authorization", authorization));
  }
}

}  // namespace
}  // namespace stratus::auth
