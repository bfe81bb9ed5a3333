// Tags of REST APIs and stages, by ARN:
// arn:aws:apigateway:<region>::/restapis/<id>[/stages/<name>].
#include <boost/json.hpp>

#include "apigateway/ops.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

struct tagged {
  std::string region;
  std::string api;
  std::string stage;  // "" for the API itself
};

std::optional<tagged> parse_arn(std::string_view arn) {
  constexpr std::string_view prefix = "arn:aws:apigateway:";
  if (!arn.starts_with(prefix)) return std::nullopt;
  arn.remove_prefix(prefix.size());
  const auto colons = arn.find("::/restapis/");
  if (colons == std::string_view::npos || colons == 0) return std::nullopt;
  tagged t{std::string(arn.substr(0, colons)), "", ""};
  std::string_view rest = arn.substr(colons + 12);
  const auto slash = rest.find('/');
  t.api = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) {
    rest.remove_prefix(slash);
    if (!rest.starts_with("/stages/") || rest.size() <= 8) return std::nullopt;
    t.stage = std::string(rest.substr(8));
    if (t.stage.find('/') != std::string::npos) return std::nullopt;
  }
  if (t.api.empty()) return std::nullopt;
  return t;
}

// Lets `change` edit the tags of the ARN's API or stage.
result<json::object> with_tags(api_store& apis, request_context& ctx, const json::object& in,
                               bool write, const std::function<void(json::object&)>& change) {
  const std::string arn = text(in, "resourceArn");
  auto target = parse_arn(arn);
  if (!target) return bad_request("Invalid resource ARN: " + arn);
  json::object tags;
  auto visit = [&](rest_api& api) -> std::optional<api_error> {
    json::object* holder = &api.settings;
    if (!target->stage.empty()) {
      auto* stage = api.stages.if_contains(target->stage);
      if (!stage) return not_found("Invalid Stage identifier specified");
      holder = &stage->as_object();
    }
    auto& value = (*holder)["tags"];
    if (!value.is_object()) value = json::object{};
    change(value.get_object());
    tags = value.get_object();
    if (value.get_object().empty()) holder->erase("tags");
    return std::nullopt;
  };
  if (write) {
    auto updated = apis.update(ctx.account_id, target->region, target->api, visit);
    if (!updated) return updated.error();
  } else {
    auto api = apis.find(ctx.account_id, target->region, target->api);
    if (!api) return api.error();
    if (auto e = visit(*api)) return *e;
  }
  return json::object{{"tags", std::move(tags)}};
}

result<json::object> tag_resource(api_store& apis, request_context& ctx, json::object& in) {
  auto done = with_tags(apis, ctx, in, true, [&](json::object& tags) {
    if (auto* given = in.if_contains("tags"); given && given->is_object())
      for (const auto& [k, v] : given->get_object()) tags[k] = v;
  });
  if (!done) return done.error();
  return json::object{};
}

result<json::object> untag_resource(api_store& apis, request_context& ctx, json::object& in) {
  auto done = with_tags(apis, ctx, in, true, [&](json::object& tags) {
    if (auto* keys = in.if_contains("tagKeys"); keys && keys->is_array())
      for (const auto& k : keys->get_array())
        if (k.is_string()) tags.erase(k.get_string());
  });
  if (!done) return done.error();
  return json::object{};
}

result<json::object> get_tags(api_store& apis, request_context& ctx, json::object& in) {
  return with_tags(apis, ctx, in, false, [](json::object&) {});
}

}  // namespace

void add_tag_operations(handler_table& table, api_store& apis) {
  table["TagResource"] = bind_op(apis, tag_resource);
  table["UntagResource"] = bind_op(apis, untag_resource);
  table["GetTags"] = bind_op(apis, get_tags);
}

}  // namespace stratus::apigateway
