#pragma once
// A request and a response as the protocol codecs see them: plain strings, no
// HTTP library types, so that codecs are testable without a socket.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/api_error.hpp"
#include "protocol/model.hpp"

namespace stratus::protocol {

struct wire_request {
  std::string_view method;
  std::string_view path;   // raw (percent-encoded), no query
  std::string_view query;  // raw, without '?'
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;

  // Case-insensitive; the first occurrence, or "" when absent.
  [[nodiscard]] std::string_view header(std::string_view name) const;
  [[nodiscard]] bool has_header(std::string_view name) const;
};

struct wire_response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// A request decoded against its service model: the operation and the input
// document, shaped like the operation's input shape (JSON member names as in
// the model, numbers as numbers, blobs as raw bytes).
struct decoded_request {
  const operation* op = nullptr;
  boost::json::object input;
};

// A protocol: json (1.0/1.1), rest-json or query. Stateless, thread-safe.
class codec {
 public:
  virtual ~codec() = default;
  [[nodiscard]] virtual result<decoded_request> decode(const service_model& model,
                                                       const wire_request& req) const = 0;
  [[nodiscard]] virtual wire_response encode(const service_model& model, const operation& op,
                                             const boost::json::object& output,
                                             std::string_view request_id) const = 0;
  [[nodiscard]] virtual wire_response encode_error(const service_model& model, const api_error& err,
                                                   std::string_view request_id) const = 0;
};

// The codec for a model's metadata.protocol.
[[nodiscard]] const codec& codec_for(const service_model& model);

// The operation a rest-json request is for, from its method and URI alone
// (before its body is read): the most specific URI template that matches,
// or nullptr.
[[nodiscard]] const operation* find_rest_operation(const service_model& model,
                                                   std::string_view method, std::string_view path,
                                                   std::string_view query);

// Percent-decoding of a URI component ('+' is kept unless `plus_is_space`).
[[nodiscard]] std::string url_decode(std::string_view s, bool plus_is_space = false);

// Splits "a=1&b=2" into decoded pairs (form bodies and query strings).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_query(std::string_view q);

}  // namespace stratus::protocol
