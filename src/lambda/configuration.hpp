#pragma once
// The semantic checks of a function's configuration that the model cannot
// express (runtimes, the timeout ceiling, environment size and reserved
// keys, unsupported features), shared by CreateFunction and
// UpdateFunctionConfiguration, and applying checked members to a stored
// FunctionConfiguration.
//
// Thread-safety: pure functions.
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "common/api_error.hpp"

namespace stratus::lambda {

[[nodiscard]] bool accepted_runtime(std::string_view runtime);

// Checks the configuration members present in `input`, in AWS's order.
[[nodiscard]] std::optional<api_error> check_configuration(const boost::json::object& input);

// Copies the configuration members present in `input` onto `config` as
// FunctionConfiguration renders them.
void apply_configuration(const boost::json::object& input, boost::json::object& config);

// Reads Code.ZipFile / ZipFile (base64) into bytes, or the error AWS gives
// for a missing or unreachable source.
[[nodiscard]] result<std::string> read_zip_file(const boost::json::object& code);

}  // namespace stratus::lambda
