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
#include <vector>

#include "common/request_context.hpp"
#include "http/server.hpp"
#include "protocol/model.hpp"

namespace stratus::edge {

struct credentials {
  std::string access_key;
  std::string secret_key;
};

struct gateway_options {
  // When set, every request must be signed with this key pair (SigV4
  // verified); otherwise any well-formed signature is accepted.
  std::optional<credentials> strict_credentials;
  std::string default_account = "000000000000";
};

class gateway final : public http::application {
 public:
  explicit gateway(gateway_options options);

  // Registers a service by model name ("dynamodb", "sts", ...); operations
  // without a handler answer NotImplementedException.
  void add_service(std::string_view model_name, handler_table handlers);

  [[nodiscard]] http::admission admit(const http::request_header& header) override;
  [[nodiscard]] boost::asio::awaitable<http::response> handle(
      http::request& req, const http::connection_info& conn) override;
  [[nodiscard]] http::response bad_request(http::status code, std::string_view why) override;

  // The synchronous core of handle(), for tests and tools.
  [[nodiscard]] http::response dispatch(const http::request& req);

 private:
  struct service_entry {
    const protocol::service_model* model;
    handler_table handlers;
  };
  [[nodiscard]] const service_entry* route(const http::request_header& req) const;
  [[nodiscard]] const service_entry* find(std::string_view model_name) const;
  [[nodiscard]] http::response health(const http::request& req) const;

  gateway_options options_;
  std::vector<service_entry> services_;
};

}  // namespace stratus::edge
