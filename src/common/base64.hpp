#pragma once
// Standard base64 (RFC 4648, with padding), as AWS's JSON protocols carry
// blobs. Decoding is strict: AWS rejects unpadded or non-alphabet input.
#include <optional>
#include <string>
#include <string_view>

namespace stratus {

[[nodiscard]] std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not valid padded base64.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace stratus
