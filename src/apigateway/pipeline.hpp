#pragma once
// The data plane's request pipeline, in API Gateway's order: method request
// validation (method_request.cpp), the integration request (parameter
// mapping and templates: integration_request.cpp), the integration itself
// (integrations.cpp: MOCK, Lambda, AWS services, HTTP), the integration
// response (integration_response.cpp) or the proxy response (proxy.cpp),
// and the default gateway responses for every error on the way. Each stage
// writes to the execution log; test-invoke-method returns it, the stage's
// logging settings send it to CloudWatch Logs. See
// docs/architecture/apigateway-pipeline.md.
//
// Thread-safety: run_method may run concurrently; everything it reads is
// immutable or thread-safe.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "apigateway/deployed.hpp"
#include "common/service_call.hpp"
#include "protocol/wire.hpp"
#include "vtl/apigw/bindings.hpp"
#include "vtl/template_cache.hpp"

namespace stratus::apigateway {

// A request as the method sees it.
struct method_request {
  std::string http_method;
  std::string path;    // after the stage, undecoded: "/" at least
  std::string query;   // undecoded, without '?'
  param_list headers;  // as received
  std::string body;
  std::string source_ip;
  std::string domain_name;  // the Host it came to
  std::string request_id;   // x-amzn-RequestId
  std::string extended_id;  // x-amz-apigw-id
  std::chrono::system_clock::time_point at;
  // $context, made on first use (context_of).
  mutable std::optional<boost::json::object> context;
};

// What the client gets.
struct gateway_answer {
  unsigned status = 200;
  param_list headers;
  std::string body;
};

// API Gateway's default gateway responses, by type.
enum class gateway_error {
  missing_authentication_token,  // 403: no resource or method
  forbidden,                     // 403: no such stage
  bad_request_parameters,        // 400
  bad_request_body,              // 400
  unsupported_media_type,        // 415
  integration_failure,           // 500: Internal server error
  bad_gateway,                   // 502: a malformed proxy response
  integration_timeout,           // 504
  request_too_large,             // 413
};
[[nodiscard]] gateway_answer default_response(gateway_error type, std::string message = {});

// The execution log of one request, as test-invoke-method shows it:
// "<Java-style date> : <line>".
class execution_log {
 public:
  // What a line is, for the stage's logging level and data trace setting.
  enum class kind { info, error, data };
  struct entry {
    kind what;
    std::string message;  // without the date
    std::string line;     // "<date> : <message>"
  };
  // A log nobody reads (no test-invoke, stage logging off) keeps nothing;
  // callers skip building its lines.
  execution_log(std::chrono::system_clock::time_point at, bool enabled)
      : at_(at), enabled_(enabled) {}
  [[nodiscard]] bool enabled() const { return enabled_; }
  void add(std::string_view line);
  [[nodiscard]] const std::vector<entry>& entries() const { return entries_; }
  [[nodiscard]] std::string text() const;  // the lines, each ending with '\n'

