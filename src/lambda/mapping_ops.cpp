// CreateEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings,
// UpdateEventSourceMapping, DeleteEventSourceMapping, for DynamoDB streams.
// Each validates its whole input, then writes the mapping document once
// (under the context's mappings mutex, so that two creates cannot both
// pass the duplicate check).
#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>

#include "common/uuid.hpp"
#include "lambda/context.hpp"
#include "lambda/errors.hpp"
#include "lambda/event_filter.hpp"
#include "lambda/mapping_poller.hpp"
#include "lambda/mappings.hpp"
#include "lambda/stream_reader.hpp"

namespace stratus::lambda {
namespace json = boost::json;

namespace {

constexpr std::size_t default_page = 100;

api_error mapping_not_found() {
  return errors::not_found("The resource you requested does not exist.");
}

bool is_dynamodb_stream(std::string_view arn) {
  return arn.starts_with("arn:aws:dynamodb:") && arn.find(":table/") != std::string_view::npos &&
         arn.find("/stream/") != std::string_view::npos;
}

std::optional<api_error> check_source(std::string_view arn) {
  if (is_dynamodb_stream(arn)) return std::nullopt;
  for (std::string_view other :
       {"arn:aws:kinesis:", "arn:aws:sqs:", "arn:aws:kafka:", "arn:aws:mq:", "arn:aws:rds:"})
    if (arn.starts_with(other))
      return api_error("NotImplementedException",
                       "Stratus supports event source mappings from DynamoDB streams only", 501);
  return errors::invalid_parameter(
      "Unrecognized event source, must be kinesis, dynamodb stream or sqs. Unable to extract "
      "resource type.");
}

std::optional<api_error> check_range(const json::object& in, std::string_view member,
                                     std::string_view field, std::int64_t min, std::int64_t max) {
  auto v = int_member(in, member);
  if (!v) return std::nullopt;
  if (*v < min)
    return api_error::validation(fmt::format(
        "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member "
        "must have value greater than or equal to {}",
        *v, field, min));
  if (*v > max)
    return api_error::validation(fmt::format(
        "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member "
        "must have value less than or equal to {}",
        *v, field, max));
  return std::nullopt;
}

// The members Create and Update share; `m` gets them once all are valid.
std::optional<api_error> read_settings(const json::object& in, mapping& m) {
  if (auto e = check_range(in, "BatchSize", "batchSize", 1, 10000)) return e;
  if (auto e = check_range(in, "MaximumBatchingWindowInSeconds", "maximumBatchingWindowInSeconds",
                           0, 300))
    return e;
  if (auto e = check_range(in, "MaximumRetryAttempts", "maximumRetryAttempts", -1, 10000)) return e;
  if (auto e =
          check_range(in, "MaximumRecordAgeInSeconds", "maximumRecordAgeInSeconds", -1, 604800))
    return e;
  if (auto age = int_member(in, "MaximumRecordAgeInSeconds"); age && *age >= 0 && *age < 60)
    return errors::invalid_parameter(
        "MaximumRecordAgeInSeconds must be -1 or between 60 and 604800.");
  if (auto p = int_member(in, "ParallelizationFactor"); p && *p != 1)
    return api_error("NotImplementedException",
                     "Stratus processes each stream with ParallelizationFactor 1", 501);
  if (auto t = int_member(in, "TumblingWindowInSeconds"); t && *t != 0)
    return api_error("NotImplementedException",
                     "Tumbling windows (TumblingWindowInSeconds) are not supported by Stratus",
                     501);
  if (auto* r = in.if_contains("FunctionResponseTypes");
      r && r->is_array() && !r->get_array().empty())
    return api_error("NotImplementedException",
                     "FunctionResponseTypes (ReportBatchItemFailures) is not supported by Stratus",
                     501);
  json::value criteria = m.filter_criteria;
  if (auto* f = in.if_contains("FilterCriteria")) {
    auto compiled = event_filter::compile(*f);
    if (!compiled) return compiled.error();
    criteria = compiled->empty() ? json::value() : *f;
  }
  std::string on_failure = m.on_failure;
  if (auto* dc = in.if_contains("DestinationConfig"); dc && dc->is_object()) {
    if (auto* of = dc->get_object().if_contains("OnFailure"); of && of->is_object()) {
      on_failure = string_member(of->get_object(), "Destination").value_or("");
      if (!on_failure.empty() && !on_failure.starts_with("arn:aws:lambda:") &&
          !on_failure.starts_with("arn:aws:sqs:") && !on_failure.starts_with("arn:aws:sns:"))
        return errors::invalid_parameter(
            "The provided destination config DestinationConfig(onSuccess=null, "
            "onFailure=OnFailure(destination=" +
            on_failure + ")) is invalid.");
    }
  }
  if (auto* e = in.if_contains("Enabled"); e && e->is_bool()) m.enabled = e->get_bool();
  if (auto v = int_member(in, "BatchSize")) m.batch_size = static_cast<int>(*v);
  if (auto v = int_member(in, "MaximumBatchingWindowInSeconds"))
    m.batching_window = static_cast<int>(*v);
  if (auto v = int_member(in, "MaximumRetryAttempts")) m.max_retries = static_cast<int>(*v);
  if (auto v = int_member(in, "MaximumRecordAgeInSeconds")) m.max_record_age = static_cast<int>(*v);
  if (auto* b = in.if_contains("BisectBatchOnFunctionError"); b && b->is_bool())
    m.bisect = b->get_bool();
  m.filter_criteria = std::move(criteria);
  m.on_failure = std::move(on_failure);
  return std::nullopt;
}

// FunctionName as the mapping keeps it: the function must exist.
result<function_ref> read_function(context& c, const request_context& ctx, const json::object& in) {
  auto ref = parse_function_ref(ctx, string_member(in, "FunctionName").value_or(""), std::nullopt);
  if (!ref) return ref.error();
  auto target = resolve(c, *ref);
  if (!target) return target.error();
  return ref;
}

double epoch_seconds(std::chrono::system_clock::time_point t) {
  return static_cast<double>(
             std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count()) /
         1000.0;
}

api_error duplicate(const mapping& existing, std::string_view function_name) {
  return errors::conflict(fmt::format(
      "The event source arn ({}) and function ({}) provided mapping already exists. Please update "
      "or delete the existing mapping with UUID {}",
      existing.source_arn, function_name, existing.uuid));
}

// The mapping of the same function (and qualifier) and source, if any.
result<std::optional<mapping>> find_duplicate(mapping_store& store, const mapping& m) {
  auto all = store.list();
  if (!all) return all.error();
  for (auto& other : *all)
    if (other.uuid != m.uuid && other.account == m.account && other.region == m.region &&
        other.function == m.function && other.qualifier == m.qualifier &&
        other.source_arn == m.source_arn)
      return std::optional<mapping>(std::move(other));
  return std::optional<mapping>{};
}

json::object with_progress(mapping_store& store, mapping m, std::string_view state = {}) {
  if (auto p = store.checkpoint(m.uuid); p && *p) m.last_result = (*p)->result;
  return render(m, state);
}

result<mapping> owned(mapping_store& store, const request_context& ctx, const json::object& in) {
  auto uuid = string_member(in, "UUID").value_or("");
  auto found = store.find(uuid);
  if (!found) return found.error();
  if (!*found || (*found)->account != ctx.account_id || (*found)->region != ctx.region)
    return mapping_not_found();
  return std::move(**found);
}

result<json::object> create_mapping(context& c, request_context& ctx, json::object& in) {
  auto source = string_member(in, "EventSourceArn").value_or("");
  if (auto e = check_source(source)) return *e;
  mapping m;
  m.uuid = random_uuid();
  m.account = ctx.account_id;
  m.region = ctx.region;
  m.source_arn = source;
  auto position = string_member(in, "StartingPosition");
  if (!position)
    return errors::invalid_parameter(
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy "
        "constraint: Member must not be null.");
  if (*position != "TRIM_HORIZON" && *position != "LATEST")
    return errors::invalid_parameter("Unsupported starting position for arn type: dynamodb");
  m.starting_position = *position;
  if (auto e = read_settings(in, m)) return *e;
  auto ref = read_function(c, ctx, in);
  if (!ref) return ref.error();
  m.function = ref->name;
  m.qualifier = ref->qualifier.value_or("");
  m.last_modified = epoch_seconds(ctx.now);
  if (!c.streams) return errors::invalid_parameter("Stream not found: " + source);
  auto stream = c.streams->describe(source);
  if (!stream) return stream.error();
  if (!*stream || !(*stream)->enabled)
    return errors::invalid_parameter("Stream not found: " + source);
  progress start;
  start.after = m.starting_position == "LATEST" ? (*stream)->last_sequence : 0;

  mapping_store store(c.store);
  std::lock_guard lock(c.mappings_mutex);
  auto dup = find_duplicate(store, m);
  if (!dup) return dup.error();
  if (*dup) return duplicate(**dup, string_member(in, "FunctionName").value_or(""));
  if (auto put = store.put(m, start); !put) return put.error();
  c.poller->wake();
  return render(m, "Creating");
}

result<json::object> get_mapping(context& c, request_context& ctx, json::object& in) {
  mapping_store store(c.store);
  auto m = owned(store, ctx, in);
  if (!m) return m.error();
  return with_progress(store, std::move(*m));
}

result<json::object> list_mappings(context& c, request_context& ctx, json::object& in) {
  const auto limit = static_cast<std::size_t>(
      std::clamp<std::int64_t>(int_member(in, "MaxItems").value_or(default_page), 1, 10000));
  std::optional<function_ref> fn;
  if (auto name = string_member(in, "FunctionName")) {
    auto ref = parse_function_ref(ctx, *name, std::nullopt);
    if (!ref) return ref.error();
    fn = *ref;
  }
  auto source = string_member(in, "EventSourceArn");
  mapping_store store(c.store);
  auto all = store.list(string_member(in, "Marker").value_or(""));
  if (!all) return all.error();
  json::array items;
  std::string next;
  for (auto& m : *all) {
    if (m.account != ctx.account_id || m.region != ctx.region) continue;
    if (source && m.source_arn != *source) continue;
    if (fn && (m.function != fn->name || (fn->qualifier && m.qualifier != *fn->qualifier)))
      continue;
    if (items.size() == limit) {
      next = items.back().at("UUID").as_string();
      break;
    }
    items.push_back(with_progress(store, std::move(m)));
  }
  json::object out{{"EventSourceMappings", std::move(items)}};
  if (!next.empty()) out["NextMarker"] = next;
  return out;
}

result<json::object> update_mapping(context& c, request_context& ctx, json::object& in) {
  mapping_store store(c.store);
  std::lock_guard lock(c.mappings_mutex);
  auto found = owned(store, ctx, in);
  if (!found) return found.error();
  mapping m = std::move(*found);
  const bool was_enabled = m.enabled;
  if (auto e = read_settings(in, m)) return *e;
  if (in.contains("FunctionName")) {
    auto ref = read_function(c, ctx, in);
    if (!ref) return ref.error();
    m.function = ref->name;
    m.qualifier = ref->qualifier.value_or("");
    auto dup = find_duplicate(store, m);
    if (!dup) return dup.error();
    if (*dup) return duplicate(**dup, string_member(in, "FunctionName").value_or(""));
  }
  m.last_modified = epoch_seconds(ctx.now);
  if (auto put = store.put(m); !put) return put.error();
  c.poller->wake();
  std::string_view state = "Updating";
  if (was_enabled && !m.enabled) state = "Disabling";
  if (!was_enabled && m.enabled) state = "Enabling";
  return with_progress(store, std::move(m), state);
}

result<json::object> delete_mapping(context& c, request_context& ctx, json::object& in) {
  mapping_store store(c.store);
  std::lock_guard lock(c.mappings_mutex);
  auto m = owned(store, ctx, in);
  if (!m) return m.error();
  auto out = with_progress(store, *m, "Deleting");
  if (auto erased = store.erase(m->uuid); !erased) return erased.error();
  return out;
}

}  // namespace

void add_mapping_operations(context& c, handler_table& table) {
  table["CreateEventSourceMapping"] = bind<create_mapping>(c);
  table["GetEventSourceMapping"] = bind<get_mapping>(c);
  table["ListEventSourceMappings"] = bind<list_mappings>(c);
  table["UpdateEventSourceMapping"] = bind<update_mapping>(c);
  table["DeleteEventSourceMapping"] = bind<delete_mapping>(c);
}

}  // namespace stratus::lambda
