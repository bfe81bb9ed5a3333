// Helpers shared by the VTL unit tests.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "vtl/apigw/bindings.hpp"
#include "vtl/parser.hpp"
#include "vtl/renderer.hpp"
#include "vtl/template_cache.hpp"

namespace stratus::vtl::testing {

// Renders `text` with no variables; returns the output or "ERROR: <message>".
inline std::string render_text(std::string_view text, variables vars = {}, const limits& lim = {}) {
  auto tpl = parse(text, lim);
  if (!tpl) return "ERROR: " + tpl.err().describe();
  auto out = render(**tpl, vars, lim);
  if (!out) return "ERROR: " + out.err().describe();
  return *out;
}

// Renders a mapping template with API Gateway's bindings.
inline std::string render_apigw(std::string_view text, const apigw::request_data& data) {
  auto tpl = parse(text);
  if (!tpl) return "ERROR: " + tpl.err().describe();
  auto out = apigw::render_mapping_template(**tpl, data);
  if (!out) return "ERROR: " + out.err().describe();
  return out->body;
}

inline std::string render_apigw_body(std::string_view text, std::string body) {
  apigw::request_data data;
  data.body = std::move(body);
  return render_apigw(text, data);
}

}  // namespace stratus::vtl::testing
