#include "dynamodb/streams.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <random>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/keys.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::string_view stream_id_counter = "c/dynamodb/next-stream-id";

std::string event_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{:016x}{:016x}", random(), random());
}

}  // namespace

std::string stream_records_prefix(std::uint64_t stream_id) {
  std::string out = "s";
  append_u64(out, stream_id);
  return out;
}

std::string stream_record_key(std::uint64_t stream_id, std::uint64_t sequence) {
  std::string out = stream_records_prefix(stream_id);
  append_u64(out, sequence);
  return out;
}

std::uint64_t record_sequence(std::string_view record_key) {
  std::uint64_t v = 0;
  for (unsigned char c : record_key.substr(1 + 8, 8)) v = (v << 8) | c;  // after "s" + stream id
  return v;
}

storage::result<std::uint64_t> last_sequence(storage::store& store, std::uint64_t stream_id) {
  const std::string prefix = stream_records_prefix(stream_id);
  auto it = store.scan({prefix, storage::prefix_end(prefix), true});
  const std::uint64_t last = it->valid() ? record_sequence(it->key()) : 0;
  if (auto st = it->status(); !st) return st.error();
  return last;
}

std::string shard_id(const json::object& doc) {
  const auto created_ms = static_cast<std::uint64_t>(doc.at("created").to_number<double>() * 1000);
  return fmt::format("shardId-{:020}-{:08x}", created_ms, doc.at("id").to_number<std::uint64_t>());
}

std::string sequence_text(std::uint64_t sequence) {
  return fmt::format("{:021}", sequence);
}

std::string stream_meta_prefix(std::string_view account, std::string_view region) {
  return fmt::format("c/dynamodb/stream/{}/{}/", account, region);
}

std::uint64_t& stream_sequencer::next(storage::store& store, std::uint64_t id) {
  std::uint64_t& next = next_[id];
  if (next == 0) {
    auto last = last_sequence(store, id);
    next = (last ? *last : 0) + 1;
  }
  return next;
}

