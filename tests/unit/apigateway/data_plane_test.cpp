// The data plane's pure parts: invoke URLs, routing over a resource tree,
// JSON Schema draft 4 as models use it, and the proxy response checks.
#include "apigateway/data_plane.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "apigateway/json_schema.hpp"
#include "apigateway/pipeline.hpp"

namespace stratus::apigateway {
namespace {
namespace json = boost::json;

TEST(InvokeUrl, TheThreeFormsNameTheApiStageAndPath) {
  auto host = parse_invoke_target("abc123defg.execute-api.localhost:4566", "/prod/pets/1?x=y");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->api_id, "abc123defg");
  EXPECT_EQ(host->stage, "prod");
  EXPECT_EQ(host->path, "/pets/1");
  auto user = parse_invoke_target("127.0.0.1:4566", "/restapis/abc/dev/_user_request_/a/b");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->api_id, "abc");
  EXPECT_EQ(user->stage, "dev");
  EXPECT_EQ(user->path, "/a/b");
  auto bare = parse_invoke_target("127.0.0.1", "/restapis/abc/dev/_user_request_");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->path, "/");
  auto aws = parse_invoke_target("localhost", "/_aws/execute-api/abc/v1");
  ASSERT_TRUE(aws);
  EXPECT_EQ(aws->stage, "v1");
  EXPECT_EQ(aws->path, "/");
}

TEST(InvokeUrl, ControlPlanePathsAreNotInvokeUrls) {
  EXPECT_FALSE(is_invoke_request("127.0.0.1:4566", "/restapis/abc/resources"));
  EXPECT_FALSE(is_invoke_request("127.0.0.1:4566", "/restapis/abc/stages/prod"));
  EXPECT_FALSE(is_invoke_request("localhost", "/restapis"));
  EXPECT_TRUE(is_invoke_request("x.execute-api.us-east-1.amazonaws.com", "/"));
  EXPECT_TRUE(is_invoke_request("localhost", "/restapis/abc/prod/_user_request_/x"));
}

std::map<std::string, resource> tree(
    std::initializer_list<std::tuple<const char*, const char*, const char*, const char*>> rows) {
  std::map<std::string, resource> out;
  for (auto [id, parent, part, path] : rows)
    out.emplace(id, resource{id, parent, part, path,
                             json::object{{"GET", json::object{{"httpMethod", "GET"}}}}});
  return out;
}

TEST(Routes, StaticBeforeParameterBeforeGreedy) {
  auto resources = tree({{"r", "", "", "/"},
                         {"a", "r", "items", "/items"},
                         {"b", "a", "special", "/items/special"},
                         {"c", "a", "{id}", "/items/{id}"},
                         {"d", "c", "parts", "/items/{id}/parts"},
                         {"e", "r", "{proxy+}", "/{proxy+}"}});
  route_table routes(resources, "r");
  EXPECT_EQ(routes.match("GET", "/items/special").res->id, "b");
  auto item = routes.match("GET", "/items/7");
  EXPECT_EQ(item.res->id, "c");
  EXPECT_EQ(item.path_params, (param_list{{"id", "7"}}));
  auto parts = routes.match("GET", "/items/special/parts");
  ASSERT_TRUE(parts.res);  // backtracks from the static part to {id}
  EXPECT_EQ(parts.res->id, "d");
  EXPECT_EQ(parts.path_params, (param_list{{"id", "special"}}));
  auto greedy = routes.match("GET", "/x/y/z");
  EXPECT_EQ(greedy.res->id, "e");
  EXPECT_EQ(greedy.path_params, (param_list{{"proxy", "x/y/z"}}));
  EXPECT_EQ(routes.match("GET", "/").res->id, "r");
  EXPECT_EQ(routes.match("POST", "/items").method, nullptr);
}

TEST(Routes, AnyAnswersEveryMethodTheResourceLacks) {
  std::map<std::string, resource> resources;
  resources.emplace("r", resource{"r", "", "", "/",
                                  json::object{{"ANY", json::object{{"httpMethod", "ANY"}}},
                                               {"GET", json::object{{"httpMethod", "GET"}}}}});
  route_table routes(resources, "r");
  EXPECT_EQ(routes.match("GET", "/").method->at("httpMethod"), "GET");
  EXPECT_EQ(routes.match("PATCH", "/").method->at("httpMethod"), "ANY");
  EXPECT_EQ(routes.match("GET", "/nothing").res, nullptr);
}

