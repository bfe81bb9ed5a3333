#pragma once
// HTTP content codings with zlib: gzip and deflate (zlib-wrapped, as HTTP
// means it). Decoding accepts concatenated gzip members, as gzip tools
// produce, and stops at `max_output` bytes so that a small bomb cannot
// exhaust memory.
//
// Thread-safety: free functions, no shared state.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace stratus {

enum class content_coding { gzip, deflate };

// "gzip", "x-gzip" or "deflate" (any case); nullopt for anything else.
[[nodiscard]] std::optional<content_coding> parse_content_coding(std::string_view name);

enum class inflate_error { malformed, too_large };

struct inflate_result {
  std::string data;
  std::optional<inflate_error> error;
};

[[nodiscard]] inflate_result decompress(content_coding coding, std::string_view input,
                                        std::size_t max_output);
[[nodiscard]] std::string compress(content_coding coding, std::string_view input);

}  // namespace stratus
