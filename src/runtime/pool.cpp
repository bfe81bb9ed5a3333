#include "runtime/pool.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/execution/context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/this_coro.hpp>
#include <cstring>
#include <future>
#include <optional>
#include <random>

#include "runtime/environment.hpp"
#include "runtime/launch.hpp"

namespace stratus::runtime {
namespace fs = std::filesystem;

namespace {

// Whether two executors run on the same execution context (thread, for the
// server's single-threaded connection contexts).
bool same_context(const boost::asio::any_io_executor& a, const boost::asio::any_io_executor& b) {
  return &boost::asio::query(a, boost::asio::execution::context) ==
         &boost::asio::query(b, boost::asio::execution::context);
}

api_error too_many_requests(std::string_view reason) {
  return api_error("TooManyRequestsException", "Rate Exceeded.", 429, true,
                   boost::json::object{{"Reason", reason}, {"Type", "User"}});
}

std::string random_hex32() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

// A directory only root could have made and only root can change: owned by
// us (root), a real directory (not a symlink), writable by no one else, and
// so is each ancestor, unless sticky (whose entries others cannot rename).
// Function uids can write to world-writable places such as /var/tmp and
// could plant a directory or a symlink there for a future server to adopt.
std::optional<std::string> untrusted(const fs::path& dir) {
  for (fs::path p = dir;; p = p.parent_path()) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return p.string() + ": " + std::strerror(errno);
    if (!S_ISDIR(st.st_mode)) return p.string() + " is not a directory";
    if (st.st_uid != ::geteuid())
      return p.string() + " belongs to uid " + std::to_string(st.st_uid);
    const bool others_write = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
    if (others_write && (p == dir || (st.st_mode & S_ISVTX) == 0))
      return p.string() + " is writable by others";
    if (p == p.parent_path()) return std::nullopt;
  }
}

// Creates `dir` (and missing ancestors) with `mode` and checks it is trusted.
std::optional<std::string> make_trusted_dir(const fs::path& dir, mode_t mode) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  if (auto why = untrusted(dir)) return why;
  if (::chmod(dir.c_str(), mode) != 0) return "cannot chmod " + dir.string();
  return std::nullopt;
}

// A directory of our own under `parent`, made by an exclusive mkdir: never
// one that already exists, whoever made it.
std::optional<fs::path> make_fresh_dir(const fs::path& parent, const std::string& prefix,
                                       mode_t mode) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    const fs::path dir = parent / (prefix + random_hex32().substr(0, 12));
    if (::mkdir(dir.c_str(), 0700) == 0) {
      if (::chmod(dir.c_str(), mode) != 0) return std::nullopt;
      return dir;
    }
    if (errno != EEXIST) return std::nullopt;
  }
  return std::nullopt;
}

// A copy of `from` at `to` that every uid can read; `shared`: reuse one
// already there (made by an earlier server), and publish atomically so that
// concurrent servers never see half a copy.
std::optional<fs::path> readable_copy(const fs::path& from, const fs::path& to,
                                      bool shared = false) {
  std::error_code ec;
  if (shared && fs::exists(to, ec)) return to;
  const fs::path staging =
      shared ? fs::path(to.string() + ".tmp-" + std::to_string(::getpid())) : to;
  fs::remove_all(staging, ec);
  fs::copy(from, staging, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) {
    spdlog::warn("lambda: cannot copy {} for functions: {}", from.string(), ec.message());
    return std::nullopt;
  }
  for (auto it = fs::recursive_directory_iterator(staging, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec))
    fs::permissions(it->path(), fs::perms::others_read | fs::perms::group_read,
                    fs::perm_options::add | fs::perm_options::nofollow, ec);
  fs::permissions(staging, fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add,
                  ec);
  if (shared) {
    fs::rename(staging, to, ec);
    if (ec) fs::remove_all(staging, ec);  // another server published it first
  }
  return to;
}

