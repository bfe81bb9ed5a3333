// PublishVersion, ListVersionsByFunction and aliases (CreateAlias, GetAlias,
// ListAliases, UpdateAlias, DeleteAlias).
#include <boost/json.hpp>

#include "common/uuid.hpp"
#include "lambda/context.hpp"
#include "lambda/errors.hpp"
#include "lambda/versions.hpp"

namespace stratus::lambda {
namespace json = boost::json;

std::uint64_t publish_version(function_record& f, const std::optional<std::string>& description,
                              std::chrono::system_clock::time_point now) {
  const std::string revision(f.latest.at("RevisionId").as_string());
  if (f.last_version != 0 && f.published_revision == revision &&
      f.versions.contains(f.last_version))
    return f.last_version;
  const std::uint64_t n = ++f.last_version;
  json::object v = f.latest;
  v["Version"] = std::to_string(n);
  v["FunctionArn"] = function_arn(f.region, f.account, f.name) + ":" + std::to_string(n);
  v["RevisionId"] = random_uuid();
  v["LastModified"] = lambda_timestamp(now);
  if (description) v["Description"] = *description;
  f.versions[n] = std::move(v);
  // Publishing is a change of $LATEST too: AWS gives it a new RevisionId.
  f.latest["RevisionId"] = random_uuid();
  f.published_revision = f.latest["RevisionId"].as_string();
  return n;
}

namespace {

constexpr std::size_t default_page = 50;

result<json::object> publish(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  if (ref->qualifier) return unqualified_only();
  const auto sha = string_member(in, "CodeSha256");
  const auto revision = string_member(in, "RevisionId");
  const auto description = string_member(in, "Description");
  json::object answer;
  auto updated = c.functions.update(
      ref->account, ref->region, ref->name, errors::function_not_found(function_arn(*ref, "")),
      [&](function_record& f) -> std::optional<api_error> {
        const std::string current(f.latest.at("CodeSha256").as_string());
        if (sha && !sha->empty() && *sha != current)
          return errors::invalid_parameter("CodeSHA256 (" + *sha +
                                           ") is different from current CodeSHA256 in $LATEST (" +
                                           current +
                                           "). Please try again with the CodeSHA256 in "
                                           "$LATEST.");
        if (revision && *revision != f.latest.at("RevisionId").as_string())
          return errors::revision_mismatch();
        answer = f.versions.at(publish_version(f, description, ctx.now));
        return std::nullopt;
      });
  if (!updated) return updated.error();
  return answer;
}

// Pages over a list by position; the marker is the position as text.
template <class Items>
json::object page(Items items, const json::object& in, std::string_view member) {
  std::size_t start = 0;
  if (auto marker = string_member(in, "Marker")) try {
      start = std::stoul(*marker);
    } catch (const std::exception&) {
    }
  const auto limit = static_cast<std::size_t>(
      int_member(in, "MaxItems").value_or(static_cast<std::int64_t>(default_page)));
  json::array out;
  std::size_t i = start;
  for (; i < items.size() && out.size() < limit; ++i) out.push_back(std::move(items[i]));
  json::object result{{member, std::move(out)}};
  if (i < items.size()) result["NextMarker"] = std::to_string(i);
  return result;
}

result<json::object> list_versions(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  auto f = find_function(c, *ref);
  if (!f) return f.error();
  std::vector<json::object> items;
  json::object latest = (*f)->latest;
  latest["FunctionArn"] = function_arn(*ref, "$LATEST");
  items.push_back(std::move(latest));
  for (const auto& [n, v] : (*f)->versions) items.push_back(v);
  return page(std::move(items), in, "Versions");
}

std::string alias_arn(const function_ref& ref, std::string_view alias) {
  return function_arn(ref, alias);
}

// RoutingConfig checks, against the function as it is.
std::optional<api_error> check_routing(const function_record& f, const function_ref& ref,
                                       const std::string& version, const json::object& in) {
  auto* routing = in.if_contains("RoutingConfig");
  if (!routing || !routing->is_object()) return std::nullopt;
  auto* weights = routing->get_object().if_contains("AdditionalVersionWeights");
  if (!weights || !weights->is_object() || weights->get_object().empty()) return std::nullopt;
  if (weights->get_object().size() > 1)
    return errors::invalid_parameter(
        "Number of items in AdditionalVersionWeights cannot be greater than 1");
  const std::string other(weights->get_object().begin()->key());
  if (other == version)
    return errors::invalid_parameter("Invalid function version " + other + ". Function version " +
                                     other + " is already included in routing configuration.");
  if (version == "$LATEST")
    return errors::invalid_parameter(
        "$LATEST is not supported for an alias pointing to more than 1 version");
  if (!is_version_number(other) || !f.versions.contains(std::stoull(other)))
    return errors::function_not_found(function_arn(ref, other));
  return std::nullopt;
}

std::optional<api_error> check_version_exists(const function_record& f, const function_ref& ref,
                                              const std::string& version) {
  if (version == "$LATEST") return std::nullopt;
  if (!is_version_number(version) || !f.versions.contains(std::stoull(version)))
    return errors::function_not_found(function_arn(ref, version));
  return std::nullopt;
}

void apply_routing(json::object& alias, const json::object& in) {
  auto* routing = in.if_contains("RoutingConfig");
  if (!routing || !routing->is_object()) return;
  auto* weights = routing->get_object().if_contains("AdditionalVersionWeights");
  if (weights && weights->is_object() && !weights->get_object().empty())
    alias["RoutingConfig"] = json::object{{"AdditionalVersionWeights", *weights}};
  else
    alias.erase("RoutingConfig");
}

result<function_ref> alias_ref(const request_context& ctx, const json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  ref->qualifier.reset();
  return ref;
}

result<json::object> create_alias(context& c, request_context& ctx, json::object& in) {
  auto ref = alias_ref(ctx, in);
  if (!ref) return ref.error();
  const std::string name(in.at("Name").as_string());
  const std::string version(in.at("FunctionVersion").as_string());
  json::object answer;
  auto updated = c.functions.update(
      ref->account, ref->region, ref->name, errors::function_not_found(function_arn(*ref, "")),
      [&](function_record& f) -> std::optional<api_error> {
        if (f.aliases.contains(name))
          return errors::conflict("Alias already exists: " + alias_arn(*ref, name));
        if (auto e = check_version_exists(f, *ref, version)) return e;
        if (auto e = check_routing(f, *ref, version, in)) return e;
        json::object alias{{"AliasArn", alias_arn(*ref, name)},
                           {"Name", name},
                           {"FunctionVersion", version},
                           {"Description", string_member(in, "Description").value_or("")}};
        apply_routing(alias, in);
        alias["RevisionId"] = random_uuid();
        answer = alias;
        f.aliases[name] = std::move(alias);
        return std::nullopt;
      });
  if (!updated) return updated.error();
  return answer;
}

result<json::object> get_alias(context& c, request_context& ctx, json::object& in) {
  auto ref = alias_ref(ctx, in);
  if (!ref) return ref.error();
  auto f = find_function(c, *ref);
  if (!f) return f.error();
  const std::string name(in.at("Name").as_string());
  auto it = (*f)->aliases.find(name);
  if (it == (*f)->aliases.end())
    return errors::not_found("Cannot find alias arn: " + alias_arn(*ref, name));
  return it->second;
}

result<json::object> list_aliases(context& c, request_context& ctx, json::object& in) {
  auto ref = alias_ref(ctx, in);
  if (!ref) return ref.error();
  auto f = find_function(c, *ref);
  if (!f) return f.error();
  const auto version = string_member(in, "FunctionVersion");
  std::vector<json::object> items;
  for (const auto& [name, alias] : (*f)->aliases)
    if (!version || alias.at("FunctionVersion").as_string() == *version) items.push_back(alias);
  return page(std::move(items), in, "Aliases");
}

result<json::object> update_alias(context& c, request_context& ctx, json::object& in) {
  auto ref = alias_ref(ctx, in);
  if (!ref) return ref.error();
  const std::string name(in.at("Name").as_string());
  const auto revision = string_member(in, "RevisionId");
  json::object answer;
  auto updated = c.functions.update(
      ref->account, ref->region, ref->name, errors::function_not_found(function_arn(*ref, "")),
      [&](function_record& f) -> std::optional<api_error> {
        auto it = f.aliases.find(name);
        if (it == f.aliases.end())
          return errors::not_found("Alias not found: " + alias_arn(*ref, name));
        json::object& alias = it->second;
        if (revision && *revision != alias.at("RevisionId").as_string())
          return errors::revision_mismatch();
        const std::string version =
            string_member(in, "FunctionVersion")
                .value_or(std::string(alias.at("FunctionVersion").as_string()));
        if (auto e = check_version_exists(f, *ref, version)) return e;
        if (auto e = check_routing(f, *ref, version, in)) return e;
        alias["FunctionVersion"] = version;
        if (auto d = string_member(in, "Description")) alias["Description"] = *d;
        apply_routing(alias, in);
        alias["RevisionId"] = random_uuid();
        answer = alias;
        return std::nullopt;
      });
  if (!updated) return updated.error();
  return answer;
}

result<json::object> delete_alias(context& c, request_context& ctx, json::object& in) {
  auto ref = alias_ref(ctx, in);
  if (!ref) return ref.error();
  const std::string name(in.at("Name").as_string());
  auto updated = c.functions.update(ref->account, ref->region, ref->name,
                                    errors::function_not_found(function_arn(*ref, "")),
                                    [&](function_record& f) -> std::optional<api_error> {
                                      // AWS answers 204 for an alias that does not exist.
                                      f.aliases.erase(name);
                                      f.event_invoke.erase(name);
                                      f.policies.erase(name);
                                      return std::nullopt;
                                    });
  if (!updated) return updated.error();
  return json::object{};
}

}  // namespace

void add_version_operations(context& c, handler_table& table) {
  table["PublishVersion"] = bind<publish>(c);
  table["ListVersionsByFunction"] = bind<list_versions>(c);
  table["CreateAlias"] = bind<create_alias>(c);
  table["GetAlias"] = bind<get_alias>(c);
  table["ListAliases"] = bind<list_aliases>(c);
  table["UpdateAlias"] = bind<update_alias>(c);
  table["DeleteAlias"] = bind<delete_alias>(c);
}

}  // namespace stratus::lambda
