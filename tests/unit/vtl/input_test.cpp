// $input, $context and $stageVariables bindings, and the seed tutorial's
// mapping templates.
#include <gtest/gtest.h>

#include "test_helpers.hpp"

namespace stratus::vtl::apigw {
namespace {

using vtl::testing::render_apigw;
using vtl::testing::render_apigw_body;

request_data calc_request(std::string op) {
  request_data d;
  d.path = {{"operand1", "1"}, {"operand2", "2"}, {"operator", std::move(op)}};
  return d;
}

// Seed 004, GET /calc with query strings.
TEST(seed_templates, query_string_mapping) {
  request_data d;
  d.querystring = {{"operand1", "3"}, {"operand2", "4"}, {"operator", "+"}};
  EXPECT_EQ(
      render_apigw(
          R"vtl({ "a": "$input.params('operand1')", "b": "$input.params('operand2')", "op": "$input.params('operator')" })vtl",
          d),
      R"({ "a": "3", "b": "4", "op": "+" })");
}

// Seed 004, GET /calc/{operand1}/{operand2}/{operator}: a path parameter
// of "%2F" stands for division.
TEST(seed_templates, path_parameter_mapping_with_operator_test) {
  const char* tpl =
      R"vtl({ "a": "$input.params('operand1')", "b": "$input.params('operand2')", "op": #if($input.params('operator')=='%2F')"/"#{else}"$input.params('operator')"#end })vtl";
  EXPECT_EQ(render_apigw(tpl, calc_request("%2F")), R"({ "a": "1", "b": "2", "op": "/" })");
  EXPECT_EQ(render_apigw(tpl, calc_request("*")), R"({ "a": "1", "b": "2", "op": "*" })");
}

// Seed 004, the Result response template.
TEST(seed_templates, result_response_template) {
  const char* tpl =
      R"(#set($inputRoot = $input.path('$')) { "input" : { "a" : $inputRoot.a, "b" : $inputRoot.b, "op" : "$inputRoot.op" }, "output" : { "c" : $inputRoot.c } })";
  EXPECT_EQ(render_apigw_body(tpl, R"({"a": 1, "b": 2, "op": "+", "c": 3})"),
            R"( { "input" : { "a" : 1, "b" : 2, "op" : "+" }, "output" : { "c" : 3 } })");
}

// The PetStore transformation from API Gateway's developer guide ("Mapping
// template transformations"), with its documented output.
TEST(seed_templates, developer_guide_pet_store_example) {
  const char* tpl =
      R"vtl(#set($inputRoot = $input.path('$')) [ #foreach($elem in $inputRoot) { "description" : "Item $elem.id is a $elem.type.", "askingPrice" : $elem.price }#if($foreach.hasNext),#end #end ])vtl";
  std::string out = render_apigw_body(
      tpl, R"([{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99},
               {"id": 3, "type": "fish", "price": 0.99}])");
  EXPECT_EQ(out, R"( [  { "description" : "Item 1 is a dog.", "askingPrice" : 249.99 }, )"
                 R"( { "description" : "Item 2 is a cat.", "askingPrice" : 124.99 }, )"
                 R"( { "description" : "Item 3 is a fish.", "askingPrice" : 0.99 }  ])");
  EXPECT_EQ(boost::json::parse(out),
            boost::json::parse(R"([{"description": "Item 1 is a dog.", "askingPrice": 249.99},
                                   {"description": "Item 2 is a cat.", "askingPrice": 124.99},
                                   {"description": "Item 3 is a fish.", "askingPrice": 0.99}])"));
}

TEST(input, params_search_order_and_missing) {
  request_data d;
  d.path = {{"id", "from-path"}};
  d.querystring = {{"id", "from-query"}, {"q", "query"}};
  d.header = {{"Id", "from-header"}, {"X-Trace", "t1"}};
  EXPECT_EQ(
      render_apigw(
          "$input.params('id') $input.params('q') $input.params('x-trace') [$input.params('none')]",
          d),
      "from-path query t1 []");
  EXPECT_EQ(render_apigw("$input.params()", d),
            "{path={id=from-path}, querystring={id=from-query, q=query}, header={Id=from-header, "
            "X-Trace=t1}}");
  EXPECT_EQ(render_apigw("#foreach($k in $input.params().header.keySet())$k,#end", d),
            "Id,X-Trace,");
}

TEST(input, json_returns_json_text) {
  const char* body = R"({"name":"Kim","n":3,"tags":["a","b"],"o":{"k":null},"s":"a\"b"})";
  EXPECT_EQ(render_apigw_body("$input.json('$.name')|$input.json('$.n')|$input.json('$.tags')|"
                              "$input.json('$.o')|$input.json('$.s')|[$input.json('$.nope')]",
                              body),
            R"("Kim"|3|["a","b"]|{"k":null}|"a\"b"|[""])");
  EXPECT_EQ(render_apigw_body("$input.json('$')", body), body);
}

