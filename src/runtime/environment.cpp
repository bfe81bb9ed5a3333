#include "runtime/environment.hpp"

// GCC 12 reports Asio's coroutine frame allocator as mismatched new/delete
// for some coroutines (start() here), a false positive of that compiler:
// the frame is allocated and freed by the same class.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <fmt/format.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <cstring>
#include <random>

#include "common/base64.hpp"
#include "runtime/egress.hpp"
#include "runtime/log_lines.hpp"
#include "runtime/process.hpp"
#include "runtime/seccomp.hpp"

namespace stratus::runtime {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

using clock = std::chrono::steady_clock;
constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds rss_poll_interval{20};

double millis_since(clock::time_point start) {
  return std::chrono::duration<double, std::milli>(clock::now() - start).count();
}

std::string error_document(std::string_view type, std::string_view message) {
  return json::serialize(json::object{{"errorType", type}, {"errorMessage", message}});
}

// "Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0", as X-Ray ids look.
std::string trace_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[96];
  const auto epoch = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  std::snprintf(buf, sizeof buf, "Root=1-%08llx-%08llx%016llx;Parent=%016llx;Sampled=0",
                static_cast<unsigned long long>(epoch),
                static_cast<unsigned long long>(rng() & 0xffffffffULL),
                static_cast<unsigned long long>(rng()), static_cast<unsigned long long>(rng()));
  return buf;
}

// Hard links (the package is shared, read-only, with the control plane's
// copy); a copy when the work directory is on another file system.
std::optional<std::string> link_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) return "cannot create " + to.string() + ": " + ec.message();
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path target = to / fs::relative(it->path(), from);
    const auto status = it->symlink_status();
    if (fs::is_symlink(status)) {
      fs::copy_symlink(it->path(), target, ec);
    } else if (fs::is_directory(status)) {
      fs::create_directory(target, ec);
      if (!ec) fs::permissions(target, fs::perms(0755), ec);
    } else if (fs::is_regular_file(status)) {
      // Lambda runs packages whose files are readable by everyone (it
      // refuses others): keep them so for the function's own uid.
      auto perms = status.permissions();
      const auto wanted = perms | fs::perms::group_read | fs::perms::others_read |
                          ((perms & fs::perms::owner_exec) != fs::perms::none
                               ? fs::perms::group_exec | fs::perms::others_exec
                               : fs::perms::none);
      if (wanted != perms) fs::permissions(it->path(), wanted, ec);
      ec.clear();
      fs::create_hard_link(it->path(), target, ec);
      if (ec) {
        ec.clear();
        fs::copy_file(it->path(), target, ec);
        if (!ec) fs::permissions(target, wanted, ec);
      }
    }
    if (ec) return "cannot prepare " + target.string() + ": " + ec.message();
  }
  if (ec) return "cannot read " + from.string() + ": " + ec.message();
  return std::nullopt;
}

}  // namespace

environment::environment(asio::io_context& io, asio::any_io_executor executor,
                         lambda::function_spec function, environment_setup setup,
                         const options& opts, lambda::log_sink& sink)
    : io_(io),
      executor_(std::move(executor)),
      function_(std::move(function)),
      setup_(std::move(setup)),
      opts_(opts),
      sink_(sink),
      events_(executor_, 64),
      work_(executor_, 1),
      timer_(executor_),
      poll_timer_(executor_) {}

environment::~environment() = default;

std::optional<std::string> environment::prepare_directories(runtime_family family) {
  std::error_code ec;
  const fs::path& dir = setup_.dir;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  if (auto failed = link_tree(function_.code_dir, dir / "task")) return failed;
  // An isolated environment's /tmp is a tmpfs of its own (process.hpp);
  // otherwise TMPDIR points here.
  if (!setup_.uid) fs::create_directories(dir / "tmp", ec);
  if (family == runtime_family::node && !opts_.node_modules_dir.empty())
    fs::create_directory_symlink(opts_.node_modules_dir, dir / "node_modules", ec);
  ec.clear();
  if (setup_.uid) {
    // Only this environment's uid (through its group) may enter.
    const auto uid = *setup_.uid;
    if (::chown(dir.c_str(), 0, static_cast<gid_t>(uid)) != 0 || ::chmod(dir.c_str(), 0750) != 0)
      return "cannot set the owner of " + dir.string() + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

void environment::post_event(event e) {
  events_.try_send(boost::system::error_code{}, std::move(e));
}

asio::awaitable<environment::event> environment::next_event() {
  auto [ec, e] = co_await events_.async_receive(use_nothrow);
  if (ec) co_return event{event_kind::exited, {}, {}, 0, 0, 0};
  co_return std::move(e);
}

void environment::arm_timer(std::chrono::milliseconds after, std::uint64_t generation) {
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), generation](const boost::system::error_code& ec) {
    if (!ec) self->post_event({event_kind::timer, {}, {}, 0, 0, generation});
  });
}

