// `stratus template render`: renders a mapping template with API Gateway's
// bindings outside of any API, so users can debug templates without
// deploying. The CLI front end (src/server/main.cpp) parses the flags into
// render_command_options and calls run_render_command.
//
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <ostream>
#include <string>

namespace stratus::vtl::apigw {

struct render_command_options {
  std::string template_file;             // --template FILE (required)
  std::optional<std::string> body_file;  // --body FILE: the payload
  // --params JSON: {"path":{...},"querystring":{...},"header":{...}}, string values.
  std::optional<std::string> params_json;
  std::optional<std::string> context_json;          // --context JSON: $context
  std::optional<std::string> stage_variables_json;  // --stage-variables JSON
};

// Writes the rendered body to `out` exactly as API Gateway would send it on.
// Overrides the template set ($context.requestOverride / responseOverride)
// are reported on `err`, one per line. Returns 0 on success, 1 when the
// template fails to parse or render (the error goes to `err`), 2 on bad
// options (unreadable file, malformed JSON).
int run_render_command(const render_command_options& options, std::ostream& out, std::ostream& err);

}  // namespace stratus::vtl::apigw
