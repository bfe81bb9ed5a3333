#include "logs/keys.hpp"

namespace stratus::logs::keys {

namespace {
constexpr std::string_view stream_prefix = "c/logs/stream/";
constexpr std::string_view event_prefix = "e/logs/";
// prefix + group id + stream id + timestamp + sequence
constexpr std::size_t event_key_size = event_prefix.size() + std::size_t{4} * 8;

// Timestamps are never negative on the wire (the model's minimum is 0);
// appends from other services clamp to 0 before they get here.
std::uint64_t ordered(std::int64_t timestamp) {
  return timestamp < 0 ? 0 : static_cast<std::uint64_t>(timestamp);
}
}  // namespace

void append_be64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::uint64_t read_be64(std::string_view bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && i < bytes.size(); ++i)
    v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

std::string group_list(std::string_view account, std::string_view region) {
  std::string k(all_groups);
  k.append(account).append("/").append(region).append("/");
  return k;
}

std::string group(std::string_view account, std::string_view region, std::string_view name) {
  return group_list(account, region).append(name);
}

std::string stream_list(std::uint64_t group_id) {
  std::string k(stream_prefix);
  append_be64(k, group_id);
  return k;
}

std::string stream(std::uint64_t group_id, std::string_view name) {
  return stream_list(group_id).append(name);
}

std::string group_events(std::uint64_t group_id) {
  std::string k(event_prefix);
  append_be64(k, group_id);
  return k;
}

std::string stream_events(std::uint64_t group_id, std::uint64_t stream_id) {
  std::string k = group_events(group_id);
  append_be64(k, stream_id);
  return k;
}

std::string events_from(std::uint64_t group_id, std::uint64_t stream_id, std::int64_t timestamp) {
  std::string k = stream_events(group_id, stream_id);
  append_be64(k, ordered(timestamp));
  return k;
}

std::string event(std::uint64_t group_id, std::uint64_t stream_id, std::int64_t timestamp,
                  std::uint64_t sequence) {
  std::string k = events_from(group_id, stream_id, timestamp);
  append_be64(k, sequence);
  return k;
}

std::optional<event_position> parse_event(std::string_view key) {
  if (key.size() != event_key_size || !key.starts_with(event_prefix)) return std::nullopt;
  key.remove_prefix(event_prefix.size() + 16);
  return event_position{static_cast<std::int64_t>(read_be64(key.substr(0, 8))),
                        read_be64(key.substr(8, 8))};
}

std::string event_value(std::int64_t ingestion_time, std::string_view message) {
  std::string v;
  v.reserve(8 + message.size());
  append_be64(v, ordered(ingestion_time));
  v.append(message);
  return v;
}

std::optional<stored_event> parse_event_value(std::string_view value) {
  if (value.size() < 8) return std::nullopt;
  return stored_event{static_cast<std::int64_t>(read_be64(value.substr(0, 8))), value.substr(8)};
}

}  // namespace stratus::logs::keys
