#include "runtime/cgroup.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace stratus::runtime {
namespace fs = std::filesystem;
namespace {

bool write_file(const fs::path& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
  f.flush();
  return static_cast<bool>(f);
}

std::string read_file(const fs::path& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// This process's own group in a hierarchy: "/x/y" from /proc/self/cgroup
// ("0::/x/y" for v2, "4:memory:/x/y" for v1).
std::optional<std::string> own_group(const std::string& controller) {
  std::ifstream f("/proc/self/cgroup");
  std::string line;
  while (std::getline(f, line)) {
    const auto a = line.find(':');
    const auto b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    bool match = controller.empty() ? controllers.empty() && line.substr(0, a) == "0" : false;
    if (!controller.empty()) {
      std::stringstream list(controllers);
      std::string c;
      while (std::getline(list, c, ','))
        if (c == controller) match = true;
    }
    if (match) return line.substr(b + 1);
  }
  return std::nullopt;
}

// Removes the groups a killed Stratus left behind: "stratus-<pid>" beside
// `base` whose pid is gone.
void remove_stale(const fs::path& base) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("stratus-") || entry.path() == base) continue;
    const pid_t pid = static_cast<pid_t>(std::atoi(name.c_str() + 8));
    if (pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    for (const auto& child : fs::directory_iterator(entry.path(), ec))
      if (child.is_directory()) fs::remove(child.path(), ec);
    fs::remove(entry.path(), ec);
  }
}

// Makes `dir` (creating it) and checks that it really is a cgroup we may use.
bool make_group(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  return !ec && fs::exists(dir / "cgroup.procs");
}

long long stat_value(const std::string& text, const std::string& key) {
  std::stringstream s(text);
  std::string k;
  long long v;
  while (s >> k >> v)
    if (k == key) return v;
  return 0;
}

}  // namespace

cgroup::cgroup(version v, fs::path memory, fs::path pids, fs::path unified)
    : version_(v),
      memory_(std::move(memory)),
      pids_(std::move(pids)),
      unified_(std::move(unified)) {
  if (!memory_.empty()) {
    const fs::path peak =
        memory_ / (version_ == version::v2 ? "memory.peak" : "memory.max_usage_in_bytes");
    peak_fd_ = ::open(peak.c_str(), O_RDONLY | O_CLOEXEC);
    stat_fd_ = ::open((memory_ / "memory.stat").c_str(), O_RDONLY | O_CLOEXEC);
  }
}

