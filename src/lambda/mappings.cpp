#include "lambda/mappings.hpp"

#include <boost/json.hpp>

#include "lambda/errors.hpp"
#include "lambda/names.hpp"

namespace stratus::lambda {
namespace json = boost::json;

namespace {

constexpr std::string_view prefix = "c/lambda/esm/";
constexpr std::string_view docs = "c/lambda/esm/m/";
constexpr std::int64_t stream_retention_s = 24 * 3600;

}  // namespace

std::string mapping_key(std::string_view uuid) {
  return std::string(docs) + std::string(uuid);
}

std::string checkpoint_key(std::string_view uuid) {
  return std::string(prefix) + "p/" + std::string(uuid);
}

std::string_view mappings_prefix() {
  return docs;
}

std::string serialize(const mapping& m) {
  return json::serialize(json::object{{"uuid", m.uuid},
                                      {"account", m.account},
                                      {"region", m.region},
                                      {"function", m.function},
                                      {"qualifier", m.qualifier},
                                      {"source", m.source_arn},
                                      {"starting_position", m.starting_position},
                                      {"enabled", m.enabled},
                                      {"batch_size", m.batch_size},
                                      {"batching_window", m.batching_window},
                                      {"max_retries", m.max_retries},
                                      {"max_record_age", m.max_record_age},
                                      {"bisect", m.bisect},
                                      {"filter_criteria", m.filter_criteria},
                                      {"on_failure", m.on_failure},
                                      {"last_modified", m.last_modified}});
}

std::optional<mapping> deserialize_mapping(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  try {
    const auto& o = v.get_object();
    mapping m;
    m.uuid = o.at("uuid").as_string();
    m.account = o.at("account").as_string();
    m.region = o.at("region").as_string();
    m.function = o.at("function").as_string();
    m.qualifier = o.at("qualifier").as_string();
    m.source_arn = o.at("source").as_string();
    m.starting_position = o.at("starting_position").as_string();
    m.enabled = o.at("enabled").as_bool();
    m.batch_size = o.at("batch_size").to_number<int>();
    m.batching_window = o.at("batching_window").to_number<int>();
    m.max_retries = o.at("max_retries").to_number<int>();
    m.max_record_age = o.at("max_record_age").to_number<int>();
    m.bisect = o.at("bisect").as_bool();
    m.filter_criteria = o.at("filter_criteria");
    m.on_failure = o.at("on_failure").as_string();
    m.last_modified = o.at("last_modified").to_number<double>();
    return m;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

json::object render(const mapping& m, std::string_view state) {
  json::object on_failure;
  if (!m.on_failure.empty()) on_failure["Destination"] = m.on_failure;
  std::string fn = function_arn(m.region, m.account, m.function);
  if (!m.qualifier.empty()) fn += ":" + m.qualifier;
  json::object out{{"UUID", m.uuid},
                   {"StartingPosition", m.starting_position},
                   {"BatchSize", m.batch_size},
                   {"MaximumBatchingWindowInSeconds", m.batching_window},
                   {"ParallelizationFactor", 1},
                   {"EventSourceArn", m.source_arn},
                   {"FunctionArn", fn},
                   {"LastModified", m.last_modified},
                   {"LastProcessingResult", m.last_result},
                   {"State", state.empty() ? (m.enabled ? "Enabled" : "Disabled") : state},
                   {"StateTransitionReason", "User action"},
                   {"DestinationConfig", json::object{{"OnFailure", std::move(on_failure)}}},
                   {"MaximumRecordAgeInSeconds", m.max_record_age},
                   {"BisectBatchOnFunctionError", m.bisect},
                   {"MaximumRetryAttempts", m.max_retries},
                   {"TumblingWindowInSeconds", 0},
                   {"FunctionResponseTypes", json::array{}}};
  if (!m.filter_criteria.is_null()) out["FilterCriteria"] = m.filter_criteria;
  return out;
}

result<std::optional<mapping>> mapping_store::find(std::string_view uuid) const {
  auto stored = store_.get(mapping_key(uuid));
  if (!stored) return errors::internal(stored.error().message);
  if (!*stored) return std::optional<mapping>{};
  return deserialize_mapping(**stored);
}

result<std::vector<mapping>> mapping_store::list(std::string_view after, std::size_t limit) const {
  std::string from = after.empty() ? std::string(docs) : mapping_key(after) + '\0';
  std::vector<mapping> out;
  auto it = store_.scan({from, storage::prefix_end(docs)});
  for (; it->valid() && out.size() < limit; it->next())
    if (auto m = deserialize_mapping(it->value())) out.push_back(std::move(*m));
  if (auto st = it->status(); !st) return errors::internal(st.error().message);
  return out;
}

namespace {
std::string serialize(const progress& p) {
  return json::serialize(json::object{{"after", p.after}, {"result", p.result}});
}
}  // namespace

result<void> mapping_store::put(const mapping& m, std::optional<progress> checkpoint) {
  storage::write_batch batch;
  batch.put(mapping_key(m.uuid), serialize(m));
  if (checkpoint) batch.put(checkpoint_key(m.uuid), serialize(*checkpoint));
  if (auto w = store_.write(batch); !w) return errors::internal(w.error().message);
  return {};
}

result<void> mapping_store::erase(std::string_view uuid) {
  storage::write_batch batch;
  batch.erase(mapping_key(uuid));
  batch.erase(checkpoint_key(uuid));
  if (auto w = store_.write(batch); !w) return errors::internal(w.error().message);
  return {};
}

result<std::optional<progress>> mapping_store::checkpoint(std::string_view uuid) const {
  auto stored = store_.get(checkpoint_key(uuid));
  if (!stored) return errors::internal(stored.error().message);
  if (!*stored) return std::optional<progress>{};
  boost::system::error_code ec;
  auto v = json::parse(**stored, ec);
  if (ec || !v.is_object()) return std::optional<progress>{};
  try {
    progress p;
    p.after = v.at("after").to_number<std::uint64_t>();
    p.result = v.at("result").as_string();
    return std::optional<progress>(std::move(p));
  } catch (const std::exception&) {
    return std::optional<progress>{};
  }
}

result<void> mapping_store::set_checkpoint(std::string_view uuid, const progress& p) {
  // A mapping deleted meanwhile keeps no checkpoint.
  auto exists = store_.get(mapping_key(uuid));
  if (!exists) return errors::internal(exists.error().message);
  if (!*exists) return {};
  storage::write_batch batch;
  batch.put(checkpoint_key(uuid), serialize(p));
  if (auto w = store_.write(batch); !w) return errors::internal(w.error().message);
  return {};
}

after_failure decide(const mapping& m, const failure_state& s) {
  const std::int64_t max_age = m.max_record_age < 0 ? stream_retention_s : m.max_record_age;
  if (s.oldest_record_age_s > max_age) return after_failure::give_up;
  if (m.bisect && s.batch_records > 1) return after_failure::bisect;
  if (m.max_retries >= 0 && s.attempts > m.max_retries) return after_failure::give_up;
  return after_failure::retry;
}

std::chrono::milliseconds backoff(int attempts, std::chrono::milliseconds base,
                                  std::chrono::milliseconds cap) {
  auto d = base;
  for (int i = 1; i < attempts && d < cap; ++i) d *= 2;
  return std::min(d, cap);
}

}  // namespace stratus::lambda
