// The canonical request and string to sign, built as botocore and the JS SDK
// build them, since those are the signatures Stratus has to reproduce.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html

#include <algorithm>
#include <utility>

#include "auth/detail.hpp"
#include "auth/sigv4.hpp"

namespace stratus::auth {
namespace {

using detail::query_param;

// S3 signs its paths as sent; every other service normalises and encodes
// them once more (botocore's S3SigV4Auth vs SigV4Auth, the JS SDK's
// uriEscapePath option).
bool is_s3(std::string_view service) {
  return service == "s3";
}

// botocore's remove_dot_segments: "." and empty segments vanish (AWS wants
// "//" collapsed), ".." drops the previous segment, and the leading and
// trailing slashes survive. Works on the raw path, so an encoded "%2E%2E" is
// an ordinary segment, as it is for the SDKs.
std::string normalize_path(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  std::string_view rest = path;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    out += segments[i];
  }
  if (path.back() == '/' && !segments.empty()) out += '/';
  return out;
}

// The raw path is already percent-encoded once by the client; encoding it
// again ('%' becomes "%25") is the "double encoding" AWS asks of non-S3
// services, e.g. a Lambda ARN's "%3A" is signed as "%253A".
std::string canonical_uri(std::string_view path, std::string_view service) {
  if (is_s3(service)) return path.empty() ? "/" : std::string(path);
  return detail::uri_encode(normalize_path(path), /*keep_slash=*/true);
}

// Decoding first and re-encoding makes "%E1%88%B4" and the raw UTF-8 bytes
// sign alike, as the AWS test suite (get-vanilla-query-order-encoded,
// get-vanilla-utf8-query) requires. Sorted by encoded key, then value.
std::string canonical_query(const std::vector<query_param>& params, bool presigned) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& param : params) {
    // The signature cannot sign itself; every other parameter is signed.
    if (presigned && param.key == "X-Amz-Signature") continue;
    encoded.emplace_back(detail::uri_encode(param.key, false),
                         detail::uri_encode(param.value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

// Trimall: no blanks at either end, and each inner run of whitespace becomes
// one space (botocore's ' '.join(value.split())).
void append_trimmed(std::string& out, std::string_view value) {
  constexpr std::string_view blanks = " \t\r\n\v\f";
  bool pending_space = false;
  bool started = false;
  for (const char c : value) {
    if (blanks.find(c) != std::string_view::npos) {
      pending_space = started;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    started = true;
    out += c;
  }
}

// Every signed header as "name:value\n"; repeated headers are joined with
// commas in arrival order (AWS test suite get-header-key-duplicate). A signed
// header the request lacks signs as empty and so fails to match.
std::string canonical_headers(const request_view& request, const signature_info& sig) {
  std::string out;
  for (const auto& name : sig.signed_headers) {
    out += name;
    out += ':';
    bool first = true;
    for (const auto value : detail::header_values(request, name)) {
      if (!first) out += ',';
      first = false;
      append_trimmed(out, value);
    }
    out += '\n';
  }
  return out;
}

std::string payload_hash(const request_view& request, const signature_info& sig,
                         const std::vector<query_param>& params, std::string_view service) {
  // Outside S3, AWS hashes the body it received and never reads
  // X-Amz-Content-Sha256 back: a declared hash that is not the body's (a
  // replayed signature over another body), UNSIGNED-PAYLOAD and the
  // STREAMING-* markers all end in SignatureDoesNotMatch there. Taking the
  // header's word would let one observed request carry any body.
  if (!is_s3(service)) return sha256_hex(request.body);
  // S3 signs what the client declared; it compares a declared hex hash with
  // the body itself (XAmzContentSHA256Mismatch), which Stratus, having no
  // S3, never needs to.
  if (const auto declared = detail::first_header(request, "x-amz-content-sha256")) {
    return std::string(detail::trim(*declared));
  }
  if (sig.presigned) {
    if (const auto* declared = detail::find_param(params, "X-Amz-Content-Sha256")) {
      return *declared;
    }
    // S3 presigned URLs never sign the body.
    return std::string(detail::unsigned_payload);
  }
  return sha256_hex(request.body);
}

}  // namespace

std::string canonical_request(const request_view& request, const signature_info& sig,
                              std::string_view service) {
  const auto params = detail::parse_query(request.query);
  std::string out;
  out += request.method;
  out += '\n';
  out += canonical_uri(request.path, service);
  out += '\n';
  out += canonical_query(params, sig.presigned);
  out += '\n';
  out += canonical_headers(request, sig);
  out += '\n';
  for (std::size_t i = 0; i < sig.signed_headers.size(); ++i) {
    if (i > 0) out += ';';
    out += sig.signed_headers[i];
  }
  out += '\n';
  out += payload_hash(request, sig, params, service);
  return out;
}

std::string string_to_sign(const signature_info& sig, std::string_view canonical) {
  std::string out;
  out += detail::algorithm;
  out += '\n';
  out += sig.amz_date;
  out += '\n';
  out += sig.scope.date;
  out += '/';
  out += sig.scope.region;
  out += '/';
  out += sig.scope.service;
  out += '/';
  out += detail::scope_terminator;
  out += '\n';
  out += sha256_hex(canonical);
  return out;
}

}  // namespace stratus::auth
