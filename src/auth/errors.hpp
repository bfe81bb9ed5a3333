#pragma once
// The errors SigV4 checking produces, with the text AWS sends for each. Every
// message and where it was recorded is listed in errors.cpp.
// Thread-safety: pure functions.

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "auth/sigv4.hpp"

namespace stratus::auth::detail {

[[nodiscard]] auth_error missing_authentication_token();
[[nodiscard]] auth_error header_and_query_signature();
// `pair` is the component without '=' as it appeared in the header.
[[nodiscard]] auth_error component_without_equal_sign(std::string_view pair,
                                                      std::string_view authorization);
// `missing` lists the absent parts in AWS's order: any of "Credential",
// "Signature", "SignedHeaders", and "date" for a missing date header.
[[nodiscard]] auth_error header_components_missing(const std::vector<std::string_view>& missing,
                                                   std::string_view authorization);
[[nodiscard]] auth_error query_parameters_missing(const std::vector<std::string_view>& missing);
[[nodiscard]] auth_error bad_date(std::string_view value);
[[nodiscard]] auth_error host_not_signed();
[[nodiscard]] auth_error unsupported_algorithm(std::string_view algorithm);
[[nodiscard]] auth_error malformed_credential(std::string_view credential);
// An absent `terminator` / `scope_date` means that part of the scope was right.
[[nodiscard]] auth_error wrong_scope(std::optional<std::string_view> terminator,
                                     std::optional<std::string_view> scope_date,
                                     std::string_view amz_date);
[[nodiscard]] auth_error expires_not_a_number();
[[nodiscard]] auth_error expires_negative();
[[nodiscard]] auth_error expires_too_long();
[[nodiscard]] auth_error signature_expired(std::chrono::sys_seconds signed_at,
                                           std::chrono::sys_seconds now);
[[nodiscard]] auth_error signature_not_yet_current(std::chrono::sys_seconds signed_at,
                                                   std::chrono::sys_seconds now);
[[nodiscard]] auth_error presigned_url_expired();
[[nodiscard]] auth_error signature_mismatch();

}  // namespace stratus::auth::detail
