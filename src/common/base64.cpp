#include "common/base64.hpp"

#include <array>

namespace stratus {
namespace {
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<signed char, 256> make_table() {
  std::array<signed char, 256> t{};
  for (auto& x : t) x = -1;
  for (int i = 0; i < 64; ++i)
    t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
  return t;
}
constexpr auto table = make_table();
}  // namespace

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::size_t base64_decoded_size(std::string_view text) {
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  return text.size() / 4 * 3 - padding;
}

std::optional<std::string> base64_decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    int a = table[static_cast<unsigned char>(in[i])];
    int b = table[static_cast<unsigned char>(in[i + 1])];
    bool last = i + 4 == in.size();
    bool pad2 = last && in[i + 2] == '=' && in[i + 3] == '=';
    bool pad1 = last && !pad2 && in[i + 3] == '=';
    int c = pad2 ? 0 : table[static_cast<unsigned char>(in[i + 2])];
    int d = (pad1 || pad2) ? 0 : table[static_cast<unsigned char>(in[i + 3])];
    if (a < 0 || b < 0 || c < 0 || d < 0) return std::nullopt;
    unsigned v = (a << 18) | (b << 12) | (c << 6) | d;
    out += static_cast<char>((v >> 16) & 0xff);
    // Non-zero bits in the padding are not canonical base64: AWS rejects them.
    if (pad2) {
      if (b & 0xf) return std::nullopt;
      break;
    }
    out += static_cast<char>((v >> 8) & 0xff);
    if (pad1) {
      if (c & 0x3) return std::nullopt;
      break;
    }
    out += static_cast<char>(v & 0xff);
  }
  return out;
}

}  // namespace stratus
