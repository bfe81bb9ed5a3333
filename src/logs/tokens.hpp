#pragma once
// The identifiers CloudWatch Logs hands out for positions in the event
// order: eventId (FilterLogEvents), nextForwardToken/nextBackwardToken
// (GetLogEvents, "f/<56 digits>/s" and "b/<56 digits>/s" as on AWS) and the
// opaque nextToken of FilterLogEvents and the Describe operations.
//
// A position is (timestamp, stream id, sequence): the total order in which
// FilterLogEvents interleaves the streams of a group, and within a stream
// the order GetLogEvents walks.
//
// Thread-safety: pure functions.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::logs {

struct position {
  std::int64_t timestamp = 0;
  std::uint64_t stream = 0;
  std::uint64_t sequence = 0;
  auto operator<=>(const position&) const = default;
};

// 56 decimal digits: timestamp (16), stream id (20), sequence (20).
[[nodiscard]] std::string event_id(const position& p);

enum class direction { forward, backward };
struct get_events_token {
  direction dir = direction::forward;
  position at;
};
[[nodiscard]] std::string encode_get_events_token(const get_events_token& token);
[[nodiscard]] std::optional<get_events_token> decode_get_events_token(std::string_view text);

[[nodiscard]] std::string encode_filter_token(const position& last);
[[nodiscard]] std::optional<position> decode_filter_token(std::string_view text);

// Describe* pagination: the sort key of the last item returned, opaque.
[[nodiscard]] std::string encode_page_token(std::string_view last);
[[nodiscard]] std::optional<std::string> decode_page_token(std::string_view text);

}  // namespace stratus::logs