cgroup::~cgroup() {
  if (peak_fd_ >= 0) ::close(peak_fd_);
  if (stat_fd_ >= 0) ::close(stat_fd_);
  kill_all();
  // The kernel lets a group go once its last (zombie) task is reaped.
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::error_code e1, e2, e3;
    bool done = true;
    if (!memory_.empty() && fs::exists(memory_)) done &= fs::remove(memory_, e1) && !e1;
    if (!pids_.empty() && fs::exists(pids_)) done &= fs::remove(pids_, e2) && !e2;
    if (!unified_.empty() && fs::exists(unified_)) done &= fs::remove(unified_, e3) && !e3;
    if (done) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

std::vector<fs::path> cgroup::procs_files() const {
  std::vector<fs::path> files{memory_ / "cgroup.procs"};
  if (!pids_.empty()) files.push_back(pids_ / "cgroup.procs");
  if (!unified_.empty()) files.push_back(unified_ / "cgroup.procs");
  return files;
}

cgroup::usage cgroup::memory_usage() const {
  // A cgroup file read from offset 0 is generated afresh.
  std::string stat;
  if (stat_fd_ >= 0) {
    stat.resize(16 * 1024);
    const ssize_t n = ::pread(stat_fd_, stat.data(), stat.size(), 0);
    stat.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  } else {
    stat = read_file(memory_ / "memory.stat");
  }
  // v1's "rss" is anonymous memory (tmpfs pages count as "shmem", and in
  // "cache"); v2 names it "anon".
  const auto anon = stat_value(stat, version_ == version::v2 ? "anon" : "rss");
  const auto shmem = stat_value(stat, "shmem");
  return {static_cast<std::size_t>(std::max(0LL, anon)),
          static_cast<std::size_t>(std::max(0LL, shmem))};
}

bool cgroup::oom_killed() const {
  if (version_ == version::v2)
    return stat_value(read_file(memory_ / "memory.events"), "oom_kill") > 0;
  const std::string control = read_file(memory_ / "memory.oom_control");
  return stat_value(control, "oom_kill") > 0 || stat_value(control, "under_oom") > 0;
}

std::size_t cgroup::peak_memory_bytes() const {
  if (peak_fd_ < 0) return 0;
  // A cgroup file read from offset 0 is generated afresh.
  char buf[32];
  const ssize_t n = ::pread(peak_fd_, buf, sizeof buf, 0);
  std::size_t bytes = 0;
  if (n > 0) std::from_chars(buf, buf + n, bytes);
  return bytes;
}

void cgroup::kill_all() const {
  if (version_ == version::v2 && write_file(memory_ / "cgroup.kill", "1")) return;
  for (int round = 0; round < 100; ++round) {
    bool any = false;
    for (const auto& procs : procs_files()) {
      std::ifstream f(procs);
      pid_t pid;
      while (f >> pid) {
        any = true;
        ::kill(pid, SIGKILL);
      }
    }
    if (!any) return;
  }
}

std::optional<cgroups> cgroups::detect(const std::string& base_name) {
  cgroups found;
  const fs::path root = "/sys/fs/cgroup";
  if (fs::exists(root / "cgroup.controllers")) {
    // v2: a child of our own group cannot hold processes once controllers
    // are enabled below it, so environments go in a sibling tree at the root.
    const std::string controllers = read_file(root / "cgroup.controllers");
    if (controllers.find("memory") == std::string::npos) return std::nullopt;
    write_file(root / "cgroup.subtree_control", "+memory +pids");
    const fs::path base = root / base_name;
    remove_stale(base);
    if (!make_group(base)) return std::nullopt;
    write_file(base / "cgroup.subtree_control", "+memory +pids");
    if (!fs::exists(base / "cgroup.subtree_control") ||
        read_file(base / "cgroup.subtree_control").find("memory") == std::string::npos)
      return std::nullopt;
    found.version_ = cgroup::version::v2;
    found.memory_base_ = base;
    return found;
  }
  const auto memory_group = own_group("memory");
  if (!memory_group || !fs::exists(root / "memory" / "cgroup.procs")) return std::nullopt;
  const fs::path memory_base =
      root / "memory" / fs::path(*memory_group).relative_path() / base_name;
  remove_stale(memory_base);
  if (!make_group(memory_base)) return std::nullopt;
  found.version_ = cgroup::version::v1;
  found.memory_base_ = memory_base;
  if (const auto pids_group = own_group("pids"); pids_group && fs::exists(root / "pids")) {
    const fs::path pids_base = root / "pids" / fs::path(*pids_group).relative_path() / base_name;
    remove_stale(pids_base);
    if (make_group(pids_base)) found.pids_base_ = pids_base;
  }
  // A hybrid machine mounts the v2 hierarchy beside the v1 ones; groups
  // there hold no controllers but take BPF programs.
  if (const auto unified_group = own_group("");
      unified_group && fs::exists(root / "unified" / "cgroup.procs")) {
    const fs::path unified_base =
        root / "unified" / fs::path(*unified_group).relative_path() / base_name;
    remove_stale(unified_base);
    if (make_group(unified_base)) found.unified_base_ = unified_base;
  }
  return found;
}

void cgroups::remove() const {
  std::error_code ec;
  fs::remove(memory_base_, ec);
  if (!pids_base_.empty()) fs::remove(pids_base_, ec);
  if (!unified_base_.empty()) fs::remove(unified_base_, ec);
}

std::unique_ptr<cgroup> cgroups::create(const std::string& name, std::size_t memory_bytes,
                                        int max_pids, std::string& why) const {
  const fs::path memory = memory_base_ / name;
  if (!make_group(memory)) {
    why = "cannot create the cgroup " + memory.string();
    return nullptr;
  }
  fs::path pids, unified;
  auto limit = [&](const fs::path& file, const std::string& value, bool optional = false) {
    if (optional && !fs::exists(file)) return true;  // e.g. no swap accounting: no swap to limit
    if (write_file(file, value)) return true;
    why = "cannot write " + value + " to " + file.string() + ": " + std::strerror(errno);
    return false;
  };
  // v1's groups beside the memory one, each only when its base exists.
  auto join = [&](const fs::path& base, fs::path& group) {
    if (base.empty()) return true;
    if (!make_group(base / name)) {
      why = "cannot create the cgroup " + (base / name).string();
      return false;
    }
    group = base / name;
    return true;
  };
  const bool limited =
      version_ == cgroup::version::v2
          ? limit(memory / "memory.max", std::to_string(memory_bytes)) &&
                limit(memory / "memory.swap.max", "0", true) &&
                limit(memory / "pids.max", std::to_string(max_pids))
          : limit(memory / "memory.limit_in_bytes", std::to_string(memory_bytes)) &&
                limit(memory / "memory.swappiness", "0", true) && join(pids_base_, pids) &&
                (pids.empty() || limit(pids / "pids.max", std::to_string(max_pids))) &&
                join(unified_base_, unified);
  // The group owns its directories from here on: a failed limit removes it.
  auto group = std::make_unique<cgroup>(version_, memory, pids, unified);
  if (!limited) return nullptr;
  return group;
}

}  // namespace stratus::runtime
