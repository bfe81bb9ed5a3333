// The query protocol (STS, IAM): Action lookup, form fields flattened into
// "Member.member.N" and "Member.entry.N.key/value", and XML responses with the
// result wrapper, the request id and escaped text.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "protocol/codecs.hpp"

namespace stratus::protocol {
namespace {
namespace json = boost::json;

const service_model& sts() {
  return builtin_model("sts");
}

result<decoded_request> post(const service_model& m, std::string_view body) {
  return codec_for(m).decode(m, {"POST", "/", "", {}, body});
}

// A tiny query model with the shapes STS lacks: maps and flattened lists.
const service_model& test_model() {
  static const auto model = load_model("test", R"({
    "metadata": {"protocol": "query", "apiVersion": "2020-01-01", "endpointPrefix": "test",
                 "xmlNamespace": "https://test.example/doc/2020-01-01/"},
    "operations": {
      "Put": {"name": "Put", "http": {"method": "POST", "requestUri": "/"},
              "input": {"shape": "PutRequest"},
              "output": {"shape": "PutResponse", "resultWrapper": "PutResult"}}
    },
    "shapes": {
      "PutRequest": {"type": "structure", "members": {
        "Attributes": {"shape": "AttributeMap"},
        "Names": {"shape": "NameList"},
        "Flat": {"shape": "FlatList"},
        "Enabled": {"shape": "Bool"},
        "Count": {"shape": "Int"}}},
      "PutResponse": {"type": "structure", "members": {
        "Text": {"shape": "String"},
        "Names": {"shape": "NameList"},
        "Attributes": {"shape": "AttributeMap"}}},
      "AttributeMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
      "NameList": {"type": "list", "member": {"shape": "String"}},
      "FlatList": {"type": "list", "member": {"shape": "String"}, "flattened": true},
      "String": {"type": "string"},
      "Bool": {"type": "boolean"},
      "Int": {"type": "integer"}
    }})");
  return *model;
}

TEST(query_codec, sts_uses_the_query_codec) {
  EXPECT_NE(dynamic_cast<const query_codec*>(&codec_for(sts())), nullptr);
}

TEST(query_codec, action_in_a_form_body_names_the_operation) {
  auto r = post(sts(), "Action=GetCallerIdentity&Version=2011-06-15");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->op->name, "GetCallerIdentity");
  EXPECT_TRUE(r->input.empty());
}

TEST(query_codec, action_in_the_query_string_of_a_get) {
  auto r = codec_for(sts()).decode(
      sts(), {"GET", "/", "Action=GetCallerIdentity&Version=2011-06-15", {}, ""});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->op->name, "GetCallerIdentity");
}

TEST(query_codec, body_of_a_get_is_ignored) {
  auto r = codec_for(sts()).decode(sts(), {"GET", "/", "", {}, "Action=GetCallerIdentity"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "MissingAction");
}

TEST(query_codec, missing_action_is_missing_action) {
  auto r = post(sts(), "Version=2011-06-15");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "MissingAction");
  EXPECT_EQ(r.error().status, 400u);
}

TEST(query_codec, unknown_action_is_invalid_action_naming_it_and_the_version) {
  auto r = post(sts(), "Action=GetEverything&Version=2011-06-15");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "InvalidAction");
  EXPECT_EQ(r.error().message, "Could not find operation GetEverything for version 2011-06-15");
}

TEST(query_codec, scalars_nested_lists_and_structures) {
  auto r = post(sts(),
                "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr"
                "&RoleSessionName=s&DurationSeconds=900"
                "&Tags.member.1.Key=k1&Tags.member.1.Value=v1"
                "&Tags.member.2.Key=k2&Tags.member.2.Value=v+2"
                "&PolicyArns.member.1.arn=arn%3Ax");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->op->name, "AssumeRole");
  EXPECT_EQ(r->input.at("RoleArn"), "arn:aws:iam::123456789012:role/r");
  ASSERT_TRUE(r->input.at("DurationSeconds").is_int64());
  EXPECT_EQ(r->input.at("DurationSeconds").as_int64(), 900);
  EXPECT_EQ(r->input.at("Tags"),
            json::parse(R"([{"Key":"k1","Value":"v1"},{"Key":"k2","Value":"v 2"}])"));
  EXPECT_EQ(r->input.at("PolicyArns"), json::parse(R"([{"arn":"arn:x"}])"));
}

TEST(query_codec, list_stops_at_the_first_gap) {
  auto r =
      post(sts(), "Action=AssumeRole&TransitiveTagKeys.member.1=a&TransitiveTagKeys.member.3=c");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->input.at("TransitiveTagKeys"), json::parse(R"(["a"])"));
}

TEST(query_codec, bare_list_key_is_an_empty_list) {
  auto r = post(sts(), "Action=AssumeRole&TransitiveTagKeys=");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->input.at("TransitiveTagKeys"), json::array());
}

