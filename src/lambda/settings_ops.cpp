// Reserved concurrency (Put/Get/DeleteFunctionConcurrency), event-invoke
// configurations (Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s)),
// tags (TagResource, UntagResource, ListTags) and GetAccountSettings.
#include <boost/json.hpp>

#include "lambda/context.hpp"
#include "lambda/errors.hpp"

namespace stratus::lambda {
namespace json = boost::json;

namespace {

constexpr int account_concurrency = 1000;
constexpr int min_unreserved = 100;
constexpr std::size_t max_tags = 50;

// Every function of the caller's account and region, a page at a time.
template <class F>
std::optional<api_error> for_each_function(context& c, const std::string& account,
                                           const std::string& region, F&& f) {
  std::string after;
  while (true) {
    auto page = c.functions.list(account, region, after, 256);
    if (!page) return page.error();
    if (page->empty()) return std::nullopt;
    for (const auto& fn : *page) f(*fn);
    after = page->back()->name;
  }
}

result<json::object> put_concurrency(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  if (ref->qualifier) return unqualified_only();
  const int wanted = static_cast<int>(*int_member(in, "ReservedConcurrentExecutions"));
  auto existing = c.functions.find(ref->account, ref->region, ref->name);
  if (!existing) return existing.error();
  if (!*existing) return errors::function_not_found(function_arn(*ref, "$LATEST"));
  int reserved_elsewhere = 0;
  if (auto e = for_each_function(c, ref->account, ref->region, [&](const function_record& f) {
        if (f.name != ref->name) reserved_elsewhere += f.reserved_concurrency.value_or(0);
      }))
    return *e;
  if (account_concurrency - reserved_elsewhere - wanted < min_unreserved)
    return errors::invalid_parameter(
        "Specified ReservedConcurrentExecutions for function decreases account's "
        "UnreservedConcurrentExecution below its minimum value of [" +
        std::to_string(min_unreserved) + "].");
  auto updated = c.functions.update(ref->account, ref->region, ref->name,
                                    errors::function_not_found(function_arn(*ref, "$LATEST")),
                                    [&](function_record& f) -> std::optional<api_error> {
                                      f.reserved_concurrency = wanted;
                                      return std::nullopt;
                                    });
  if (!updated) return updated.error();
  return json::object{{"ReservedConcurrentExecutions", wanted}};
}

result<json::object> get_concurrency(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  if (ref->qualifier) return unqualified_only();
  auto f = find_function(c, *ref);
  if (!f) return f.error();
  json::object out;
  if ((*f)->reserved_concurrency) out["ReservedConcurrentExecutions"] = *(*f)->reserved_concurrency;
  return out;
}

result<json::object> delete_concurrency(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  if (ref->qualifier) return unqualified_only();
  auto updated = c.functions.update(ref->account, ref->region, ref->name,
                                    errors::function_not_found(function_arn(*ref, "")),
                                    [&](function_record& f) -> std::optional<api_error> {
                                      f.reserved_concurrency.reset();
                                      return std::nullopt;
                                    });
  if (!updated) return updated.error();
  return json::object{};
}

// --- event-invoke configurations -------------------------------------------

std::string service_of(std::string_view arn) {
  // arn:<partition>:<service>:...
  auto first = arn.find(':');
  if (first == std::string_view::npos) return {};
  auto second = arn.find(':', first + 1);
  if (second == std::string_view::npos) return {};
  auto third = arn.find(':', second + 1);
  return std::string(arn.substr(second + 1, third - second - 1));
}

std::optional<api_error> check_destinations(context& c, request_context& ctx,
                                            const function_ref& ref, const json::object& config) {
  auto* dc = config.if_contains("DestinationConfig");
  if (!dc || !dc->is_object()) return std::nullopt;
  for (std::string_view side : {"OnSuccess", "OnFailure"}) {
    auto* d = dc->get_object().if_contains(side);
    if (!d || !d->is_object()) continue;
    auto arn = string_member(d->get_object(), "Destination");
    if (!arn || arn->empty()) continue;
    const std::string service = service_of(*arn);
    if (service == "lambda") {
      auto target = parse_function_ref(ctx, *arn, std::nullopt);
      if (target && target->name == ref.name && target->account == ref.account)
        return errors::invalid_parameter(
            "You can't specify the function as a destination for itself.");
      auto exists = target ? c.functions.find(target->account, target->region, target->name)
                           : result<function_ptr>(target.error());
      if (!exists || !*exists)
        return errors::invalid_parameter("The destination ARN " + *arn + " is invalid.");
    } else if (service != "sqs" && service != "sns" && service != "events" && service != "s3") {
      std::string on_success = "null", on_failure = "null";
      (side == "OnSuccess" ? on_success : on_failure) =
          std::string(side) + "(destination=" + *arn + ")";
      return errors::invalid_parameter(
          "The provided destination config DestinationConfig(onSuccess=" + on_success +
          ", onFailure=" + on_failure + ") is invalid.");
    }
  }
  return std::nullopt;
}

json::object render_destinations(const json::object* given) {
  json::object out{{"OnSuccess", json::object{}}, {"OnFailure", json::object{}}};
  if (!given) return out;
  for (std::string_view side : {"OnSuccess", "OnFailure"})
    if (auto* d = given->if_contains(side); d && d->is_object())
      if (auto arn = string_member(d->get_object(), "Destination"); arn && !arn->empty())
        out[side] = json::object{{"Destination", *arn}};
  return out;
}

result<json::object> put_or_update_event_invoke(context& c, request_context& ctx, json::object& in,
                                                bool merge) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  const std::string qualifier = ref->qualifier.value_or("$LATEST");
  if (!in.contains("MaximumRetryAttempts") && !in.contains("MaximumEventAgeInSeconds") &&
      !in.contains("DestinationConfig"))
    return errors::invalid_parameter(
        "You must specify at least one of error handling or destination setting.");
  auto existing = c.functions.find(ref->account, ref->region, ref->name);
  if (!existing) return existing.error();
  if (!*existing) return errors::not_found("The function doesn't exist.");
  if (auto e = check_destinations(c, ctx, *ref, in)) return *e;
  json::object answer;
  auto updated = c.functions.update(
      ref->account, ref->region, ref->name, errors::not_found("The function doesn't exist."),
      [&](function_record& f) -> std::optional<api_error> {
        if (qualifier != "$LATEST") {
          if (is_version_number(qualifier) ? !f.versions.contains(std::stoull(qualifier))
                                           : !f.aliases.contains(qualifier))
            return errors::function_not_found(function_arn(*ref, qualifier));
        }
        json::object config;
        if (merge)
          if (auto it = f.event_invoke.find(qualifier); it != f.event_invoke.end())
            config = it->second;
        config["LastModified"] = std::chrono::duration<double>(ctx.now.time_since_epoch()).count();
        config["FunctionArn"] = function_arn(*ref, qualifier);
        for (std::string_view name : {"MaximumRetryAttempts", "MaximumEventAgeInSeconds"})
          if (auto* v = in.if_contains(name)) config[name] = *v;
        if (auto* dc = in.if_contains("DestinationConfig"); dc && dc->is_object())
          config["DestinationConfig"] = render_destinations(&dc->get_object());
        else if (!config.contains("DestinationConfig"))
          config["DestinationConfig"] = render_destinations(nullptr);
        f.event_invoke[qualifier] = config;
        answer = std::move(config);
        return std::nullopt;
      });
  if (!updated) return updated.error();
  return answer;
}

result<json::object> put_event_invoke(context& c, request_context& ctx, json::object& in) {
  return put_or_update_event_invoke(c, ctx, in, false);
}

result<json::object> update_event_invoke(context& c, request_context& ctx, json::object& in) {
  return put_or_update_event_invoke(c, ctx, in, true);
}

api_error no_event_invoke(const function_ref& ref, const std::string& qualifier) {
  return errors::not_found("The function " + function_arn(ref, qualifier) +
                           " doesn't have an EventInvokeConfig");
}

result<json::object> get_event_invoke(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  const std::string qualifier = ref->qualifier.value_or("$LATEST");
  auto f = c.functions.find(ref->account, ref->region, ref->name);
  if (!f) return f.error();
  if (!*f) return no_event_invoke(*ref, qualifier);
  auto it = (*f)->event_invoke.find(qualifier);
  if (it == (*f)->event_invoke.end()) return no_event_invoke(*ref, qualifier);
  return it->second;
}

result<json::object> delete_event_invoke(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  const std::string qualifier = ref->qualifier.value_or("$LATEST");
  auto updated =
      c.functions.update(ref->account, ref->region, ref->name, no_event_invoke(*ref, qualifier),
                         [&](function_record& f) -> std::optional<api_error> {
                           if (f.event_invoke.erase(qualifier) == 0)
                             return no_event_invoke(*ref, qualifier);
                           return std::nullopt;
                         });
  if (!updated) return updated.error();
  return json::object{};
}

result<json::object> list_event_invoke(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  auto f = find_function(c, *ref);
  if (!f) return f.error();
  std::size_t start = 0;
  if (auto marker = string_member(in, "Marker")) try {
      start = std::stoul(*marker);
    } catch (const std::exception&) {
    }
  const auto limit = static_cast<std::size_t>(int_member(in, "MaxItems").value_or(50));
  json::array items;
  std::size_t i = 0;
  std::optional<std::size_t> next;
  for (const auto& [q, config] : (*f)->event_invoke) {
    if (i++ < start) continue;
    if (items.size() == limit) {
      next = i - 1;
      break;
    }
    items.push_back(config);
  }
  json::object out{{"FunctionEventInvokeConfigs", std::move(items)}};
  if (next) out["NextMarker"] = std::to_string(*next);
  return out;
}

// --- tags --------------------------------------------------------------------

result<function_ref> tag_ref(const request_context& ctx, const json::object& in) {
  auto ref = parse_function_ref(ctx, string_member(in, "Resource").value_or(""), std::nullopt);
  if (!ref) return ref.error();
  if (ref->qualifier)
    return errors::invalid_parameter(
        "Tags on function aliases and versions are not supported. Please specify a function "
        "ARN.");
  return ref;
}

result<json::object> tag_resource(context& c, request_context& ctx, json::object& in) {
  auto ref = tag_ref(ctx, in);
  if (!ref) return ref.error();
  auto updated = c.functions.update(
      ref->account, ref->region, ref->name, errors::function_not_found(function_arn(*ref, "")),
      [&](function_record& f) -> std::optional<api_error> {
        for (const auto& [k, v] : in.at("Tags").as_object()) f.tags[k] = v;
        if (f.tags.size() > max_tags)
          return errors::invalid_parameter("Number of tags exceeds resource tag limit.");
        return std::nullopt;
      });
  if (!updated) return updated.error();
  return json::object{};
}

result<json::object> untag_resource(context& c, request_context& ctx, json::object& in) {
  auto ref = tag_ref(ctx, in);
  if (!ref) return ref.error();
  auto updated = c.functions.update(ref->account, ref->region, ref->name,
                                    errors::function_not_found(function_arn(*ref, "")),
                                    [&](function_record& f) -> std::optional<api_error> {
                                      for (const auto& k : in.at("TagKeys").as_array())
                                        f.tags.erase(k.as_string());
                                      return std::nullopt;
                                    });
  if (!updated) return updated.error();
  return json::object{};
}

result<json::object> list_tags(context& c, request_context& ctx, json::object& in) {
  auto ref = tag_ref(ctx, in);
  if (!ref) return ref.error();
  auto f = find_function(c, *ref);
  if (!f) return f.error();
  return json::object{{"Tags", (*f)->tags}};
}

// --- account -------------------------------------------------------------------

result<json::object> get_account_settings(context& c, request_context& ctx, json::object&) {
  std::int64_t reserved = 0, code_size = 0, count = 0;
  if (auto e = for_each_function(c, ctx.account_id, ctx.region, [&](const function_record& f) {
        ++count;
        reserved += f.reserved_concurrency.value_or(0);
        code_size += int_member(f.latest, "CodeSize").value_or(0);
        for (const auto& [n, v] : f.versions) code_size += int_member(v, "CodeSize").value_or(0);
      }))
    return *e;
  json::object limit{{"TotalCodeSize", 80530636800LL},
                     {"CodeSizeUnzipped", code_store::max_unzipped},
                     {"CodeSizeZipped", code_store::max_zipped},
                     {"ConcurrentExecutions", account_concurrency},
                     {"UnreservedConcurrentExecutions", account_concurrency - reserved}};
  json::object usage{{"TotalCodeSize", code_size}, {"FunctionCount", count}};
  return json::object{{"AccountLimit", std::move(limit)}, {"AccountUsage", std::move(usage)}};
}

}  // namespace

void add_settings_operations(context& c, handler_table& table) {
  table["PutFunctionConcurrency"] = bind<put_concurrency>(c);
  table["GetFunctionConcurrency"] = bind<get_concurrency>(c);
  table["DeleteFunctionConcurrency"] = bind<delete_concurrency>(c);
  table["PutFunctionEventInvokeConfig"] = bind<put_event_invoke>(c);
  table["UpdateFunctionEventInvokeConfig"] = bind<update_event_invoke>(c);
  table["GetFunctionEventInvokeConfig"] = bind<get_event_invoke>(c);
  table["DeleteFunctionEventInvokeConfig"] = bind<delete_event_invoke>(c);
  table["ListFunctionEventInvokeConfigs"] = bind<list_event_invoke>(c);
  table["TagResource"] = bind<tag_resource>(c);
  table["UntagResource"] = bind<untag_resource>(c);
  table["ListTags"] = bind<list_tags>(c);
  table["GetAccountSettings"] = bind<get_account_settings>(c);
}

}  // namespace stratus::lambda
