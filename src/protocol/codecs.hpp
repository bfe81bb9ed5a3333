#pragma once
// The three protocol codecs. Internal to protocol/: everyone else goes
// through codec_for().

#include "protocol/wire.hpp"

namespace stratus::protocol {

// JSON nesting accepted in a request body. DynamoDB's own limit (32 levels of
// attribute values) is checked by the service; this only stops hostile depth.
inline constexpr unsigned max_json_depth = 256;

class json_codec final : public codec {
 public:
  result<decoded_request> decode(const service_model&, const wire_request&) const override;
  wire_response encode(const service_model&, const operation&, const boost::json::object&,
                       std::string_view) const override;
  wire_response encode_error(const service_model&, const api_error&,
                             std::string_view) const override;
};

class rest_json_codec final : public codec {
 public:
  result<decoded_request> decode(const service_model&, const wire_request&) const override;
  wire_response encode(const service_model&, const operation&, const boost::json::object&,
                       std::string_view) const override;
  wire_response encode_error(const service_model&, const api_error&,
                             std::string_view) const override;
};

class query_codec final : public codec {
 public:
  result<decoded_request> decode(const service_model&, const wire_request&) const override;
  wire_response encode(const service_model&, const operation&, const boost::json::object&,
                       std::string_view) const override;
  wire_response encode_error(const service_model&, const api_error&,
                             std::string_view) const override;
};

// Converts a textual value (query string, header, URI label, form field) to
// the JSON value of a scalar shape; nullopt when it does not parse.
[[nodiscard]] std::optional<boost::json::value> scalar_from_text(const shape& s,
                                                                 std::string_view text);
// Renders a scalar JSON value as text for a header or XML element.
[[nodiscard]] std::string scalar_to_text(const shape& s, const boost::json::value& v,
                                         bool http_date);

}  // namespace stratus::protocol
