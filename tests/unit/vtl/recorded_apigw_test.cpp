// API Gateway renderings of $input.path, $input.body and $context overrides,
// reproduced from the recordings against real API Gateway in LocalStack's
// tests/aws/services/apigateway snapshots (test_apigateway_common:
// test_input_path_template_formatting, test_input_body_formatting;
// test_apigateway_integrations: the MOCK override tests). Our payload
// shapes and names; API Gateway's outputs.
#include <gtest/gtest.h>

#include "common/base64.hpp"
#include "test_helpers.hpp"

namespace stratus::vtl {
namespace {

using testing::render_apigw;
using testing::render_apigw_body;

// --- $input.path: maps print as Java maps, lists as JSON ---

constexpr const char* whole = R"(#set($r = $input.path("$.data"))$r)";
constexpr const char* nested = R"(#set($r = $input.path("$.data"))$r.nested)";
constexpr const char* first = R"(#set($r = $input.path("$.data"))$r[0])";
constexpr const char* to_string = R"(#set($r = $input.path("$.data"))$r.toString())";

TEST(recorded_input_path, object_prints_as_java_map) {
  EXPECT_EQ(render_apigw_body(whole, R"({"data":{"foo":"bar"}})"), "{foo=bar}");
}

TEST(recorded_input_path, array_prints_as_json) {
  EXPECT_EQ(render_apigw_body(whole, R"({"data":[{"foo":"bar"}]})"), R"([{"foo":"bar"}])");
}

TEST(recorded_input_path, nested_object_property) {
  EXPECT_EQ(render_apigw_body(nested, R"({"data":{"nested":{"foo":"bar"}}})"), "{foo=bar}");
}

TEST(recorded_input_path, nested_array_property) {
  EXPECT_EQ(render_apigw_body(nested, R"({"data":{"nested":[{"foo":"bar"}]}})"),
            R"([{"foo":"bar"}])");
}

TEST(recorded_input_path, object_inside_array) {
  EXPECT_EQ(render_apigw_body(first, R"({"data":[{"foo":"bar"}]})"), "{foo=bar}");
}

TEST(recorded_input_path, array_inside_array) {
  EXPECT_EQ(render_apigw_body(first, R"({"data":[[{"foo":"bar"}]]})"), R"([{"foo":"bar"}])");
}

TEST(recorded_input_path, array_inside_map_prints_as_json) {
  EXPECT_EQ(render_apigw_body(whole, R"({"data":{"foo":[{"nested":"bar"}]}})"),
            R"({foo=[{"nested":"bar"}]})");
}

TEST(recorded_input_path, map_separators) {
  EXPECT_EQ(
      render_apigw_body(whole, R"({"data":{"bigger":"dict","to":"test","with":"separators"}})"),
      "{bigger=dict, to=test, with=separators}");
}

TEST(recorded_input_path, to_string_of_map) {
  EXPECT_EQ(render_apigw_body(to_string, R"({"data":{"foo":"bar"}})"), "{foo=bar}");
}

TEST(recorded_input_path, to_string_of_map_with_list) {
  EXPECT_EQ(render_apigw_body(to_string, R"({"data":{"list":[{"foo":"bar"}]}})"),
            R"({list=[{"foo":"bar"}]})");
}

constexpr const char* probe =
    R"vtl(#set($r = $input.path("$.data.list")){"body": $r, "nested": $r.nested, "isNull": #if( $r == $null )"true"#else"false"#end, "isEmptyString": #if( $r == "" )"true"#else"false"#end})vtl";

TEST(recorded_input_path, missing_member_is_null_and_equals_empty_string) {
  EXPECT_EQ(render_apigw_body(probe, ""),
            R"({"body": , "nested": , "isNull": "true", "isEmptyString": "true"})");
}

TEST(recorded_input_path, empty_list_is_neither_null_nor_empty_string) {
  EXPECT_EQ(render_apigw_body(probe, R"({"data":{"list":[]}})"),
            R"({"body": [], "nested": , "isNull": "false", "isEmptyString": "false"})");
}

TEST(recorded_input_path, json_null_is_null) {
  EXPECT_EQ(render_apigw_body(probe, R"({"data":{"list":null}})"),
            R"({"body": , "nested": , "isNull": "true", "isEmptyString": "true"})");
}

// --- $input.body is the raw payload; an empty payload reads "{}" ---

struct body_case {
  const char* name;
  const char* payload;
  const char* raw;          // what `$input.body` renders
  const char* url_encoded;  // what `$util.urlEncode($input.body)` renders
};

const body_case body_cases[] = {
    {"empty", "", "{}", "%7B%7D"},
    {"json", R"({"some": "value"})", R"({"some": "value"})", "%7B%22some%22%3A+%22value%22%7D"},
    {"text", "some raw data", "some raw data", "some+raw+data"},
};

TEST(recorded_input_body, raw_body) {
  for (const auto& c : body_cases) {
    EXPECT_EQ(render_apigw_body("#set($r = $input.body)$r", c.payload), c.raw) << c.name;
  }
}

TEST(recorded_input_body, body_inside_text) {
  for (const auto& c : body_cases) {
    EXPECT_EQ(render_apigw_body("Action=Send&Body=$input.body", c.payload),
              std::string("Action=Send&Body=") + c.raw)
        << c.name;
  }
}

TEST(recorded_input_body, body_inside_text_twice) {
  // The recording chains two templates: the second sees the first's output.
  for (const auto& c : body_cases) {
    std::string once = render_apigw_body("Action=Send&Body=$input.body", c.payload);
    EXPECT_EQ(render_apigw_body("Action=Send&Body=$input.body", once),
              std::string("Action=Send&Body=Action=Send&Body=") + c.raw)
        << c.name;
  }
}

TEST(recorded_input_body, raw_body_after_a_raw_body_template) {
  for (const auto& c : body_cases) {
    std::string once = render_apigw_body("#set($r = $input.body)$r", c.payload);
    EXPECT_EQ(render_apigw_body("Action=Send&Body=$input.body", once),
              std::string("Action=Send&Body=") + c.raw)
        << c.name;
  }
}

TEST(recorded_input_body, body_has_no_properties) {
  for (const auto& c : body_cases) {
    std::string request = render_apigw_body("#set($r = $input.body.testAccess)$r", c.payload);
    EXPECT_EQ(request, "") << c.name;
    // The integration echoed that empty payload; the response template saw "{}".
    EXPECT_EQ(render_apigw_body("#set($r = $input.body)$r", request), "{}") << c.name;
  }
}

TEST(recorded_input_body, url_encoded_body) {
  for (const auto& c : body_cases) {
    EXPECT_EQ(
        render_apigw_body(
            "Encoded=$util.urlEncode($input.body)&Access=$util.urlEncode($input.body.testAccess)",
            c.payload),
        std::string("Encoded=") + c.url_encoded + "&Access=")
        << c.name;
  }
}

// --- $context.requestOverride / responseOverride ---

// A request template stores data in requestOverride.path; the data plane
// hands the overrides to the response template's $context.
TEST(recorded_overrides, request_override_is_readable_by_the_response_template) {
  const char* request_template = R"(#set($decoded = $util.base64Decode($input.params('blob')))
#set($context.requestOverride.path.body = $decoded)
{ "statusCode": 200 })";
  const char* response_template = R"(
#set($body = $util.parseJson($context.requestOverride.path.body))
#set($which = $body.message)
#if($which == "path1")
{"response": "path was path one"}
#elseif($which == "path2")
{"response": "path was path two"}
#else
{"response": "this is the else clause"}
#end
)";
  struct {
    const char* message;
    const char* expected;
  } rows[] = {{"path1", "path was path one"},
              {"path2", "path was path two"},
              {"whatever", "this is the else clause"}};
  for (const auto& row : rows) {
    apigw::request_data request;
    request.path = {
        {"blob", stratus::base64_encode(std::string(R"({"message": ")") + row.message + "\"}")}};
    auto tpl = parse(request_template);
    ASSERT_TRUE(tpl);
    auto r1 = apigw::render_mapping_template(**tpl, request);
    ASSERT_TRUE(r1) << r1.err().describe();

    apigw::request_data response;
    boost::json::object path;
    for (const auto& [k, v] : r1->overrides.request_path) path[k] = v;
    response.context["requestOverride"] = boost::json::object{{"path", path}};
    std::string out = render_apigw(response_template, response);
    auto json = boost::json::parse(out);
    EXPECT_EQ(json.at("response").as_string(), row.expected) << out;
  }
}

