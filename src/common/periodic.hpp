#pragma once
// A background thread that runs a task at once and then every `interval`
// until stopped: the services' sweepers (log retention, DynamoDB's TTL).
// stop() wakes the thread at once rather than waiting out the interval.
//
// Thread-safety: start()/stop() from one thread; the task runs on the
// worker thread only.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace stratus {

class periodic {
 public:
  periodic() = default;
  ~periodic() { stop(); }
  periodic(const periodic&) = delete;
  periodic& operator=(const periodic&) = delete;

  void start(std::chrono::milliseconds interval, std::function<void()> task) {
    stop();
    stopping_ = false;
    thread_ = std::thread([this, interval, task = std::move(task)] {
      std::unique_lock lock(mutex_);
      while (!stopping_) {
        lock.unlock();
        task();
        lock.lock();
        wake_.wait_for(lock, interval, [this] { return stopping_; });
      }
    });
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace stratus
