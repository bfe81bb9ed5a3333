// The messages AWS sends when a signature cannot be accepted, by code.
//
// Sources: [dynalite] is mhart/dynalite's request validation, whose comments
// record real DynamoDB responses verbatim; [scratchstack] is
// dacut/scratchstack-aws-signature, a Rust verifier whose tests pin AWS's
// strings; [S3] is S3's error reference as quoted by S3-compatible servers;
// [issue ...] is a GitHub issue quoting an AWS response.
//
// missing_authentication_token
//   "Request is missing Authentication Token": no Authorization header and no
//   X-Amz-Algorithm parameter, or a header that is not an AWS4 scheme.
//   [dynalite]
// incomplete_signature
//   "Authorization header requires 'Credential' parameter. Authorization
//   header requires 'Signature' parameter. Authorization header requires
//   'SignedHeaders' parameter. Authorization header requires existence of
//   either a 'X-Amz-Date' or a 'Date' header. Authorization=<header>": only
//   the missing parts, in this order. [dynalite; issue
//   aws-samples/amazon-elasticsearch-service-with-authentication#4]
//   "'<pair>' not a valid key=value pair (missing equal-sign) in
//   Authorization header: '<header>'." [dynalite]
//   "AWS query-string parameters must include '<name>'. ... Re-examine the
//   query-string parameters." for each missing X-Amz-Algorithm,
//   X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders, X-Amz-Date.
//   [dynalite]
//   "Date must be in ISO-8601 'basic format'. Got '<value>'. See
//   http://en.wikipedia.org/wiki/ISO_8601" [dynalite, scratchstack]
//   "Unsupported AWS 'algorithm': '<algorithm>' (only AWS4-HMAC-SHA256 for
//   now). " (trailing space included) [dynalite]
//   "Credential must have exactly 5 slash-delimited elements, e.g.
//   keyid/date/region/service/term, got '<credential>'" [dynalite,
//   scratchstack]
//   "X-Amz-Expires should be a number", "X-Amz-Expires must be
//   non-negative", "X-Amz-Expires must be less than a week (in seconds);
//   that is, the given X-Amz-Expires must be less than 604800 seconds" [S3
//   AuthorizationQueryParametersError]
// invalid_signature
//   "Found both 'X-Amz-Algorithm' as a query-string param and
//   'Authorization' as HTTP header." [dynalite]
//   "'Host' or ':authority' must be a 'SignedHeader' in the AWS
//   Authorization." [dynalite records the older "'Host' must be ..."; AWS
//   added ':authority' with HTTP/2]
//   "Credential should be scoped with a valid terminator: 'aws4_request', not
//   '<term>'. Date in Credential scope does not match YYYYMMDD from ISO-8601
//   version of date from HTTP: '<scope date>' != '<date>', from
//   '<X-Amz-Date>'." (the wrong parts only) [dynalite]. AWS also checks the
//   region and service here; Stratus accepts any region and routes by the
//   scope's service, so it does not.
//   "The request signature we calculated does not match the signature you
//   provided. Check your AWS Secret Access Key and signing method. Consult
//   the service documentation for details." [dynalite]
// signature_expired
//   "Signature expired: <X-Amz-Date> is now earlier than <now - 15 min>
//   (<now> - 15 min.)" [dynalite; STS quoted in Terraform troubleshooting
//   notes]
//   "Signature not yet current: <X-Amz-Date> is still later than
//   <now + 15 min> (<now> + 15 min.)" [scratchstack]
//   "Request has expired": a presigned URL past X-Amz-Date + X-Amz-Expires.
//   [S3 AccessDenied; the only AWS wording found for an expired presigned URL]
// unrecognized_client
//   "The security token included in the request is invalid." [dynalite;
//   issue badslug/Paw-AWSSignature4DynamicValue#5]
//
// The caller maps codes to each protocol's error name and status, e.g.
// DynamoDB's IncompleteSignatureException (400) or STS's
// SignatureDoesNotMatch (403).

#include "auth/errors.hpp"

#include <stdexcept>
#include <string>

#include "auth/detail.hpp"

namespace stratus::auth {

auth_error unrecognized_client_error() {
  return {auth_errc::unrecognized_client, "The security token included in the request is invalid."};
}

void throw_exception_from_error(const auth_error& e, const boost::source_location&) {
  throw std::runtime_error(e.message);
}

}  // namespace stratus::auth

