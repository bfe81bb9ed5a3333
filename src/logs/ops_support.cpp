#include "logs/ops_support.hpp"

#include <fmt/format.h>

#include "logs/errors.hpp"

namespace stratus::logs {
namespace json = boost::json;

std::string group_arn(std::string_view region, std::string_view account, std::string_view name) {
  return fmt::format("arn:aws:logs:{}:{}:log-group:{}:*", region, account, name);
}

std::string stream_arn(std::string_view region, std::string_view account, std::string_view group,
                       std::string_view stream) {
  return fmt::format("arn:aws:logs:{}:{}:log-group:{}:log-stream:{}", region, account, group,
                     stream);
}

std::optional<group_ref> parse_group_arn(std::string_view arn) {
  // arn:<partition>:logs:<region>:<account>:log-group:<name>[:*]
  std::string_view parts[5];
  for (auto& part : parts) {
    auto colon = arn.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  if (parts[0] != "arn" || parts[2] != "logs" || parts[3].empty() || parts[4].empty())
    return std::nullopt;
  if (!arn.starts_with("log-group:")) return std::nullopt;
  arn.remove_prefix(std::string_view("log-group:").size());
  if (arn.ends_with(":*")) arn.remove_suffix(2);
  if (arn.empty() || arn.find(':') != std::string_view::npos) return std::nullopt;
  return group_ref{std::string(parts[4]), std::string(parts[3]), std::string(arn)};
}

std::string_view string_member(const json::object& in, std::string_view key) {
  if (auto* v = in.if_contains(key); v && v->is_string()) return v->get_string();
  return {};
}

std::optional<std::int64_t> int_member(const json::object& in, std::string_view key) {
  auto* v = in.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  boost::system::error_code ec;
  auto n = v->to_number<std::int64_t>(ec);
  if (ec) return std::nullopt;
  return n;
}

bool bool_member(const json::object& in, std::string_view key) {
  auto* v = in.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

result<group_ref> target_group(const request_context& ctx, const json::object& in) {
  const std::string_view name = string_member(in, "logGroupName");
  const std::string_view identifier = string_member(in, "logGroupIdentifier");
  if (!name.empty() && !identifier.empty())
    return errors::invalid_parameter(
        "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  if (!name.empty()) return group_ref{ctx.account_id, ctx.region, std::string(name)};
  if (identifier.starts_with("arn:")) {
    auto ref = parse_group_arn(identifier);
    if (!ref)
      return errors::invalid_parameter("Invalid logGroupIdentifier: " + std::string(identifier));
    return *ref;
  }
  if (identifier.empty())
    return errors::invalid_parameter("Should provide either name or ARN of the LogGroup.");
  return group_ref{ctx.account_id, ctx.region, std::string(identifier)};
}

std::string sequence_token(std::uint64_t upload_sequence) {
  return fmt::format("{:056}", upload_sequence);
}

}  // namespace stratus::logs