TEST(recorded_overrides, response_override_status_header_and_custom_values) {
  const char* request_template = R"(
#set($context.responseOverride.status = 444)
#set($context.responseOverride.header.foo = "bar")
#set($context.responseOverride.custom = "is also passed around")
{ "statusCode": 200 }
)";
  auto tpl = parse(request_template);
  ASSERT_TRUE(tpl);
  auto r = apigw::render_mapping_template(**tpl, {});
  ASSERT_TRUE(r) << r.err().describe();
  EXPECT_EQ(r->overrides.response_status, 444);
  ASSERT_EQ(r->overrides.response_header.size(), 1u);
  EXPECT_EQ(r->overrides.response_header[0], (std::pair<std::string, std::string>("foo", "bar")));

  // The response template reads the same values back.
  apigw::request_data response;
  response.context["responseOverride"] =
      boost::json::object{{"status", 444},
                          {"header", boost::json::object{{"foo", "bar"}}},
                          {"custom", "is also passed around"}};
  std::string out = render_apigw(R"(
#set($status = $context.responseOverride.status)
#set($foo = $context.responseOverride.header.foo)
#set($custom = $context.responseOverride.custom)
{"statusOverride": "$status", "fooHeader": "$foo", "custom": "$custom"}
)",
                                 response);
  auto json = boost::json::parse(out);
  EXPECT_EQ(json.at("statusOverride").as_string(), "444");
  EXPECT_EQ(json.at("fooHeader").as_string(), "bar");
  EXPECT_EQ(json.at("custom").as_string(), "is also passed around");
}

TEST(recorded_overrides, map_assignment_forms_on_the_query_string_override) {
  const char* request_template = R"(
#set($name = "foo")
#set($context.requestOverride.querystring[$name] = "bar")
#set($putName = "putfoo")
$context.requestOverride.querystring.put($putName, "putBar")
#set($context["requestOverride"].querystring["nestedfoo"] = "nestedFoo")
{ "statusCode": 200 }
)";
  auto tpl = parse(request_template);
  ASSERT_TRUE(tpl);
  auto r = apigw::render_mapping_template(**tpl, {});
  ASSERT_TRUE(r) << r.err().describe();
  apigw::param_list expected = {{"foo", "bar"}, {"putfoo", "putBar"}, {"nestedfoo", "nestedFoo"}};
  EXPECT_EQ(r->overrides.request_querystring, expected);
  // Map.put returned null: the line prints nothing.
  EXPECT_EQ(r->body, "\n\n{ \"statusCode\": 200 }\n");
}

}  // namespace
}  // namespace stratus::vtl
