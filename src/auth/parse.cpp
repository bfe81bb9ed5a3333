// Finding and parsing a request's signature: the Authorization header or a
// presigned URL's X-Amz-* parameters. Checks run in the order DynamoDB runs
// them (recorded by mhart/dynalite), so a request with several faults gets
// the error AWS would give: missing parts, date format, Host signed,
// algorithm, credential shape, credential scope. Expiry and the signature
// itself are verify()'s.

#include <algorithm>
#include <array>

#include "auth/detail.hpp"
#include "auth/errors.hpp"
#include "auth/sigv4.hpp"
#include "common/ascii.hpp"

namespace stratus::auth {
namespace {

using detail::query_param;

// What both forms carry, before it is checked.
struct raw_signature {
  std::string_view algorithm;
  std::string_view credential;
  std::string_view signed_headers;
  std::string_view signature;
};

std::vector<std::string> split_signed_headers(std::string_view text) {
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), ';')) + 1);
  while (!text.empty()) {
    const auto semicolon = text.find(';');
    const auto name = detail::trim(text.substr(0, semicolon));
    if (!name.empty()) names.push_back(ascii::to_lower(name));
    if (semicolon == std::string_view::npos) break;
    text = text.substr(semicolon + 1);
  }
  return names;
}

// The checks both forms share, once every part is known to be present and
// the date well formed.
result<signature_info> complete(const raw_signature& raw, std::string amz_date,
                                signature_info info) {
  info.signed_headers = split_signed_headers(raw.signed_headers);
  const bool host_signed =
      std::any_of(info.signed_headers.begin(), info.signed_headers.end(),
                  [](const std::string& name) { return name == "host" || name == ":authority"; });
  if (!host_signed) return detail::host_not_signed();
  if (raw.algorithm != detail::algorithm) return detail::unsupported_algorithm(raw.algorithm);

  // AWS ignores trailing slashes on the credential (dynalite's notes).
  std::string_view credential = raw.credential;
  while (!credential.empty() && credential.back() == '/') credential.remove_suffix(1);
  std::array<std::string_view, 5> parts;
  std::size_t count = 0;
  while (true) {
    const auto slash = credential.find('/');
    if (count == parts.size()) return detail::malformed_credential(raw.credential);
    parts[count++] = credential.substr(0, slash);
    if (slash == std::string_view::npos) break;
    credential = credential.substr(slash + 1);
  }
  if (count != parts.size()) return detail::malformed_credential(raw.credential);

  // The scope's terminator and date are checked by verify(), after the
  // clock: AWS reports a stale request as stale whatever its scope says.
  info.scope_terminator = std::string(parts[4]);
  info.access_key = std::string(parts[0]);
  info.scope = {std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
  info.signature = ascii::to_lower(raw.signature);
  info.amz_date = std::move(amz_date);
  return info;
}

result<signature_info> parse_authorization(const request_view& request,
                                           std::string_view authorization) {
  // Anything that is not some AWS4 scheme (Basic, Bearer, SigV2's "AWS ")
  // counts as no AWS authentication at all, as DynamoDB answers.
  if (!authorization.starts_with("AWS4-")) return detail::missing_authentication_token();

  // Scanned a character at a time: string_view::find_first_of calls memchr
  // for every character of the header.
  const auto is_separator = [](char c) { return c == ' ' || c == '\t' || c == ','; };
  const auto find_separator = [&](std::string_view text, bool separator) {
    std::size_t i = 0;
    while (i < text.size() && is_separator(text[i]) != separator) ++i;
    return i == text.size() ? std::string_view::npos : i;
  };
  const auto algorithm_end = find_separator(authorization, true);
  raw_signature raw;
  raw.algorithm = authorization.substr(0, algorithm_end);

  // Components are separated by ", " (botocore, JS SDK), "," (Go and Rust
  // signers) or plain spaces; no component value contains either.
  bool have_credential = false, have_signed_headers = false, have_signature = false;
  std::string_view rest = algorithm_end == std::string_view::npos
                              ? std::string_view{}
                              : authorization.substr(algorithm_end);
  while (!rest.empty()) {
    const auto start = find_separator(rest, false);
    if (start == std::string_view::npos) break;
    rest = rest.substr(start);
    const auto end = find_separator(rest, true);
    const std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);

    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return detail::component_without_equal_sign(pair, authorization);
    }
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value = pair.substr(eq + 1);
    // The first occurrence wins; AWS's own grammar has each key once.
    if (key == "Credential" && !have_credential) {
      raw.credential = value;
      have_credential = true;
    } else if (key == "SignedHeaders" && !have_signed_headers) {
      raw.signed_headers = value;
      have_signed_headers = true;
    } else if (key == "Signature" && !have_signature) {
      raw.signature = value;
      have_signature = true;
    }
  }

  const auto amz_date_header = detail::first_header(request, "x-amz-date");
  const auto date_header = detail::first_header(request, "date");
  const std::string_view amz_date_value = amz_date_header ? detail::trim(*amz_date_header) : "";
  const std::string_view date_value = date_header ? detail::trim(*date_header) : "";

  std::vector<std::string_view> missing;
  if (raw.credential.empty()) missing.push_back("Credential");
  if (raw.signature.empty()) missing.push_back("Signature");
  if (raw.signed_headers.empty()) missing.push_back("SignedHeaders");
  if (amz_date_value.empty() && date_value.empty()) missing.push_back("date");
  if (!missing.empty()) return detail::header_components_missing(missing, authorization);

  // X-Amz-Date wins over Date, which SDKs only sign with when asked to.
  const auto signed_at = !amz_date_value.empty() ? detail::parse_amz_date(amz_date_value)
                                                 : detail::parse_http_date(date_value);
  if (!signed_at) return detail::bad_date(!amz_date_value.empty() ? amz_date_value : date_value);

  signature_info info;
  if (const auto token = detail::first_header(request, "x-amz-security-token")) {
    info.security_token = std::string(detail::trim(*token));
  }
  // A valid X-Amz-Date is already in the form the signature uses.
  std::string amz_date =
      !amz_date_value.empty() ? std::string(amz_date_value) : detail::format_amz_date(*signed_at);
  return complete(raw, std::move(amz_date), std::move(info));
}