void environment::arm_poll(std::uint64_t generation) {
  poll_timer_.expires_after(rss_poll_interval);
  poll_timer_.async_wait(
      [self = shared_from_this(), generation](const boost::system::error_code& ec) {
        if (!ec) self->post_event({event_kind::poll, {}, {}, 0, 0, generation});
      });
}

void environment::watch_exit() {
  pidfd_->async_wait(asio::posix::stream_descriptor::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       if (ec) return;
                       // Not reaped: the zombie holds the pid, so the
                       // group can still be signalled safely (stop reaps).
                       auto status = exit_status(self->pid_);
                       if (!status) {  // spurious wake-up
                         self->watch_exit();
                         return;
                       }
                       {
                         std::lock_guard lock(self->state_mutex_);
                         self->phase_ = phase::failed;
                       }
                       self->post_event({event_kind::exited, {}, {}, 0, *status, 0});
                     });
}

void environment::kill_now() {
  // Cheap enough for an I/O thread; stop() (on the teardown thread) also
  // sweeps the uid for processes that left the group. The leader is reaped
  // only in stop(), after this, so its group id is still ours.
  if (const pid_t pid = pid_; pid > 0) ::kill(-pid, SIGKILL);
  if (cgroup_) cgroup_->kill_all();
}

void environment::interrupt() {
  // Only the process group: cgroup_ and the rest belong to the owner.
  interrupted_ = true;
  if (const pid_t pid = pid_; pid > 0) ::kill(-pid, SIGKILL);
}

bool environment::out_of_memory(const event& exit) const {
  if (rss_exceeded_) return true;
  return cgroup_ && WIFSIGNALED(exit.wait_status) && WTERMSIG(exit.wait_status) == SIGKILL &&
         cgroup_->oom_killed();
}

std::size_t environment::memory_in_use() const {
  if (cgroup_) return cgroup_->memory_usage().anon;
  return rss_bytes(pid_);
}

int environment::max_memory_used_mb() const {
  std::size_t bytes = cgroup_ ? cgroup_->peak_memory_bytes() : 0;
  // The group's peak counts what /tmp holds; the REPORT counts memory only.
  if (bytes > 0 && sandbox_tmp_bytes_ > 0) {
    const auto now = cgroup_->memory_usage();
    bytes = std::max(now.anon, bytes > now.shmem ? bytes - now.shmem : 0);
  }
  if (bytes == 0 && pid_ > 0) bytes = peak_rss_bytes(pid_);
  constexpr std::size_t mb = 1024 * 1024;
  return static_cast<int>((bytes + mb - 1) / mb);
}

void environment::finish_lines(const std::string& request_id, double duration_ms,
                               std::string status, std::string error_type) {
  report r;
  r.request_id = request_id;
  r.duration_ms = duration_ms;
  r.memory_size_mb = function_.memory_mb;
  r.max_memory_used_mb = max_memory_used_mb();
  r.init_duration_ms = std::exchange(init_duration_ms_, std::nullopt);
  r.status = std::move(status);
  r.error_type = std::move(error_type);
  logs_->platform_lines({end_line(request_id), report_line(r)});
}

lambda::invoke_result environment::failed_init(const lambda::invoke_request& first,
                                               std::string error_type, std::string payload,
                                               std::string status) {
  lambda::invoke_result result;
  result.payload = std::move(payload);
  result.function_error = "Unhandled";
  if (logs_) {
    logs_->drain();
    logs_->begin_invocation();
    logs_->platform_lines(
        {fmt::format("INIT_REPORT Init Duration: {:.2f} ms\tPhase: init\tStatus: {}{}",
                     init_duration_ms_.value_or(0), status,
                     status == "error" ? "\tError Type: " + error_type : ""),
         start_line(first.request_id, function_.version)});
    init_duration_ms_.reset();
    finish_lines(first.request_id, 0, status, status == "error" ? error_type : "");
    if (first.tail_log) result.log_tail = logs_->tail();
  }
  return result;
}