std::optional<std::string> check(std::string_view schema, std::string_view doc,
                                 const model_lookup& models = nullptr) {
  model_lookup none = [](std::string_view) -> const json::value* { return nullptr; };
  return schema_violation(json::parse(schema), json::parse(doc), models ? models : none);
}

TEST(JsonSchema, TypesRequiredAndBounds) {
  const char* schema = R"({"type": "object", "required": ["a"],
      "properties": {"a": {"type": "integer", "minimum": 1, "exclusiveMaximum": true,
                           "maximum": 10},
                     "s": {"type": "string", "pattern": "^x", "maxLength": 3},
                     "l": {"type": "array", "items": {"type": "boolean"}, "uniqueItems": true}},
      "additionalProperties": false})";
  EXPECT_FALSE(check(schema, R"({"a": 3, "s": "xy", "l": [true, false]})"));
  EXPECT_TRUE(check(schema, R"({})"));
  EXPECT_TRUE(check(schema, R"({"a": 1.5})"));
  EXPECT_TRUE(check(schema, R"({"a": 10})"));
  EXPECT_TRUE(check(schema, R"({"a": 0})"));
  EXPECT_TRUE(check(schema, R"({"a": 2, "s": "yy"})"));
  EXPECT_TRUE(check(schema, R"({"a": 2, "s": "xyzw"})"));
  EXPECT_TRUE(check(schema, R"({"a": 2, "l": [true, true]})"));
  EXPECT_TRUE(check(schema, R"({"a": 2, "extra": 1})"));
  EXPECT_TRUE(check(schema, R"([])"));
}

TEST(JsonSchema, CombinatorsEnumsAndReferences) {
  EXPECT_FALSE(check(R"({"anyOf": [{"type": "string"}, {"type": "number"}]})", "3"));
  EXPECT_TRUE(check(R"({"oneOf": [{"type": "number"}, {"type": "integer"}]})", "3"));
  EXPECT_FALSE(check(R"({"not": {"type": "null"}})", "1"));
  EXPECT_TRUE(check(R"({"enum": ["a", 1]})", R"("b")"));
  EXPECT_FALSE(check(R"({"enum": ["a", 1]})", "1.0"));
  EXPECT_FALSE(check(R"({"definitions": {"n": {"type": "number"}},
                         "properties": {"x": {"$ref": "#/definitions/n"}}})",
                     R"({"x": 2})"));
  const json::value parts = json::parse(R"({"type": "array", "maxItems": 1})");
  model_lookup models = [&](std::string_view name) -> const json::value* {
    return name == "Parts" ? &parts : nullptr;
  };
  const char* schema =
      R"({"properties": {"p": {"$ref": "https://apigateway.amazonaws.com/restapis/abc/models/Parts"}}})";
  EXPECT_FALSE(check(schema, R"({"p": [1]})", models));
  EXPECT_TRUE(check(schema, R"({"p": [1, 2]})", models));
  EXPECT_TRUE(check(R"({"$ref": "https://apigateway.amazonaws.com/restapis/abc/models/Gone"})",
                    "{}", models));
}

TEST(JsonSchema, DeepNestingIsRefusedNotOverflowed) {
  std::string schema = R"({"$ref": "#"})";
  EXPECT_TRUE(check(schema, "{}"));
}

TEST(Pipeline, QueryStringsDecodePlusAndPercent) {
  EXPECT_EQ(parse_query("a=1&b=hello+world&c=%2F&a=2&flag"),
            (param_list{{"a", "1"}, {"b", "hello world"}, {"c", "/"}, {"a", "2"}, {"flag", ""}}));
  EXPECT_EQ(parse_query("bad=%zz%"), (param_list{{"bad", "%zz%"}}));
}

