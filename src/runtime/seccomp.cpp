#include "runtime/seccomp.hpp"

#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace stratus::runtime {
namespace {

// Refused outright. Most already need a capability the function has not
// got; refusing them here also closes the kernel's attack surface behind
// them (user namespaces make many of them reachable without one).
const std::vector<const char*> refused = {
    // namespaces and the filesystem tree
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount",
    "fspick", "move_mount", "open_tree", "mount_setattr", "open_by_handle_at",
    // other processes' memory and tracing
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "perf_event_open",
    // kernel keyrings, BPF, modules, kexec
    "keyctl", "add_key", "request_key", "bpf", "init_module", "finit_module", "delete_module",
    "kexec_load", "kexec_file_load",
    // the machine itself
    "reboot", "swapon", "swapoff", "acct", "settimeofday", "clock_settime", "clock_adjtime",
    "adjtimex", "syslog", "quotactl", "iopl", "ioperm", "vhangup", "lookup_dcookie",
    "fanotify_init", "userfaultfd", "personality",
    // io_uring bypasses the filter for the operations it submits
    "io_uring_setup", "io_uring_enter", "io_uring_register"};

constexpr unsigned long namespace_flags[] = {CLONE_NEWNS,     CLONE_NEWUTS, CLONE_NEWIPC,
                                             CLONE_NEWUSER,   CLONE_NEWPID, CLONE_NEWNET,
                                             CLONE_NEWCGROUP, 0x00000080 /* CLONE_NEWTIME */};

seccomp_program compile() {
  seccomp_program out;
  std::unique_ptr<void, void (*)(scmp_filter_ctx)> ctx(seccomp_init(SCMP_ACT_ALLOW),
                                                       seccomp_release);
  if (!ctx) return {{}, "seccomp_init failed"};
  auto fail = [](const char* what, int rc) {
    return seccomp_program{{}, std::string(what) + ": " + std::strerror(-rc)};
  };
  for (const char* name : refused) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture
    if (int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), nr, 0); rc < 0)
      return fail(name, rc);
  }
  // A clone that asks for any new namespace: one rule per flag, since a
  // rule compares (flags & mask) == value and the rules of a syscall OR.
  for (const unsigned long flag : namespace_flags)
    if (int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                  SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
        rc < 0)
      return fail("clone", rc);
  if (int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0); rc < 0)
    return fail("clone3", rc);
  // Exported through a memfd: libseccomp 2.5 writes the program to an fd.
  const int fd = memfd_create("stratus-seccomp", MFD_CLOEXEC);
  if (fd < 0) return {{}, std::string("memfd_create: ") + std::strerror(errno)};
  std::unique_ptr<int, void (*)(int*)> closer(new int(fd), [](int* p) {
    ::close(*p);
    delete p;
  });
  if (int rc = seccomp_export_bpf(ctx.get(), fd); rc < 0) return fail("seccomp_export_bpf", rc);
  const off_t size = lseek(fd, 0, SEEK_END);
  if (size <= 0 || size % sizeof(sock_filter) != 0) return {{}, "seccomp_export_bpf: no program"};
  out.instructions.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
  if (pread(fd, out.instructions.data(), static_cast<std::size_t>(size), 0) != size)
    return {{}, std::string("reading the seccomp program: ") + std::strerror(errno)};
  return out;
}

}  // namespace

const seccomp_program& function_filter() {
  static const seccomp_program program = compile();
  return program;
}

const std::vector<const char*>& refused_syscalls() {
  return refused;
}

}  // namespace stratus::runtime
