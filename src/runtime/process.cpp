#include "runtime/process.hpp"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace stratus::runtime {
namespace {

// What a child that failed before exec reports through its status pipe.
struct child_report {
  int error;
  char step[24];
};

[[noreturn]] void child_fail(int status_fd, const char* step) {
  child_report r{};
  r.error = errno;
  std::strncpy(r.step, step, sizeof r.step - 1);
  [[maybe_unused]] auto n = write(status_fd, &r, sizeof r);
  _exit(127);
}

// Credentials change on this thread only: the child has no other thread, and
// glibc's wrappers would try to broadcast the change to threads that exist
// only in the parent.
bool become(uid_t uid) {
  const gid_t gid = static_cast<gid_t>(uid);
  return syscall(SYS_setgroups, 0, nullptr) == 0 && syscall(SYS_setresgid, gid, gid, gid) == 0 &&
         syscall(SYS_setresuid, uid, uid, uid) == 0;
}

void close_pair(int fds[2]) {
  for (int i = 0; i < 2; ++i)
    if (fds[i] >= 0) close(fds[i]);
}

}  // namespace

std::optional<child_process> spawn(const process_spec& spec, spawn_failure& why) {
  // Everything the child needs is laid out before fork: after it, only
  // async-signal-safe calls are allowed.
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const std::string cwd = spec.cwd.string();
  std::string tmp_options;
  if (spec.sandbox_tmp_bytes) {
    const uid_t owner = spec.uid.value_or(0);
    tmp_options = "size=" + std::to_string(*spec.sandbox_tmp_bytes) +
                  ",mode=0700,uid=" + std::to_string(owner) + ",gid=" + std::to_string(owner);
  }
  sock_fprog filter{};
  if (spec.seccomp && !spec.seccomp->empty()) {
    filter.len = static_cast<unsigned short>(spec.seccomp->size());
    filter.filter = const_cast<sock_filter*>(spec.seccomp->data());
  }
  int last_capability = 63;
  if (spec.uid) {
    std::ifstream f("/proc/sys/kernel/cap_last_cap");
    f >> last_capability;
  }

  int out[2] = {-1, -1}, err[2] = {-1, -1}, go[2] = {-1, -1}, status[2] = {-1, -1};
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0 ||
      pipe2(status, O_CLOEXEC) != 0) {
    why = {errno, "pipe"};
    close_pair(out), close_pair(err), close_pair(go), close_pair(status);
    return std::nullopt;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    why = {errno, "fork"};
    close_pair(out), close_pair(err), close_pair(go), close_pair(status);
    return std::nullopt;
  }
  if (pid == 0) {
    setsid();
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);
    // Ignored signals survive exec (the server ignores SIGPIPE).
    for (int s = 1; s < NSIG; ++s)
      if (s != SIGKILL && s != SIGSTOP) signal(s, SIG_DFL);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
      child_fail(status[1], "stdio");
    // Wait until the parent has put us in our cgroups. Our copy of the write
    // end goes first: if the parent dies before it writes, the read then
    // sees end-of-file instead of waiting for ever.
    close(go[1]);
    char byte;
    ssize_t got;
    while ((got = read(go[0], &byte, 1)) < 0 && errno == EINTR) {
    }
    if (got != 1) _exit(127);
    if (!tmp_options.empty()) {
      if (unshare(CLONE_NEWNS | CLONE_NEWIPC) != 0) child_fail(status[1], "unshare");
      if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        child_fail(status[1], "mount private");
      // Every mount read-only, recursively: what the function writes can
      // only land in the tmpfs mounts below, which die with the namespace.
      mount_attr read_only{};
      read_only.attr_set = MOUNT_ATTR_RDONLY;
      if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &read_only, sizeof read_only) !=
          0)
        child_fail(status[1], "read-only root");
      constexpr unsigned long tmpfs_flags = MS_NOSUID | MS_NODEV;
      if (mount("tmpfs", "/tmp", "tmpfs", tmpfs_flags, tmp_options.c_str()) != 0)
        child_fail(status[1], "mount tmp");
      for (const char* empty : {"/var/tmp", "/dev/shm"})
        if (access(empty, F_OK) == 0 &&
            mount("tmpfs", empty, "tmpfs", tmpfs_flags | MS_NOEXEC | MS_RDONLY,
                  "size=4k,mode=0755") != 0)
          child_fail(status[1], "mount empty");
      if (access("/dev/mqueue", F_OK) == 0 &&
          mount("mqueue", "/dev/mqueue", "mqueue", tmpfs_flags | MS_NOEXEC, nullptr) != 0)
        child_fail(status[1], "mount mqueue");
    }
    rlimit core{0, 0};
    setrlimit(RLIMIT_CORE, &core);
    if (spec.max_open_files > 0) {
      rlimit files{static_cast<rlim_t>(spec.max_open_files),
                   static_cast<rlim_t>(spec.max_open_files)};
      setrlimit(RLIMIT_NOFILE, &files);
    }
    if (spec.max_processes > 0) {
      rlimit procs{static_cast<rlim_t>(spec.max_processes),
                   static_cast<rlim_t>(spec.max_processes)};
      setrlimit(RLIMIT_NPROC, &procs);
    }
    if (chdir(cwd.c_str()) != 0) child_fail(status[1], "chdir");
    if (spec.uid) {
      // No capability can come back, whatever the function executes.
      for (int cap = 0; cap <= last_capability; ++cap)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
          child_fail(status[1], "drop capabilities");
      if (!become(*spec.uid)) child_fail(status[1], "setuid");
    }
    // Set after the uid change, which clears it; the runtime dies with us.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    // Nothing it executes gains privileges (setuid binaries, file
    // capabilities); also what lets an unprivileged process install a filter.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) child_fail(status[1], "no_new_privs");
    // Whatever the server had open is none of the function's business.
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    // Last, so that the steps above may still use what it refuses.
    if (filter.len > 0 && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0)
      child_fail(status[1], "seccomp");
    execve(spec.program.c_str(), argv.data(), envp.data());
    child_fail(status[1], "exec");
  }

  close(out[1]), close(err[1]), close(go[0]), close(status[1]);
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  // A failed start leaves nothing running and no fd open.
  auto abandon = [&](spawn_failure failure) {
    why = std::move(failure);
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    if (pidfd >= 0) close(pidfd);
    close(out[0]), close(err[0]);
    return std::nullopt;
  };
  // A process outside its cgroup would run without its limits: that is a
  // failed start, not a detail.
  for (const auto& procs : spec.cgroup_procs) {
    const int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
    const std::string text = std::to_string(pid);
    const bool joined =
        fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int error = errno;
    if (fd >= 0) ::close(fd);
    if (!joined) {
      close(go[1]);  // the child sees end-of-file and exits
      close(status[0]);
      return abandon({error, "join cgroup"});
    }
  }
  [[maybe_unused]] auto n = write(go[1], "g", 1);
  close(go[1]);
  child_report report{};
  ssize_t got;
  do {
    got = read(status[0], &report, sizeof report);
  } while (got < 0 && errno == EINTR);
  close(status[0]);
  if (got == static_cast<ssize_t>(sizeof report) || pidfd < 0) {
    return abandon(got == static_cast<ssize_t>(sizeof report)
                       ? spawn_failure{report.error, report.step}
                       : spawn_failure{errno, "pidfd_open"});
  }
  fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
  fcntl(err[0], F_SETFL, fcntl(err[0], F_GETFL) | O_NONBLOCK);
  return child_process{pid, pidfd, out[0], err[0]};
}

