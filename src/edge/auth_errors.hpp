#pragma once
// SigV4 failures in each protocol's vocabulary: the json services answer 400
// with *Exception codes, rest-json services 403, query services their own
// codes (SignatureDoesNotMatch, InvalidClientTokenId).
#include "auth/sigv4.hpp"
#include "common/api_error.hpp"
#include "protocol/model.hpp"

namespace stratus::edge {

[[nodiscard]] api_error to_api_error(const auth::auth_error& e,
                                     const protocol::service_model& model);

}  // namespace stratus::edge
