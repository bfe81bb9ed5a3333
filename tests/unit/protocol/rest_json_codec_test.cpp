// The rest-json protocol against Lambda's model: routes chosen by method and
// URI template, members read from labels, the query string, headers and the
// body, and errors in Lambda's {"Type","Message"} form.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "protocol/codecs.hpp"

namespace stratus::protocol {
namespace {
namespace json = boost::json;

const service_model& lambda() {
  return builtin_model("lambda");
}

result<decoded_request> decode(const wire_request& req) {
  return codec_for(lambda()).decode(lambda(), req);
}

std::string header(const wire_response& res, std::string_view name) {
  for (const auto& [k, v] : res.headers)
    if (k == name) return v;
  return "<absent>";
}

TEST(rest_json_codec, invoke_reads_an_arn_label_with_encoded_colons) {
  auto r = decode({"POST",
                   "/2015-03-31/functions/"
                   "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/invocations",
                   "",
                   {},
                   ""});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->op->name, "Invoke");
  EXPECT_EQ(r->input.at("FunctionName"), "arn:aws:lambda:us-east-1:123456789012:function:my-fn");
}

TEST(rest_json_codec, invoke_reads_query_header_and_raw_payload) {
  auto r = decode({"POST",
                   "/2015-03-31/functions/my-fn/invocations",
                   "Qualifier=prod",
                   {{"x-amz-invocation-type", "Event"}, {"X-Amz-Log-Type", "Tail"}},
                   "not json {"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->input.at("FunctionName"), "my-fn");
  EXPECT_EQ(r->input.at("Qualifier"), "prod");
  EXPECT_EQ(r->input.at("InvocationType"), "Event");
  EXPECT_EQ(r->input.at("LogType"), "Tail");
  // A blob payload is the raw body, never parsed as JSON.
  EXPECT_EQ(r->input.at("Payload"), "not json {");
}

TEST(rest_json_codec, absent_optional_members_stay_absent) {
  auto r = decode({"POST", "/2015-03-31/functions/f/invocations", "", {}, ""});
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->input.contains("Payload"));
  EXPECT_FALSE(r->input.contains("Qualifier"));
  EXPECT_FALSE(r->input.contains("InvocationType"));
}

TEST(rest_json_codec, query_parameters_are_typed_by_the_model) {
  auto r = decode({"GET", "/2015-03-31/functions/", "MaxItems=5&Marker=a%2Bb+c", {}, ""});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->op->name, "ListFunctions");
  ASSERT_TRUE(r->input.at("MaxItems").is_int64());
  EXPECT_EQ(r->input.at("MaxItems").as_int64(), 5);
  EXPECT_EQ(r->input.at("Marker"), "a+b c");
}

TEST(rest_json_codec, untypeable_query_parameter_is_serialization_exception) {
  auto r = decode({"GET", "/2015-03-31/functions/", "MaxItems=five", {}, ""});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "SerializationException");
  EXPECT_NE(r.error().message.find("MaxItems"), std::string::npos);
}

TEST(rest_json_codec, static_query_makes_a_route_more_specific) {
  auto by_arn = decode({"GET", "/2018-10-31/layers", "find=LayerVersion&Arn=x", {}, ""});
  ASSERT_TRUE(by_arn);
  EXPECT_EQ(by_arn->op->name, "GetLayerVersionByArn");
  auto list = decode({"GET", "/2018-10-31/layers", "", {}, ""});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->op->name, "ListLayers");

  auto all = decode({"GET", "/2019-09-30/functions/f/provisioned-concurrency", "List=ALL", {}, ""});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->op->name, "ListProvisionedConcurrencyConfigs");
  auto one =
      decode({"GET", "/2019-09-30/functions/f/provisioned-concurrency", "Qualifier=1", {}, ""});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->op->name, "GetProvisionedConcurrencyConfig");
}

TEST(rest_json_codec, method_is_part_of_the_route) {
  auto get = decode({"GET", "/2015-03-31/functions/f", "", {}, ""});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->op->name, "GetFunction");
  auto del = decode({"DELETE", "/2015-03-31/functions/f", "", {}, ""});
  ASSERT_TRUE(del);
  EXPECT_EQ(del->op->name, "DeleteFunction");
}

TEST(rest_json_codec, unmatched_route_is_unknown_operation) {
  for (std::string_view path :
       {"/2015-03-31/nothing", "/", "", "/2015-03-31/functions/f/invocations/extra",
        "/2015-03-31/functions//invocations"}) {
    auto r = decode({"POST", path, "", {}, ""});
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.error().code, "UnknownOperationException") << path;
  }
}

