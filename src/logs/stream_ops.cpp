// Log streams: CreateLogStream, DeleteLogStream, DescribeLogStreams.
#include <fmt/format.h>

#include <algorithm>

#include "logs/errors.hpp"
#include "logs/ops_support.hpp"
#include "logs/service.hpp"
#include "logs/tokens.hpp"

namespace stratus::logs {
namespace json = boost::json;

namespace {

constexpr std::size_t default_describe_limit = 50;

result<json::object> create_log_stream(catalog& logs, request_context& ctx, json::object& in) {
  auto created = logs.create_stream(
      {ctx.account_id, ctx.region, std::string(string_member(in, "logGroupName"))},
      string_member(in, "logStreamName"), epoch_ms(ctx.now));
  if (!created) return created.error();
  return json::object{};
}

result<json::object> delete_log_stream(catalog& logs, request_context& ctx, json::object& in) {
  auto deleted = logs.delete_stream(
      {ctx.account_id, ctx.region, std::string(string_member(in, "logGroupName"))},
      string_member(in, "logStreamName"));
  if (!deleted) return deleted.error();
  return json::object{};
}

// What a page token carries: the sort key of the last stream shown — the
// name, or for LastEventTime the zero-padded time then the name, so that
// keys compare as the order does.
std::string sort_key(const stream_info& s, bool by_time) {
  if (!by_time) return "n/" + s.name;
  return fmt::format("t/{:020}/{}", s.last_event.value_or(0), s.name);
}

result<json::object> describe_log_streams(catalog& logs, request_context& ctx, json::object& in) {
  auto ref = target_group(ctx, in);
  if (!ref) return ref.error();
  const std::string_view prefix = string_member(in, "logStreamNamePrefix");
  const bool by_time = string_member(in, "orderBy") == "LastEventTime";
  if (by_time && !prefix.empty())
    return errors::invalid_parameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  const bool descending = bool_member(in, "descending");
  const auto limit =
      static_cast<std::size_t>(int_member(in, "limit").value_or(default_describe_limit));
  std::optional<std::string> after;
  if (auto token = string_member(in, "nextToken"); !token.empty()) {
    after = decode_page_token(token);
    if (!after || !after->starts_with(by_time ? "t/" : "n/")) return errors::invalid_token();
  }

  auto group = logs.find_group(*ref);
  if (!group) return group.error();
  if (!*group) return errors::group_not_found();
  auto streams = logs.list_streams((*group)->id, prefix);
  if (!streams) return streams.error();

  std::vector<std::pair<std::string, const stream_info*>> ordered;
  ordered.reserve(streams->size());
  for (const auto& s : *streams) ordered.emplace_back(sort_key(s, by_time), &s);
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  if (descending) std::reverse(ordered.begin(), ordered.end());

  json::array page;
  bool more = false;
  std::string last;
  for (const auto& [key, s] : ordered) {
    if (after && (descending ? key >= *after : key <= *after)) continue;
    if (page.size() == limit) {
      more = true;
      break;
    }
    json::object o;
    o["logStreamName"] = s->name;
    o["creationTime"] = s->creation_time;
    if (s->first_event) o["firstEventTimestamp"] = *s->first_event;
    if (s->last_event) o["lastEventTimestamp"] = *s->last_event;
    if (s->last_ingestion) o["lastIngestionTime"] = *s->last_ingestion;
    if (s->upload_sequence > 0) o["uploadSequenceToken"] = sequence_token(s->upload_sequence);
    o["arn"] = stream_arn(ref->region, ref->account, ref->name, s->name);
    // AWS stopped reporting stream sizes in 2019: always zero.
    o["storedBytes"] = 0;
    page.push_back(std::move(o));
    last = key;
  }
  json::object out;
  out["logStreams"] = std::move(page);
  if (more) out["nextToken"] = encode_page_token(last);
  return out;
}

}  // namespace

void add_stream_operations(handler_table& table, catalog& logs) {
  table["CreateLogStream"] = with(logs, create_log_stream);
  table["DeleteLogStream"] = with(logs, delete_log_stream);
  table["DescribeLogStreams"] = with(logs, describe_log_streams);
}

}  // namespace stratus::logs
