#pragma once
// What to execute for a function's runtime, and with which environment
// variables: the ones AWS sets (reserved ones win over the function's own),
// then the function's Environment.Variables. Pure; no I/O.
//
// Thread-safety: stateless.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lambda/invoker.hpp"
#include "runtime/options.hpp"

namespace stratus::runtime {

enum class runtime_family { node, python, provided };

// nodejs* → node, python* → python, provided* → provided; nullopt otherwise.
[[nodiscard]] std::optional<runtime_family> family_of(std::string_view runtime);

// Facts about one environment that end up in its variables.
struct launch_facts {
  std::filesystem::path task_root;  // LAMBDA_TASK_ROOT
  std::string runtime_api;          // "127.0.0.1:port"
  std::string log_stream;
  std::string tmp_dir;       // TMPDIR
  std::string endpoint_url;  // AWS_ENDPOINT_URL; empty: not set
  role_credentials credentials;
};

struct launch_command {
  std::string program;
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "NAME=value"
};

[[nodiscard]] launch_command make_launch_command(const lambda::function_spec& function,
                                                 runtime_family family, const launch_facts& facts,
                                                 const options& opts);

}  // namespace stratus::runtime