TEST(rest_json_codec, json_body_keeps_only_body_members) {
  auto r = decode({"POST",
                   "/2015-03-31/functions",
                   "",
                   {},
                   R"({"FunctionName":"f","Runtime":"python3.12","Bogus":1})"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->op->name, "CreateFunction");
  EXPECT_EQ(r->input.at("FunctionName"), "f");
  EXPECT_EQ(r->input.at("Runtime"), "python3.12");
  EXPECT_FALSE(r->input.contains("Bogus"));
}

TEST(rest_json_codec, malformed_json_body_is_serialization_exception) {
  for (std::string_view body : {"{", "[1]", "\"x\""}) {
    auto r = decode({"POST", "/2015-03-31/functions", "", {}, body});
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, "SerializationException");
  }
}

TEST(rest_json_codec, success_status_headers_and_raw_payload_out) {
  const operation& op = *lambda().find_operation("Invoke");
  json::object out{{"StatusCode", 202},
                   {"ExecutedVersion", "$LATEST"},
                   {"FunctionError", "Unhandled"},
                   {"Payload", "{\"raw\":true}"}};
  auto res = codec_for(lambda()).encode(lambda(), op, out, "RID");
  EXPECT_EQ(res.status, 202u);
  EXPECT_EQ(header(res, "X-Amz-Executed-Version"), "$LATEST");
  EXPECT_EQ(header(res, "X-Amz-Function-Error"), "Unhandled");
  EXPECT_EQ(header(res, "x-amzn-RequestId"), "RID");
  EXPECT_EQ(res.body, "{\"raw\":true}");
}

TEST(rest_json_codec, success_body_omits_header_members) {
  const operation& op = *lambda().find_operation("GetFunction");
  auto res = codec_for(lambda()).encode(
      lambda(), op, json::object{{"Configuration", json::object{{"FunctionName", "f"}}}}, "RID");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(header(res, "Content-Type"), "application/json");
  EXPECT_EQ(json::parse(res.body), json::parse(R"({"Configuration":{"FunctionName":"f"}})"));
}

// API Gateway names some body members differently on the wire.
TEST(rest_json_codec, body_members_travel_under_their_wire_names) {
  const service_model& apigw = builtin_model("apigateway");
  const operation& list = *apigw.find_operation("GetRestApis");
  auto res = codec_for(apigw).encode(
      apigw, list, json::object{{"items", json::array{json::object{{"id", "a1b2c3d4e5"}}}}}, "RID");
  EXPECT_EQ(json::parse(res.body), json::parse(R"({"item":[{"id":"a1b2c3d4e5"}]})"));

  auto put =
      codec_for(apigw).decode(apigw, {"PUT",
                                      "/restapis/a1b2c3d4e5/resources/r1/methods/GET/integration",
                                      "",
                                      {},
                                      R"({"type":"AWS_PROXY","httpMethod":"POST"})"});
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->op->name, "PutIntegration");
  EXPECT_EQ(put->input.at("httpMethod"), "GET");  // the method's, from the URI
  EXPECT_EQ(put->input.at("integrationHttpMethod"), "POST");
  EXPECT_EQ(put->input.at("type"), "AWS_PROXY");
}

TEST(rest_json_codec_errors, lambda_errors_carry_type_and_capital_message) {
  api_error e{"ResourceNotFoundException", "Function not found: f", 404, true, {}};
  auto res = codec_for(lambda()).encode_error(lambda(), e, "RID");
  EXPECT_EQ(res.status, 404u);
  EXPECT_EQ(header(res, "x-amzn-ErrorType"), "ResourceNotFoundException");
  EXPECT_EQ(header(res, "Content-Type"), "application/json");
  EXPECT_EQ(json::parse(res.body),
            json::parse(R"({"Type":"User","Message":"Function not found: f"})"));
}

TEST(rest_json_codec_errors, lambda_service_faults_are_type_service) {
  auto res = codec_for(lambda()).encode_error(lambda(), api_error::internal("boom"), "RID");
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(json::parse(res.body).at("Type"), "Service");
}

TEST(rest_json_codec_errors, other_rest_services_send_a_lower_case_message) {
  const service_model& apigw = builtin_model("apigateway");
  auto res =
      codec_for(apigw).encode_error(apigw, {"NotFoundException", "Invalid API identifier"}, "RID");
  EXPECT_EQ(header(res, "x-amzn-ErrorType"), "NotFoundException");
  EXPECT_EQ(json::parse(res.body), json::parse(R"({"message":"Invalid API identifier"})"));
}

}  // namespace
}  // namespace stratus::protocol
