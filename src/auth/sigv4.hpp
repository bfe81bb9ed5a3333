#pragma once
// AWS Signature Version 4: parsing the Authorization header and presigned
// query strings, and computing/verifying signatures with OpenSSL.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
//
// Knows nothing about HTTP libraries or services: callers describe the
// request as plain strings. Thread-safety: free functions, no shared state.

#include <boost/system/result.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::auth {

// What went wrong, in AWS's vocabulary. The edge turns these into each
// protocol's error body; the message is the one AWS sends.
enum class auth_errc {
  missing_authentication_token,  // no Authorization header and no X-Amz-Signature query
  incomplete_signature,          // header present but a component is missing/malformed
  invalid_signature,             // signature does not match
  unrecognized_client,           // unknown access key (strict mode)
  signature_expired,             // X-Amz-Date too far from now / presigned URL expired
};

struct auth_error {
  auth_errc code;
  std::string message;
};

[[noreturn]] void throw_exception_from_error(const auth_error& e,
                                             const boost::source_location& loc);

template <class T>
using result = boost::system::result<T, auth_error>;

// The request as it came off the wire.
struct request_view {
  std::string_view method;
  std::string_view path;   // raw path, still percent-encoded, without '?'
  std::string_view query;  // raw query string without '?', may be empty
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // any case
  std::string_view body;
};

struct credential_scope {
  std::string date;     // yyyymmdd
  std::string region;   // us-east-1
  std::string service;  // dynamodb, sts, ...
};

struct signature_info {
  std::string access_key;
  credential_scope scope;
  std::string scope_terminator = "aws4_request";  // checked by verify()
  std::vector<std::string> signed_headers;        // lower-case, as listed
  std::string signature;                          // lower-case hex
  std::string amz_date;                           // yyyymmddThhmmssZ
  std::optional<std::string> security_token;
  bool presigned = false;
  std::optional<std::chrono::seconds> expires;  // presigned only
};

// Finds and parses the signature of a request: the Authorization header, or
// else the X-Amz-* query parameters of a presigned URL.
[[nodiscard]] result<signature_info> parse_signature(const request_view& request);

// The pieces of the algorithm, exposed for tests against AWS's vectors.
// `service` decides the path rules: "s3" signs the path exactly as sent;
// every other service removes dot segments and empty segments and
// URI-encodes the (already encoded) path once more, as botocore and the JS
// SDK do. The payload hash is the SHA-256 of the body for every service but
// S3, whatever X-Amz-Content-Sha256 declares (as AWS computes it); for S3 it
// is the declared value, else UNSIGNED-PAYLOAD for presigned URLs.
[[nodiscard]] std::string canonical_request(const request_view& request, const signature_info& sig,
                                            std::string_view service);
[[nodiscard]] std::string string_to_sign(const signature_info& sig, std::string_view canonical);
[[nodiscard]] std::string signing_key(std::string_view secret_key, const credential_scope& scope);
[[nodiscard]] std::string compute_signature(const request_view& request, const signature_info& sig,
                                            std::string_view secret_key);

// The clock part of verify(): the request's date against `now` (15 minutes
// either way) or a presigned URL's expiry. AWS checks it before looking the
// access key up, so a stale request is reported stale whatever its key.
[[nodiscard]] result<void> check_clock(const signature_info& sig,
                                       std::chrono::system_clock::time_point now);

// Checks the signature against `secret_key` (and, for presigned URLs, the
// expiry against `now`). Success means the request was signed by the holder
// of the secret.
[[nodiscard]] result<void> verify(const request_view& request, const signature_info& sig,
                                  std::string_view secret_key,
                                  std::chrono::system_clock::time_point now);

// The error a caller returns when the access key (or session token) of a
// correctly parsed signature is unknown: verify() cannot know which keys
// exist, so the message lives here with the others.
[[nodiscard]] auth_error unrecognized_client_error();

// Signs `request` as an SDK would and returns the Authorization header value.
// Every header the request carries is signed except those SDKs leave out
// (authorization, user-agent, expect, x-amzn-trace-id); the request must
// already carry Host and X-Amz-Date (and X-Amz-Security-Token if any), and
// X-Amz-Content-Sha256 if an S3 payload hash should not be the body's SHA-256.
// For the load generator and tests; `scope.date` must match `amz_date`.
[[nodiscard]] std::string sign_authorization_header(const request_view& request,
                                                    std::string_view access_key,
                                                    std::string_view secret_key,
                                                    const credential_scope& scope,
                                                    std::string_view amz_date);

// Helpers shared with the load generator and tests.
[[nodiscard]] std::string sha256_hex(std::string_view data);
[[nodiscard]] std::string hmac_sha256(std::string_view key, std::string_view data);
[[nodiscard]] std::string hex(std::string_view bytes);

}  // namespace stratus::auth