asio::awaitable<std::optional<result<lambda::invoke_result>>> environment::start(
    const lambda::invoke_request& first) {
  const auto family = family_of(function_.runtime).value_or(runtime_family::provided);
  const auto invalid_entrypoint = [&](const std::string& why) {
    return failed_init(first, "Runtime.InvalidEntrypoint",
                       error_document("Runtime.InvalidEntrypoint",
                                      "RequestId: " + first.request_id + " Error: " + why),
                       "error");
  };

  const auto started_at = std::chrono::system_clock::now();
  logs_ = std::make_shared<log_collector>(sink_, function_.account, function_.region,
                                          log_group_name(function_.name),
                                          log_stream_name(started_at, function_.version));
  if (auto failed = prepare_directories(family)) co_return invalid_entrypoint(*failed);
  const fs::path task = setup_.dir / "task";
  if (family == runtime_family::provided) {
    std::error_code ec;
    if (!fs::exists(task / "bootstrap", ec))
      co_return invalid_entrypoint("Couldn't find valid bootstrap(s): [" +
                                   (task / "bootstrap").string() + " /opt/bootstrap]");
  }

  http::limits limits{16 * 1024, std::chrono::hours(24), std::chrono::minutes(5), 64};
  // A runtime that pipelines /next behind its result gets the 202 with the
  // next event: one wake-up per invocation.
  limits.hold_pipelined_answers = true;
  server_ = std::make_unique<http::server>(io_, *this, limits,
                                           std::vector<asio::any_io_executor>{executor_});
  port_ = server_->listen("127.0.0.1", 0);

  constexpr std::size_t mib = 1024 * 1024;
  const std::size_t memory_bytes = static_cast<std::size_t>(function_.memory_mb) * mib;
  // An isolated environment's /tmp is a tmpfs, whose pages the kernel
  // charges to the group: the group's ceiling is MemorySize plus
  // EphemeralStorage, and MemorySize is held against the processes' own
  // (anonymous) memory by polling (see invoke).
  if (setup_.uid)
    sandbox_tmp_bytes_ =
        static_cast<std::size_t>(std::max(1, function_.ephemeral_storage_mb)) * mib;
  if (setup_.groups) {
    std::string why;
    cgroup_ = setup_.groups->create(setup_.id, memory_bytes + sandbox_tmp_bytes_,
                                    opts_.max_processes, why);
    if (!cgroup_) {
      spdlog::error("lambda: not starting an environment of {}: {}", function_.name, why);
      co_return result<lambda::invoke_result>(
          api_error("ServiceException", "The environment's limits could not be set.", 500, false));
    }
  }
  if (cgroup_ && opts_.filter_egress && !cgroup_->v2_group().empty()) {
    // This machine's ports are closed to the function but for Stratus's
    // API, its own Runtime API and DNS (a local resolver such as
    // systemd-resolved's).
    egress_policy policy;
    policy.local_ports = {port_, 53};
    if (const auto colon = setup_.endpoint_url.rfind(':'); colon != std::string::npos)
      if (const int api = std::atoi(setup_.endpoint_url.c_str() + colon + 1);
          api > 0 && api < 65536)
        policy.local_ports.push_back(static_cast<std::uint16_t>(api));
    std::string why;
    egress_ = egress_filter::attach(cgroup_->v2_group(), policy, why);
    if (!egress_) {
      spdlog::error("lambda: not starting an environment of {}: {}", function_.name, why);
      co_return result<lambda::invoke_result>(api_error(
          "ServiceException", "The environment's sandbox could not be set up.", 500, false));
    }
  }
  const auto& filter = function_filter();
  if (!filter.error.empty()) {
    spdlog::error("lambda: not starting an environment of {}: no seccomp filter: {}",
                  function_.name, filter.error);
    co_return result<lambda::invoke_result>(api_error(
        "ServiceException", "The environment's sandbox could not be set up.", 500, false));
  }

  launch_facts facts;
  facts.task_root = task;
  facts.runtime_api = "127.0.0.1:" + std::to_string(port_);
  facts.log_stream = logs_->stream();
  facts.tmp_dir = setup_.uid ? "/tmp" : (setup_.dir / "tmp").string();
  facts.endpoint_url = setup_.endpoint_url;
  facts.credentials = setup_.credentials;
  const auto command = make_launch_command(function_, family, facts, opts_);

  process_spec spec;
  spec.program = command.program;
  spec.argv = command.argv;
  spec.env = command.env;
  spec.cwd = task;
  spec.uid = setup_.uid;
  if (setup_.uid) spec.sandbox_tmp_bytes = sandbox_tmp_bytes_;
  spec.seccomp = &filter.instructions;
  if (cgroup_) spec.cgroup_procs = cgroup_->procs_files();
  // Without a pids cgroup, RLIMIT_NPROC (per uid, so only with our own uid)
  // is what stops a fork bomb.
  if (setup_.uid) spec.max_processes = opts_.max_processes;
  spec.max_open_files = opts_.max_open_files;

  const auto spawn_started = clock::now();
  spawn_failure why;
  auto child = spawn(spec, why);
  if (!child) {
    // AWS words it as Go's exec does.
    std::string reason = std::strerror(why.error);
    if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
    co_return invalid_entrypoint(why.step == "exec" ? "fork/exec " + command.program + ": " + reason
                                                    : why.step + ": " + reason);
  }
  pid_ = child->pid;
  // Shut down while it was being spawned: interrupt() found no process yet.
  if (interrupted_) kill_now();
  pidfd_ = std::make_unique<asio::posix::stream_descriptor>(executor_, child->pidfd);
  logs_->watch(executor_, child->stdout_fd, child->stderr_fd);
  watch_exit();

  const auto generation = ++generation_;
  arm_timer(opts_.init_timeout, generation);
  for (;;) {
    event e = co_await next_event();
    switch (e.kind) {
      case event_kind::ready:
        timer_.cancel();
        init_duration_ms_ = millis_since(spawn_started);
        co_return std::nullopt;
      case event_kind::init_error: {
        timer_.cancel();
        init_duration_ms_ = millis_since(spawn_started);
        auto type = e.error_type.empty() ? std::string("Runtime.Unknown") : e.error_type;
        co_return failed_init(first, type, std::move(e.body), "error");
      }
      case event_kind::exited: {
        timer_.cancel();
        init_duration_ms_ = millis_since(spawn_started);
        const std::string why_exit =
            WIFEXITED(e.wait_status) && WEXITSTATUS(e.wait_status) == 0
                ? "Runtime exited without providing a reason"
                : "Runtime exited with error: " + describe_wait_status(e.wait_status);
        const std::string type = out_of_memory(e) ? "Runtime.OutOfMemory" : "Runtime.ExitError";
        co_return failed_init(
            first, type,
            error_document(type, "RequestId: " + first.request_id + " Error: " + why_exit),
            "error");
      }
      case event_kind::timer:
        if (e.generation != generation) break;
        kill_now();
        init_duration_ms_ = millis_since(spawn_started);
        co_return failed_init(
            first, "Sandbox.Timedout",
            error_document("Sandbox.Timedout",
                           fmt::format("RequestId: {} Error: Task timed out after {:.2f} seconds",
                                       first.request_id, opts_.init_timeout.count() / 1000.0)),
            "timeout");
      default:
        break;
    }
  }
}