 private:
  std::chrono::system_clock::time_point at_;
  bool enabled_;
  std::vector<entry> entries_;
};
// A proxied backend's headers as API Gateway passes them on: Connection,
// Content-Length, Date and Server renamed x-amzn-Remapped-*, and
// Transfer-Encoding dropped.
[[nodiscard]] param_list remapped(param_list headers);
// Headers as the execution log prints them: {a=1, b=2}.
[[nodiscard]] std::string log_map(const param_list& items);

// What the pipeline needs besides the request.
struct pipeline_deps {
  const service_caller& services;
  vtl::template_cache& templates;
};

// Runs `req` through `route` of `stage` and answers what the client gets.
[[nodiscard]] boost::asio::awaitable<gateway_answer> run_method(const pipeline_deps& deps,
                                                                const deployed_stage& stage,
                                                                const route_match& route,
                                                                const method_request& req,
                                                                execution_log& log);

// 7. The execution log to API-Gateway-Execution-Logs_{api}/{stage} at the
// method's logging level, and the access log line in the stage's format to
// its destination, through the Logs service. Runs in the background.
// Whether the method's logging level asks for its execution log.
[[nodiscard]] bool logs_execution(const deployed_stage& stage, const route_match& route);
void write_stage_logs(const boost::asio::any_io_executor& executor, const pipeline_deps& deps,
                      const deployed_stage& stage, const route_match& route,
                      const method_request& req, const gateway_answer& answer,
                      const execution_log& log, std::chrono::milliseconds latency);

// ---- what the stages share ----

// The first value of a header (case-insensitive name), or nullopt.
[[nodiscard]] std::optional<std::string> header_of(const param_list& headers,
                                                   std::string_view name);
// A query string as name/value pairs in order, '+' and %XX decoded.
using protocol::parse_query;
// The request's Content-Type without parameters, lower case; application/json
// when absent (as API Gateway assumes).
[[nodiscard]] std::string media_type_of(const param_list& headers);

// Parameter mapping's pieces, in both directions: a JSON value's text (a
// string as it is, anything else as JSON), the value a JSONPath ("$.a.b")
// names in a JSON body (nullopt: not JSON, or nothing there), and setting a
// parameter (replacing one of the same name, case-insensitively when
// `ignore_case`, else appending).
[[nodiscard]] std::string value_text(const boost::json::value& v);
[[nodiscard]] std::optional<std::string> json_path_text(std::string_view body,
                                                        const std::string& path);
void put_param(param_list& items, const std::string& name, std::string value, bool ignore_case);
// The value at a dotted path ("identity.sourceIp") in `doc`, or null.
[[nodiscard]] const boost::json::value* value_at(const boost::json::object& doc,
                                                 std::string_view dotted);

// Whether `media_type` is one of the API's binaryMediaTypes (which may use
// wildcards: "image/*", "*/*").
[[nodiscard]] bool is_binary_type(const deployed_stage& stage, std::string_view media_type);
// A body converted as an integration's or integration response's
// contentHandling asks: CONVERT_TO_TEXT base64-encodes a binary one,
// CONVERT_TO_BINARY decodes a base64 text one (left as it is when it is not
// base64); otherwise, or when it already is what is asked, unchanged.
[[nodiscard]] std::string converted(std::string body, std::string_view content_handling,
                                    bool binary);

// $context as mapping templates and the proxy event see it.
[[nodiscard]] const boost::json::object& context_of(const deployed_stage& stage,
                                                    const route_match& route,
                                                    const method_request& req);
// One member of $context, built alone ("stage", "identity", ...); nullopt
// for a name $context does not have.
[[nodiscard]] std::optional<boost::json::value> context_value(const deployed_stage& stage,
                                                              const route_match& route,
                                                              const method_request& req,
                                                              std::string_view name);
// Renders a mapping template over `body`, the request's parameters (or
// `headers` for an integration response), $context (only as far as the
// template reaches into it) and the stage variables. Text without
// references or directives renders as itself, without any of that.
[[nodiscard]] vtl::result<vtl::apigw::rendered> render_template(
    const pipeline_deps& deps, const deployed_stage& stage, const route_match& route,
    const method_request& req, std::string_view text, std::string body,
    const param_list* headers = nullptr);

// 1. Required parameters and the body model, as the method's validator asks.
[[nodiscard]] std::optional<gateway_answer> validate_method_request(const deployed_stage& stage,
                                                                    const route_match& route,
                                                                    const method_request& req,
                                                                    execution_log& log);

// 2. The integration request after parameter mapping and templates.
struct integration_request {
  std::string body;
  param_list headers;
  param_list query;
  param_list path;  // substituted into an HTTP integration's URI
};
[[nodiscard]] std::variant<integration_request, gateway_answer> map_integration_request(
    const pipeline_deps& deps, const deployed_stage& stage, const route_match& route,
    const method_request& req, const boost::json::object& integration, execution_log& log);

// 3. What an integration answered, before the integration response.
struct integration_outcome {
  unsigned status = 200;
  param_list headers;
  std::string body;
  // A Lambda function's failure: its errorMessage, which selection patterns
  // are matched against (for other integrations, the status code is).
  std::optional<std::string> lambda_error;
  bool lambda = false;
  std::string request_id;  // the Lambda invocation's
};
[[nodiscard]] boost::asio::awaitable<std::variant<integration_outcome, gateway_answer>>
call_integration(const pipeline_deps& deps, const deployed_stage& stage, const route_match& route,
                 const method_request& req, const boost::json::object& integration,
                 integration_request call, execution_log& log);

// Lambda integrations (AWS and AWS_PROXY): the function a URI names, the
// permission check and the invocation. `event` is the payload.
[[nodiscard]] boost::asio::awaitable<std::variant<integration_outcome, gateway_answer>>
invoke_lambda(const pipeline_deps& deps, const deployed_stage& stage, const route_match& route,
              const method_request& req, const boost::json::object& integration,
              std::string_view function_arn, std::string event, bool asynchronous,
              execution_log& log);
// HTTP and HTTP_PROXY: a real request to `uri` (path parameters already
// mapped into `call.path`).
[[nodiscard]] boost::asio::awaitable<std::variant<integration_outcome, gateway_answer>> call_http(
    const deployed_stage& stage, const method_request& req, const boost::json::object& integration,
    std::string uri, integration_request call, bool proxy, std::chrono::milliseconds timeout,
    execution_log& log);
// The function ARN in
// arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations.
[[nodiscard]] std::optional<std::string> lambda_function_of(std::string_view uri);
// `text` with ${stageVariables.name} replaced.
[[nodiscard]] std::string with_stage_variables(std::string_view text,
                                               const boost::json::object& variables);

// 4. The integration response the outcome selects, mapped.
[[nodiscard]] gateway_answer map_integration_response(
    const pipeline_deps& deps, const deployed_stage& stage, const route_match& route,
    const method_request& req, const boost::json::object& integration, integration_outcome outcome,
    execution_log& log);

// 5. Lambda proxy integrations: the version 1.0 event, and the function's
// answer checked and turned into the response.
[[nodiscard]] std::string proxy_event(const deployed_stage& stage, const route_match& route,
                                      const method_request& req);
[[nodiscard]] gateway_answer proxy_response(const deployed_stage& stage, const method_request& req,
                                            const integration_outcome& outcome, execution_log& log);

}  // namespace stratus::apigateway
