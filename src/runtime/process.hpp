#pragma once
// Starting and stopping a runtime process: a new session (so the whole
// process group can be killed), stdout/stderr on pipes, a pidfd to learn of
// its exit, rlimits, no_new_privs and a seccomp filter, and — when Stratus
// runs as root — its own uid/gid without capabilities, a sandbox of mount
// and IPC namespaces (see sandbox below), and a cgroup joined before exec.
//
// Thread-safety: free functions; safe from any thread (spawn forks, so it
// prepares everything before fork and uses only async-signal-safe calls
// in the child).

#include <linux/filter.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stratus::runtime {

struct process_spec {
  std::string program;            // absolute path
  std::vector<std::string> argv;  // argv[0] included
  std::vector<std::string> env;   // "NAME=value"
  std::filesystem::path cwd;
  // Run as this uid and gid, with an empty capability bounding set (root only).
  std::optional<uid_t> uid;
  // Root only: new mount and IPC namespaces in which the whole tree is
  // read-only (as Lambda's filesystem is) but for a tmpfs on /tmp of this
  // many bytes (ENOSPC past it), owned by `uid`; /var/tmp and /dev/shm are
  // empty read-only tmpfs mounts and /dev/mqueue the new IPC namespace's.
  // Nothing the process writes outlives its last process.
  std::optional<std::uint64_t> sandbox_tmp_bytes;
  std::vector<std::filesystem::path> cgroup_procs;  // cgroup.procs files to join
  int max_processes = 0;                            // RLIMIT_NPROC when > 0 (per uid)
  int max_open_files = 0;                           // RLIMIT_NOFILE when > 0
  // Installed last before exec, after PR_SET_NO_NEW_PRIVS (always set).
  const std::vector<sock_filter>* seccomp = nullptr;
};

struct child_process {
  pid_t pid = -1;
  int pidfd = -1;      // readable once the process has exited
  int stdout_fd = -1;  // non-blocking read ends
  int stderr_fd = -1;
};

struct spawn_failure {
  int error = 0;     // errno
  std::string step;  // "exec", "chdir", ...
};

// Starts the process. On failure nothing is left running and no fd is open.
[[nodiscard]] std::optional<child_process> spawn(const process_spec& spec, spawn_failure& why);

// SIGKILLs every process running as `uid` (a process that left its group
// cannot escape) until none is left but zombies, which run nothing. False
// when processes of `uid` may still be alive. Reap the leader first: its
// zombie would count as alive to kill(2) for as long as it is not reaped.
[[nodiscard]] bool kill_uid(uid_t uid);

// Reaps `pid` if it has exited; the wait status, or nullopt if still running.
[[nodiscard]] std::optional<int> try_reap(pid_t pid);
// The wait status of `pid` if it has exited, leaving it a zombie: while it is
// not reaped its pid, and so its process group's id, cannot be reused, so
// signalling the group stays safe.
[[nodiscard]] std::optional<int> exit_status(pid_t pid);

// As Go's os.ProcessState prints it (AWS's messages use that form):
// "exit status 1", "signal: killed", "signal: segmentation fault (core dumped)".
[[nodiscard]] std::string describe_wait_status(int status);

// The uid owning the IPv4 TCP socket bound to 127.0.0.1:`local_port` and
// connected to `remote_port` (from /proc/net/tcp), or nullopt.
[[nodiscard]] std::optional<uid_t> loopback_socket_owner(std::uint16_t local_port,
                                                         std::uint16_t remote_port);

// Peak resident memory of `pid` in bytes (VmHWM), or 0 when unknown.
[[nodiscard]] std::size_t peak_rss_bytes(pid_t pid);
// Current resident memory of `pid` in bytes, or 0 when unknown.
[[nodiscard]] std::size_t rss_bytes(pid_t pid);

}  // namespace stratus::runtime
