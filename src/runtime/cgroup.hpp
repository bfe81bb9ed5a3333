#pragma once
// Control groups for environments: a memory limit (the function's
// MemorySize; the kernel's OOM killer enforces it), a pids limit (a fork
// bomb stays inside its environment), the peak memory for REPORT lines, and
// whether the OOM killer struck. Uses cgroup v2 when /sys/fs/cgroup is a
// writable unified hierarchy, else the v1 memory and pids hierarchies, else
// nothing (the caller then polls RSS).
//
// Thread-safety: `cgroups` is immutable after detect(); a `cgroup` belongs
// to one environment and is used by one owner at a time.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stratus::runtime {

class cgroup {
 public:
  enum class version { v1, v2 };
  // `unified`: on a v1 machine, a cgroup v2 group without controllers that
  // the environment joins too, for the egress filter; may be empty.
  cgroup(version v, std::filesystem::path memory, std::filesystem::path pids,
         std::filesystem::path unified = {});
  ~cgroup();  // removes the group's directories
  cgroup(const cgroup&) = delete;
  cgroup& operator=(const cgroup&) = delete;

  // The cgroup.procs files a new process writes its pid to.
  [[nodiscard]] std::vector<std::filesystem::path> procs_files() const;
  [[nodiscard]] bool oom_killed() const;
  [[nodiscard]] std::size_t peak_memory_bytes() const;
  // The group's anonymous memory (its processes' own, without page cache
  // and tmpfs) and its tmpfs/shared memory, from memory.stat.
  struct usage {
    std::size_t anon = 0;
    std::size_t shmem = 0;
  };
  [[nodiscard]] usage memory_usage() const;
  // SIGKILLs every process in the group.
  void kill_all() const;
  // The cgroup v2 directory the environment is in (where BPF programs
  // attach), or empty when there is none.
  [[nodiscard]] const std::filesystem::path& v2_group() const {
    return version_ == version::v2 ? memory_ : unified_;
  }

 private:
  version version_;
  std::filesystem::path memory_;   // v2: the one directory
  std::filesystem::path pids_;     // v1 only
  std::filesystem::path unified_;  // v1 only: the v2 group, if any
  // The peak-memory file, kept open: it is read after every invocation (the
  // REPORT line), and opening it through a stream each time cost a tenth of
  // the server's CPU per invoke.
  int peak_fd_ = -1;
  // memory.stat, kept open for the same reason (the REPORT line of an
  // environment with a tmpfs /tmp reads it after every invocation).
  int stat_fd_ = -1;
};

class cgroups {
 public:
  // nullopt when this machine offers no writable memory controller.
  [[nodiscard]] static std::optional<cgroups> detect(const std::string& base_name);
  // A group with these limits, or nullptr and `why` when a limit could not
  // be set: an environment never runs with less confinement than asked.
  [[nodiscard]] std::unique_ptr<cgroup> create(const std::string& name, std::size_t memory_bytes,
                                               int max_pids, std::string& why) const;
  [[nodiscard]] cgroup::version kind() const { return version_; }
  // Whether environments get a cgroup v2 group (for the egress filter).
  [[nodiscard]] bool has_v2() const {
    return version_ == cgroup::version::v2 || !unified_base_.empty();
  }
  // Removes the (empty) base groups; after every cgroup is gone.
  void remove() const;

 private:
  cgroup::version version_ = cgroup::version::v2;
  std::filesystem::path memory_base_;
  std::filesystem::path pids_base_;     // v1: may be empty (no pids hierarchy)
  std::filesystem::path unified_base_;  // v1: the v2 hierarchy beside it, may be empty
};

}  // namespace stratus::runtime
