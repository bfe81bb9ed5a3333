#include "storage/retry.hpp"

#include <algorithm>
#include <random>
#include <thread>

namespace stratus::storage {

bool occ_retry::next() {
  if (left_ <= 0) return false;
  --left_;
  if (!started_) {
    started_ = true;
    return true;
  }
  if (pause_) {
    thread_local std::minstd_rand random{std::random_device{}()};
    std::uniform_int_distribution<std::int64_t> wait(0, bound_.count());
    std::this_thread::sleep_for(std::chrono::microseconds(wait(random)));
    bound_ = std::min(bound_ * 2, max_bound);
  }
  return true;
}

bool occ_retry::retryable(const error& e) {
  pause_ = e.code == errc::conflict;
  return e.code == errc::conflict || e.code == errc::try_again;
}

}  // namespace stratus::storage
