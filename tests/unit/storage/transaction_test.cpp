// Optimistic transactions on every backend: isolation, own writes, conflict
// detection, and retry loops under contention.

#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace stratus::storage::test {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::optional<std::string> txn_get(transaction& txn, std::string_view key) {
  auto value = txn.get(key);
  EXPECT_TRUE(value) << value.error().message;
  return value ? *value : std::nullopt;
}

void expect_conflict(const result<void>& committed) {
  ASSERT_FALSE(committed);
  EXPECT_EQ(committed.error().code, errc::conflict);
}

TEST_P(store_test, transaction_get_sees_its_own_writes_but_scan_does_not) {
  put("k", "old");
  auto txn = store_->begin();
  txn->put("k", "mine");
  txn->put("n", "new");
  EXPECT_EQ(txn_get(*txn, "k"), "mine");
  EXPECT_EQ(txn_get(*txn, "n"), "new");
  txn->erase("k");
  EXPECT_EQ(txn_get(*txn, "k"), std::nullopt);

  auto it = txn->scan({});
  EXPECT_THAT(drain(*it), ElementsAre(Pair("k", "old")));
  EXPECT_EQ(get("k"), "old");  // nothing is visible before commit
  EXPECT_EQ(get("n"), std::nullopt);

  ASSERT_TRUE(txn->commit());
  EXPECT_EQ(get("k"), std::nullopt);
  EXPECT_EQ(get("n"), "new");
}

TEST_P(store_test, transaction_reads_as_of_its_begin) {
  put("k", "old");
  auto txn = store_->begin();
  put("k", "new");
  put("other", "x");
  EXPECT_EQ(txn_get(*txn, "k"), "old");
  auto it = txn->scan({});
  EXPECT_THAT(drain(*it), ElementsAre(Pair("k", "old")));
  // It read a key written since it began: its view is stale.
  expect_conflict(txn->commit());
}

TEST_P(store_test, second_of_two_read_modify_writes_conflicts) {
  put("k", "0");
  auto first = store_->begin();
  auto second = store_->begin();
  EXPECT_EQ(txn_get(*first, "k"), "0");
  EXPECT_EQ(txn_get(*second, "k"), "0");
  first->put("k", "first");
  second->put("k", "second");
  ASSERT_TRUE(first->commit());
  expect_conflict(second->commit());
  EXPECT_EQ(get("k"), "first");
}

TEST_P(store_test, blind_write_conflicts_with_a_transaction_that_read_the_key) {
  put("k", "0");
  auto reader = store_->begin();
  EXPECT_EQ(txn_get(*reader, "k"), "0");

  auto writer = store_->begin();
  writer->put("k", "blind");
  ASSERT_TRUE(writer->commit());

  reader->put("elsewhere", "derived from k");
  expect_conflict(reader->commit());
  EXPECT_EQ(get("elsewhere"), std::nullopt);
}

TEST_P(store_test, batch_write_conflicts_with_a_transaction_that_read_the_key) {
  auto reader = store_->begin();
  EXPECT_EQ(txn_get(*reader, "k"), std::nullopt);  // absent keys are tracked too
  put("k", "created");
  reader->put("elsewhere", "x");
  expect_conflict(reader->commit());
}

TEST_P(store_test, transaction_write_conflicts_with_a_write_since_begin) {
  auto txn = store_->begin();
  put("k", "theirs");
  txn->put("k", "mine");
  expect_conflict(txn->commit());
  EXPECT_EQ(get("k"), "theirs");
}

TEST_P(store_test, disjoint_transactions_both_commit) {
  auto first = store_->begin();
  auto second = store_->begin();
  EXPECT_EQ(txn_get(*first, "a"), std::nullopt);
  EXPECT_EQ(txn_get(*second, "b"), std::nullopt);
  first->put("a", "1");
  second->put("b", "2");
  ASSERT_TRUE(first->commit());
  ASSERT_TRUE(second->commit());
  EXPECT_EQ(get("a"), "1");
  EXPECT_EQ(get("b"), "2");
}

TEST_P(store_test, unread_changes_do_not_conflict) {
  auto txn = store_->begin();
  EXPECT_EQ(txn_get(*txn, "mine"), std::nullopt);
  put("unrelated", "x");
  auto it = txn->scan({});  // scanned keys are not tracked
  (void)drain(*it);
  put("also-unrelated", "y");
  txn->put("mine", "1");
  ASSERT_TRUE(txn->commit());
}

TEST_P(store_test, read_only_transaction_commits) {
  put("k", "v");
  auto txn = store_->begin();
  EXPECT_EQ(txn_get(*txn, "k"), "v");
  ASSERT_TRUE(txn->commit());
}

TEST_P(store_test, abandoned_transaction_writes_nothing) {
  {
    auto txn = store_->begin();
    txn->put("k", "never");
  }
  EXPECT_EQ(get("k"), std::nullopt);
}

TEST_P(store_test, commit_ends_the_transaction) {
  auto txn = store_->begin();
  txn->put("k", "v");
  ASSERT_TRUE(txn->commit());
  EXPECT_FALSE(txn->commit());
}

// Lost updates would show up as a total below threads * increments.
TEST_P(store_test, concurrent_increments_with_retry_are_exact) {
  constexpr int threads = 4;
  constexpr int increments = 100;
  std::vector<std::thread> workers;
  std::atomic<int> conflicts = 0;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < increments; ++i) {
        for (;;) {
          auto txn = store_->begin();
          auto current = txn->get("counter");
          ASSERT_TRUE(current) << current.error().message;
          const int n = *current ? std::stoi(**current) : 0;
          std::this_thread::yield();  // widen the race window so conflicts happen
          txn->put("counter", std::to_string(n + 1));
          auto committed = txn->commit();
          if (committed) break;
          ASSERT_EQ(committed.error().code, errc::conflict) << committed.error().message;
          ++conflicts;
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(get("counter"), std::to_string(threads * increments));
  RecordProperty("conflicts", conflicts.load());
}

}  // namespace
}  // namespace stratus::storage::test
