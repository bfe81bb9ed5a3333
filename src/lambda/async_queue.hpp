#pragma once
// Asynchronous invocations (InvocationType Event, InvokeAsync, and
// destination records): a durable queue in the store under
// c/lambda/async/<due time, ms, 16 digits>/<request id>, so that an event
// accepted with 202 survives kill -9 and a restart. A worker delivers due
// events through the invoker; a failed event is retried after
// options.retry_delays (twice on AWS, or MaximumRetryAttempts), dropped
// when older than MaximumEventAgeInSeconds, and its outcome sent to the
// OnSuccess / OnFailure destination functions as AWS's destination record.
// Throttled attempts are retried without counting, as AWS does.
// The write that settles an attempt (erasing the event, queueing its retry
// or destination record) is retried until it lands: an event is never
// delivered twice by one process because a write failed.
//
// Thread-safety: enqueue() may be called from any thread; start() and
// stop() from one thread. The worker runs on a strand of the executor given
// to start(); deliveries run concurrently on the executor.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "common/api_error.hpp"
#include "storage/store.hpp"

namespace stratus::lambda {

struct context;

struct queued_event {
  std::string id;  // the request id: the function sees the same one on every attempt
  std::string account;
  std::string region;
  std::string function;   // name
  std::string qualifier;  // "" for $LATEST
  std::string payload;
  std::string client_context;
  std::int64_t enqueued_ms = 0;  // system clock
  int attempts = 0;              // counted failures so far
};

class async_queue {
 public:
  explicit async_queue(context& c);
  ~async_queue();

  // Stores the event durably, due now, and wakes the worker.
  [[nodiscard]] result<void> enqueue(const queued_event& e);

  void start(boost::asio::any_io_executor executor);
  void stop();

  // Events waiting (due or not), for tests and diagnostics.
  [[nodiscard]] std::size_t pending() const;

 private:
  struct worker;
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> deliver(queued_event e, std::string key);
  // Writes the batch that settles the event at `key`; false when the
  // queue stopped before any attempt succeeded.
  boost::asio::awaitable<bool> commit(const storage::write_batch& batch, const std::string& key);
  void wake();

  context& c_;
  std::shared_ptr<worker> worker_;
};

}  // namespace stratus::lambda
