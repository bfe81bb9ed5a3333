#pragma once
#include <string_view>

namespace stratus {
// The release version, from CMake's project(VERSION).
std::string_view version();
}  // namespace stratus
