#include "vtl/apigw/render_command.hpp"

#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>

#include "vtl/apigw/bindings.hpp"
#include "vtl/json_values.hpp"

namespace stratus::vtl::apigw {

namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<boost::json::object> parse_object(const std::optional<std::string>& text,
                                                std::string_view option, std::ostream& err) {
  if (!text) return boost::json::object();
  auto doc = parse_json_document(*text);
  if (!doc || !doc->is_object()) {
    err << "error: " << option << " must be a JSON object\n";
    return std::nullopt;
  }
  return std::move(doc->as_object());
}

std::string as_param(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  return boost::json::serialize(v);
}

bool read_params(const boost::json::object& params, std::string_view location, param_list& out,
                 std::ostream& err) {
  const auto* section = params.if_contains(location);
  if (section == nullptr) return true;
  if (!section->is_object()) {
    err << "error: --params \"" << location << "\" must be a JSON object\n";
    return false;
  }
  for (const auto& [k, v] : section->as_object()) out.emplace_back(std::string(k), as_param(v));
  return true;
}

void report(std::ostream& err, std::string_view what, const param_list& params) {
  for (const auto& [k, v] : params) err << what << '.' << k << " = " << v << '\n';
}

}  // namespace

int run_render_command(const render_command_options& options, std::ostream& out,
                       std::ostream& err) {
  auto text = read_file(options.template_file);
  if (!text) {
    err << "error: cannot read template file " << options.template_file << '\n';
    return 2;
  }
  request_data data;
  if (options.body_file) {
    auto body = read_file(*options.body_file);
    if (!body) {
      err << "error: cannot read body file " << *options.body_file << '\n';
      return 2;
    }
    data.body = std::move(*body);
  }
  auto params = parse_object(options.params_json, "--params", err);
  auto context = parse_object(options.context_json, "--context", err);
  auto stage = parse_object(options.stage_variables_json, "--stage-variables", err);
  if (!params || !context || !stage) return 2;
  for (const auto& [k, v] : *params) {
    if (k != "path" && k != "querystring" && k != "header") {
      err << "error: --params keys are \"path\", \"querystring\" and \"header\", not \"" << k
          << "\"\n";
      return 2;
    }
  }
  if (!read_params(*params, "path", data.path, err) ||
      !read_params(*params, "querystring", data.querystring, err) ||
      !read_params(*params, "header", data.header, err)) {
    return 2;
  }
  data.context = std::move(*context);
  data.stage_variables = std::move(*stage);

  template_cache cache(1);
  auto r = render_mapping_template(*text, data, cache);
  if (!r) {
    err << "error: " << r.err().describe() << '\n';
    return 1;
  }
  out << r->body;
  out.flush();
  const auto& o = r->overrides;
  report(err, "requestOverride.header", o.request_header);
  report(err, "requestOverride.querystring", o.request_querystring);
  report(err, "requestOverride.path", o.request_path);
  report(err, "responseOverride.header", o.response_header);
  if (o.response_status) err << "responseOverride.status = " << *o.response_status << '\n';
  return 0;
}

}  // namespace stratus::vtl::apigw
