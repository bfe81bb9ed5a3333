#pragma once
// Plain HTTP endpoints a service serves outside AWS's protocols. Services
// never see Beast; the edge translates.
//
// - A raw route lives under a path prefix of its own (Lambda's code
//   downloads: GET /_stratus/lambda/code/...). No signature, no model: the
//   handler sees the method, path and query and answers status, headers and
//   body.
// - A web endpoint takes whole requests that its matcher claims (API
//   Gateway's invoke URLs): method, target, headers as received, body and the
//   caller's address, answered by a coroutine.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus {

struct raw_request {
  std::string_view method;
  std::string_view path;   // without the query
  std::string_view query;  // after '?', undecoded
};

struct raw_response {
  unsigned status = 200;
  // In order; a name may repeat (several Set-Cookie, multi-value headers).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

using raw_handler = std::function<raw_response(const raw_request&)>;

struct web_request {
  std::string method;
  std::string path;   // without the query, undecoded
  std::string query;  // after '?', undecoded
  // As received: in order, with the client's casing.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string source_ip;
};

struct web_endpoint {
  // Whether a request (by its Host header and target) is this endpoint's.
  std::function<bool(std::string_view host, std::string_view target)> claims;
  // The largest body taken, and the answer to a larger one.
  std::uint64_t max_body = 10 * 1024 * 1024;
  std::function<raw_response()> too_large;
  std::function<boost::asio::awaitable<raw_response>(web_request)> handle;
};

}  // namespace stratus
