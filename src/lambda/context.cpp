#include "lambda/context.hpp"

#include <boost/json.hpp>
#include <random>

#include "lambda/errors.hpp"

namespace stratus::lambda {
namespace json = boost::json;

std::optional<std::string> string_member(const json::object& o, std::string_view name) {
  if (auto* v = o.if_contains(name); v && v->is_string()) return std::string(v->get_string());
  return std::nullopt;
}

std::optional<std::int64_t> int_member(const json::object& o, std::string_view name) {
  if (auto* v = o.if_contains(name); v && v->is_number()) return v->to_number<std::int64_t>();
  return std::nullopt;
}

bool bool_member(const json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  return v && v->is_bool() && v->get_bool();
}

api_error unqualified_only() {
  return errors::invalid_parameter(
      "This operation is permitted on Lambda functions only. Aliases and versions do not "
      "support this operation. Please specify either a function name or an unqualified "
      "function ARN.");
}

result<function_ref> read_ref(const request_context& ctx, const json::object& input) {
  auto name = string_member(input, "FunctionName").value_or("");
  auto qualifier = string_member(input, "Qualifier");
  return parse_function_ref(ctx, name,
                            qualifier ? std::optional<std::string_view>(*qualifier) : std::nullopt);
}

result<function_ptr> find_function(context& c, const function_ref& ref) {
  auto f = c.functions.find(ref.account, ref.region, ref.name);
  if (!f) return f.error();
  if (!*f) return errors::function_not_found(function_arn(ref, ""));
  return *f;
}

result<resolved> resolve(context& c, const function_ref& ref, bool pick_weighted) {
  auto f = find_function(c, ref);
  if (!f) return f.error();
  resolved r;
  r.function = *f;
  r.qualifier = ref.qualifier.value_or("");
  const function_record& fn = **f;
  auto not_found = [&] { return errors::function_not_found(function_arn(ref, r.qualifier)); };
  std::string version = r.qualifier.empty() ? "$LATEST" : r.qualifier;
  if (!r.qualifier.empty() && r.qualifier != "$LATEST" && !is_version_number(r.qualifier)) {
    auto alias = fn.aliases.find(r.qualifier);
    if (alias == fn.aliases.end()) return not_found();
    version = alias->second.at("FunctionVersion").as_string();
    if (pick_weighted)
      if (auto* routing = alias->second.if_contains("RoutingConfig"))
        if (auto* weights = routing->as_object().if_contains("AdditionalVersionWeights"))
          for (const auto& [other, weight] : weights->as_object()) {
            thread_local std::mt19937_64 rng{std::random_device{}()};
            if (std::uniform_real_distribution<double>(0, 1)(rng) < weight.to_number<double>())
              version = other;
          }
  }
  r.version = version;
  if (version == "$LATEST") {
    r.config = &fn.latest;
    return r;
  }
  auto v = fn.versions.find(std::stoull(version));
  if (v == fn.versions.end()) return not_found();
  r.config = &v->second;
  return r;
}

json::object render_config(const resolved& r, const function_ref& ref) {
  json::object out = *r.config;
  out["FunctionArn"] = function_arn(ref, r.qualifier);
  return out;
}

function_spec spec_of(context& c, const resolved& r, const function_ref& ref) {
  const json::object& cfg = *r.config;
  function_spec spec;
  spec.account = ref.account;
  spec.region = ref.region;
  spec.name = ref.name;
  spec.version = r.version;
  spec.arn = function_arn(ref, r.qualifier);
  spec.runtime = string_member(cfg, "Runtime").value_or("");
  spec.handler = string_member(cfg, "Handler").value_or("");
  spec.code_sha256 = string_member(cfg, "CodeSha256").value_or("");
  spec.code_dir = c.code.ready_code_dir(sha256_hex_of(spec.code_sha256));
  if (auto* env = cfg.if_contains("Environment"))
    if (auto* vars = env->as_object().if_contains("Variables"))
      for (const auto& [k, v] : vars->as_object())
        spec.environment[std::string(k)] = std::string(v.as_string());
  spec.role_arn = string_member(cfg, "Role").value_or("");
  spec.timeout_seconds = static_cast<int>(int_member(cfg, "Timeout").value_or(3));
  spec.memory_mb = static_cast<int>(int_member(cfg, "MemorySize").value_or(128));
  if (const auto* storage = cfg.if_contains("EphemeralStorage"); storage && storage->is_object())
    spec.ephemeral_storage_mb =
        static_cast<int>(int_member(storage->get_object(), "Size").value_or(512));
  spec.reserved_concurrency = r.function->reserved_concurrency;
  spec.last_modified = string_member(cfg, "LastModified").value_or("");
  return spec;
}

}  // namespace stratus::lambda
