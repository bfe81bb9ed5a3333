#pragma once
// Publishing a version: a frozen copy of $LATEST under the next number.
// Shared by PublishVersion and the Publish flag of CreateFunction and
// UpdateFunctionCode.
//
// Thread-safety: pure functions on a record being changed.
#include <chrono>
#include <optional>
#include <string>

#include "lambda/registry.hpp"

namespace stratus::lambda {

// Publishes $LATEST unless it is unchanged since the last published version
// (which is kept). Returns the number of the version that stands for it.
std::uint64_t publish_version(function_record& f, const std::optional<std::string>& description,
                              std::chrono::system_clock::time_point now);

}  // namespace stratus::lambda