asio::awaitable<invocation_outcome> environment::invoke(const lambda::invoke_request& request) {
  invocation_outcome out;
  const auto generation = ++generation_;
  const double timeout_s = std::max(1, function_.timeout_seconds);
  logs_->begin_invocation(start_line(request.request_id, function_.version));

  invocation inv;
  inv.request_id = request.request_id;
  inv.payload = request.payload.empty() ? std::string("{}") : request.payload;
  inv.deadline_ms = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count() +
                                   static_cast<long long>(timeout_s * 1000));
  inv.function_arn = function_.arn;
  inv.trace_id = trace_id();
  if (!request.client_context.empty()) {
    // The Invoke API takes it base64-encoded; runtimes get the JSON text.
    inv.client_context = base64_decode(request.client_context).value_or(request.client_context);
  }
  const auto started = clock::now();
  work_.try_send(boost::system::error_code{}, std::move(inv));
  arm_timer(std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000)), generation);
  if (!cgroup_ || sandbox_tmp_bytes_ > 0) arm_poll(generation);

  std::string status, error_type;
  for (bool done = false; !done;) {
    event e = co_await next_event();
    switch (e.kind) {
      case event_kind::response:
        out.result.payload = std::move(e.body);
        done = true;
        break;
      case event_kind::function_error:
        out.result.payload = std::move(e.body);
        out.result.function_error = "Unhandled";
        status = "error";
        error_type = e.error_type;
        done = true;
        break;
      case event_kind::too_large:
        out.result.payload = error_document(
            "Function.ResponseSizeTooLarge",
            fmt::format("Response payload size ({} bytes) exceeded maximum allowed payload size "
                        "({} bytes).",
                        e.size, opts_.max_response_bytes));
        out.result.function_error = "Unhandled";
        status = "error";
        error_type = "Function.ResponseSizeTooLarge";
        done = true;
        break;
      case event_kind::exited: {
        kill_now();  // what the runtime left behind
        {
          std::lock_guard lock(state_mutex_);
          if (current_id_ != request.request_id) {
            // It exited between invocations (after an uncaught exception,
            // say): this event never reached it.
            timer_.cancel();
            poll_timer_.cancel();
            out.reusable = false;
            out.undelivered = true;
            co_return out;
          }
        }
        const bool oom = out_of_memory(e);
        error_type = oom ? "Runtime.OutOfMemory" : "Runtime.ExitError";
        const std::string why =
            WIFEXITED(e.wait_status) && WEXITSTATUS(e.wait_status) == 0
                ? "Runtime exited without providing a reason"
                : "Runtime exited with error: " + describe_wait_status(e.wait_status);
        const std::string message = "RequestId: " + request.request_id + " Error: " + why;
        out.result.payload = error_document(error_type, message);
        out.result.function_error = "Unhandled";
        out.reusable = false;
        status = "error";
        logs_->platform_lines({message, error_type});
        done = true;
        break;
      }
      case event_kind::timer:
        if (e.generation != generation) break;
        kill_now();
        logs_->platform_lines(
            {timeout_line(std::chrono::system_clock::now(), request.request_id, timeout_s)});
        out.result.payload =
            error_document("Sandbox.Timedout",
                           fmt::format("RequestId: {} Error: Task timed out after {:.2f} seconds",
                                       request.request_id, timeout_s));
        out.result.function_error = "Unhandled";
        out.reusable = false;
        status = "timeout";
        done = true;
        break;
      case event_kind::poll:
        if (e.generation != generation) break;
        if (memory_in_use() > static_cast<std::size_t>(function_.memory_mb) * 1024 * 1024) {
          // Over MemorySize while the group's ceiling (which leaves room
          // for /tmp) has not struck, or with no cgroup at all: killed as
          // the OOM killer would.
          rss_exceeded_ = true;
          kill_now();
        } else {
          arm_poll(generation);
        }
        break;
      default:
        break;
    }
  }
  timer_.cancel();
  poll_timer_.cancel();
  finish_lines(request.request_id, millis_since(started), status, error_type);
  if (request.tail_log) out.result.log_tail = logs_->tail();
  co_return out;
}

