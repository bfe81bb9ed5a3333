// Deriving the signing key, signing, and checking a parsed signature.

#include <algorithm>

#include "auth/detail.hpp"
#include "auth/errors.hpp"
#include "auth/sigv4.hpp"
#include "common/ascii.hpp"

namespace stratus::auth {

std::string signing_key(std::string_view secret_key, const credential_scope& scope) {
  std::string key = "AWS4";
  key += secret_key;
  key = hmac_sha256(key, scope.date);
  key = hmac_sha256(key, scope.region);
  key = hmac_sha256(key, scope.service);
  return hmac_sha256(key, detail::scope_terminator);
}

std::string compute_signature(const request_view& request, const signature_info& sig,
                              std::string_view secret_key) {
  const auto canonical = canonical_request(request, sig, sig.scope.service);
  return hex(hmac_sha256(signing_key(secret_key, sig.scope), string_to_sign(sig, canonical)));
}

result<void> check_clock(const signature_info& sig, std::chrono::system_clock::time_point now) {
  const auto signed_at = detail::parse_amz_date(sig.amz_date);
  if (!signed_at) return detail::bad_date(sig.amz_date);
  const auto now_s = std::chrono::floor<std::chrono::seconds>(now);

  // Expiry comes before the signature, as at AWS: a stale request is
  // reported as stale even when it was also signed wrongly.
  if (*signed_at > now_s + detail::clock_skew) {
    return detail::signature_not_yet_current(*signed_at, now_s);
  }
  // A presigned URL without X-Amz-Expires (optional outside S3) gets the
  // same window as a header-signed request.
  if (sig.presigned && sig.expires) {
    if (*sig.expires > detail::max_presign_expiry) return detail::expires_too_long();
    if (now_s > *signed_at + *sig.expires) return detail::presigned_url_expired();
  } else if (*signed_at < now_s - detail::clock_skew) {
    return detail::signature_expired(*signed_at, now_s);
  }
  return {};
}

result<void> verify(const request_view& request, const signature_info& sig,
                    std::string_view secret_key, std::chrono::system_clock::time_point now) {
  if (auto clock = check_clock(sig, now); !clock) return clock;

  std::optional<std::string_view> wrong_terminator;
  std::optional<std::string_view> wrong_date;
  if (sig.scope_terminator != detail::scope_terminator) wrong_terminator = sig.scope_terminator;
  if (sig.scope.date != std::string_view(sig.amz_date).substr(0, 8)) wrong_date = sig.scope.date;
  if (wrong_terminator || wrong_date)
    return detail::wrong_scope(wrong_terminator, wrong_date, sig.amz_date);

  if (!detail::constant_time_equal(compute_signature(request, sig, secret_key), sig.signature)) {
    return detail::signature_mismatch();
  }
  return {};
}

std::string sign_authorization_header(const request_view& request, std::string_view access_key,
                                      std::string_view secret_key, const credential_scope& scope,
                                      std::string_view amz_date) {
  // The headers botocore leaves unsigned because proxies rewrite them.
  static constexpr std::string_view unsigned_headers[] = {"authorization", "user-agent", "expect",
                                                          "x-amzn-trace-id"};
  signature_info sig;
  sig.access_key = std::string(access_key);
  sig.scope = scope;
  sig.amz_date = std::string(amz_date);
  for (const auto& [name, value] : request.headers) {
    auto lower = ascii::to_lower(name);
    if (std::find(std::begin(unsigned_headers), std::end(unsigned_headers), lower) ==
        std::end(unsigned_headers)) {
      sig.signed_headers.push_back(std::move(lower));
    }
  }
  std::sort(sig.signed_headers.begin(), sig.signed_headers.end());
  sig.signed_headers.erase(std::unique(sig.signed_headers.begin(), sig.signed_headers.end()),
                           sig.signed_headers.end());

  std::string out = "AWS4-HMAC-SHA256 Credential=";
  out += access_key;
  out += '/';
  out += scope.date;
  out += '/';
  out += scope.region;
  out += '/';
  out += scope.service;
  out += "/aws4_request, SignedHeaders=";
  for (std::size_t i = 0; i < sig.signed_headers.size(); ++i) {
    if (i > 0) out += ';';
    out += sig.signed_headers[i];
  }
  out += ", Signature=";
  out += compute_signature(request, sig, secret_key);
  return out;
}

}  // namespace stratus::auth
