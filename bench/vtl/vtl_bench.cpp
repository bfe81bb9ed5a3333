// Parse and render of the mapping templates of seed tutorial 004 (the
// Lambda calculator behind API Gateway), plus a typical pass-through
// template, through the same path the API Gateway data plane takes.
//
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSTRATUS_BUILD_BENCH=ON
//   cmake --build build-bench --target bench_vtl && build-bench/bench/vtl/bench_vtl
#include <benchmark/benchmark.h>

#include "vtl/apigw/bindings.hpp"
#include "vtl/parser.hpp"
#include "vtl/template_cache.hpp"

namespace {

using namespace stratus::vtl;

// GET /calc?operand1=..&operand2=..&operator=.. integration request.
constexpr const char* query_template =
    R"vtl({ "a": "$input.params('operand1')", "b": "$input.params('operand2')", "op": "$input.params('operator')" })vtl";

// GET /calc/{operand1}/{operand2}/{operator} integration request.
constexpr const char* path_template =
    R"vtl({ "a": "$input.params('operand1')", "b": "$input.params('operand2')", "op": #if($input.params('operator')=='%2F')"/"#{else}"$input.params('operator')"#end })vtl";

// The Result integration response.
constexpr const char* result_template =
    R"vtl(#set($inputRoot = $input.path('$')) { "input" : { "a" : $inputRoot.a, "b" : $inputRoot.b, "op" : "$inputRoot.op" }, "output" : { "c" : $inputRoot.c } })vtl";

// A common pass-through template: every parameter and the body.
constexpr const char* passthrough_template = R"vtl(#set($allParams = $input.params())
{
"body-json" : $input.json('$'),
"params" : {
#foreach($type in $allParams.keySet())
    #set($params = $allParams.get($type))
"$type" : {
    #foreach($paramName in $params.keySet())
    "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
        #if($foreach.hasNext),#end
    #end
}
    #if($foreach.hasNext),#end
#end
},
"stage-variables" : {
#foreach($key in $stageVariables.keySet())
"$key" : "$util.escapeJavaScript($stageVariables.get($key))"
    #if($foreach.hasNext),#end
#end
},
"context" : {
    "stage" : "$context.stage",
    "request-id" : "$context.requestId"
}
})vtl";

apigw::request_data calc_request() {
  apigw::request_data d;
  d.path = {{"operand1", "1"}, {"operand2", "2"}, {"operator", "%2F"}};
  d.querystring = {{"operand1", "1"}, {"operand2", "2"}, {"operator", "+"}};
  d.header = {
      {"Content-Type", "application/json"}, {"User-Agent", "curl/8.0"}, {"Host", "localhost"}};
  d.body = R"({"a": 1, "b": 2, "op": "+", "c": 3})";
  d.context["stage"] = "test";
  d.context["requestId"] = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
  d.stage_variables["table"] = "calc";
  return d;
}

void parse_only(benchmark::State& state, const char* text) {
  for (auto _ : state) {
    auto tpl = parse(text);
    benchmark::DoNotOptimize(tpl);
  }
}

// Render with a cached parse: what each API request costs.
void render_cached(benchmark::State& state, const char* text) {
  template_cache cache;
  auto data = calc_request();
  for (auto _ : state) {
    auto out = apigw::render_mapping_template(text, data, cache);
    benchmark::DoNotOptimize(out);
  }
}

BENCHMARK_CAPTURE(parse_only, query, query_template);
BENCHMARK_CAPTURE(parse_only, path, path_template);
BENCHMARK_CAPTURE(parse_only, result, result_template);
BENCHMARK_CAPTURE(parse_only, passthrough, passthrough_template);
BENCHMARK_CAPTURE(render_cached, query, query_template);
BENCHMARK_CAPTURE(render_cached, path, path_template);
BENCHMARK_CAPTURE(render_cached, result, result_template);
BENCHMARK_CAPTURE(render_cached, passthrough, passthrough_template);

}  // namespace
