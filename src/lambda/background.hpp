#pragma once
// What the Lambda service's background workers (the async queue, the event
// source mapping poller) share with the coroutines they start: the
// executor, the strand the worker's loop runs on, the timer it sleeps on,
// and the stop flag. Held by shared_ptr so that coroutines still running
// keep it alive.
//
// Thread-safety: stopped(), stop() and wake() may be called from any
// thread; the timer is touched only on the strand.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <mutex>

namespace stratus::lambda {

struct background : std::enable_shared_from_this<background> {
  explicit background(boost::asio::any_io_executor ex)
      : executor(ex), strand(boost::asio::make_strand(ex)), timer(strand) {}
  virtual ~background() = default;

  bool stopped() {
    std::lock_guard lock(mutex);
    return stopping;
  }
  // Ends the worker's sleep at once.
  void wake() {
    boost::asio::post(strand, [self = shared_from_this()] { self->timer.cancel(); });
  }
  void stop() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    wake();
  }

  boost::asio::any_io_executor executor;
  boost::asio::strand<boost::asio::any_io_executor> strand;
  boost::asio::steady_timer timer;
  std::mutex mutex;  // guards `stopping` and what derived workers add
  bool stopping = false;
};

}  // namespace stratus::lambda
