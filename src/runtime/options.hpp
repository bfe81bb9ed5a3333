#pragma once
// How Stratus runs functions: where runtimes and environments live, the
// credentials and endpoint functions see, and the limits it enforces.
//
// Thread-safety: plain data; the callables must be safe to call from any
// thread.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lambda/invoker.hpp"

namespace stratus::runtime {

// What a function gets in AWS_ACCESS_KEY_ID / _SECRET_ACCESS_KEY /
// _SESSION_TOKEN: the credentials of its execution role.
struct role_credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  // Held by the environment for as long as it exists: the issuer revokes
  // the key when the last holder lets go (auth::session_keys). Empty for
  // keys that do not expire.
  std::shared_ptr<void> lease;
};

// Developer mode: the gateway accepts any well-formed key and takes a
// 12-digit access key as the account, so the function's own account id
// keeps its SDK calls in that account.
[[nodiscard]] role_credentials account_credentials(const lambda::function_spec& function);

struct options {
  // Stratus's own endpoint ("http://127.0.0.1:4566"); functions get it as
  // AWS_ENDPOINT_URL. Asked when an environment starts (the port may be
  // known only after listening).
  std::function<std::string()> endpoint_url;
  std::function<role_credentials(const lambda::function_spec&)> credentials = account_credentials;

  int account_concurrency = 1000;  // AWS's default ConcurrentExecutions
  std::chrono::milliseconds idle_keep_alive{std::chrono::minutes(10)};
  std::chrono::milliseconds init_timeout{std::chrono::seconds(10)};  // AWS's init phase limit

  // Without isolation, environments' directories (task/ and tmp/) live
  // under here; default: a fresh directory in the system's temporary one.
  std::filesystem::path work_dir;
  // With isolation, under this directory, which must be root's alone (it
  // and its ancestors writable by nobody else, unless sticky, and no
  // symlinks): a fresh lambda-<pid>-<random> per server for environments
  // (reachable by function uids: 0711), uids/ for the uid leases shared by
  // every server on the machine, runtime-deps/ for the SDK copies. Never
  // under /tmp, /var/tmp or /dev/shm, which functions see as their own.
  std::filesystem::path isolation_root = "/var/lib/stratus";
  // Directories functions must not read (Stratus's data directory): made
  // 0700 when isolating, so that no function uid may enter them.
  std::vector<std::filesystem::path> private_dirs;

  std::filesystem::path node = "/usr/bin/node";
  std::filesystem::path python = "/usr/bin/python3";
  std::filesystem::path bootstrap_dir;     // holds node/ and python/ (default: the source tree's)
  std::filesystem::path node_modules_dir;  // the SDKs Node functions get (runtimes/node_modules)

  // When Stratus runs as root: every environment runs as its own uid (and
  // gid) from [uid_base, uid_base + uid_count), with a private /tmp mounted
  // in its own mount namespace. Off (or not root): functions run as Stratus.
  bool isolate = true;
  std::uint32_t uid_base = 3'200'000;
  std::uint32_t uid_count = 65'536;
  // Memory and pids limits through cgroups when this machine lets us;
  // otherwise (or when off) RSS polling stands in for the memory limit.
  bool use_cgroups = true;
  int max_processes = 1024;  // processes and threads per environment (AWS: 1024)
  // Keep functions off this machine's own ports (but Stratus's API, their
  // Runtime API and DNS) and off cloud metadata addresses (egress.hpp);
  // needs a cgroup v2 hierarchy. Off: they reach whatever Stratus reaches.
  bool filter_egress = true;
  int max_open_files = 1024;

  // Function.ResponseSizeTooLarge beyond; AWS counts 6 MiB + 100 bytes.
  std::size_t max_response_bytes = 6 * 1024 * 1024 + 100;
};

// The defaults for bootstrap_dir and node_modules_dir, from the source tree
// this binary was built from.
[[nodiscard]] std::filesystem::path default_bootstrap_dir();
[[nodiscard]] std::filesystem::path default_node_modules_dir();

}  // namespace stratus::runtime
