// The dynamodbstreams API: ListStreams, DescribeStream, GetShardIterator,
// GetRecords over the records streams.hpp stores. Each stream has one shard.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "dynamodb/errors.hpp"
#include "dynamodb/service.hpp"
#include "dynamodb/streams.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::size_t default_list_limit = 100;
constexpr std::size_t max_records = 1000;
constexpr std::int64_t iterator_lifetime_ms = 15 * 60 * 1000;  // as on AWS

struct stream_doc {
  std::string key;
  json::object doc;
};

// The bound the service checks beyond the model: AWS's message for it.
std::optional<api_error> check_limit(const json::object& in, std::size_t max) {
  auto* l = in.if_contains("Limit");
  if (!l || l->to_number<std::int64_t>() <= static_cast<std::int64_t>(max)) return std::nullopt;
  return api_error::validation("1 validation error detected: Value '" + json::serialize(*l) +
                               "' at 'limit' failed to satisfy constraint: Member must have value "
                               "less than or equal to " +
                               std::to_string(max));
}

// arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
bool well_formed_arn(std::string_view arn) {
  return arn.starts_with("arn:aws:dynamodb:") && arn.find(":table/") != std::string_view::npos &&
         arn.find("/stream/") != std::string_view::npos;
}

api_error invalid_arn(std::string_view arn) {
  return api_error::validation("Invalid StreamArn: " + std::string(arn));
}

api_error stream_not_found(std::string_view arn) {
  return errors::resource_not_found("Requested resource not found: Stream: " + std::string(arn) +
                                    " not found");
}

result<stream_doc> find_stream(catalog& tables, const request_context& ctx, std::string_view arn) {
  if (!well_formed_arn(arn)) return invalid_arn(arn);
  std::string key = stream_meta_prefix(ctx.account_id, ctx.region) + std::string(arn);
  auto stored = tables.store().get(key);
  if (!stored) return storage_failure(stored.error());
  if (!*stored) return stream_not_found(arn);
  return stream_doc{std::move(key), json::parse(**stored).as_object()};
}

std::uint64_t stream_id(const json::object& doc) {
  return doc.at("id").to_number<std::uint64_t>();
}

// The first and last sequence numbers in the stream (0 when empty).
result<std::pair<std::uint64_t, std::uint64_t>> sequence_range(catalog& tables, std::uint64_t id) {
  const std::string prefix = stream_records_prefix(id);
  std::uint64_t first = 0;
  {
    auto it = tables.store().scan({prefix, storage::prefix_end(prefix)});
    if (it->valid()) first = record_sequence(it->key());
    if (auto st = it->status(); !st) return storage_failure(st.error());
  }
  auto last = last_sequence(tables.store(), id);
  if (!last) return storage_failure(last.error());
  return std::pair{first, *last};
}

result<json::object> list_streams(catalog& tables, request_context& ctx, json::object& in) {
  if (auto e = check_limit(in, default_list_limit)) return *e;
  std::size_t limit = default_list_limit;
  if (auto* l = in.if_contains("Limit")) limit = l->to_number<std::size_t>();
  const std::string prefix = stream_meta_prefix(ctx.account_id, ctx.region);
  std::string begin = prefix;
  if (auto* name = in.if_contains("TableName"))
    begin += "arn:aws:dynamodb:" + ctx.region + ":" + ctx.account_id + ":table/" +
             std::string(name->as_string()) + "/stream/";
  const std::string end = storage::prefix_end(begin);
  std::string from = begin;
  if (auto* start = in.if_contains("ExclusiveStartStreamArn")) {
    std::string_view arn = start->as_string();
    if (!well_formed_arn(arn)) return invalid_arn(arn);
    from = std::max(from, prefix + std::string(arn) + '\0');
  }
  json::array streams;
  std::optional<std::string> last;
  auto it = tables.store().scan({from, end});
  for (; it->valid(); it->next()) {
    if (streams.size() == limit) {
      last = std::string(streams.back().at("StreamArn").as_string());
      break;
    }
    auto doc = json::parse(it->value()).as_object();
    streams.push_back(json::object{{"StreamArn", doc.at("arn")},
                                   {"TableName", doc.at("table")},
                                   {"StreamLabel", doc.at("label")}});
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  json::object out{{"Streams", std::move(streams)}};
  if (last) out["LastEvaluatedStreamArn"] = *last;
  return out;
}

result<json::object> describe_stream(catalog& tables, request_context& ctx, json::object& in) {
  auto s = find_stream(tables, ctx, in.at("StreamArn").as_string());
  if (!s) return s.error();
  const auto& doc = s->doc;
  auto range = sequence_range(tables, stream_id(doc));
  if (!range) return range.error();
  const bool disabled = doc.at("status").as_string() == "DISABLED";
  json::object sequence_range{
      {"StartingSequenceNumber", sequence_text(range->first ? range->first : 1)}};
  if (disabled && range->second)
    sequence_range["EndingSequenceNumber"] = sequence_text(range->second);
  json::array shards;
  const std::string shard = shard_id(doc);
  auto* start = in.if_contains("ExclusiveStartShardId");
  if (!start || start->as_string() < std::string_view(shard))
    shards.push_back(
        json::object{{"ShardId", shard}, {"SequenceNumberRange", std::move(sequence_range)}});
  json::object d{{"StreamArn", doc.at("arn")},
                 {"StreamLabel", doc.at("label")},
                 {"StreamStatus", doc.at("status")},
                 {"StreamViewType", doc.at("view_type")},
                 {"CreationRequestDateTime", doc.at("created")},
                 {"TableName", doc.at("table")},
                 {"KeySchema", doc.at("key_schema")},
                 {"Shards", std::move(shards)}};
  return json::object{{"StreamDescription", std::move(d)}};
}

// A shard iterator: "<stream arn>|<shard id>|<next sequence number>|<expiry ms>".
std::string make_iterator(std::string_view arn, std::string_view shard, std::uint64_t next,
                          std::chrono::system_clock::time_point now) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  return fmt::format("{}|{}|{}|{}", arn, shard, next, ms + iterator_lifetime_ms);
}