std::optional<json::object> stream_record(const table& t, const json::object* before,
                                          const json::object* after, change_origin origin) {
  if (!before && !after) return std::nullopt;
  // DynamoDB writes no record for a write that leaves the item as it was.
  if (before && after && *before == *after) return std::nullopt;
  const std::string& view = t.stream->view_type;
  json::object d;
  d["ApproximateCreationDateTime"] = std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count();
  d["Keys"] = key_of(t, after ? *after : *before);
  if (after && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES")) d["NewImage"] = *after;
  if (before && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES")) d["OldImage"] = *before;
  std::size_t size = item_size(d.at("Keys").as_object());
  if (auto* n = d.if_contains("NewImage")) size += item_size(n->as_object());
  if (auto* o = d.if_contains("OldImage")) size += item_size(o->as_object());
  d["SizeBytes"] = size;
  d["StreamViewType"] = view;
  json::object r;
  r["eventID"] = event_id();
  r["eventName"] = !before ? "INSERT" : (after ? "MODIFY" : "REMOVE");
  r["eventVersion"] = "1.1";
  r["eventSource"] = "aws:dynamodb";
  r["awsRegion"] = t.region;
  r["dynamodb"] = std::move(d);
  if (origin == change_origin::ttl)
    r["userIdentity"] = {{"PrincipalId", "dynamodb.amazonaws.com"}, {"Type", "Service"}};
  return r;
}

storage::result<void> commit_stream_records(catalog& tables, storage::transaction& txn,
                                            std::vector<change_set::record>& records) {
  auto& sequencer = tables.streams();
  auto lock = sequencer.lock();
  std::unordered_map<std::uint64_t, std::uint64_t> next;
  for (auto& r : records) {
    auto [it, fresh] = next.try_emplace(r.stream_id, 0);
    if (fresh) it->second = sequencer.next(tables.store(), r.stream_id);
    const std::uint64_t sequence = it->second++;
    r.body["dynamodb"].as_object()["SequenceNumber"] = sequence_text(sequence);
    txn.put(stream_record_key(r.stream_id, sequence), json::serialize(r.body));
  }
  auto committed = txn.commit();
  if (committed)
    for (const auto& [id, n] : next) sequencer.next(tables.store(), id) = n;
  return committed;
}

std::optional<api_error> check_stream_specification(const json::object& spec) {
  const bool enabled = spec.at("StreamEnabled").as_bool();
  const bool has_type = spec.contains("StreamViewType");
  if (enabled && !has_type)
    return errors::invalid_parameter("StreamViewType is required when StreamEnabled is true");
  if (!enabled && has_type)
    return errors::invalid_parameter(
        "StreamViewType cannot be specified when StreamEnabled is false");
  return std::nullopt;
}

result<stream_settings> new_stream(catalog& tables, const table& t,
                                   std::chrono::system_clock::time_point now,
                                   std::string view_type) {
  auto id = allocate_id(tables.store(), stream_id_counter);
  if (!id) return id.error();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = ms / 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::string label =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ms % 1000);
  std::string arn =
      "arn:aws:dynamodb:" + t.region + ":" + t.account + ":table/" + t.name + "/stream/" + label;
  return stream_settings{*id, std::move(view_type), std::move(label), std::move(arn)};
}

void describe_stream_settings(table& t) {
  auto& d = t.description;
  if (!t.stream) {
    d.erase("StreamSpecification");
    return;
  }
  d["StreamSpecification"] = {{"StreamEnabled", true}, {"StreamViewType", t.stream->view_type}};
  d["LatestStreamLabel"] = t.stream->label;
  d["LatestStreamArn"] = t.stream->arn;
}

std::optional<api_error> stream_enabled(catalog& tables, const table& t,
                                        std::chrono::system_clock::time_point now) {
  const auto& s = *t.stream;
  json::object doc{{"arn", s.arn},
                   {"id", s.id},
                   {"label", s.label},
                   {"view_type", s.view_type},
                   {"table", t.name},
                   {"key_schema", t.description.at("KeySchema")},
                   {"created", epoch_seconds(now)},
                   {"status", "ENABLED"}};
  storage::write_batch batch;
  batch.put(stream_meta_prefix(t.account, t.region) + s.arn, json::serialize(doc));
  if (auto written = tables.store().write(batch); !written) return storage_failure(written.error());
  return std::nullopt;
}

std::optional<api_error> stream_disabled(catalog& tables, const table& t,
                                         const stream_settings& stream) {
  const std::string key = stream_meta_prefix(t.account, t.region) + stream.arn;
  auto stored = tables.store().get(key);
  if (!stored) return storage_failure(stored.error());
  if (!*stored) return std::nullopt;
  json::object doc = json::parse(**stored).as_object();
  doc["status"] = "DISABLED";
  storage::write_batch batch;
  batch.put(key, json::serialize(doc));
  if (auto written = tables.store().write(batch); !written) return storage_failure(written.error());
  return std::nullopt;
}

std::size_t trim_stream_records(catalog& tables, std::chrono::system_clock::time_point now) {
  constexpr std::int64_t retention_seconds = 24 * 3600;
  const std::int64_t cutoff =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() -
      retention_seconds;
  auto& store = tables.store();
  // Every stream of every account: the documents name their record ids.
  std::vector<std::uint64_t> ids;
  {
    const std::string prefix = "c/dynamodb/stream/";
    auto it = store.scan({prefix, storage::prefix_end(prefix)});
    for (; it->valid(); it->next()) {
      boost::system::error_code ec;
      auto doc = json::parse(it->value(), ec);
      if (!ec && doc.is_object() && doc.as_object().contains("id"))
        ids.push_back(doc.at("id").to_number<std::uint64_t>());
    }
  }
  std::size_t trimmed = 0;
  for (auto id : ids) {
    // Records are in commit order, so the old ones come first.
    const std::string prefix = stream_records_prefix(id);
    storage::write_batch batch;
    auto it = store.scan({prefix, storage::prefix_end(prefix)});
    for (; it->valid(); it->next()) {
      boost::system::error_code ec;
      auto record = json::parse(it->value(), ec);
      if (ec || !record.is_object()) break;
      auto* d = record.as_object().if_contains("dynamodb");
      auto* at =
          d && d->is_object() ? d->as_object().if_contains("ApproximateCreationDateTime") : nullptr;
      if (!at || at->to_number<std::int64_t>() >= cutoff) break;
      batch.erase(it->key());
    }
    if (batch.ops.empty()) continue;
    if (store.write(batch)) trimmed += batch.ops.size();
  }
  return trimmed;
}

}  // namespace stratus::dynamodb