namespace {

// Whether a process of `uid` that is not a zombie shows in /proc.
bool live_process_of(uid_t uid) {
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc", ec);
       !ec && it != std::filesystem::end(it); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream status(it->path() / "status");
    std::string line;
    bool zombie = false, theirs = false;
    while (std::getline(status, line)) {
      if (line.starts_with("State:")) zombie = line.find('Z') != std::string::npos;
      if (line.starts_with("Uid:")) {
        std::istringstream fields(line.substr(4));
        uid_t real = 0;
        fields >> real;
        theirs = real == uid;
      }
    }
    if (theirs && !zombie) return true;
  }
  return false;
}

}  // namespace

bool kill_uid(uid_t uid) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    // A helper becomes the uid and kills everything it may signal, which is
    // every process of that uid, until nothing is left (a fork bomb forks
    // while being killed; RLIMIT_NPROC bounds it). kill(2) also succeeds on
    // zombies, which the helper cannot tell apart: /proc can.
    const pid_t helper = fork();
    if (helper == 0) {
      if (!become(uid)) _exit(1);
      for (int round = 0; round < 1000; ++round) {
        if (kill(-1, SIGKILL) != 0 && errno == ESRCH) _exit(0);
      }
      _exit(2);
    }
    if (helper < 0) return false;
    int st = 0;
    while (waitpid(helper, &st, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) == 1) return false;
    if (WEXITSTATUS(st) == 0 || !live_process_of(uid)) return true;
    usleep(1000);
  }
  return false;
}

