#include "logs/append_queue.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <tuple>

#include "logs/ops_support.hpp"

namespace stratus::logs {

void append_queue::start(std::chrono::milliseconds linger) {
  stop();
  std::lock_guard lock(mutex_);
  running_ = true;
  stopping_ = false;
  writer_ = std::thread([this, linger] {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      // Let more gather: this is what makes the batches.
      wake_.wait_for(lock, linger, [this] { return stopping_; });
      lock.unlock();
      flush();
      lock.lock();
    }
  });
}

void append_queue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    running_ = false;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  flush();
}

void append_queue::append(group_ref ref, std::string stream, std::vector<new_event> events) {
  std::unique_lock lock(mutex_);
  if (!running_) {
    lock.unlock();
    std::vector<entry> one;
    one.push_back({std::move(ref), std::move(stream), std::move(events)});
    std::lock_guard storing(store_mutex_);
    store(std::move(one));
    return;
  }
  const bool first = queue_.empty();
  queue_.push_back({std::move(ref), std::move(stream), std::move(events)});
  const bool full = queue_.size() >= max_queued;
  lock.unlock();
  if (full)
    flush();
  else if (first)
    wake_.notify_one();
}

void append_queue::flush() {
  std::lock_guard storing(store_mutex_);
  std::vector<entry> entries;
  {
    std::lock_guard lock(mutex_);
    entries.swap(queue_);
  }
  if (!entries.empty()) store(std::move(entries));
}

void append_queue::store(std::vector<entry> entries) {
  // Entries of one stream become one, in the order they came; streams of
  // one group go together.
  std::stable_sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) {
    return std::tie(a.ref, a.stream) < std::tie(b.ref, b.stream);
  });
  std::vector<entry> merged;
  for (auto& e : entries) {
    if (!merged.empty() && merged.back().ref == e.ref && merged.back().stream == e.stream) {
      auto& into = merged.back().events;
      into.insert(into.end(), std::make_move_iterator(e.events.begin()),
                  std::make_move_iterator(e.events.end()));
    } else {
      merged.push_back(std::move(e));
    }
  }
  const auto now = epoch_ms(std::chrono::system_clock::now());
  std::vector<catalog::stream_events> streams;
  for (std::size_t i = 0; i < merged.size();) {
    const group_ref& ref = merged[i].ref;
    streams.clear();
    std::size_t j = i;
    for (; j < merged.size() && merged[j].ref == ref; ++j)
      streams.push_back({merged[j].stream, merged[j].events});
    if (auto stored = logs_.append_many(ref, streams, now); !stored)
      spdlog::warn("logs: cannot append function output to {}: {}", ref.name,
                   stored.error().message);
    i = j;
  }
}

}  // namespace stratus::logs
