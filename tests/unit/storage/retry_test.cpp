// The optimistic-transaction retry loop: which failures it retries and how
// many attempts it allows.
#include "storage/retry.hpp"

#include <gtest/gtest.h>

namespace stratus::storage {
namespace {

TEST(occ_retry, allows_the_attempts_it_was_given) {
  occ_retry retry(3);
  int attempts = 0;
  while (retry.next()) {
    ++attempts;
    ASSERT_TRUE(retry.retryable({errc::conflict, "lost a race"}));
  }
  EXPECT_EQ(attempts, 3);
}

TEST(occ_retry, retries_conflicts_and_try_again_but_not_failures) {
  occ_retry retry;
  ASSERT_TRUE(retry.next());
  EXPECT_TRUE(retry.retryable({errc::conflict, ""}));
  EXPECT_TRUE(retry.retryable({errc::try_again, ""}));
  EXPECT_FALSE(retry.retryable({errc::io_error, "disk full"}));
  EXPECT_FALSE(retry.retryable({errc::corruption, ""}));
  EXPECT_FALSE(retry.retryable({errc::closed, ""}));
}

}  // namespace
}  // namespace stratus::storage
