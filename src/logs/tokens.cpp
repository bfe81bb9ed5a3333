#include "logs/tokens.hpp"

#include <fmt/format.h>

#include <charconv>

#include "common/base64.hpp"

namespace stratus::logs {

namespace {

constexpr std::size_t id_digits = 56;
constexpr std::string_view filter_tag = "logs-filter/1/";
constexpr std::string_view page_tag = "logs-page/1/";

template <class T>
bool parse_number(std::string_view digits, T& out) {
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return ec == std::errc{} && end == digits.data() + digits.size();
}

std::optional<position> parse_event_id(std::string_view digits) {
  if (digits.size() != id_digits) return std::nullopt;
  position p;
  if (!parse_number(digits.substr(0, 16), p.timestamp) ||
      !parse_number(digits.substr(16, 20), p.stream) ||
      !parse_number(digits.substr(36, 20), p.sequence))
    return std::nullopt;
  return p;
}

}  // namespace

std::string event_id(const position& p) {
  return fmt::format("{:016}{:020}{:020}", p.timestamp < 0 ? 0 : p.timestamp, p.stream, p.sequence);
}

std::string encode_get_events_token(const get_events_token& token) {
  return (token.dir == direction::forward ? "f/" : "b/") + event_id(token.at) + "/s";
}

std::optional<get_events_token> decode_get_events_token(std::string_view text) {
  if (text.size() != id_digits + 4 || text[1] != '/' || !text.ends_with("/s")) return std::nullopt;
  if (text[0] != 'f' && text[0] != 'b') return std::nullopt;
  auto at = parse_event_id(text.substr(2, id_digits));
  if (!at) return std::nullopt;
  return get_events_token{text[0] == 'f' ? direction::forward : direction::backward, *at};
}

std::string encode_filter_token(const position& last) {
  return base64_encode(std::string(filter_tag) + event_id(last));
}

std::optional<position> decode_filter_token(std::string_view text) {
  auto raw = base64_decode(text);
  if (!raw || !raw->starts_with(filter_tag)) return std::nullopt;
  return parse_event_id(std::string_view(*raw).substr(filter_tag.size()));
}

std::string encode_page_token(std::string_view last) {
  return base64_encode(std::string(page_tag).append(last));
}

std::optional<std::string> decode_page_token(std::string_view text) {
  auto raw = base64_decode(text);
  if (!raw || !raw->starts_with(page_tag)) return std::nullopt;
  return raw->substr(page_tag.size());
}

}  // namespace stratus::logs