namespace stratus::auth::detail {

auth_error missing_authentication_token() {
  return {auth_errc::missing_authentication_token, "Request is missing Authentication Token"};
}

auth_error header_and_query_signature() {
  return {auth_errc::invalid_signature,
          "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP "
          "header."};
}

auth_error component_without_equal_sign(std::string_view pair, std::string_view authorization) {
  std::string message = "'";
  message += pair;
  message += "' not a valid key=value pair (missing equal-sign) in Authorization header: '";
  message += authorization;
  message += "'.";
  return {auth_errc::incomplete_signature, std::move(message)};
}

auth_error header_components_missing(const std::vector<std::string_view>& missing,
                                     std::string_view authorization) {
  std::string message;
  for (std::string_view part : missing) {
    if (part == "date") {
      message +=
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
          "header. ";
    } else {
      message += "Authorization header requires '";
      message += part;
      message += "' parameter. ";
    }
  }
  message += "Authorization=";
  message += authorization;
  return {auth_errc::incomplete_signature, std::move(message)};
}

auth_error query_parameters_missing(const std::vector<std::string_view>& missing) {
  std::string message;
  for (std::string_view name : missing) {
    message += "AWS query-string parameters must include '";
    message += name;
    message += "'. ";
  }
  message += "Re-examine the query-string parameters.";
  return {auth_errc::incomplete_signature, std::move(message)};
}

auth_error bad_date(std::string_view value) {
  std::string message = "Date must be in ISO-8601 'basic format'. Got '";
  message += value;
  message += "'. See http://en.wikipedia.org/wiki/ISO_8601";
  return {auth_errc::incomplete_signature, std::move(message)};
}

auth_error host_not_signed() {
  return {auth_errc::invalid_signature,
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."};
}

auth_error unsupported_algorithm(std::string_view algorithm) {
  std::string message = "Unsupported AWS 'algorithm': '";
  message += algorithm;
  message += "' (only AWS4-HMAC-SHA256 for now). ";
  return {auth_errc::incomplete_signature, std::move(message)};
}

auth_error malformed_credential(std::string_view credential) {
  std::string message =
      "Credential must have exactly 5 slash-delimited elements, e.g. "
      "keyid/date/region/service/term, got '";
  message += credential;
  message += "'";
  return {auth_errc::incomplete_signature, std::move(message)};
}

auth_error wrong_scope(std::optional<std::string_view> terminator,
                       std::optional<std::string_view> scope_date, std::string_view amz_date) {
  std::string message;
  if (terminator) {
    message += "Credential should be scoped with a valid terminator: 'aws4_request', not '";
    message += *terminator;
    message += "'.";
  }
  if (scope_date) {
    if (!message.empty()) message += ' ';
    message +=
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '";
    message += *scope_date;
    message += "' != '";
    message += amz_date.substr(0, 8);
    message += "', from '";
    message += amz_date;
    message += "'.";
  }
  return {auth_errc::invalid_signature, std::move(message)};
}

auth_error expires_not_a_number() {
  return {auth_errc::incomplete_signature, "X-Amz-Expires should be a number"};
}

auth_error expires_negative() {
  return {auth_errc::incomplete_signature, "X-Amz-Expires must be non-negative"};
}

auth_error expires_too_long() {
  return {auth_errc::incomplete_signature,
          "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires "
          "must be less than 604800 seconds"};
}

auth_error signature_expired(std::chrono::sys_seconds signed_at, std::chrono::sys_seconds now) {
  std::string message = "Signature expired: ";
  message += format_amz_date(signed_at);
  message += " is now earlier than ";
  message += format_amz_date(now - clock_skew);
  message += " (";
  message += format_amz_date(now);
  message += " - 15 min.)";
  return {auth_errc::signature_expired, std::move(message)};
}

auth_error signature_not_yet_current(std::chrono::sys_seconds signed_at,
                                     std::chrono::sys_seconds now) {
  std::string message = "Signature not yet current: ";
  message += format_amz_date(signed_at);
  message += " is still later than ";
  message += format_amz_date(now + clock_skew);
  message += " (";
  message += format_amz_date(now);
  message += " + 15 min.)";
  return {auth_errc::signature_expired, std::move(message)};
}

auth_error presigned_url_expired() {
  return {auth_errc::signature_expired, "Request has expired"};
}

auth_error signature_mismatch() {
  return {auth_errc::invalid_signature,
          "The request signature we calculated does not match the signature you provided. Check "
          "your AWS Secret Access Key and signing method. Consult the service documentation for "
          "details."};
}

}  // namespace stratus::auth::detail
