#pragma once
// Standard base64 (RFC 4648, with padding), as AWS's JSON protocols carry
// blobs. Decoding is strict: AWS rejects unpadded or non-alphabet input.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace stratus {

[[nodiscard]] std::string base64_encode(std::string_view bytes);
// The number of bytes `text` decodes to, assuming it is valid base64.
[[nodiscard]] std::size_t base64_decoded_size(std::string_view text);
// nullopt when `text` is not valid padded base64.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace stratus
