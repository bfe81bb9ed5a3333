#pragma once
// Random (version 4) UUIDs in lower-case hex, as AWS prints table ids and
// request ids. Thread-safety: a generator per thread.
#include <string>

namespace stratus {

[[nodiscard]] std::string random_uuid();

}  // namespace stratus
