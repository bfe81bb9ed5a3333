// FilterLogEvents: the events of a group's streams that match a filter
// pattern, interleaved by time (AWS ignores `interleaved` since 2019 and
// always interleaves).
#include <algorithm>
#include <limits>
#include <queue>

#include "logs/errors.hpp"
#include "logs/filter_pattern.hpp"
#include "logs/keys.hpp"
#include "logs/limits.hpp"
#include "logs/ops_support.hpp"
#include "logs/service.hpp"
#include "logs/tokens.hpp"

namespace stratus::logs {
namespace json = boost::json;

namespace {

// One stream's cursor in the merge.
struct cursor {
  const stream_info* stream;
  std::unique_ptr<storage::iterator> it;
  position at;
  bool load() {  // reads the position of the iterator's current event
    for (; it->valid(); it->next()) {
      if (auto p = keys::parse_event(it->key())) {
        at = {p->timestamp, stream->id, p->sequence};
        return true;
      }
    }
    return false;
  }
};

result<json::object> filter_log_events(catalog& logs, request_context& ctx, json::object& in) {
  auto ref = target_group(ctx, in);
  if (!ref) return ref.error();
  const auto* names = in.if_contains("logStreamNames");
  const std::string_view prefix = string_member(in, "logStreamNamePrefix");
  if (names && in.contains("logStreamNamePrefix"))
    return errors::invalid_parameter(
        "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
  auto pattern = filter::parse(string_member(in, "filterPattern"));
  if (!pattern) return pattern.error();
  std::optional<position> after;
  if (auto text = string_member(in, "nextToken"); !text.empty()) {
    after = decode_filter_token(text);
    if (!after) return errors::invalid_token();
  }
  const auto limit =
      static_cast<std::size_t>(int_member(in, "limit").value_or(limits::max_events_per_page));
  const std::int64_t start = int_member(in, "startTime").value_or(0);
  const auto end = int_member(in, "endTime");  // inclusive, unlike GetLogEvents

  auto group = logs.find_group(*ref);
  if (!group) return group.error();
  if (!*group) return errors::group_not_found();
  const std::uint64_t gid = (*group)->id;
  auto streams = logs.list_streams(gid, prefix);
  if (!streams) return streams.error();
  if (names) {
    // Only the named streams; names that do not exist are not searched.
    std::vector<std::string_view> wanted;
    for (const auto& n : names->as_array())
      if (n.is_string()) wanted.push_back(n.get_string());
    std::erase_if(*streams, [&](const stream_info& s) {
      return std::find(wanted.begin(), wanted.end(), s.name) == wanted.end();
    });
  }

  // A k-way merge of the streams in (timestamp, stream id, sequence) order.
  auto later = [](const cursor* a, const cursor* b) { return b->at < a->at; };
  std::vector<cursor> cursors;
  cursors.reserve(streams->size());
  const std::int64_t from = after ? std::max(start, after->timestamp) : start;
  for (const auto& s : *streams) {
    if (end && from > *end) break;
    storage::key_range range{keys::events_from(gid, s.id, from),
                             end && *end < std::numeric_limits<std::int64_t>::max()
                                 ? keys::events_from(gid, s.id, *end + 1)
                                 : storage::prefix_end(keys::stream_events(gid, s.id))};
    cursors.push_back({&s, logs.store().scan(range), {}});
  }
  std::priority_queue<cursor*, std::vector<cursor*>, decltype(later)> heap(later);
  for (auto& c : cursors)
    if (c.load()) heap.push(&c);

  json::array events;
  std::size_t bytes = 0;
  std::optional<position> last;
  bool more = false;
  while (!heap.empty()) {
    cursor* c = heap.top();
    heap.pop();
    const position at = c->at;
    if (!after || *after < at) {
      auto e = keys::parse_event_value(c->it->value());
      if (e && pattern->matches(e->message)) {
        const std::size_t size = e->message.size() + limits::event_overhead;
        if (events.size() == limit ||
            (bytes + size > limits::max_response_bytes && !events.empty())) {
          more = true;
          break;
        }
        bytes += size;
        json::object o;
        o["logStreamName"] = c->stream->name;
        o["timestamp"] = at.timestamp;
        o["message"] = e->message;
        o["ingestionTime"] = e->ingestion_time;
        o["eventId"] = event_id(at);
        events.push_back(std::move(o));
        last = at;
      }
    }
    c->it->next();
    if (c->load()) heap.push(c);
  }
  for (const auto& c : cursors)
    if (auto st = c.it->status(); !st) return errors::storage(st.error().message);

  json::array searched;
  for (const auto& s : *streams)
    searched.push_back({{"logStreamName", s.name}, {"searchedCompletely", !more}});
  json::object out;
  out["events"] = std::move(events);
  out["searchedLogStreams"] = std::move(searched);
  if (more && last) out["nextToken"] = encode_filter_token(*last);
  return out;
}

}  // namespace

void add_filter_operations(handler_table& table, catalog& logs) {
  table["FilterLogEvents"] = with(logs, filter_log_events);
}

}  // namespace stratus::logs
