#pragma once
// The seccomp filter every runtime process runs under: what a function has
// no business doing (namespaces, mounts, tracing other processes, kernel
// keyrings, BPF, loading modules or kernels, changing the clock, io_uring)
// fails with EPERM, as inside AWS's sandbox; everything else is allowed.
// clone3 answers ENOSYS so that C libraries fall back to clone, whose flags
// a filter can see (namespace flags are refused there).
//
// The program is compiled once, in the parent, so that the forked child
// only has to hand it to the kernel (prctl is async-signal-safe).
//
// Thread-safety: function_filter() may be called from any thread.

#include <linux/filter.h>

#include <string>
#include <vector>

namespace stratus::runtime {

struct seccomp_program {
  std::vector<sock_filter> instructions;
  std::string error;  // why there is no program (then `instructions` is empty)
};

// The compiled filter for this machine's architecture.
[[nodiscard]] const seccomp_program& function_filter();

// The syscalls the filter refuses with EPERM, by name (for the docs' tests).
[[nodiscard]] const std::vector<const char*>& refused_syscalls();

}  // namespace stratus::runtime