// Whether a function running as its own uid cannot see `dir`: closed to
// other uids (the 0700 data directory), or under a directory its sandbox
// replaces with one of its own.
bool hidden_from_functions(const fs::path& dir) {
  const auto abs = fs::absolute(dir).lexically_normal();
  for (const fs::path replaced : {"/tmp", "/var/tmp", "/dev/shm"}) {
    const auto rel = abs.lexically_relative(replaced);
    if (!rel.empty() && *rel.begin() != "..") return true;
  }
  for (fs::path p = abs;; p = p.parent_path()) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0) return true;
    if (p == p.parent_path()) return false;
  }
}

options normalized(options o) {
  if (o.bootstrap_dir.empty()) o.bootstrap_dir = default_bootstrap_dir();
  if (o.node_modules_dir.empty()) o.node_modules_dir = default_node_modules_dir();
  if (!o.credentials) o.credentials = account_credentials;
  return o;
}

}  // namespace

pool::pool(boost::asio::io_context& io, options opts, lambda::log_sink& sink,
           std::vector<boost::asio::any_io_executor> executors)
    : io_(io),
      executors_(std::move(executors)),
      opts_(normalized(std::move(opts))),
      sink_(sink),
      reaper_(io) {
  isolating_ = opts_.isolate && ::geteuid() == 0;
  if (opts_.isolate && !isolating_)
    spdlog::warn(
        "lambda: not running as root, so functions run as Stratus's own user, without their own "
        "uid, sandbox or private /tmp (a developer-laptop mode with no isolation)");
  auto& mutable_opts = const_cast<options&>(opts_);
  std::error_code ec;
  if (!isolating_) {
    // Functions run as Stratus: a directory of its own anywhere will do.
    if (mutable_opts.work_dir.empty()) {
      if (auto dir = make_fresh_dir(fs::temp_directory_path(),
                                    "stratus-lambda-" + std::to_string(::getpid()) + "-", 0700))
        mutable_opts.work_dir = *dir;
    } else {
      fs::create_directories(mutable_opts.work_dir, ec);
    }
  } else if (auto why = make_trusted_dir(opts_.isolation_root, 0711)) {
    // Without a root nobody else controls, functions could swap what root
    // then chowns, chmods and mounts: no environment starts.
    setup_error_ = "the isolation root is not safe to use: " + *why;
    spdlog::error("lambda: {}; no function can run", setup_error_);
  } else if (auto dir = make_fresh_dir(opts_.isolation_root,
                                       "lambda-" + std::to_string(::getpid()) + "-", 0711)) {
    // Others may pass (to their own environment's directory), not list.
    mutable_opts.work_dir = *dir;
  } else {
    setup_error_ = "cannot create a work directory under " + opts_.isolation_root.string();
    spdlog::error("lambda: {}; no function can run", setup_error_);
  }
  if (isolating_ && setup_error_.empty()) {
    // The bootstraps and the SDKs live in the source tree by default; a tree
    // under /tmp (a CI checkout) is hidden by the functions' sandbox, and a
    // private one is closed to their uids: they get a copy. The bootstraps
    // are small (a copy per server); the SDKs (~130 MB) are copied once per
    // machine and npm install, shared by every server.
    if (!mutable_opts.bootstrap_dir.empty() && fs::exists(mutable_opts.bootstrap_dir) &&
        hidden_from_functions(mutable_opts.bootstrap_dir))
      if (auto copy = readable_copy(mutable_opts.bootstrap_dir, opts_.work_dir / "bootstrap"))
        mutable_opts.bootstrap_dir = *copy;
    const fs::path deps_root = opts_.isolation_root / "runtime-deps";
    if (!mutable_opts.node_modules_dir.empty() && fs::exists(mutable_opts.node_modules_dir) &&
        hidden_from_functions(mutable_opts.node_modules_dir) &&
        !make_trusted_dir(deps_root, 0711)) {
      const auto stamp =
          fs::last_write_time(mutable_opts.node_modules_dir / ".package-lock.json", ec);
      const auto key =
          std::hash<std::string>{}(fs::absolute(mutable_opts.node_modules_dir).string() + "@" +
                                   std::to_string(stamp.time_since_epoch().count()));
      // Only root can create entries under the trusted deps root, so one
      // already there was published by another server and may be shared.
      if (auto copy = readable_copy(mutable_opts.node_modules_dir,
                                    deps_root / fmt::format("{:016x}", key), true))
        mutable_opts.node_modules_dir = *copy;
    }
    uid_locks_dir_ = opts_.isolation_root / "uids";
    if (auto why = make_trusted_dir(uid_locks_dir_, 0700)) {
      setup_error_ = "cannot lease uids: " + *why;
      spdlog::error("lambda: {}; no function can run", setup_error_);
    }
    for (const auto& dir : opts_.private_dirs) {
      if (::chmod(dir.c_str(), 0700) != 0)
        spdlog::warn("lambda: cannot make {} private: {}", dir.string(), std::strerror(errno));
    }
  }
  if (opts_.use_cgroups) {
    groups_ = cgroups::detect("stratus-" + std::to_string(::getpid()));
    if (!groups_)
      spdlog::warn(
          "lambda: this machine offers no usable cgroups: memory limits are held by polling each "
          "runtime's RSS, processes only by RLIMIT_NPROC, and REPORT lines show the runtime's "
          "own peak");
  }
  if (opts_.filter_egress && (!groups_ || !groups_->has_v2()))
    spdlog::warn(
        "lambda: no cgroup v2 hierarchy here: functions can reach every port of this machine and "
        "its cloud metadata address");
  schedule_reap();
}

