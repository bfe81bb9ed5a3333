#pragma once
// Retention: a background thread that deletes the events of log groups with
// a retention policy once they are older than it (AWS deletes them within
// a few days; we do at every sweep).
//
// Thread-safety: start()/stop() from one thread; sweep_once() may run
// concurrently with the operations (it works under each group's lock).
#include <chrono>

#include "common/periodic.hpp"
#include "logs/catalog.hpp"

namespace stratus::logs {

class retention_sweeper {
 public:
  explicit retention_sweeper(catalog& logs) : logs_(logs) {}

  void start(std::chrono::milliseconds interval) {
    worker_.start(interval, [this] { sweep_once(std::chrono::system_clock::now()); });
  }
  void stop() { worker_.stop(); }
  // One pass over every group with a retention policy; returns how many
  // events it deleted.
  std::size_t sweep_once(std::chrono::system_clock::time_point now);

 private:
  catalog& logs_;
  periodic worker_;  // last: stopped before logs_ goes
};

}  // namespace stratus::logs
