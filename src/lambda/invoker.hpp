#pragma once
// The seam between Lambda's control plane (functions, versions, aliases, the
// Invoke operation), its execution environments (processes speaking the
// Lambda Runtime API) and the other services that call functions (API
// Gateway's integrations, DynamoDB Streams event source mappings). Callers
// hold an `invoker&`; they never talk HTTP to reach a function.
//
// Thread-safety: implementations of `invoker` and `log_sink` are safe for
// concurrent use from any thread.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/api_error.hpp"

namespace stratus::lambda {

// Everything an execution environment needs to run one version of a function.
// Two specs with the same `arn` and `code_sha256` and configuration may share
// warm environments; any difference means a new environment.
struct function_spec {
  std::string account;
  std::string region;
  std::string name;     // "my-function"
  std::string version;  // "$LATEST" or "1", "2", ...
  std::string arn;      // the unqualified-or-qualified ARN the caller used
  std::string runtime;  // as given at CreateFunction: "nodejs8.10", "python3.12", "provided.al2"
  std::string handler;  // "index.handler"; unused by provided runtimes
  std::filesystem::path code_dir;  // the unpacked package (read-only to the function)
  std::string code_sha256;         // base64 SHA-256 of the zip, as AWS reports it
  std::map<std::string, std::string> environment;  // the user's Environment.Variables
  std::string role_arn;
  int timeout_seconds = 3;
  int memory_mb = 128;
  int ephemeral_storage_mb = 512;           // EphemeralStorage.Size: the size of /tmp
  std::optional<int> reserved_concurrency;  // PutFunctionConcurrency; 0 blocks every invoke
  std::string last_modified;                // identifies the configuration revision
};

struct invoke_request {
  std::string payload;         // the event, as the caller sent it (JSON text)
  std::string request_id;      // becomes Lambda-Runtime-Aws-Request-Id
  std::string client_context;  // base64, from X-Amz-Client-Context; may be empty
  bool tail_log = false;       // LogType: Tail
};

struct invoke_result {
  std::string payload;                        // the function's response or error document
  std::optional<std::string> function_error;  // "Unhandled" when the invocation failed
  std::string log_tail;                       // the last 4 KB of the invocation's logs (when asked)
};

class invoker {
 public:
  virtual ~invoker() = default;
  // Runs one synchronous invocation. Errors that AWS returns as API errors
  // (TooManyRequestsException, RequestTooLargeException, ...) come back as
  // api_error; a function that fails still returns an invoke_result with
  // function_error set, as AWS answers 200 with X-Amz-Function-Error.
  [[nodiscard]] virtual boost::asio::awaitable<result<invoke_result>> invoke(
      const function_spec& function, invoke_request request) = 0;
  // Stops every environment of the function (all versions): after
  // UpdateFunctionCode/Configuration or DeleteFunction.
  virtual void retire(const std::string& account, const std::string& region,
                      const std::string& name) = 0;
};

// Where the environments' output goes: CloudWatch Logs group
// /aws/lambda/<name>, one stream per environment.
struct log_event {
  std::chrono::system_clock::time_point at;
  std::string message;
};

class log_sink {
 public:
  virtual ~log_sink() = default;
  virtual void write(const std::string& account, const std::string& region,
                     const std::string& group, const std::string& stream,
                     std::vector<log_event> events) = 0;
};

}  // namespace stratus::lambda
