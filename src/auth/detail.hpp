#pragma once
// Pieces shared by the SigV4 translation units of this folder; not part of
// the module's interface (include "auth/sigv4.hpp" instead).
// Thread-safety: pure functions and constants.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/sigv4.hpp"
#include "common/uri.hpp"

namespace stratus::auth::detail {

inline constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view scope_terminator = "aws4_request";
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";

// How far a header-signed request's X-Amz-Date may be from the server clock
// ("Signature expired ... - 15 min." in AWS's messages).
inline constexpr std::chrono::minutes clock_skew{15};
// The longest X-Amz-Expires AWS accepts on a presigned URL (one week).
inline constexpr std::chrono::seconds max_presign_expiry{604800};

// Strips spaces, tabs, CR and LF at both ends.
[[nodiscard]] std::string_view trim(std::string_view s);

// Every value of the header `name` (case-insensitive), in arrival order.
[[nodiscard]] std::vector<std::string_view> header_values(const request_view& request,
                                                          std::string_view name);
[[nodiscard]] std::optional<std::string_view> first_header(const request_view& request,
                                                           std::string_view name);

// One `key=value` pair of a query string, percent-decoded. `+` stays a plus:
// SDKs encode spaces as %20, and AWS canonicalises `+` as %2B.
struct query_param {
  std::string key;
  std::string value;
};
[[nodiscard]] std::vector<query_param> parse_query(std::string_view query);
// The first value of `key` (exact, case-sensitive as AWS treats parameters).
[[nodiscard]] const std::string* find_param(const std::vector<query_param>& params,
                                            std::string_view key);

using stratus::uri_encode;
// Invalid escapes (`%zz`, a trailing `%`) are kept literally, so decoding
// never fails.
[[nodiscard]] std::string percent_decode(std::string_view text);

// yyyymmddThhmmssZ, the only form AWS accepts in X-Amz-Date.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_amz_date(std::string_view text);
// The Date header SDKs send when they sign with it: RFC 1123
// ("Sun, 30 Aug 2015 12:36:00 GMT"), or with a numeric zone as Python's
// email.utils.formatdate writes it ("... -0000").
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text);
[[nodiscard]] std::string format_amz_date(std::chrono::sys_seconds time);

// Compares without an early exit, so timing does not reveal how many leading
// characters of a guessed signature were right.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace stratus::auth::detail