pool::~pool() {
  shutdown();
}

std::string pool::function_key(const lambda::function_spec& f) {
  return f.account + '\n' + f.region + '\n' + f.name;
}

std::string pool::configuration_key(const lambda::function_spec& f) {
  std::string key = f.version + '\n' + f.code_sha256 + '\n' + f.last_modified + '\n' + f.runtime +
                    '\n' + f.handler + '\n' + f.code_dir.string() + '\n' + f.role_arn + '\n' +
                    std::to_string(f.memory_mb) + '\n' + std::to_string(f.timeout_seconds) + '\n' +
                    f.arn + '\n';
  for (const auto& [k, v] : f.environment) key += k + '=' + v + '\n';
  return key;
}

std::optional<std::uint32_t> pool::take_uid() {
  if (!isolating_) return std::nullopt;
  std::lock_guard lock(mutex_);
  for (;;) {
    std::uint32_t uid;
    if (!free_uids_.empty()) {
      uid = free_uids_.back();
      free_uids_.pop_back();
    } else if (next_uid_ < opts_.uid_count) {
      uid = opts_.uid_base + next_uid_++;
    } else {
      return std::nullopt;
    }
    const auto file = uid_locks_dir_ / std::to_string(uid);
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return std::nullopt;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      uid_locks_[uid] = fd;
      return uid;
    }
    ::close(fd);  // another server's environment runs as this uid
  }
}

void pool::give_back_uid(std::uint32_t uid) {
  std::lock_guard lock(mutex_);
  if (auto it = uid_locks_.find(uid); it != uid_locks_.end()) {
    ::close(it->second);
    uid_locks_.erase(it);
  }
  free_uids_.push_back(uid);
}

boost::asio::any_io_executor pool::home_for(const boost::asio::any_io_executor& here) {
  if (executors_.empty()) return io_.get_executor();
  for (const auto& ex : executors_)
    if (same_context(ex, here)) return ex;
  return executors_[next_executor_++ % executors_.size()];
}