TEST(query_codec, untypeable_scalar_is_a_validation_error_naming_the_key) {
  auto r = post(sts(), "Action=AssumeRole&DurationSeconds=soon");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationException");
  EXPECT_NE(r.error().message.find("DurationSeconds"), std::string::npos);
}

TEST(query_codec, maps_are_read_from_entry_n_key_and_value) {
  auto r = post(test_model(),
                "Action=Put&Attributes.entry.1.key=a&Attributes.entry.1.value=1"
                "&Attributes.entry.2.key=b&Attributes.entry.2.value=2&Enabled=true&Count=-3");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->input.at("Attributes"), json::parse(R"({"a":"1","b":"2"})"));
  EXPECT_EQ(r->input.at("Enabled"), true);
  EXPECT_EQ(r->input.at("Count").as_int64(), -3);
}

TEST(query_codec, map_entry_without_value_is_null) {
  auto r = post(test_model(), "Action=Put&Attributes.entry.1.key=a");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->input.at("Attributes"), json::parse(R"({"a":null})"));
}

TEST(query_codec, flattened_lists_have_no_member_segment) {
  auto r = post(test_model(), "Action=Put&Flat.1=x&Flat.2=y&Names.member.1=n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->input.at("Flat"), json::parse(R"(["x","y"])"));
  EXPECT_EQ(r->input.at("Names"), json::parse(R"(["n"])"));
}

TEST(query_codec, boolean_accepts_only_true_and_false) {
  auto r = post(test_model(), "Action=Put&Enabled=yes");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationException");
}

TEST(query_codec_encode, response_has_wrapper_namespace_and_request_id) {
  const operation& op = *sts().find_operation("GetCallerIdentity");
  auto res = codec_for(sts()).encode(
      sts(), op, json::object{{"Account", "123456789012"}, {"UserId", "AIDA"}}, "req-1");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body,
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
            "  <GetCallerIdentityResult><UserId>AIDA</UserId><Account>123456789012</Account>"
            "</GetCallerIdentityResult>\n"
            "  <ResponseMetadata>\n    <RequestId>req-1</RequestId>\n  </ResponseMetadata>\n"
            "</GetCallerIdentityResponse>\n");
  bool xml = false;
  for (const auto& [k, v] : res.headers) xml = xml || (k == "Content-Type" && v == "text/xml");
  EXPECT_TRUE(xml);
}

TEST(query_codec_encode, text_is_xml_escaped) {
  const operation& op = *test_model().find_operation("Put");
  auto res =
      codec_for(test_model())
          .encode(test_model(), op, json::object{{"Text", "<a href=\"x\">Tom & Jerry's</a>"}}, "r");
  EXPECT_NE(
      res.body.find("<Text>&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;</Text>"),
      std::string::npos)
      << res.body;
}

TEST(query_codec_encode, lists_use_member_and_maps_use_entry) {
  const operation& op = *test_model().find_operation("Put");
  auto res = codec_for(test_model())
                 .encode(test_model(), op,
                         json::object{{"Names", json::array{"a", "b"}},
                                      {"Attributes", json::object{{"k", "v"}}}},
                         "r");
  EXPECT_NE(res.body.find("<PutResult><Names><member>a</member><member>b</member></Names>"
                          "<Attributes><entry><key>k</key><value>v</value></entry></Attributes>"
                          "</PutResult>"),
            std::string::npos)
      << res.body;
}

TEST(query_codec_errors, error_response_xml_with_sender_type_and_escaped_message) {
  api_error e{"ValidationError", "1 validation error: 'a' < 'b' & more", 400, true, {}};
  auto res = codec_for(sts()).encode_error(sts(), e, "req-2");
  EXPECT_EQ(res.status, 400u);
  EXPECT_EQ(
      res.body,
      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
      "  <Error>\n    <Type>Sender</Type>\n    <Code>ValidationError</Code>\n"
      "    <Message>1 validation error: &apos;a&apos; &lt; &apos;b&apos; &amp; more</Message>\n"
      "  </Error>\n  <RequestId>req-2</RequestId>\n</ErrorResponse>\n");
}

TEST(query_codec_errors, server_faults_are_receiver) {
  auto res = codec_for(sts()).encode_error(sts(), api_error::internal("boom"), "r");
  EXPECT_EQ(res.status, 500u);
  EXPECT_NE(res.body.find("<Type>Receiver</Type>"), std::string::npos);
}

TEST(query_codec_errors, exception_shapes_are_sent_under_their_wire_code) {
  const service_model& iam = builtin_model("iam");
  auto res = codec_for(iam).encode_error(
      iam, {"NoSuchEntityException", "The role with name r cannot be found.", 404, true, {}}, "r");
  EXPECT_EQ(res.status, 404u);
  EXPECT_NE(res.body.find("<Code>NoSuchEntity</Code>"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\""),
            std::string::npos);
}

}  // namespace
}  // namespace stratus::protocol
