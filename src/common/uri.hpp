#pragma once
// Percent-encoding of URI parts.
//
// Thread-safety: pure function.
#include <string>
#include <string_view>

namespace stratus {

// RFC 3986 encoding as SigV4 defines it (and HTTP integrations send paths
// and query strings): unreserved characters stay, every other byte becomes
// %XX in upper-case hex; '/' stays when `keep_slash`.
[[nodiscard]] std::string uri_encode(std::string_view bytes, bool keep_slash);

}  // namespace stratus
