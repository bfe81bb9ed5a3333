#pragma once
// Whether a function's resource policy lets a service (API Gateway, on its
// own behalf) invoke it: a statement that allows the service principal the
// action, with its conditions on the source ARN and account met (ArnLike,
// StringLike with IAM's wildcards; ArnEquals, StringEquals). Until the
// policy engine of the IAM issue, this is the one place a resource policy
// is evaluated.
//
// Thread-safety: pure function.
#include <string_view>

#include "lambda/registry.hpp"

namespace stratus::lambda {

struct service_call {
  std::string_view principal;  // "apigateway.amazonaws.com"
  std::string_view action;     // "lambda:InvokeFunction"
  std::string_view source_arn;
  std::string_view source_account;
};

[[nodiscard]] bool policy_allows(const policy& p, const service_call& call);

}  // namespace stratus::lambda
