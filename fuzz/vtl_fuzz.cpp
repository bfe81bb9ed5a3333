// libFuzzer target for the VTL parser and renderer with API Gateway's
// bindings. The input is a template; everything it can reach ($input with a
// JSON body and parameters, $util, $context overrides) is bound, and the
// limits are tightened so that each input runs in milliseconds: a hostile
// template must end with an error, never a crash, a leak or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vtl/apigw/bindings.hpp"
#include "vtl/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stratus::vtl;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  limits lim;
  lim.max_loop_iterations = 20'000;
  lim.max_output_bytes = 1 << 20;
  lim.max_evaluation_steps = 200'000;
  auto tpl = parse(text, lim);
  if (!tpl) return 0;
  static const apigw::request_data request = [] {
    apigw::request_data d;
    d.body = R"({"a":[1,2.5,"x",{"b":null,"c":[true,false]}],"s":"str","n":-3})";
    d.path = {{"id", "7"}};
    d.querystring = {{"q", "%2F"}};
    d.header = {{"Content-Type", "application/json"}};
    d.context["stage"] = "dev";
    d.stage_variables["v"] = "1";
    return d;
  }();
  (void)apigw::render_mapping_template(**tpl, request, lim);
  return 0;
}
