#pragma once
// The edge: turns each HTTP request into a service call and back. It decides
// the destination service (X-Amz-Target prefix, the SigV4 credential scope,
// path patterns), authenticates the caller, decodes and validates the input
// with the service's model and protocol codec, calls the operation handler,
// and encodes the output or the AWS error. See docs/architecture/request-life.md.
//
// Thread-safety: `gateway` is immutable after construction (services are
// registered before the server starts) and serves requests concurrently.

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "auth/session_keys.hpp"
#include "auth/sigv4.hpp"
#include "common/raw_route.hpp"
#include "common/request_context.hpp"
#include "common/service_call.hpp"
#include "http/server.hpp"
#include "protocol/model.hpp"
#include "protocol/wire.hpp"

namespace stratus::edge {

struct credentials {
  std::string access_key;
  std::string secret_key;
};

struct gateway_options {
  // When set, every request must be signed with this key pair (SigV4
  // verified); otherwise any well-formed signature is accepted.
  std::optional<credentials> strict_credentials;
  // With strict_credentials, the temporary keys Stratus issued (to
  // execution environments) are accepted too, with their session token,
  // for as long as they live. Must outlive the gateway.
  const auth::session_keys* sessions = nullptr;
  std::string default_account = "000000000000";
};

class gateway final : public http::application, public service_caller {
 public:
  explicit gateway(gateway_options options);

  // Registers a service by model name ("dynamodb", "sts", ...); operations
  // without a handler answer NotImplementedException.
  void add_service(std::string_view model_name, handler_table handlers);
  // Operations of the same service that are coroutines (Lambda's Invoke);
  // they take precedence over synchronous handlers of the same name.
  void add_async_operations(std::string_view model_name, async_handler_table handlers);
  // Serves GET/HEAD/... requests whose path starts with `prefix` (which must
  // start with "/_stratus/") with `handler`, before any AWS routing.
  void add_raw_route(std::string prefix, raw_handler handler);
  // Hands every request `endpoint` claims to it, before any AWS routing
  // (API Gateway's invoke URLs).
  void add_web_endpoint(web_endpoint endpoint);

  // An operation called in-process (see common/service_call.hpp): the
  // input validated against the model, then the handler, as for a request.
  [[nodiscard]] boost::asio::awaitable<result<boost::json::object>> call(
      request_context ctx, std::string_view service, std::string_view operation,
      boost::json::object input) const override;

  [[nodiscard]] http::admission admit(const http::request_header& header) override;
  [[nodiscard]] boost::asio::awaitable<http::response> handle(
      http::request& req, const http::connection_info& conn) override;
  [[nodiscard]] http::response bad_request(http::status code, std::string_view why) override;

  // handle() without a socket, for tests and tools. An asynchronous
  // operation is run to completion on a private io_context.
  [[nodiscard]] http::response dispatch(const http::request& req);

 private:
  struct service_entry {
    const protocol::service_model* model;
    handler_table handlers;
    async_handler_table async_handlers;
  };
  // A request decoded, authenticated and validated, whose handler is
  // asynchronous: what finish() needs to answer once it completes.
  struct pending_call {
    const service_entry* service = nullptr;
    const protocol::operation* op = nullptr;
    const async_handler* handler = nullptr;
    request_context ctx;
    boost::json::object input;
    std::chrono::steady_clock::time_point started;
  };
  // Everything up to the handler; runs a synchronous handler too. Answers
  // either the response or the asynchronous call still to make.
  [[nodiscard]] std::variant<http::response, pending_call> prepare(const http::request& req);
  [[nodiscard]] http::response finish(const http::request& req, pending_call& call,
                                      const result<boost::json::object>& output);
  [[nodiscard]] http::response respond(const http::request& req, const service_entry& service,
                                       std::string_view operation, const request_context& ctx,
                                       std::chrono::steady_clock::time_point started,
                                       protocol::wire_response&& w) const;
  [[nodiscard]] static boost::asio::awaitable<result<boost::json::object>> run_guarded(
      const async_handler& handler, const service_entry& service, const protocol::operation& op,
      request_context& ctx, boost::json::object& input);
  // A synchronous handler, its exceptions answered as a 500.
  [[nodiscard]] static result<boost::json::object> run_guarded(const handler& handler,
                                                               const service_entry& service,
                                                               const protocol::operation& op,
                                                               request_context& ctx,
                                                               boost::json::object& input);
  [[nodiscard]] const web_endpoint* web_endpoint_for(const http::request_header& req) const;
  [[nodiscard]] static boost::asio::awaitable<http::response> serve_web(
      const web_endpoint& endpoint, const http::request& req, std::string source_ip);
  [[nodiscard]] const service_entry* route(const http::request_header& req) const;
  // The operation a request is for, when its header alone says (rest-json).
  [[nodiscard]] const protocol::operation* operation_of(const service_entry& service,
                                                        const http::request_header& header) const;
  // The secret of a key this server accepts (strict mode), and the session
  // it belongs to if it is a temporary one.
  struct known_key {
    std::string secret;
    std::optional<auth::session_keys::entry> session;
  };
  [[nodiscard]] std::optional<known_key> key_for(const auth::signature_info& sig) const;
  [[nodiscard]] const service_entry* find(std::string_view model_name) const;
  [[nodiscard]] http::response health(const http::request& req) const;

  gateway_options options_;
  std::vector<service_entry> services_;
  std::vector<std::pair<std::string, raw_handler>> raw_routes_;
  std::vector<web_endpoint> web_endpoints_;
};

}  // namespace stratus::edge
