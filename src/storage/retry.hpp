#pragma once
// The retry loop of an optimistic transaction:
//
//   for (storage::occ_retry retry; retry.next();) {
//     auto txn = store.begin();
//     ...
//     auto committed = txn->commit();
//     if (committed) return ...;
//     if (!retry.retryable(committed.error())) return failure(committed.error());
//   }
//   return too_much_contention;
//
// next() answers true for the first attempt at once and, after a conflict,
// pauses for a random time below a bound that doubles with each conflict
// (full jitter, so that racing writers spread out instead of colliding
// again in step); after try_again it retries at once, since a fresh
// snapshot is all that is needed. It answers false once the attempts are
// spent.
//
// Thread-safety: one object per loop; the pause blocks the calling thread.
#include <chrono>

#include "storage/store.hpp"

namespace stratus::storage {

class occ_retry {
 public:
  explicit occ_retry(int max_attempts = 16) : left_(max_attempts) {}

  [[nodiscard]] bool next();
  // Records a failed commit: true for conflict and try_again.
  [[nodiscard]] bool retryable(const error& e);

  static constexpr std::chrono::microseconds first_bound{200};
  static constexpr std::chrono::microseconds max_bound{20000};

 private:
  int left_;
  bool started_ = false;
  bool pause_ = false;
  std::chrono::microseconds bound_ = first_bound;
};

}  // namespace stratus::storage
