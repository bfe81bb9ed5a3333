#pragma once
// One execution environment: a runtime process serving one function version,
// the Lambda Runtime API it talks to (its own loopback port), its log
// stream, its private directories and cgroup. The pool leases it to one
// invocation at a time.
//
// Life: start() spawns the runtime and waits for its first
// /invocation/next (the init phase); invoke() hands it an event and waits
// for /response or /error, a crash, a timeout or an OOM kill; stop() kills
// everything it started and removes its directories.
//
// Thread-safety: start() and invoke() are called by one owner at a time
// (the pool's lease), from any thread; the Runtime API side, the timers and
// the log pipes run on the environment's own executor (one thread) and share
// only the mutex-guarded state and thread-safe channels with the owner.
// An owner on that same thread hands events over without waking another.
// stop() may be called from any thread, once the owner is done, and blocks
// briefly.

#include <sys/types.h>

#include <atomic>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "http/server.hpp"
#include "lambda/invoker.hpp"
#include "runtime/cgroup.hpp"
#include "runtime/egress.hpp"
#include "runtime/launch.hpp"
#include "runtime/log_collector.hpp"
#include "runtime/options.hpp"

namespace stratus::runtime {

namespace asio = boost::asio;

// What the pool decides for an environment before it starts.
struct environment_setup {
  std::string id;             // 32 hex; names its directory and cgroup
  std::filesystem::path dir;  // <work_dir>/<id>: task/, tmp/
  std::optional<uid_t> uid;   // its own uid (isolation) or none
  const cgroups* groups = nullptr;
  std::string endpoint_url;
  role_credentials credentials;
};

struct invocation_outcome {
  lambda::invoke_result result;
  bool reusable = true;      // false: the environment died or was killed
  bool undelivered = false;  // it died before taking the event: run it elsewhere
};

class environment final : public http::application,
                          public std::enable_shared_from_this<environment> {
 public:
  // `io` holds the Runtime API's acceptor; everything else runs on
  // `executor`.
  environment(asio::io_context& io, asio::any_io_executor executor, lambda::function_spec function,
              environment_setup setup, const options& opts, lambda::log_sink& sink);
  ~environment() override;

  // The init phase. nullopt: ready for invocations. Otherwise the result
  // AWS answers the invocation that triggered a failed init (the
  // environment is then unusable).
  // An api_error when Stratus itself could not set the environment up
  // (its limits or its sandbox): the invocation fails, nothing runs.
  [[nodiscard]] asio::awaitable<std::optional<result<lambda::invoke_result>>> start(
      const lambda::invoke_request& first);
  [[nodiscard]] asio::awaitable<invocation_outcome> invoke(const lambda::invoke_request& request);
  void stop();
  // Ends the runtime's processes, from any thread, while an owner may be
  // running start() or invoke(): they then see it exit and finish, and the
  // owner releases the environment (and stops it) as usual. Shutdown uses
  // it on busy environments, whose state only their owner may free.
  void interrupt();

  [[nodiscard]] pid_t pid() const { return pid_.load(); }
  // False once the runtime has exited (e.g. after an uncaught exception).
  [[nodiscard]] bool alive() const;
  [[nodiscard]] const lambda::function_spec& function() const { return function_; }
  [[nodiscard]] std::uint16_t runtime_api_port() const { return port_; }
  [[nodiscard]] std::optional<uid_t> uid() const { return setup_.uid; }
  // After stop(): whether no process of its uid is left, so that the uid
  // may be given to another environment.
  [[nodiscard]] bool uid_clear() const { return uid_clear_; }
  [[nodiscard]] const asio::any_io_executor& executor() const { return executor_; }

  // http::application: the Runtime API (runtime_api.cpp).
  http::admission admit(const http::request_header& header) override;
  asio::awaitable<http::response> handle(http::request& req,
                                         const http::connection_info& conn) override;
  http::response bad_request(http::status code, std::string_view why) override;

 private:
  enum class event_kind {
    ready,
    response,
    function_error,
    init_error,
    too_large,
    exited,
    timer,
    poll
  };
  struct event {
    event_kind kind = event_kind::exited;
    std::string body;
    std::string error_type;
    std::size_t size = 0;
    int wait_status = 0;
    std::uint64_t generation = 0;
  };
  struct invocation {
    std::string request_id, payload, deadline_ms, function_arn, trace_id, client_context;
  };
  // Where the runtime is in AWS's state machine, as the Runtime API sees it.
  enum class phase { initializing, waiting, invoking, responded, failed };

  // environment.cpp
  [[nodiscard]] std::optional<std::string> prepare_directories(runtime_family family);
  [[nodiscard]] asio::awaitable<event> next_event();
  void arm_timer(std::chrono::milliseconds after, std::uint64_t generation);
  void arm_poll(std::uint64_t generation);
  void watch_exit();
  void post_event(event e);
  void kill_now();
  [[nodiscard]] bool out_of_memory(const event& exit) const;
  [[nodiscard]] int max_memory_used_mb() const;
  // What MemorySize is held against: the group's anonymous memory, or the
  // runtime's RSS without a group.
  [[nodiscard]] std::size_t memory_in_use() const;
  [[nodiscard]] lambda::invoke_result failed_init(const lambda::invoke_request& first,
                                                  std::string error_type, std::string payload,
                                                  std::string status);
  void finish_lines(const std::string& request_id, double duration_ms, std::string status,
                    std::string error_type);

  // runtime_api.cpp
  [[nodiscard]] bool from_our_runtime(const http::connection_info& conn);
  [[nodiscard]] http::response runtime_error(http::status code, std::string_view type,
                                             std::string_view message) const;
  [[nodiscard]] asio::awaitable<http::response> next_invocation();
  [[nodiscard]] http::response post_result(const http::request& req, const std::string& id,
                                           bool is_error);
  [[nodiscard]] http::response post_init_error(const http::request& req);

  asio::io_context& io_;
  const asio::any_io_executor executor_;
  const lambda::function_spec function_;
  const environment_setup setup_;
  const options& opts_;
  lambda::log_sink& sink_;

  std::unique_ptr<http::server> server_;
  std::uint16_t port_ = 0;
  std::shared_ptr<log_collector> logs_;
  std::unique_ptr<cgroup> cgroup_;
  std::unique_ptr<egress_filter> egress_;  // on cgroup_'s v2 group
  std::unique_ptr<asio::posix::stream_descriptor> pidfd_;
  std::atomic<pid_t> pid_{-1};
  std::atomic<bool> interrupted_{false};
  bool uid_clear_ = false;             // set by stop()
  std::size_t sandbox_tmp_bytes_ = 0;  // the tmpfs /tmp of an isolated environment
  std::atomic<bool> stopped_{false};
  std::atomic<bool> rss_exceeded_{false};

  asio::experimental::concurrent_channel<void(boost::system::error_code, event)> events_;
  asio::experimental::concurrent_channel<void(boost::system::error_code, invocation)> work_;
  asio::steady_timer timer_;
  asio::steady_timer poll_timer_;
  std::uint64_t generation_ = 0;            // owner only
  std::optional<double> init_duration_ms_;  // reported once, on the first REPORT

  mutable std::mutex state_mutex_;  // guards phase_, current_id_ and trusted_connections_
  std::set<std::uint64_t> trusted_connections_;  // checked to come from our uid
  phase phase_ = phase::initializing;
  std::string current_id_;
};

}  // namespace stratus::runtime
