#include "runtime/launch.hpp"

#include <map>

#include "runtime/log_lines.hpp"

namespace stratus::runtime {

std::optional<runtime_family> family_of(std::string_view runtime) {
  if (runtime.starts_with("nodejs")) return runtime_family::node;
  if (runtime.starts_with("python")) return runtime_family::python;
  if (runtime.starts_with("provided")) return runtime_family::provided;
  return std::nullopt;
}

launch_command make_launch_command(const lambda::function_spec& function, runtime_family family,
                                   const launch_facts& facts, const options& opts) {
  const std::string task = facts.task_root.string();
  const std::filesystem::path runtime_dir =
      family == runtime_family::node     ? opts.bootstrap_dir / "node"
      : family == runtime_family::python ? opts.bootstrap_dir / "python"
                                         : facts.task_root;

  // Variables the function may override (AWS lets users change these).
  std::map<std::string, std::string> vars{
      {"LANG", "en_US.UTF-8"},
      {"TZ", ":UTC"},
      {"PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin"},
      {"LD_LIBRARY_PATH", "/lib64:/usr/lib64:" + runtime_dir.string() + ":" + runtime_dir.string() +
                              "/lib:" + task + ":" + task + "/lib:/opt/lib"},
      {"TMPDIR", facts.tmp_dir},
      // The function's uid has no passwd entry; SDKs look for ~/.aws.
      {"HOME", facts.tmp_dir},
  };
  if (family == runtime_family::node) {
    vars["NODE_PATH"] = opts.node_modules_dir.string() + ":" + task;
    // aws-sdk v2 would log its end-of-support notice into every function's
    // log; the runtimes that shipped it never did.
    vars["AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE"] = "1";
  } else if (family == runtime_family::python) {
    vars["PYTHONPATH"] = runtime_dir.string();
  }
  if (!facts.endpoint_url.empty()) vars["AWS_ENDPOINT_URL"] = facts.endpoint_url;

  for (const auto& [name, value] : function.environment) vars[name] = value;

  // Reserved: set by Lambda whatever the function says.
  vars["_HANDLER"] = function.handler;
  vars["AWS_REGION"] = function.region;
  vars["AWS_DEFAULT_REGION"] = function.region;
  if (family != runtime_family::provided)
    vars["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + function.runtime;
  vars["AWS_LAMBDA_FUNCTION_NAME"] = function.name;
  vars["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = std::to_string(function.memory_mb);
  vars["AWS_LAMBDA_FUNCTION_VERSION"] = function.version;
  vars["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
  vars["AWS_LAMBDA_LOG_GROUP_NAME"] = log_group_name(function.name);
  vars["AWS_LAMBDA_LOG_STREAM_NAME"] = facts.log_stream;
  vars["AWS_LAMBDA_RUNTIME_API"] = facts.runtime_api;
  vars["AWS_ACCESS_KEY_ID"] = facts.credentials.access_key_id;
  vars["AWS_SECRET_ACCESS_KEY"] = facts.credentials.secret_access_key;
  // Long-term keys (strict mode with the server's own pair) have no token.
  if (!facts.credentials.session_token.empty())
    vars["AWS_SESSION_TOKEN"] = facts.credentials.session_token;
  vars["LAMBDA_TASK_ROOT"] = task;
  vars["LAMBDA_RUNTIME_DIR"] = runtime_dir.string();

  launch_command cmd;
  for (const auto& [name, value] : vars) cmd.env.push_back(name + "=" + value);
  switch (family) {
    case runtime_family::node:
      cmd.program = opts.node.string();
      // As AWS starts its Node.js runtime, plus our SDK endpoint preload
      // and a V8 interrupt budget of 8 KiB instead of 66: each of N busy
      // environments sees 1/N of the load, and with V8's default a function
      // run once per invocation is optimized only after some thousands of
      // invocations (40 s at 32 environments). Measured in
      // docs/benchmarks.md (Lambda, "V8 tiering").
      cmd.argv = {cmd.program,
                  "--expose-gc",
                  "--interrupt-budget=8192",
                  "--max-http-header-size=81920",
                  "-r",
                  (runtime_dir / "sdk-endpoint.cjs").string(),
                  (runtime_dir / "bootstrap.cjs").string()};
      break;
    case runtime_family::python:
      cmd.program = opts.python.string();
      cmd.argv = {cmd.program, "-s", (runtime_dir / "bootstrap.py").string()};
      break;
    case runtime_family::provided:
      cmd.program = (facts.task_root / "bootstrap").string();
      cmd.argv = {cmd.program};
      break;
  }
  return cmd;
}

}  // namespace stratus::runtime
