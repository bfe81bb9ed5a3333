#pragma once
// AWS STS. So far: GetCallerIdentity, answering from the request's
// credentials (the IAM issue makes principals real).
#include "common/request_context.hpp"

namespace stratus::sts {

[[nodiscard]] handler_table handlers();

}  // namespace stratus::sts
