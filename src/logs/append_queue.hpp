#pragma once
// Function output on its way to the store. append() queues events and
// returns; a writer thread stores what has queued a few milliseconds after
// the first of it, every stream of a group in one write batch. Under load
// that is one storage write per group per interval instead of one per
// invocation (three events and the stream's document each).
//
// flush() stores everything queued before it was called. The Logs API
// calls it before every operation, so no read misses an event appended
// before it began.
//
// The queue is bounded: the append that fills it stores it itself, so a
// store slower than the functions' output slows the invocations (as
// writing in place did) instead of growing memory.
//
// A crash loses what is queued: normally a few milliseconds of function
// output, at most about max_queued appends (plus one per thread appending
// while the queue is full), none of which anybody was told had been stored
// (AWS delivers function logs asynchronously too). stop() stores the rest;
// appends after it, or before start(), are stored at once by the caller.
//
// Thread-safety: append() and flush() from any thread; start()/stop() from
// one thread.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "logs/catalog.hpp"

namespace stratus::logs {

class append_queue {
 public:
  explicit append_queue(catalog& logs) : logs_(logs) {}
  ~append_queue() { stop(); }
  append_queue(const append_queue&) = delete;
  append_queue& operator=(const append_queue&) = delete;

  static constexpr std::size_t max_queued = 4096;  // appends (~3 events each for Lambda)

  void start(std::chrono::milliseconds linger);
  void stop();

  // `events` in time order, none empty.
  void append(group_ref ref, std::string stream, std::vector<new_event> events);
  void flush();

 private:
  struct entry {
    group_ref ref;
    std::string stream;
    std::vector<new_event> events;
  };
  // Under store_mutex_.
  void store(std::vector<entry> entries);

  catalog& logs_;
  std::mutex store_mutex_;  // one store() at a time: a stream's events keep their order
  std::mutex mutex_;        // guards the members below
  std::condition_variable wake_;
  std::vector<entry> queue_;
  bool running_ = false;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace stratus::logs