std::optional<std::uint64_t> parse_sequence(std::string_view text) {
  if (text.empty() || text.size() > 21) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

result<json::object> get_shard_iterator(catalog& tables, request_context& ctx, json::object& in) {
  std::string_view type = in.at("ShardIteratorType").as_string();
  const bool positioned = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
  auto* seq = in.if_contains("SequenceNumber");
  if (positioned && !seq)
    return api_error::validation("Must specify a SequenceNumber with ShardIteratorType " +
                                 std::string(type));
  if (!positioned && seq)
    return api_error::validation("Must not specify a SequenceNumber with ShardIteratorType " +
                                 std::string(type));
  std::optional<std::uint64_t> sequence;
  if (seq) {
    sequence = parse_sequence(seq->as_string());
    if (!sequence)
      return api_error::validation("Invalid SequenceNumber: " + std::string(seq->as_string()));
  }
  auto s = find_stream(tables, ctx, in.at("StreamArn").as_string());
  if (!s) return s.error();
  const std::string shard = shard_id(s->doc);
  if (in.at("ShardId").as_string() != shard)
    return errors::resource_not_found("Requested resource not found: Shard does not exist");
  auto range = sequence_range(tables, stream_id(s->doc));
  if (!range) return range.error();
  std::uint64_t next = 1;
  if (type == "TRIM_HORIZON")
    next = range->first ? range->first : 1;
  else if (type == "LATEST")
    next = range->second + 1;
  else if (type == "AT_SEQUENCE_NUMBER")
    next = *sequence;
  else
    next = *sequence + 1;
  return json::object{
      {"ShardIterator", make_iterator(s->doc.at("arn").as_string(), shard, next, ctx.now)}};
}

result<json::object> get_records(catalog& tables, request_context& ctx, json::object& in) {
  std::string_view text = in.at("ShardIterator").as_string();
  std::vector<std::string_view> parts;
  for (std::size_t from = 0;;) {
    auto bar = text.find('|', from);
    parts.push_back(text.substr(from, bar - from));
    if (bar == std::string_view::npos) break;
    from = bar + 1;
  }
  std::optional<std::uint64_t> next, expiry;
  if (parts.size() == 4) {
    next = parse_sequence(parts[2]);
    expiry = parse_sequence(parts[3]);
  }
  if (!next || !expiry || !well_formed_arn(parts[0]))
    return api_error::validation("Invalid ShardIterator");
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(ctx.now.time_since_epoch()).count();
  if (static_cast<std::int64_t>(*expiry) < now_ms)
    return api_error{"ExpiredIteratorException",
                     "Iterator expired. The iterator was created "
                     "more than 15 minutes ago.",
                     400};
  if (auto e = check_limit(in, max_records)) return *e;
  std::size_t limit = max_records;
  if (auto* l = in.if_contains("Limit")) limit = std::min(limit, l->to_number<std::size_t>());
  auto s = find_stream(tables, ctx, parts[0]);
  if (!s) return s.error();
  if (parts[1] != shard_id(s->doc))
    return errors::resource_not_found("Requested resource not found: Shard does not exist");

  const std::uint64_t id = stream_id(s->doc);
  const std::string prefix = stream_records_prefix(id);
  json::array records;
  std::uint64_t position = *next;
  auto it = tables.store().scan({stream_record_key(id, position), storage::prefix_end(prefix)});
  for (; it->valid() && records.size() < limit; it->next()) {
    json::value record = json::parse(it->value());
    records.push_back(std::move(record));
    position = record_sequence(it->key()) + 1;
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  const bool more = it->valid();
  json::object out{{"Records", std::move(records)}};
  // A disabled stream's shard is closed: once read to its end, no iterator follows.
  if (more || s->doc.at("status").as_string() != "DISABLED")
    out["NextShardIterator"] = make_iterator(parts[0], parts[1], position, ctx.now);
  return out;
}

}  // namespace

void add_stream_operations(handler_table& table, catalog& tables) {
  table["ListStreams"] = with_catalog(tables, list_streams);
  table["DescribeStream"] = with_catalog(tables, describe_stream);
  table["GetShardIterator"] = with_catalog(tables, get_shard_iterator);
  table["GetRecords"] = with_catalog(tables, get_records);
}

}  // namespace stratus::dynamodb