TEST(Pipeline, ProxiedHeadersAreRemapped) {
  EXPECT_EQ(
      remapped({{"Content-Length", "3"},
                {"Transfer-Encoding", "chunked"},
                {"X-A", "b"},
                {"server", "x"}}),
      (param_list{
          {"x-amzn-Remapped-Content-Length", "3"}, {"X-A", "b"}, {"x-amzn-Remapped-Server", "x"}}));
}

TEST(Pipeline, LambdaUrisNameTheirFunction) {
  EXPECT_EQ(lambda_function_of("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                               "arn:aws:lambda:us-east-1:123456789012:function:f/invocations"),
            "arn:aws:lambda:us-east-1:123456789012:function:f");
  EXPECT_EQ(lambda_function_of("arn:aws:apigateway:us-east-1:lambda:path//2015-03-31/functions/"
                               "arn:aws:lambda:us-east-1:1:function:f:live/invocations"),
            "arn:aws:lambda:us-east-1:1:function:f:live");
  EXPECT_FALSE(lambda_function_of("arn:aws:apigateway:us-east-1:dynamodb:action/PutItem"));
  json::object vars{{"fn", "g"}};
  EXPECT_EQ(with_stage_variables("x:${stageVariables.fn}:${stageVariables.none}", vars), "x:g:");
}

TEST(Pipeline, DefaultResponsesAreApiGatewaysOwn) {
  auto token = default_response(gateway_error::missing_authentication_token);
  EXPECT_EQ(token.status, 403u);
  EXPECT_EQ(token.body, R"({"message":"Missing Authentication Token"})");
  auto internal = default_response(gateway_error::integration_failure);
  EXPECT_EQ(internal.body, R"({"message": "Internal server error"})");
  auto params = default_response(gateway_error::bad_request_parameters,
                                 "Missing required request parameters: [a]");
  EXPECT_EQ(params.body, R"({"message":"Missing required request parameters: [a]"})");
}

}  // namespace
}  // namespace stratus::apigateway

namespace stratus::apigateway {
namespace {

TEST(ProxyEvent, IsValidJsonInAwsOrderWithEscapesAndNulls) {
  deployed_stage stage;
  stage.api_id = "abc";
  stage.stage_name = "prod";
  stage.account = "123456789012";
  resource res{"r1", "", "", "/items/{id}", {}};
  boost::json::object method{{"httpMethod", "GET"}};
  route_match route{&res, &method, {{"id", "a%20b"}}};
  method_request req;
  req.http_method = "GET";
  req.path = "/items/a%20b";
  req.query = "x=1&x=2&y=a+b";
  req.headers = {{"X-Q", "say \"hi\" \\ \n\x01"},
                 {"X-Q", "again"},
                 {"Host", "h"},
                 {"X-Bytes", "caf\xc3\xa9 \xff\xe0\x80"}};
  req.source_ip = "10.0.0.1";
  const auto event = boost::json::parse(proxy_event(stage, route, req)).as_object();
  std::vector<std::string> keys;
  for (const auto& kv : event) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "resource", "path", "httpMethod", "headers", "multiValueHeaders",
                      "queryStringParameters", "multiValueQueryStringParameters", "pathParameters",
                      "stageVariables", "requestContext", "body", "isBase64Encoded"}));
  EXPECT_EQ(event.at("headers").at("X-Q"), "again");
  EXPECT_EQ(event.at("multiValueHeaders").at("X-Q").as_array(),
            (boost::json::array{"say \"hi\" \\ \n\x01", "again"}));
  EXPECT_EQ(event.at("headers").at("X-Forwarded-For"), "10.0.0.1");
  // Well-formed UTF-8 stays; other bytes become U+FFFD, one each.
  EXPECT_EQ(event.at("headers").at("X-Bytes"), "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(event.at("queryStringParameters"), (boost::json::object{{"x", "2"}, {"y", "a b"}}));
  EXPECT_EQ(event.at("pathParameters"), (boost::json::object{{"id", "a%20b"}}));
  EXPECT_TRUE(event.at("stageVariables").is_null());
  EXPECT_TRUE(event.at("body").is_null());
  EXPECT_EQ(event.at("isBase64Encoded"), false);
  EXPECT_EQ(event.at("requestContext").at("path"), "/prod/items/a%20b");
}

}  // namespace
}  // namespace stratus::apigateway
