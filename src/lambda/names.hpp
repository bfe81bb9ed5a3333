#pragma once
// Function names as Lambda's API accepts them (a name, "name:qualifier", a
// partial ARN "123456789012:function:name", a full ARN with or without a
// qualifier), the ARNs Lambda hands out, and its timestamp format.
//
// Thread-safety: pure functions.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/api_error.hpp"
#include "common/request_context.hpp"

namespace stratus::lambda {

struct function_ref {
  std::string account;
  std::string region;
  std::string name;
  std::optional<std::string> qualifier;  // "$LATEST", "3", an alias name
};

// Reads FunctionName and the optional Qualifier parameter. The account and
// region default to the caller's; a region in the ARN other than the
// caller's, or a qualifier in the name other than the Qualifier parameter,
// are the errors AWS answers.
[[nodiscard]] result<function_ref> parse_function_ref(const request_context& ctx,
                                                      std::string_view function_name,
                                                      std::optional<std::string_view> qualifier);

// arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
[[nodiscard]] std::string function_arn(std::string_view region, std::string_view account,
                                       std::string_view name);
[[nodiscard]] std::string function_arn(const function_ref& ref, std::string_view qualifier);

// AWS's LastModified form: "2024-01-01T00:00:00.000+0000".
[[nodiscard]] std::string lambda_timestamp(std::chrono::system_clock::time_point at);
// ISO-8601 in UTC with milliseconds and a Z, as destination records carry.
[[nodiscard]] std::string iso_timestamp(std::chrono::system_clock::time_point at);

[[nodiscard]] bool is_version_number(std::string_view qualifier);

// Who a function's own AWS calls are on AWS: its execution role's session
// named after the function.
struct execution_identity {
  std::string account;  // the role's
  std::string arn;      // arn:aws:sts::<account>:assumed-role/<role name>/<function>
  std::string user_id;  // <role id>:<function>
};
// `role_arn` is arn:aws:iam::<account>:role[/path]/<name>; `account` (the
// function's) stands in when the ARN names none. Until IAM keeps roles, the
// role id (AROA + 17) is derived from the ARN, so it is stable.
[[nodiscard]] execution_identity execution_role_identity(std::string_view account,
                                                         std::string_view role_arn,
                                                         std::string_view function_name);

}  // namespace stratus::lambda