std::optional<int> try_reap(pid_t pid) {
  int st = 0;
  const pid_t r = waitpid(pid, &st, WNOHANG);
  if (r == pid) return st;
  if (r < 0 && errno == ECHILD) return 0;  // already reaped elsewhere
  return std::nullopt;
}

std::optional<int> exit_status(pid_t pid) {
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0)
    return errno == ECHILD ? std::optional<int>(0) : std::nullopt;
  if (info.si_pid != pid) return std::nullopt;  // still running
  // Back to waitpid's encoding, which describe_wait_status reads.
  switch (info.si_code) {
    case CLD_EXITED:
      return (info.si_status & 0xff) << 8;
    case CLD_DUMPED:
      return (info.si_status & 0x7f) | 0x80;
    default:  // CLD_KILLED
      return info.si_status & 0x7f;
  }
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    std::string name = strsignal(WTERMSIG(status));
    if (!name.empty())
      name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
    std::string text = "signal: " + name;
    if (WCOREDUMP(status)) text += " (core dumped)";
    return text;
  }
  return "exit status " + std::to_string(status);
}

namespace {
std::size_t status_field_kb(pid_t pid, std::string_view field) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.starts_with(field)) return std::strtoull(line.c_str() + field.size(), nullptr, 10);
  }
  return 0;
}
}  // namespace

std::optional<uid_t> loopback_socket_owner(std::uint16_t local_port, std::uint16_t remote_port) {
  // "sl local_address rem_address st tx_queue rx_queue tr tm->when retrnsmt uid ..."
  // with addresses as "0100007F:1F90" (address in host order, port in hex).
  std::ifstream f("/proc/net/tcp");
  std::string line;
  std::getline(f, line);  // header
  char local[32], remote[32];
  while (std::getline(f, line)) {
    unsigned long uid = 0;
    if (std::sscanf(line.c_str(), " %*s %31s %31s %*s %*s %*s %*s %lu", local, remote, &uid) != 3)
      continue;
    unsigned la = 0, lp = 0, ra = 0, rp = 0;
    if (std::sscanf(local, "%x:%x", &la, &lp) != 2 || std::sscanf(remote, "%x:%x", &ra, &rp) != 2)
      continue;
    if (lp == local_port && rp == remote_port && la == 0x0100007F) return static_cast<uid_t>(uid);
  }
  return std::nullopt;
}

std::size_t peak_rss_bytes(pid_t pid) {
  return status_field_kb(pid, "VmHWM:") * 1024;
}

std::size_t rss_bytes(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/statm");
  std::size_t size = 0, resident = 0;
  if (!(f >> size >> resident)) return 0;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace stratus::runtime
