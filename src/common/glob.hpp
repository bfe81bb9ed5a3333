#pragma once
// Wildcard matching as AWS's filters and policy conditions read it: '*'
// stands for any run of characters (none included); with `single`, '?'
// stands for exactly one (IAM's StringLike and ArnLike), otherwise it is
// itself (CloudWatch Logs filter terms).
//
// Thread-safety: pure function.
#include <string_view>

namespace stratus {

[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text, bool single = false);

}  // namespace stratus