TEST(input, path_returns_values) {
  const char* body = R"({"name":"Kim","n":3,"f":2.5,"t":true,"tags":["a","b"]})";
  EXPECT_EQ(
      render_apigw_body("$input.path('$.name') $input.path('$.n') $input.path('$.f') "
                        "$input.path('$.t') $input.path('$.tags') $input.path('$.tags').size() "
                        "$input.path('$.tags[*]')",
                        body),
      R"(Kim 3 2.5 true ["a","b"] 2 ["a","b"])");
  EXPECT_EQ(render_apigw_body("#set($n = $input.path('$.n') + 1)$n", body), "4");
}

TEST(input, non_json_body) {
  EXPECT_EQ(
      render_apigw_body("[$input.path('$')]|$input.json('$')|[$input.path('$.a')]", "a=1&b=2"),
      R"([]|""|[])");
  // An empty payload is "{}" as $input.body only.
  EXPECT_EQ(render_apigw_body("$input.body|[$input.path('$')]|$input.json('$.a')", ""),
            R"({}|[]|"")");
}

TEST(input, invalid_jsonpath_is_an_error) {
  EXPECT_NE(render_apigw_body("$input.path('$.a[')", "{}").find("invalid JSONPath"),
            std::string::npos);
}

TEST(context, context_and_stage_variables) {
  request_data d;
  d.context =
      boost::json::parse(R"({"stage":"dev","identity":{"sourceIp":"127.0.0.1"}})").as_object();
  d.stage_variables = boost::json::parse(R"({"table":"orders"})").as_object();
  EXPECT_EQ(
      render_apigw(
          "$context.stage $context.identity.sourceIp $stageVariables.table [$stageVariables.nope]",
          d),
      "dev 127.0.0.1 orders []");
}

TEST(context, overrides_are_read_back) {
  auto tpl = parse(R"(#set($context.requestOverride.header.X-Api = "v1")
#set($context.requestOverride.path.id = 42)
#set($context.responseOverride.status = "201")
#set($context.responseOverride.header.Location = "/items/42")
done)");
  ASSERT_TRUE(tpl);
  auto r = render_mapping_template(**tpl, {});
  ASSERT_TRUE(r) << r.err().describe();
  EXPECT_EQ(r->body, "done");
  EXPECT_EQ(r->overrides.request_header, (param_list{{"X-Api", "v1"}}));
  EXPECT_EQ(r->overrides.request_path, (param_list{{"id", "42"}}));
  EXPECT_EQ(r->overrides.response_status, 201);
  EXPECT_EQ(r->overrides.response_header, (param_list{{"Location", "/items/42"}}));
}

TEST(context, rendering_through_the_cache) {
  template_cache cache;
  request_data d;
  d.body = R"({"x":1})";
  auto r = render_mapping_template("$input.path('$.x')", d, cache);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "1");
  EXPECT_FALSE(render_mapping_template("#if(", d, cache));
}

}  // namespace
}  // namespace stratus::vtl::apigw
