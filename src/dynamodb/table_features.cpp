// UpdateTable, tags (TagResource, UntagResource, ListTagsOfResource), TTL
// settings (UpdateTimeToLive, DescribeTimeToLive), DescribeLimits and
// DescribeEndpoints. The TTL sweeper itself is in ttl_sweeper.cpp.
#include <boost/json.hpp>
#include <chrono>

#include "dynamodb/errors.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/service.hpp"
#include "dynamodb/streams.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::size_t max_tags = 50;

// AWS's tag alphabet: letters, separators, digits and _ . : / = + - @. Any
// non-ASCII byte is taken as part of a letter (UTF-8), which keeps Unicode
// letters allowed as AWS allows them.
bool tag_text_ok(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || std::isalnum(c) || c == ' ' || c == '_' || c == '.' || c == ':' || c == '/' ||
        c == '=' || c == '+' || c == '-' || c == '@')
      continue;
    return false;
  }
  return true;
}

api_error pattern_error(std::string_view value, std::string_view path) {
  return api_error::validation(
      "1 validation error detected: Value '" + std::string(value) + "' at '" + std::string(path) +
      "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
      "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
}

// The table an ARN names, with DynamoDB's errors for malformed ARNs and
// missing tables.
result<table_ptr> table_of_arn(catalog& tables, const request_context& ctx, std::string_view arn) {
  if (!arn.starts_with("arn:"))
    return api_error::validation(
        "Invalid ResourceArn provided as input: ARNs must start with 'arn:': " + std::string(arn));
  // arn:aws:dynamodb:<region>:<account>:table/<name>
  std::vector<std::string_view> parts;
  std::string_view rest = arn;
  for (int i = 0; i < 5; ++i) {
    auto colon = rest.find(':');
    if (colon == std::string_view::npos) break;
    parts.push_back(rest.substr(0, colon));
    rest.remove_prefix(colon + 1);
  }
  if (parts.size() != 5 || parts[2] != "dynamodb" || !rest.starts_with("table/") ||
      rest.find('/', 6) != std::string_view::npos || rest.size() <= 6)
    return api_error::validation("Invalid ResourceArn provided as input " + std::string(arn));
  std::string region(parts[3]), account(parts[4]), name(rest.substr(6));
  auto t = tables.find(account, region, name);
  if (!t) return t.error();
  if (!*t || account != ctx.account_id)
    return errors::resource_not_found(
        "Requested resource not found: ResourcArn: " + std::string(arn) + " not found");
  return *t;
}

result<json::object> describe_limits(catalog&, request_context&, json::object&) {
  return json::object{{"AccountMaxReadCapacityUnits", 80000},
                      {"AccountMaxWriteCapacityUnits", 80000},
                      {"TableMaxReadCapacityUnits", 40000},
                      {"TableMaxWriteCapacityUnits", 40000}};
}

result<json::object> describe_endpoints(catalog&, request_context& ctx, json::object&) {
  std::string_view address = ctx.endpoint;
  if (auto scheme = address.find("://"); scheme != std::string_view::npos)
    address.remove_prefix(scheme + 3);
  return json::object{{"Endpoints", json::array{json::object{{"Address", address},
                                                             {"CachePeriodInMinutes", 1440}}}}};
}

result<json::object> tag_resource(catalog& tables, request_context& ctx, json::object& in) {
  auto t = table_of_arn(tables, ctx, in.at("ResourceArn").as_string());
  if (!t) return t.error();
  auto& tags = in.at("Tags").as_array();
  if (auto e = check_tags(tags)) return *e;
  auto updated = tables.update((*t)->account, (*t)->region, (*t)->name,
                               [&](table& changed) -> std::optional<api_error> {
                                 merge_tags(changed.tags, tags);
                                 if (changed.tags.size() > max_tags)
                                   return api_error::validation(
                                       "One or more parameter values were invalid: The number of "
                                       "tags exceeds the limit of 50");
                                 return std::nullopt;
                               });
  if (!updated) return updated.error();
  return json::object{};
}

result<json::object> untag_resource(catalog& tables, request_context& ctx, json::object& in) {
  auto t = table_of_arn(tables, ctx, in.at("ResourceArn").as_string());
  if (!t) return t.error();
  const auto& keys = in.at("TagKeys").as_array();
  auto updated = tables.update((*t)->account, (*t)->region, (*t)->name,
                               [&](table& changed) -> std::optional<api_error> {
                                 json::array kept;
                                 for (auto& tag : changed.tags) {
                                   bool removed = false;
                                   for (const auto& k : keys)
                                     removed = removed || tag.at("Key") == k;
                                   if (!removed) kept.push_back(std::move(tag));
                                 }
                                 changed.tags = std::move(kept);
                                 return std::nullopt;
                               });
  if (!updated) return updated.error();
  return json::object{};
}

result<json::object> list_tags_of_resource(catalog& tables, request_context& ctx,
                                           json::object& in) {
  auto t = table_of_arn(tables, ctx, in.at("ResourceArn").as_string());
  if (!t) return t.error();
  return json::object{{"Tags", (*t)->tags}};
}

result<json::object> update_time_to_live(catalog& tables, request_context& ctx, json::object& in) {
  std::string name(in.at("TableName").as_string());
  const auto& spec = in.at("TimeToLiveSpecification").as_object();
  const bool enable = spec.at("Enabled").as_bool();
  std::string attribute(spec.at("AttributeName").as_string());
  auto updated = tables.update(
      ctx.account_id, ctx.region, name, [&](table& changed) -> std::optional<api_error> {
        const std::string& current = changed.ttl_attribute;
        if (enable && !current.empty())
          return api_error::validation(
              current == attribute
                  ? "TimeToLive is already enabled"
                  : "TimeToLive is active on a different AttributeName: current AttributeName is " +
                        current);
        if (!enable && current.empty())
          return api_error::validation("TimeToLive is already disabled");
        if (!enable && current != attribute)
          return api_error::validation(
              "TimeToLive is active on a different AttributeName: current AttributeName is " +
              current);
        changed.ttl_attribute = enable ? attribute : std::string();
        return std::nullopt;
      });
  if (!updated) return updated.error();
  return json::object{{"TimeToLiveSpecification", spec}};
}

result<json::object> describe_time_to_live(catalog& tables, request_context& ctx,
                                           json::object& in) {
  std::string name(in.at("TableName").as_string());
  auto t = tables.find(ctx.account_id, ctx.region, name);
  if (!t) return t.error();
  if (!*t) return errors::table_not_found(name);
  json::object d{{"TimeToLiveStatus", (*t)->ttl_attribute.empty() ? "DISABLED" : "ENABLED"}};
  if (!(*t)->ttl_attribute.empty()) d["AttributeName"] = (*t)->ttl_attribute;
  return json::object{{"TimeToLiveDescription", std::move(d)}};
}

result<json::object> update_table(catalog& tables, request_context& ctx, json::object& in) {
  if (auto e = [&]() -> std::optional<api_error> {
        for (const char* m : {"ReplicaUpdates", "SSESpecification"})
          if (in.contains(m)) return unsupported_parameter("UpdateTable", m);
        if (auto* s = in.if_contains("StreamSpecification"))
          return check_stream_specification(s->as_object());
        return std::nullopt;
      }())
    return *e;
  std::string name(in.at("TableName").as_string());
  const bool has_billing = in.contains("BillingMode"),
             has_pt = in.contains("ProvisionedThroughput");
  const bool has_indexes = in.contains("GlobalSecondaryIndexUpdates") &&
                           !in.at("GlobalSecondaryIndexUpdates").as_array().empty();
  const bool has_other = in.contains("StreamSpecification") || in.contains("TableClass") ||
                         in.contains("DeletionProtectionEnabled") || has_indexes;
  index_update_outcome index_outcome;
  // A stream to enable gets its id before the table changes.
  std::optional<stream_settings> enabling;
  std::optional<stream_settings> disabled;
  const json::object* stream_spec = nullptr;
  if (auto* s = in.if_contains("StreamSpecification")) stream_spec = &s->as_object();
  if (stream_spec && stream_spec->at("StreamEnabled").as_bool()) {
    auto current = tables.find(ctx.account_id, ctx.region, name);
    if (!current) return current.error();
    if (!*current) return errors::table_not_found(name);
    auto stream = new_stream(tables, **current, ctx.now,
                             std::string(stream_spec->at("StreamViewType").as_string()));
    if (!stream) return stream.error();
    enabling = std::move(*stream);
  }
  auto updated = tables.update(
      ctx.account_id, ctx.region, name, [&](table& changed) -> std::optional<api_error> {
        auto& d = changed.description;
        const bool on_demand = d.contains("BillingModeSummary") &&
                               d.at("BillingModeSummary").at("BillingMode") == "PAY_PER_REQUEST";
        std::string mode = has_billing ? std::string(in.at("BillingMode").as_string())
                                       : (on_demand ? "PAY_PER_REQUEST" : "PROVISIONED");
        if (!has_billing && !has_pt && !has_other)
          return api_error::validation(
              "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
              "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        if (mode == "PAY_PER_REQUEST" && has_pt)
          return errors::invalid_parameter(
              "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode "
              "is PAY_PER_REQUEST");
        if (mode == "PROVISIONED" && on_demand && !has_pt)
          return errors::invalid_parameter(
              "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
        auto& current = d.at("ProvisionedThroughput").as_object();
        if (has_pt) {
          const auto& pt = in.at("ProvisionedThroughput").as_object();
          if (!on_demand && !has_billing && !has_other &&
              current.at("ReadCapacityUnits") == pt.at("ReadCapacityUnits") &&
              current.at("WriteCapacityUnits") == pt.at("WriteCapacityUnits"))
            return api_error::validation(
                "The provisioned throughput for the table will not change. The requested value "
                "equals the current value. Current ReadCapacityUnits provisioned for the table: " +
                json::serialize(current.at("ReadCapacityUnits")) +
                ". Requested ReadCapacityUnits: " + json::serialize(pt.at("ReadCapacityUnits")) +
                ". Current WriteCapacityUnits provisioned for the table: " +
                json::serialize(current.at("WriteCapacityUnits")) +
                ". Requested WriteCapacityUnits: " + json::serialize(pt.at("WriteCapacityUnits")) +
                ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to "
                "request higher limits.");
          current["ReadCapacityUnits"] = pt.at("ReadCapacityUnits");
          current["WriteCapacityUnits"] = pt.at("WriteCapacityUnits");
        }
        if (mode == "PAY_PER_REQUEST") {
          current["ReadCapacityUnits"] = 0;
          current["WriteCapacityUnits"] = 0;
          if (!on_demand)
            d["BillingModeSummary"] = {
                {"BillingMode", "PAY_PER_REQUEST"},
                {"LastUpdateToPayPerRequestDateTime", epoch_seconds(ctx.now)}};
        } else if (on_demand) {
          d["BillingModeSummary"] = {{"BillingMode", "PROVISIONED"}};
        }
        if (auto* c = in.if_contains("TableClass")) d["TableClassSummary"] = {{"TableClass", *c}};
        if (auto* p = in.if_contains("DeletionProtectionEnabled"))
          d["DeletionProtectionEnabled"] = *p;
        if (stream_spec) {
          if (enabling && changed.stream)
            return api_error::validation("Table already has an enabled stream: TableName: " +
                                         changed.name);
          if (!enabling && !changed.stream)
            return api_error::validation(
                "Table does not have an enabled stream, so the stream cannot be disabled: "
                "TableName: " +
                changed.name);
          disabled = changed.stream;
          changed.stream = enabling;
          describe_stream_settings(changed);
        }
        auto indexes = apply_index_updates(in, mode == "PAY_PER_REQUEST", changed);
        if (!indexes) return indexes.error();
        index_outcome = *indexes;
        return std::nullopt;
      });
  if (!updated) return updated.error();
  // Writes that looked the table up before this change may still commit
  // without the new index or stream: let them finish first.
  if (enabling || index_outcome.created) tables.item_writes().wait_for_earlier();
  if (enabling)
    if (auto e = stream_enabled(tables, **updated, ctx.now)) return *e;
  if (disabled)
    if (auto e = stream_disabled(tables, **updated, *disabled)) return *e;
  // The index is in the catalog, so every write from now on maintains it;
  // the backfill adds the items written before (all committed by now).
  if (index_outcome.created)
    if (auto e = backfill_index(tables.store(), **updated,
                                *find_index(**updated, *index_outcome.created)))
      return *e;
  if (index_outcome.deleted)
    if (auto e = erase_index(tables.store(), **updated, *index_outcome.deleted)) return *e;
  json::object description = (*updated)->description;
  // AWS answers with the new index still being created.
  if (index_outcome.created)
    for (auto& g : description.at("GlobalSecondaryIndexes").as_array())
      if (g.at("IndexName").as_string() == *index_outcome.created) {
        g.as_object()["IndexStatus"] = "CREATING";
        g.as_object()["Backfilling"] = true;
      }
  return json::object{{"TableDescription", std::move(description)}};
}

}  // namespace

std::optional<api_error> check_tags(const json::array& tags) {
  if (tags.empty())
    return api_error::validation(
        "1 validation error detected: Value '[]' at 'tags' failed to satisfy constraint: Member "
        "must have length greater than or equal to 1");
  if (tags.size() > max_tags)
    return api_error::validation(
        "One or more parameter values were invalid: The number of tags exceeds the limit of 50");
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const auto& tag = tags[i].as_object();
    std::string_view key = tag.at("Key").as_string(), value = tag.at("Value").as_string();
    if (!tag_text_ok(key))
      return pattern_error(key, "tags." + std::to_string(i + 1) + ".member.key");
    if (!tag_text_ok(value))
      return pattern_error(value, "tags." + std::to_string(i + 1) + ".member.value");
  }
  return std::nullopt;
}

void merge_tags(json::array& existing, const json::array& added) {
  for (const auto& tag : added) {
    bool replaced = false;
    for (auto& old : existing)
      if (old.at("Key") == tag.at("Key")) {
        old = tag;
        replaced = true;
      }
    if (!replaced) existing.push_back(tag);
  }
}

void add_table_feature_operations(handler_table& table, catalog& tables) {
  table["UpdateTable"] = with_catalog(tables, update_table);
  table["TagResource"] = with_catalog(tables, tag_resource);
  table["UntagResource"] = with_catalog(tables, untag_resource);
  table["ListTagsOfResource"] = with_catalog(tables, list_tags_of_resource);
  table["UpdateTimeToLive"] = with_catalog(tables, update_time_to_live);
  table["DescribeTimeToLive"] = with_catalog(tables, describe_time_to_live);
  table["DescribeLimits"] = with_catalog(tables, describe_limits);
  table["DescribeEndpoints"] = with_catalog(tables, describe_endpoints);
}

}  // namespace stratus::dynamodb
