// Events of one stream: PutLogEvents and GetLogEvents.
#include <fmt/format.h>

#include <algorithm>

#include "logs/errors.hpp"
#include "logs/keys.hpp"
#include "logs/limits.hpp"
#include "logs/ops_support.hpp"
#include "logs/service.hpp"
#include "logs/tokens.hpp"

namespace stratus::logs {
namespace json = boost::json;

namespace {

// PutLogEvents' batch rules, checked in full before anything is stored.
result<std::vector<new_event>> read_batch(const json::array& input) {
  std::vector<new_event> events;
  events.reserve(input.size());
  std::size_t batch_bytes = 0;
  for (const auto& v : input) {
    const auto& o = v.as_object();
    new_event e;
    auto timestamp = int_member(o, "timestamp");
    if (!timestamp || *timestamp < 0)
      return errors::invalid_parameter("Log event timestamp is out of range.");
    e.timestamp = *timestamp;
    e.message = string_member(o, "message");
    const std::size_t size = e.message.size() + limits::event_overhead;
    if (size > limits::max_event_bytes)
      return errors::invalid_parameter(fmt::format(
          "Log event too large: {} bytes exceeds limit of {}", size, limits::max_event_bytes));
    batch_bytes += size;
    events.push_back(std::move(e));
  }
  if (batch_bytes > limits::max_batch_bytes)
    return errors::invalid_parameter(fmt::format("Upload too large: {} bytes exceeds limit of {}",
                                                 batch_bytes, limits::max_batch_bytes));
  for (std::size_t i = 1; i < events.size(); ++i)
    if (events[i].timestamp < events[i - 1].timestamp)
      return errors::invalid_parameter(
          "Log events in a single PutLogEvents request must be in chronological order.");
  if (!events.empty() &&
      events.back().timestamp - events.front().timestamp > limits::max_batch_span)
    return errors::invalid_parameter(
        "The batch of log events in a single PutLogEvents request cannot span more than 24 "
        "hours.");
  return events;
}

result<json::object> put_log_events(catalog& logs, request_context& ctx, json::object& in) {
  auto events = read_batch(in.at("logEvents").as_array());
  if (!events) return events.error();
  const std::int64_t now = epoch_ms(ctx.now);
  // Events too far in the past or future, or beyond the group's retention,
  // are skipped and reported, not failed: a prefix (too old, expired) and a
  // suffix (too new) of the chronological batch.
  std::optional<std::size_t> too_old_end, expired_end, too_new_start;
  auto admit = [&](const group_info& g) {
    const std::size_t n = events->size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t t = (*events)[i].timestamp;
      if (t < now - limits::max_event_age) {
        too_old_end = i;
      } else if (g.retention_days && t < now - std::int64_t{*g.retention_days} * day_ms) {
        expired_end = i;
      } else if (t > now + limits::max_event_lead && !too_new_start) {
        too_new_start = i;
      }
    }
    std::size_t first = 0;
    if (too_old_end) first = std::max(first, *too_old_end + 1);
    if (expired_end) first = std::max(first, *expired_end + 1);
    return std::pair<std::size_t, std::size_t>{first, too_new_start.value_or(n)};
  };
  auto stream =
      logs.append({ctx.account_id, ctx.region, std::string(string_member(in, "logGroupName"))},
                  string_member(in, "logStreamName"), *events, now, false, admit);
  if (!stream) return stream.error();
  json::object out;
  out["nextSequenceToken"] = sequence_token(stream->upload_sequence);
  if (too_old_end || expired_end || too_new_start) {
    json::object rejected;
    if (too_new_start) rejected["tooNewLogEventStartIndex"] = *too_new_start;
    if (too_old_end) rejected["tooOldLogEventEndIndex"] = *too_old_end;
    if (expired_end) rejected["expiredLogEventEndIndex"] = *expired_end;
    out["rejectedLogEventsInfo"] = std::move(rejected);
  }
  return out;
}

json::object output_event(std::int64_t timestamp, const keys::stored_event& e) {
  json::object o;
  o["timestamp"] = timestamp;
  o["message"] = e.message;
  o["ingestionTime"] = e.ingestion_time;
  return o;
}

// GetLogEvents walks one stream by (timestamp, sequence). A forward token
// names the last event returned (the next call starts after it), a backward
// token the first (the next call ends before it). With nothing new the
// caller gets its own token back, which is how `aws logs get-log-events`
// and the SDKs' paginators know to stop.
result<json::object> get_log_events(catalog& logs, request_context& ctx, json::object& in) {
  auto ref = target_group(ctx, in);
  if (!ref) return ref.error();
  std::optional<get_events_token> token;
  if (auto text = string_member(in, "nextToken"); !text.empty()) {
    token = decode_get_events_token(text);
    if (!token) return errors::invalid_token();
  }
  const auto limit =
      static_cast<std::size_t>(int_member(in, "limit").value_or(limits::max_events_per_page));
  const auto start = int_member(in, "startTime");
  const auto end = int_member(in, "endTime");

  auto found = logs.find_stream(*ref, string_member(in, "logStreamName"));
  if (!found) return found.error();
  const std::uint64_t gid = found->first.id;
  const std::uint64_t sid = found->second.id;

  // [startTime, endTime): AWS excludes events at endTime.
  storage::key_range range{
      start ? keys::events_from(gid, sid, *start) : keys::stream_events(gid, sid),
      end ? keys::events_from(gid, sid, *end) : storage::prefix_end(keys::stream_events(gid, sid))};
  const bool forward = token ? token->dir == direction::forward : bool_member(in, "startFromHead");
  if (token) {
    const std::string at = keys::event(gid, sid, token->at.timestamp, token->at.sequence);
    if (forward) {
      range.begin = std::max(range.begin, at + std::string(1, '\0'));
    } else {
      range.end = std::min(range.end, at);
    }
  }
  range.reverse = !forward;

  struct row {
    keys::event_position at;
    json::object event;
  };
  std::vector<row> rows;
  std::size_t bytes = 0;
  if (range.end.empty() || range.begin < range.end) {
    auto it = logs.store().scan(range);
    for (; it->valid() && rows.size() < limit; it->next()) {
      auto at = keys::parse_event(it->key());
      auto e = keys::parse_event_value(it->value());
      if (!at || !e) continue;
      bytes += e->message.size() + limits::event_overhead;
      if (bytes > limits::max_response_bytes && !rows.empty()) break;
      rows.push_back({*at, output_event(at->timestamp, *e)});
    }
    if (auto st = it->status(); !st) return errors::storage(st.error().message);
  }
  if (!forward) std::reverse(rows.begin(), rows.end());

  json::array events;
  for (auto& r : rows) events.push_back(std::move(r.event));
  position first, last;
  if (rows.empty()) {
    // Nothing here: both tokens stay where the caller was (or at the start
    // of the time range), so polling again later finds new events.
    first = last = token ? token->at : position{start.value_or(0), sid, 0};
  } else {
    first = {rows.front().at.timestamp, sid, rows.front().at.sequence};
    last = {rows.back().at.timestamp, sid, rows.back().at.sequence};
  }
  json::object out;
  out["events"] = std::move(events);
  out["nextForwardToken"] = encode_get_events_token({direction::forward, last});
  out["nextBackwardToken"] = encode_get_events_token({direction::backward, first});
  return out;
}

}  // namespace

void add_event_operations(handler_table& table, catalog& logs) {
  table["PutLogEvents"] = with(logs, put_log_events);
  table["GetLogEvents"] = with(logs, get_log_events);
}

}  // namespace stratus::logs
