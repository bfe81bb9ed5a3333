#pragma once
// The invoker that runs functions: warm execution environments pooled per
// function version and configuration, new ones started when all are busy,
// up to the function's reserved concurrency and the account's limit
// (TooManyRequestsException beyond), idle ones reaped after a keep-alive,
// failed ones replaced.
//
// Wiring: construct one per server with its io_context, the options, the
// log sink and the executors environments may live on (the server's
// per-thread connection executors); hand it to whatever needs a
// lambda::invoker; call shutdown() before the io_context stops.
//
// Affinity: a new environment lives on the thread of the invocation that
// started it, and an invocation takes the warmest idle environment of its
// own thread first, so that handing it the event wakes no other thread.
//
// Thread-safety: invoke() and retire() may be called concurrently from any
// thread; invoke() never blocks an I/O thread on a runtime.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lambda/invoker.hpp"
#include "runtime/cgroup.hpp"
#include "runtime/options.hpp"

namespace stratus::runtime {

class environment;

class pool final : public lambda::invoker {
 public:
  // No executors: environments live on `io`.
  pool(boost::asio::io_context& io, options opts, lambda::log_sink& sink,
       std::vector<boost::asio::any_io_executor> executors = {});
  ~pool() override;
  pool(const pool&) = delete;
  pool& operator=(const pool&) = delete;

  [[nodiscard]] boost::asio::awaitable<result<lambda::invoke_result>> invoke(
      const lambda::function_spec& function, lambda::invoke_request request) override;
  void retire(const std::string& account, const std::string& region,
              const std::string& name) override;

  // Stops every environment and the reaper; later invokes fail.
  void shutdown();

  // For tests and metrics.
  [[nodiscard]] std::size_t environment_count() const;
  [[nodiscard]] std::size_t idle_count() const;
  [[nodiscard]] bool isolating() const { return isolating_; }
  [[nodiscard]] bool using_cgroups() const { return groups_.has_value(); }
  // Whether functions are kept off this machine's ports (options::filter_egress).
  [[nodiscard]] bool egress_filtered() const {
    return opts_.filter_egress && groups_ && groups_->has_v2();
  }

 private:
  struct idle_env {
    std::shared_ptr<environment> env;
    std::chrono::steady_clock::time_point since;
    std::uint64_t generation;
  };
  struct function_state {
    int in_flight = 0;
    std::uint64_t generation = 0;                       // bumped by retire()
    std::map<std::string, std::vector<idle_env>> idle;  // by configuration key
  };

  [[nodiscard]] static std::string function_key(const lambda::function_spec& f);
  [[nodiscard]] static std::string configuration_key(const lambda::function_spec& f);
  void release(const std::string& fkey, const std::string& ckey, std::shared_ptr<environment> env,
               std::uint64_t generation, bool reusable);
  void dispose_locked(std::shared_ptr<environment> env);
  void schedule_reap();
  void reap();
  // Where an environment started by an invocation running on `here` lives.
  [[nodiscard]] boost::asio::any_io_executor home_for(const boost::asio::any_io_executor& here);
  [[nodiscard]] std::optional<std::uint32_t> take_uid();
  void give_back_uid(std::uint32_t uid);

  boost::asio::io_context& io_;
  const std::vector<boost::asio::any_io_executor> executors_;
  std::atomic<std::size_t> next_executor_ = 0;
  const options opts_;
  lambda::log_sink& sink_;
  bool isolating_ = false;
  std::optional<cgroups> groups_;
  boost::asio::thread_pool teardown_{1};  // stopping environments blocks briefly
  boost::asio::steady_timer reaper_;

  mutable std::mutex mutex_;         // guards everything below
  std::condition_variable drained_;  // shutdown() waits for in-flight invocations on it
  bool shut_down_ = false;
  int account_in_flight_ = 0;
  std::size_t environments_ = 0;
  std::map<std::string, function_state> functions_;
  std::set<std::shared_ptr<environment>> all_;
  // Uids are leased across processes too (two servers, parallel tests): a
  // uid is ours while we hold an flock on its file in uid_locks_dir.
  std::vector<std::uint32_t> free_uids_;
  std::map<std::uint32_t, int> uid_locks_;  // uid → locked fd
  std::uint32_t next_uid_ = 0;
  std::filesystem::path uid_locks_dir_;
  // Why no function can run here (an unsafe isolation root), or empty.
  std::string setup_error_;
};

}  // namespace stratus::runtime