bool environment::alive() const {
  std::lock_guard lock(state_mutex_);
  return phase_ != phase::failed && !stopped_;
}

void environment::stop() {
  if (stopped_.exchange(true)) return;
  work_.close();
  events_.close();
  if (server_) server_->stop([self = shared_from_this()] {});
  // The uid goes back to the pool only once nothing of it runs any more.
  // With the read-only sandbox, what it wrote lived in its namespace's
  // tmpfs mounts, gone with its last process.
  // The group is signalled before the leader is reaped, while its id is
  // still ours; the uid after, as the leader's zombie would count as alive.
  if (pid_ > 0) ::kill(-pid_, SIGKILL);
  if (cgroup_) cgroup_->kill_all();
  if (pid_ > 0) {
    // SIGKILLed: the exit is immediate. The exit watcher may reap it first.
    for (int i = 0; i < 1000 && !try_reap(pid_); ++i) usleep(1000);
  }
  if (setup_.uid) uid_clear_ = kill_uid(*setup_.uid);
  if (logs_) logs_->close();
  if (pidfd_) {
    // The owner cancels its own timers; the exit watcher's descriptor is
    // closed where it waits.
    asio::post(executor_, [self = shared_from_this()] {
      boost::system::error_code ec;
      self->pidfd_->close(ec);
    });
  }
  egress_.reset();
  cgroup_.reset();
  std::error_code ec;
  fs::remove_all(setup_.dir, ec);
}

}  // namespace stratus::runtime
