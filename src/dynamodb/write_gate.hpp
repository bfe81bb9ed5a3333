#pragma once
// Lets a change to a table's definition wait for the item writes that may
// still be using the previous one.
//
// Every item write (PutItem, UpdateItem, DeleteItem, batches, transactions,
// PartiQL, the TTL sweeper) holds a pass from before it looks the table up
// until it has committed. UpdateTable, once the new definition is in the
// catalog, calls wait_for_earlier(): it returns when every write that
// entered before has finished. A write that entered later found the new
// definition. So a new index's backfill, which starts then, sees every item
// that was written without the index, and a stream that was just enabled
// misses no change made after its enabling.
//
// It is an epoch counter, not a lock: writes never wait for each other or
// for a waiter, and a pass costs one atomic increment and one decrement.
//
// Thread-safety: all members may be called concurrently.

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>

namespace stratus::dynamodb {

class write_gate {
 public:
  class pass {
   public:
    explicit pass(std::atomic<std::int64_t>& slot) : slot_(&slot) {}
    pass(pass&& other) noexcept : slot_(std::exchange(other.slot_, nullptr)) {}
    pass(const pass&) = delete;
    pass& operator=(const pass&) = delete;
    pass& operator=(pass&&) = delete;
    ~pass() {
      if (slot_) slot_->fetch_sub(1);
    }

   private:
    std::atomic<std::int64_t>* slot_;
  };

  [[nodiscard]] pass enter() {
    for (;;) {
      const std::uint64_t e = epoch_.load();
      auto& slot = active_[e & 1];
      slot.fetch_add(1);
      // A waiter that moved the epoch in between may already be counting
      // the old slot down: enter again under the new epoch.
      if (epoch_.load() == e) return pass(slot);
      slot.fetch_sub(1);
    }
  }

  // How many waits have begun (for tests).
  [[nodiscard]] std::uint64_t epoch() const { return epoch_.load(); }

  // Returns once every pass taken before the call has been released.
  void wait_for_earlier() {
    std::lock_guard lock(waiters_);  // one epoch change at a time
    const std::uint64_t e = epoch_.fetch_add(1);
    while (active_[e & 1].load() != 0) std::this_thread::yield();
  }

 private:
  std::atomic<std::uint64_t> epoch_{0};
  std::array<std::atomic<std::int64_t>, 2> active_{};
  std::mutex waiters_;
};

}  // namespace stratus::dynamodb
