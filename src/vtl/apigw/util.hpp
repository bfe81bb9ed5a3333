// $util: API Gateway's helper functions for mapping templates, and the
// string transformations behind them (exposed for tests and reuse).
//
// Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vtl/limits.hpp"
#include "vtl/value.hpp"

namespace stratus::vtl::apigw {

// Apache Commons Lang 2 StringEscapeUtils.escapeJavaScript, which API
// Gateway documents: ' becomes \', / becomes \/, non-ASCII becomes \uXXXX
// (uppercase hex, per UTF-16 code unit).
[[nodiscard]] std::string escape_javascript(std::string_view s);
// java.net.URLEncoder.encode(s, "UTF-8"): space is '+', [A-Za-z0-9.*_-] kept.
[[nodiscard]] std::string url_encode(std::string_view s);
// java.net.URLDecoder.decode(s, "UTF-8"); nullopt on a malformed escape.
[[nodiscard]] std::optional<std::string> url_decode(std::string_view s);
// java.util.Base64's basic decoder (encoding is common/base64.hpp's);
// nullopt on bad input.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view s);

// The $util object.
[[nodiscard]] object_ptr make_util_object();

}  // namespace stratus::vtl::apigw
