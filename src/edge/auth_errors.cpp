#include "edge/auth_errors.hpp"

namespace stratus::edge {

api_error to_api_error(const auth::auth_error& e, const protocol::service_model& model) {
  using auth::auth_errc;
  const bool query = model.protocol == "query";
  const unsigned denied = model.protocol == "json" ? 400 : 403;
  switch (e.code) {
    case auth_errc::missing_authentication_token:
      return {query ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException",
              e.message, denied};
    case auth_errc::incomplete_signature:
      return {query ? "IncompleteSignature" : "IncompleteSignatureException", e.message,
              model.protocol == "rest-json" ? 403u : 400u};
    case auth_errc::invalid_signature:
    case auth_errc::signature_expired:
      return {query ? "SignatureDoesNotMatch" : "InvalidSignatureException", e.message, denied};
    case auth_errc::unrecognized_client:
      return {query ? "InvalidClientTokenId" : "UnrecognizedClientException", e.message, denied};
  }
  return api_error::internal("unknown authentication failure");
}

}  // namespace stratus::edge
