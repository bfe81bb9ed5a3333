#pragma once
// Where CloudWatch Logs keeps its data in the shared store (the layout is
// documented in docs/architecture/storage.md):
//
//   c/logs/group/<account>/<region>/<name>      group document (JSON)
//   c/logs/stream/<group id BE64><name>         stream document (JSON)
//   c/logs/next-id                              id counter for groups and streams
//   e/logs/<group id><stream id><timestamp><sequence>   (all BE64) event:
//                                               ingestion time BE64 + message
//
// Groups and streams get ids that are never reused, so deleting a group is
// two range deletions and a re-created group starts empty. Events of a
// stream are ordered by (timestamp, sequence): GetLogEvents and the
// retention sweeper are range scans.
//
// Thread-safety: pure functions.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::logs::keys {

inline constexpr std::string_view all_groups = "c/logs/group/";
inline constexpr std::string_view id_counter = "c/logs/next-id";

[[nodiscard]] std::string group_list(std::string_view account, std::string_view region);
[[nodiscard]] std::string group(std::string_view account, std::string_view region,
                                std::string_view name);
[[nodiscard]] std::string stream_list(std::uint64_t group_id);
[[nodiscard]] std::string stream(std::uint64_t group_id, std::string_view name);
[[nodiscard]] std::string group_events(std::uint64_t group_id);
[[nodiscard]] std::string stream_events(std::uint64_t group_id, std::uint64_t stream_id);
// The first key of the stream's events at or after `timestamp`.
[[nodiscard]] std::string events_from(std::uint64_t group_id, std::uint64_t stream_id,
                                      std::int64_t timestamp);
[[nodiscard]] std::string event(std::uint64_t group_id, std::uint64_t stream_id,
                                std::int64_t timestamp, std::uint64_t sequence);

struct event_position {
  std::int64_t timestamp = 0;
  std::uint64_t sequence = 0;
};
// The (timestamp, sequence) of an event key; nullopt for any other key.
[[nodiscard]] std::optional<event_position> parse_event(std::string_view key);

// An event's stored value: ingestion time then the message bytes.
[[nodiscard]] std::string event_value(std::int64_t ingestion_time, std::string_view message);
struct stored_event {
  std::int64_t ingestion_time = 0;
  std::string_view message;
};
[[nodiscard]] std::optional<stored_event> parse_event_value(std::string_view value);

void append_be64(std::string& out, std::uint64_t v);
[[nodiscard]] std::uint64_t read_be64(std::string_view bytes);

}  // namespace stratus::logs::keys
