// Log groups: CreateLogGroup, DeleteLogGroup, DescribeLogGroups,
// PutRetentionPolicy, DeleteRetentionPolicy.
#include <algorithm>
#include <array>

#include "common/ascii.hpp"
#include "logs/errors.hpp"
#include "logs/ops_support.hpp"
#include "logs/service.hpp"
#include "logs/tokens.hpp"

namespace stratus::logs {
namespace json = boost::json;

namespace {

constexpr std::size_t default_describe_limit = 50;
constexpr std::array<int, 22> retention_values = {1,    3,    5,    7,    14,   30,  60,  90,
                                                  120,  150,  180,  365,  400,  545, 731, 1096,
                                                  1827, 2192, 2557, 2922, 3288, 3653};

std::map<std::string, std::string> tag_map(const json::object& in, std::string_view key) {
  std::map<std::string, std::string> out;
  if (auto* tags = in.if_contains(key); tags && tags->is_object())
    for (const auto& [k, v] : tags->get_object())
      if (v.is_string()) out[std::string(k)] = v.get_string();
  return out;
}

result<json::object> create_log_group(catalog& logs, request_context& ctx, json::object& in) {
  const std::string name(string_member(in, "logGroupName"));
  // AWS reserves the aws/ prefix (any case) for its own groups.
  if (ascii::istarts_with(name, "aws/"))
    return errors::invalid_parameter("Log groups starting with AWS/ are reserved for AWS.");
  auto created = logs.create_group({ctx.account_id, ctx.region, name}, epoch_ms(ctx.now),
                                   std::string(string_member(in, "kmsKeyId")), tag_map(in, "tags"));
  if (!created) return created.error();
  return json::object{};
}

result<json::object> delete_log_group(catalog& logs, request_context& ctx, json::object& in) {
  auto deleted = logs.delete_group(
      {ctx.account_id, ctx.region, std::string(string_member(in, "logGroupName"))});
  if (!deleted) return deleted.error();
  return json::object{};
}

result<json::object> describe_log_groups(catalog& logs, request_context& ctx, json::object& in) {
  const std::string_view prefix = string_member(in, "logGroupNamePrefix");
  const std::string_view pattern = string_member(in, "logGroupNamePattern");
  if (!prefix.empty() && in.contains("logGroupNamePattern"))
    return errors::invalid_parameter(
        "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  const auto limit =
      static_cast<std::size_t>(int_member(in, "limit").value_or(default_describe_limit));
  std::string after;
  if (auto token = string_member(in, "nextToken"); !token.empty()) {
    auto decoded = decode_page_token(token);
    if (!decoded) return errors::invalid_token();
    after = std::move(*decoded);
  }

  auto page = logs.list_groups(ctx.account_id, ctx.region, prefix, pattern, after, limit);
  if (!page) return page.error();
  const bool more = page->size() > limit;
  if (more) page->pop_back();

  json::array groups;
  for (const auto& g : *page) {
    auto streams = logs.list_streams(g.id);
    if (!streams) return streams.error();
    std::uint64_t stored = 0;
    for (const auto& s : *streams) stored += s.stored_bytes;
    json::object o;
    o["logGroupName"] = g.name;
    o["creationTime"] = g.creation_time;
    if (g.retention_days) o["retentionInDays"] = *g.retention_days;
    o["metricFilterCount"] = 0;
    o["arn"] = group_arn(ctx.region, ctx.account_id, g.name);
    o["storedBytes"] = stored;
    if (!g.kms_key_id.empty()) o["kmsKeyId"] = g.kms_key_id;
    groups.push_back(std::move(o));
  }
  json::object out;
  out["logGroups"] = std::move(groups);
  if (more) out["nextToken"] = encode_page_token(page->back().name);
  return out;
}

result<json::object> put_retention_policy(catalog& logs, request_context& ctx, json::object& in) {
  const auto days = int_member(in, "retentionInDays");
  if (!days || std::find(retention_values.begin(), retention_values.end(), *days) ==
                   retention_values.end()) {
    std::string allowed;
    for (int v : retention_values) allowed += (allowed.empty() ? "" : ", ") + std::to_string(v);
    return errors::invalid_parameter(
        "1 validation error detected: Value '" + (days ? std::to_string(*days) : "null") +
        "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value "
        "set: [" +
        allowed + "]");
  }
  auto updated = logs.update_group(
      {ctx.account_id, ctx.region, std::string(string_member(in, "logGroupName"))},
      [&](group_info& g) { g.retention_days = static_cast<int>(*days); });
  if (!updated) return updated.error();
  return json::object{};
}

result<json::object> delete_retention_policy(catalog& logs, request_context& ctx,
                                             json::object& in) {
  auto updated = logs.update_group(
      {ctx.account_id, ctx.region, std::string(string_member(in, "logGroupName"))},
      [](group_info& g) { g.retention_days.reset(); });
  if (!updated) return updated.error();
  return json::object{};
}

}  // namespace

void add_group_operations(handler_table& table, catalog& logs) {
  table["CreateLogGroup"] = with(logs, create_log_group);
  table["DeleteLogGroup"] = with(logs, delete_log_group);
  table["DescribeLogGroups"] = with(logs, describe_log_groups);
  table["PutRetentionPolicy"] = with(logs, put_retention_policy);
  table["DeleteRetentionPolicy"] = with(logs, delete_retention_policy);
}

}  // namespace stratus::logs
