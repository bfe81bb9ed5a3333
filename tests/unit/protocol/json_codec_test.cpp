// The json protocol: X-Amz-Target routing, body parsing, and the error body
// with the __type prefixes DynamoDB's raw-HTTP clients see.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "protocol/codecs.hpp"

namespace stratus::protocol {
namespace {
namespace json = boost::json;

const service_model& dynamodb() {
  return builtin_model("dynamodb");
}

result<decoded_request> decode(std::string_view target, std::string_view body) {
  wire_request req{"POST", "/", "", {{"X-Amz-Target", target}}, body};
  return codec_for(dynamodb()).decode(dynamodb(), req);
}

std::string header(const wire_response& res, std::string_view name) {
  for (const auto& [k, v] : res.headers)
    if (k == name) return v;
  return "<absent>";
}

TEST(json_codec, dynamodb_uses_the_json_codec) {
  EXPECT_NE(dynamic_cast<const json_codec*>(&codec_for(dynamodb())), nullptr);
}

TEST(json_codec, target_names_the_operation_and_body_becomes_the_input) {
  auto r = decode("DynamoDB_20120810.GetItem", R"({"TableName":"t","Key":{"p":{"S":"x"}}})");
  ASSERT_TRUE(r) << r.error().code;
  EXPECT_EQ(r->op->name, "GetItem");
  EXPECT_EQ(r->input.at("TableName"), "t");
  EXPECT_EQ(r->input.at("Key").at("p").at("S"), "x");
}

TEST(json_codec, target_header_is_case_insensitive) {
  wire_request req{"POST", "/", "", {{"x-amz-target", "DynamoDB_20120810.ListTables"}}, "{}"};
  auto r = codec_for(dynamodb()).decode(dynamodb(), req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->op->name, "ListTables");
}

TEST(json_codec, empty_body_is_an_empty_input) {
  auto r = decode("DynamoDB_20120810.ListTables", "");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->input.empty());
}

TEST(json_codec, unknown_operation_is_unknown_operation_exception) {
  auto r = decode("DynamoDB_20120810.GetThing", "{}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "UnknownOperationException");
  EXPECT_EQ(r.error().status, 400u);
}

TEST(json_codec, wrong_prefix_missing_dot_or_missing_target_is_unknown_operation) {
  for (std::string_view target : {"DynamoDB_20111205.GetItem", "DynamoDB_20120810GetItem",
                                  "GetItem", "", "DynamoDB_20120810.", ".GetItem"}) {
    auto r = decode(target, "{}");
    ASSERT_FALSE(r) << target;
    EXPECT_EQ(r.error().code, "UnknownOperationException") << target;
  }
  wire_request no_header{"POST", "/", "", {}, "{}"};
  auto r = codec_for(dynamodb()).decode(dynamodb(), no_header);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "UnknownOperationException");
}

TEST(json_codec, malformed_json_is_serialization_exception) {
  for (std::string_view body : {"{broken json", "{\"a\":", "nul", "{\"a\":1}}", "\xff"}) {
    auto r = decode("DynamoDB_20120810.ListTables", body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, "SerializationException") << body;
  }
}

TEST(json_codec, json_that_is_not_an_object_is_serialization_exception) {
  for (std::string_view body : {"[]", "null", "1", "\"x\""}) {
    auto r = decode("DynamoDB_20120810.ListTables", body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, "SerializationException") << body;
  }
}

TEST(json_codec, hostile_nesting_is_refused_not_recursed) {
  std::string deep(100000, '[');
  auto r = decode("DynamoDB_20120810.ListTables", "{\"a\":" + deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "SerializationException");
  std::string ok = "{\"a\":" + std::string(200, '[') + std::string(200, ']') + "}";
  EXPECT_TRUE(decode("DynamoDB_20120810.ListTables", ok));
}

TEST(json_codec, success_response_is_json_with_the_model_content_type) {
  const operation& op = *dynamodb().find_operation("ListTables");
  auto res = codec_for(dynamodb())
                 .encode(dynamodb(), op, json::object{{"TableNames", json::array{"a"}}}, "RID");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(header(res, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(header(res, "x-amzn-RequestId"), "RID");
  EXPECT_EQ(json::parse(res.body), json::parse(R"({"TableNames":["a"]})"));
}

TEST(json_codec, empty_output_is_an_empty_object_not_an_empty_body) {
  const operation& op = *dynamodb().find_operation("PutItem");
  auto res = codec_for(dynamodb()).encode(dynamodb(), op, {}, "RID");
  EXPECT_EQ(res.body, "{}");
}

json::object error_body(const service_model& m, const api_error& e) {
  auto res = codec_for(m).encode_error(m, e, "RID");
  return json::parse(res.body).as_object();
}

TEST(json_codec_errors, validation_exception_comes_from_coral_validate) {
  auto body = error_body(dynamodb(), api_error::validation("bad"));
  EXPECT_EQ(body.at("__type"), "com.amazon.coral.validate#ValidationException");
  EXPECT_EQ(body.at("message"), "bad");
}

TEST(json_codec_errors, modelled_dynamodb_errors_carry_the_versioned_namespace) {
  auto body = error_body(dynamodb(), {"ResourceNotFoundException", "Requested resource not found"});
  EXPECT_EQ(body.at("__type"), "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
  body =
      error_body(dynamodb(), {"ConditionalCheckFailedException", "The conditional request failed"});
  EXPECT_EQ(body.at("__type"), "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
}

TEST(json_codec_errors, protocol_errors_come_from_coral_service) {
  for (std::string code : {"SerializationException", "UnknownOperationException",
                           "MissingAuthenticationTokenException", "UnrecognizedClientException",
                           "InvalidSignatureException"}) {
    auto body = error_body(dynamodb(), {code, "m"});
    EXPECT_EQ(std::string_view(body.at("__type").as_string()), "com.amazon.coral.service#" + code);
  }
}

TEST(json_codec_errors, empty_message_is_omitted) {
  auto body = error_body(dynamodb(), api_error::unknown_operation());
  EXPECT_FALSE(body.contains("message"));
}

TEST(json_codec_errors, extra_members_are_kept_and_status_and_headers_set) {
  api_error e{"ConditionalCheckFailedException", "The conditional request failed", 400, true,
              json::object{{"Item", json::object{{"p", json::object{{"S", "x"}}}}}}};
  auto res = codec_for(dynamodb()).encode_error(dynamodb(), e, "RID");
  EXPECT_EQ(res.status, 400u);
  EXPECT_EQ(header(res, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(header(res, "x-amzn-RequestId"), "RID");
  auto body = json::parse(res.body).as_object();
  EXPECT_EQ(body.at("Item").at("p").at("S"), "x");
}

TEST(json_codec_errors, other_json_services_send_the_bare_code) {
  const service_model& logs = builtin_model("logs");
  auto res = codec_for(logs).encode_error(logs, api_error::validation("bad"), "RID");
  EXPECT_EQ(json::parse(res.body).at("__type"), "ValidationException");
  EXPECT_EQ(header(res, "Content-Type"), "application/x-amz-json-1.1");
}

}  // namespace
}  // namespace stratus::protocol
