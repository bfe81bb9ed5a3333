// Tags of log groups: TagResource, UntagResource, ListTagsForResource (by
// ARN) and the older TagLogGroup, UntagLogGroup, ListTagsLogGroup (by name).
#include "logs/errors.hpp"
#include "logs/ops_support.hpp"
#include "logs/service.hpp"

namespace stratus::logs {
namespace json = boost::json;

namespace {

constexpr std::size_t max_tags = 50;

result<group_ref> arn_group(const json::object& in) {
  const std::string_view arn = string_member(in, "resourceArn");
  auto ref = parse_group_arn(arn);
  // Only log groups carry tags here; destinations are not implemented.
  if (!ref) return errors::invalid_parameter("Invalid resourceArn: " + std::string(arn));
  return *ref;
}

group_ref name_group(const request_context& ctx, const json::object& in) {
  return {ctx.account_id, ctx.region, std::string(string_member(in, "logGroupName"))};
}

json::object tags_output(const group_info& g) {
  json::object tags;
  for (const auto& [k, v] : g.tags) tags[k] = v;
  json::object out;
  out["tags"] = std::move(tags);
  return out;
}

result<json::object> add_tags(catalog& logs, const group_ref& ref, const json::object& tags) {
  std::optional<api_error> failure;
  auto updated = logs.update_group(ref, [&](group_info& g) {
    auto merged = g.tags;
    for (const auto& [k, v] : tags)
      if (v.is_string()) merged[std::string(k)] = v.get_string();
    if (merged.size() > max_tags) {
      failure = api_error("TooManyTagsException",
                          "A resource can have no more than " + std::to_string(max_tags) + " tags.",
                          400, true, {{"resourceName", ref.name}});
      return;
    }
    g.tags = std::move(merged);
  });
  if (!updated) return updated.error();
  if (failure) return *failure;
  return json::object{};
}

result<json::object> remove_tags(catalog& logs, const group_ref& ref, const json::array& keys) {
  auto updated = logs.update_group(ref, [&](group_info& g) {
    for (const auto& k : keys)
      if (k.is_string()) g.tags.erase(std::string(k.get_string()));
  });
  if (!updated) return updated.error();
  return json::object{};
}

result<json::object> list_tags(catalog& logs, const group_ref& ref) {
  auto group = logs.find_group(ref);
  if (!group) return group.error();
  if (!*group) return errors::group_not_found();
  return tags_output(**group);
}

result<json::object> tag_resource(catalog& logs, request_context&, json::object& in) {
  auto ref = arn_group(in);
  if (!ref) return ref.error();
  return add_tags(logs, *ref, in.at("tags").as_object());
}

result<json::object> untag_resource(catalog& logs, request_context&, json::object& in) {
  auto ref = arn_group(in);
  if (!ref) return ref.error();
  return remove_tags(logs, *ref, in.at("tagKeys").as_array());
}

result<json::object> list_tags_for_resource(catalog& logs, request_context&, json::object& in) {
  auto ref = arn_group(in);
  if (!ref) return ref.error();
  return list_tags(logs, *ref);
}

result<json::object> tag_log_group(catalog& logs, request_context& ctx, json::object& in) {
  return add_tags(logs, name_group(ctx, in), in.at("tags").as_object());
}

result<json::object> untag_log_group(catalog& logs, request_context& ctx, json::object& in) {
  return remove_tags(logs, name_group(ctx, in), in.at("tags").as_array());
}

result<json::object> list_tags_log_group(catalog& logs, request_context& ctx, json::object& in) {
  return list_tags(logs, name_group(ctx, in));
}

}  // namespace

void add_tag_operations(handler_table& table, catalog& logs) {
  table["TagResource"] = with(logs, tag_resource);
  table["UntagResource"] = with(logs, untag_resource);
  table["ListTagsForResource"] = with(logs, list_tags_for_resource);
  table["TagLogGroup"] = with(logs, tag_log_group);
  table["UntagLogGroup"] = with(logs, untag_log_group);
  table["ListTagsLogGroup"] = with(logs, list_tags_log_group);
}

}  // namespace stratus::logs
