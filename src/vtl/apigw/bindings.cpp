#include "vtl/apigw/bindings.hpp"

#include <charconv>

#include "vtl/apigw/input.hpp"
#include "vtl/apigw/util.hpp"
#include "vtl/json_values.hpp"
#include "vtl/renderer.hpp"

namespace stratus::vtl::apigw {

namespace {

// The map at m[key], created empty when absent or not a map.
map_ptr child_map(const map_ptr& m, const std::string& key) {
  if (value* v = m->find(key); v != nullptr && v->is_map()) return v->as_map();
  auto fresh = make_map();
  m->put(key, fresh);
  return fresh;
}

// API Gateway creates these before the template runs, so that
// `#set($context.responseOverride.header.foo = "bar")` finds its map
// (test_integration_mock_with_response_override_in_request_template).
map_ptr make_context(const boost::json::object& context,
                     const std::optional<std::set<std::string, std::less<>>>& reached) {
  map_ptr m;
  if (reached) {
    // Only what the template can reach: the rest of $context is never read.
    m = make_map();
    for (const auto& name : *reached)
      if (auto* v = context.if_contains(name)) m->put(name, from_json(*v));
  } else {
    m = from_json(context).as_map();
  }
  auto request = child_map(m, "requestOverride");
  for (const char* k : {"header", "querystring", "path"}) child_map(request, k);
  child_map(child_map(m, "responseOverride"), "header");
  return m;
}

param_list read_params(const map_ptr& parent, const std::string& key) {
  param_list out;
  const value* v = parent->find(key);
  if (v == nullptr || !v->is_map()) return out;
  for (const auto& [k, item] : v->as_map()->entries()) {
    if (!item.is_null()) out.emplace_back(k, java_string(item));
  }
  return out;
}

std::optional<int> read_status(const map_ptr& response) {
  const value* v = response->find("status");
  if (v == nullptr) return std::nullopt;
  if (v->is_int()) {
    if (v->as_int() < 0 || v->as_int() >= 1000) return std::nullopt;
    return static_cast<int>(v->as_int());
  }
  if (v->is_real()) {
    double d = v->as_real();
    if (d >= 0 && d < 1000) return static_cast<int>(d);
    return std::nullopt;
  }
  if (v->is_string()) {
    int status = 0;
    const auto& s = v->as_string();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), status);
    if (ec == std::errc() && p == s.data() + s.size()) return status;
  }
  return std::nullopt;
}

}  // namespace

result<rendered> render_mapping_template(const parsed_template& tpl, const request_data& data,
                                         const limits& lim) {
  variables vars;
  vars.set("input", make_input_object(data));
  vars.set("util", make_util_object());
  auto context = make_context(data.context, tpl.properties_of("context"));
  vars.set("context", context);
  vars.set("stageVariables", from_json(data.stage_variables));

  auto body = render(tpl, vars, lim);
  if (!body) return body.err();

  rendered out;
  out.body = std::move(*body);
  // Read back from the map we created, even if the template rebound $context.
  auto request = child_map(context, "requestOverride");
  auto response = child_map(context, "responseOverride");
  out.overrides.request_header = read_params(request, "header");
  out.overrides.request_querystring = read_params(request, "querystring");
  out.overrides.request_path = read_params(request, "path");
  out.overrides.response_header = read_params(response, "header");
  out.overrides.response_status = read_status(response);
  return out;
}

result<rendered> render_mapping_template(std::string_view text, const request_data& data,
                                         template_cache& cache, const limits& lim) {
  auto tpl = cache.get(text);
  if (!tpl) return tpl.err();
  return render_mapping_template(**tpl, data, lim);
}

}  // namespace stratus::vtl::apigw