boost::asio::awaitable<result<lambda::invoke_result>> pool::invoke(
    const lambda::function_spec& function, lambda::invoke_request request) {
  if (!family_of(function.runtime)) {
    co_return api_error(
        "InvalidRuntimeException",
        "The runtime parameter of " + function.runtime + " is not supported by Stratus.", 502,
        false);
  }
  const std::string fkey = function_key(function);
  const std::string ckey = configuration_key(function);
  std::shared_ptr<environment> env;
  std::uint64_t generation = 0;
  const auto here = co_await boost::asio::this_coro::executor;
  {
    std::lock_guard lock(mutex_);
    if (shut_down_) co_return api_error("ServiceException", "Lambda is shutting down.", 500, false);
    if (!setup_error_.empty())
      co_return api_error("ServiceException", "Stratus cannot run functions: " + setup_error_, 500,
                          false);
    auto& state = functions_[fkey];
    if (function.reserved_concurrency && state.in_flight >= *function.reserved_concurrency)
      co_return too_many_requests("ReservedFunctionConcurrentInvocationLimitExceeded");
    if (account_in_flight_ >= opts_.account_concurrency)
      co_return too_many_requests("ConcurrentInvocationLimitExceeded");
    ++state.in_flight;
    ++account_in_flight_;
    generation = state.generation;
    if (auto it = state.idle.find(ckey); it != state.idle.end()) {
      auto& idle = it->second;
      while (!env && !idle.empty()) {
        // The warmest on this thread, else the warmest.
        auto pick = std::prev(idle.end());
        for (auto i = idle.rbegin(); i != idle.rend(); ++i) {
          if (same_context(i->env->executor(), here)) {
            pick = std::prev(i.base());
            break;
          }
        }
        env = std::move(pick->env);
        idle.erase(pick);
        if (!env->alive()) dispose_locked(std::exchange(env, nullptr));
      }
    }
  }

  try {
    for (int attempt = 0;; ++attempt) {
      if (!env) {
        environment_setup setup;
        setup.id = random_hex32();
        setup.dir = opts_.work_dir / setup.id;
        setup.uid = take_uid();
        if (isolating_ && !setup.uid) {
          release(fkey, ckey, nullptr, generation, false);
          co_return too_many_requests("ConcurrentInvocationLimitExceeded");
        }
        setup.groups = groups_ ? &*groups_ : nullptr;
        setup.endpoint_url = opts_.endpoint_url ? opts_.endpoint_url() : std::string();
        setup.credentials = opts_.credentials(function);
        env = std::make_shared<environment>(io_, home_for(here), function, std::move(setup), opts_,
                                            sink_);
        {
          std::lock_guard lock(mutex_);
          all_.insert(env);
        }
        if (auto failed = co_await env->start(request)) {
          release(fkey, ckey, env, generation, false);
          co_return std::move(*failed);
        }
      }
      auto outcome = co_await env->invoke(request);
      if (outcome.undelivered && attempt == 0) {
        // A warm environment that died while idle: as on AWS, the event
        // goes to a fresh one.
        std::lock_guard lock(mutex_);
        dispose_locked(std::exchange(env, nullptr));
        continue;
      }
      release(fkey, ckey, env, generation, outcome.reusable);
      co_return std::move(outcome.result);
    }
  } catch (const std::exception& e) {
    spdlog::error("lambda: invoking {} failed: {}", function.name, e.what());
    release(fkey, ckey, env, generation, false);
    co_return api_error("ServiceException", "The environment failed: " + std::string(e.what()), 500,
                        false);
  }
}

void pool::release(const std::string& fkey, const std::string& ckey,
                   std::shared_ptr<environment> env, std::uint64_t generation, bool reusable) {
  std::lock_guard lock(mutex_);
  auto& state = functions_[fkey];
  --state.in_flight;
  if (--account_in_flight_ == 0 && shut_down_) drained_.notify_all();
  if (!env) return;
  if (reusable && !shut_down_ && generation == state.generation) {
    state.idle[ckey].push_back({std::move(env), std::chrono::steady_clock::now(), generation});
    return;
  }
  dispose_locked(std::move(env));
}

void pool::dispose_locked(std::shared_ptr<environment> env) {
  all_.erase(env);
  boost::asio::post(teardown_, [this, env = std::move(env)] {
    env->stop();
    if (const auto uid = env->uid()) {
      if (env->uid_clear()) {
        give_back_uid(*uid);
      } else {
        // Its lease (the flock) stays held, so no server hands it out.
        spdlog::error(
            "lambda: processes of uid {} survived their environment; the uid is not "
            "reused",
            *uid);
      }
    }
  });
}

