#include "lambda/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include "auth/sigv4.hpp"
#include "lambda/errors.hpp"

namespace stratus::lambda {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// [a-z]{2}(-gov)?-[a-z]+-\d, the region part of the model's pattern.
bool is_region(std::string_view s) {
  auto parts = split(s, '-');
  if (parts.size() < 3 || parts.size() > 4) return false;
  if (parts.front().size() != 2 || parts.back().size() != 1 || !all_digits(parts.back()))
    return false;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i)
    if (parts[i].empty() ||
        !std::all_of(parts[i].begin(), parts[i].end(), [](char c) { return c >= 'a' && c <= 'z'; }))
      return false;
  return true;
}

}  // namespace

bool is_version_number(std::string_view qualifier) {
  return all_digits(qualifier);
}

execution_identity execution_role_identity(std::string_view account, std::string_view role_arn,
                                           std::string_view function_name) {
  const auto slash = role_arn.rfind('/');
  const std::string_view role_name =
      slash == std::string_view::npos ? role_arn : role_arn.substr(slash + 1);
  // AWS's unique ids are upper-case letters and digits.
  const std::string digest = auth::sha256_hex(role_arn);
  std::string role_id = "AROA";
  for (std::size_t i = 0; i < 17; ++i)
    role_id += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[static_cast<unsigned char>(digest[i]) % 32];
  const auto parts = split(role_arn, ':');
  std::string owner(account);
  if (parts.size() == 6 && parts[4].size() == 12 && all_digits(parts[4])) owner = parts[4];
  return {owner, fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", owner, role_name, function_name),
          fmt::format("{}:{}", role_id, function_name)};
}

result<function_ref> parse_function_ref(const request_context& ctx, std::string_view function_name,
                                        std::optional<std::string_view> qualifier) {
  auto tokens = split(function_name, ':');
  std::size_t i = 0;
  if (tokens.size() >= 3 && tokens[0] == "arn") i = 3;  // arn:<partition>:lambda:
  function_ref ref{ctx.account_id, ctx.region, {}, std::nullopt};
  auto remaining = [&] { return tokens.size() - i; };
  if (remaining() >= 2 && is_region(tokens[i])) ref.region = tokens[i++];
  if (remaining() >= 2 && tokens[i].size() == 12 && all_digits(tokens[i]))
    ref.account = tokens[i++];
  if (remaining() >= 2 && tokens[i] == "function") ++i;
  if (remaining() < 1 || remaining() > 2 || tokens[i].empty())
    return api_error::validation(
        "1 validation error detected: Value '" + std::string(function_name) +
        "' at 'functionName' failed to satisfy constraint: Member must satisfy regular "
        "expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?"
        "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
  ref.name = tokens[i++];
  if (i < tokens.size()) ref.qualifier = std::string(tokens[i]);
  if (ref.region != ctx.region)
    return errors::not_found("Functions from '" + ref.region +
                             "' are not reachable in this region ('" + ctx.region + "')");
  if (qualifier && !qualifier->empty()) {
    if (ref.qualifier && *ref.qualifier != *qualifier)
      return errors::invalid_parameter(
          "The derived qualifier from the function name does not match the specified "
          "qualifier.");
    ref.qualifier = std::string(*qualifier);
  }
  return ref;
}

std::string function_arn(std::string_view region, std::string_view account, std::string_view name) {
  return fmt::format("arn:aws:lambda:{}:{}:function:{}", region, account, name);
}

std::string function_arn(const function_ref& ref, std::string_view qualifier) {
  auto arn = function_arn(ref.region, ref.account, ref.name);
  if (!qualifier.empty()) arn.append(":").append(qualifier);
  return arn;
}

namespace {

std::tm utc(std::chrono::system_clock::time_point at, int& millis) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  millis = static_cast<int>(ms % 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

}  // namespace

std::string lambda_timestamp(std::chrono::system_clock::time_point at) {
  int millis = 0;
  std::tm tm = utc(at, millis);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+0000", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

std::string iso_timestamp(std::chrono::system_clock::time_point at) {
  int millis = 0;
  std::tm tm = utc(at, millis);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

}  // namespace stratus::lambda