// X-Amz-Expires as AWS reads it: a decimal count of seconds, at most a week.
result<std::chrono::seconds> parse_expires(std::string_view text) {
  const bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  if (text.empty()) return detail::expires_not_a_number();
  long long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return detail::expires_not_a_number();
    // Saturate: any value past a week is rejected the same way.
    if (value <= detail::max_presign_expiry.count()) value = value * 10 + (c - '0');
  }
  if (negative && value != 0) return detail::expires_negative();
  if (value > detail::max_presign_expiry.count()) return detail::expires_too_long();
  return std::chrono::seconds{value};
}

result<signature_info> parse_presigned(const std::vector<query_param>& params) {
  static constexpr std::string_view required[] = {"X-Amz-Algorithm", "X-Amz-Credential",
                                                  "X-Amz-Signature", "X-Amz-SignedHeaders",
                                                  "X-Amz-Date"};
  std::vector<std::string_view> missing;
  for (const auto name : required) {
    const auto* value = detail::find_param(params, name);
    if (value == nullptr || value->empty()) missing.push_back(name);
  }
  if (!missing.empty()) return detail::query_parameters_missing(missing);

  const std::string& amz_date = *detail::find_param(params, "X-Amz-Date");
  if (!detail::parse_amz_date(amz_date)) return detail::bad_date(amz_date);

  signature_info info;
  info.presigned = true;
  if (const auto* expires = detail::find_param(params, "X-Amz-Expires")) {
    auto parsed = parse_expires(*expires);
    if (!parsed) return parsed.error();
    info.expires = *parsed;
  }
  if (const auto* token = detail::find_param(params, "X-Amz-Security-Token")) {
    info.security_token = *token;
  }
  const raw_signature raw{*detail::find_param(params, "X-Amz-Algorithm"),
                          *detail::find_param(params, "X-Amz-Credential"),
                          *detail::find_param(params, "X-Amz-SignedHeaders"),
                          *detail::find_param(params, "X-Amz-Signature")};
  return complete(raw, amz_date, std::move(info));
}

}  // namespace

result<signature_info> parse_signature(const request_view& request) {
  const auto header = detail::first_header(request, "authorization");
  const std::string_view authorization = header ? detail::trim(*header) : "";
  const auto params = detail::parse_query(request.query);
  // AWS takes X-Amz-Algorithm as the mark of a presigned URL; X-Amz-Signature
  // alone is one with its other parts missing.
  const bool presigned = detail::find_param(params, "X-Amz-Algorithm") != nullptr ||
                         detail::find_param(params, "X-Amz-Signature") != nullptr;

  if (!authorization.empty() && presigned) return detail::header_and_query_signature();
  if (!authorization.empty()) return parse_authorization(request, authorization);
  if (presigned) return parse_presigned(params);
  return detail::missing_authentication_token();
}

}  // namespace stratus::auth