void pool::retire(const std::string& account, const std::string& region, const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = functions_.find(account + '\n' + region + '\n' + name);
  if (it == functions_.end()) return;
  ++it->second.generation;  // busy environments are stopped when released
  for (auto& [key, list] : it->second.idle)
    for (auto& idle : list) dispose_locked(std::move(idle.env));
  it->second.idle.clear();
}

void pool::schedule_reap() {
  const auto interval = std::clamp<std::chrono::milliseconds>(
      opts_.idle_keep_alive / 4, std::chrono::milliseconds(50), std::chrono::seconds(30));
  reaper_.expires_after(interval);
  reaper_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    reap();
    std::lock_guard lock(mutex_);
    if (!shut_down_) schedule_reap();
  });
}

void pool::reap() {
  const auto cutoff = std::chrono::steady_clock::now() - opts_.idle_keep_alive;
  std::lock_guard lock(mutex_);
  for (auto fit = functions_.begin(); fit != functions_.end();) {
    auto& state = fit->second;
    for (auto cit = state.idle.begin(); cit != state.idle.end();) {
      std::erase_if(cit->second, [&](idle_env& idle) {
        if (idle.since > cutoff) return false;
        dispose_locked(std::move(idle.env));
        return true;
      });
      cit = cit->second.empty() ? state.idle.erase(cit) : std::next(cit);
    }
    // Nothing runs and nothing waits: no environment carries this entry's
    // generation any more, so it can go (deleted functions leave no trace).
    fit = state.in_flight == 0 && state.idle.empty() ? functions_.erase(fit) : std::next(fit);
  }
}

void pool::shutdown() {
  std::vector<std::shared_ptr<environment>> busy;
  {
    std::lock_guard lock(mutex_);
    if (shut_down_) return;
    shut_down_ = true;
    // Idle environments have no owner: they are stopped here. Busy ones
    // belong to the invocation running them, which still reads their state
    // (their cgroup, say): they are only interrupted, and each invocation
    // finishes and hands its environment back to release(), which disposes
    // of it since the pool is shut down.
    for (auto& [fkey, state] : functions_) {
      for (auto& [ckey, list] : state.idle)
        for (auto& idle : list) dispose_locked(std::move(idle.env));
      state.idle.clear();
    }
    busy.assign(all_.begin(), all_.end());
  }
  // The reaper's timer belongs to the I/O threads; once its cancellation
  // has run, nothing of this pool is touched from them again.
  if (io_.stopped() || io_.get_executor().running_in_this_thread()) {
    reaper_.cancel();
  } else {
    std::promise<void> cancelled;
    boost::asio::post(io_, [this, &cancelled] {
      reaper_.cancel();
      cancelled.set_value();
    });
    cancelled.get_future().wait_for(std::chrono::seconds(5));
  }
  for (const auto& env : busy) env->interrupt();
  {
    // Invocations end within moments of their runtime's death; the bound
    // only keeps a stuck one from holding shutdown for ever.
    std::unique_lock lock(mutex_);
    drained_.wait_for(lock, std::chrono::seconds(10), [this] { return account_in_flight_ == 0; });
  }
  teardown_.join();
  {
    std::lock_guard lock(mutex_);
    for (const auto& [uid, fd] : uid_locks_) ::close(fd);
    uid_locks_.clear();
  }
  if (groups_) groups_->remove();
  std::error_code ec;
  fs::remove_all(opts_.work_dir, ec);
}

std::size_t pool::environment_count() const {
  std::lock_guard lock(mutex_);
  return all_.size();
}

std::size_t pool::idle_count() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [fkey, state] : functions_)
    for (const auto& [ckey, list] : state.idle) n += list.size();
  return n;
}

}  // namespace stratus::runtime
