#pragma once
// Small helpers the operation families share: times, ARNs, reading the
// (already model-validated) input, and resolving the group a call names.
//
// Thread-safety: pure functions.
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/request_context.hpp"
#include "logs/catalog.hpp"

namespace stratus::logs {

inline constexpr std::int64_t day_ms = 86'400'000;

[[nodiscard]] inline std::int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// "arn:aws:logs:<region>:<account>:log-group:<name>:*", as DescribeLogGroups shows it.
[[nodiscard]] std::string group_arn(std::string_view region, std::string_view account,
                                    std::string_view name);
[[nodiscard]] std::string stream_arn(std::string_view region, std::string_view account,
                                     std::string_view group, std::string_view stream);
// The group an ARN names (with or without the trailing ":*"), or nullopt.
[[nodiscard]] std::optional<group_ref> parse_group_arn(std::string_view arn);

[[nodiscard]] std::string_view string_member(const boost::json::object& in, std::string_view key);
[[nodiscard]] std::optional<std::int64_t> int_member(const boost::json::object& in,
                                                     std::string_view key);
[[nodiscard]] bool bool_member(const boost::json::object& in, std::string_view key);

// logGroupName, or logGroupIdentifier (a name or an ARN); AWS rejects both.
[[nodiscard]] result<group_ref> target_group(const request_context& ctx,
                                             const boost::json::object& in);

// A handler from a family function `fn(catalog&, request_context&, input)`.
template <class F>
[[nodiscard]] handler with(catalog& logs, F fn) {
  return [&logs, fn](request_context& ctx, boost::json::object& in) { return fn(logs, ctx, in); };
}

// The 56-digit token PutLogEvents and DescribeLogStreams show.
[[nodiscard]] std::string sequence_token(std::uint64_t upload_sequence);

}  // namespace stratus::logs
