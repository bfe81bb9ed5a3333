// Reads, writes, scans, snapshots and close(), on every backend.

#include <atomic>
#include <thread>

#include "storage/memory_store.hpp"
#include "store_fixture.hpp"

namespace stratus::storage::test {
namespace {

using namespace std::string_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST_P(store_test, get_put_erase) {
  EXPECT_EQ(get("k"), std::nullopt);
  put("k", "v1");
  EXPECT_EQ(get("k"), "v1");
  put("k", "v2");
  EXPECT_EQ(get("k"), "v2");

  write_batch batch;
  batch.erase("k");
  ASSERT_TRUE(store_->write(batch));
  EXPECT_EQ(get("k"), std::nullopt);
}

TEST_P(store_test, empty_value_is_not_absent) {
  put("k", "");
  EXPECT_EQ(get("k"), "");
}

TEST_P(store_test, binary_keys_and_values_keep_their_zero_bytes) {
  put("a\0b"s, "x\0y"s);
  put("a"s, "1");
  put("a\0"s, "2");
  put("a\x01"s, "3");
  EXPECT_EQ(get("a\0b"s), "x\0y"s);
  EXPECT_EQ(get("a\0"s), "2");
  EXPECT_EQ(get("a\0c"s), std::nullopt);

  auto it = store_->scan({});
  EXPECT_THAT(keys(*it), ElementsAre("a"s, "a\0"s, "a\0b"s, "a\x01"s));
}

TEST_P(store_test, keys_compare_as_unsigned_bytes) {
  put("\x7f"s, "");
  put("\x80"s, "");
  put("\xff"s, "");
  put("\x01"s, "");
  auto it = store_->scan({});
  EXPECT_THAT(keys(*it), ElementsAre("\x01"s, "\x7f"s, "\x80"s, "\xff"s));
}

TEST_P(store_test, write_batch_applies_in_order) {
  put("gone", "x");
  write_batch batch;
  batch.put("a", "1");
  batch.put("b", "1");
  batch.put("b", "2");  // a later op on the same key wins
  batch.erase("gone");
  ASSERT_TRUE(store_->write(batch));
  EXPECT_EQ(get("a"), "1");
  EXPECT_EQ(get("b"), "2");
  EXPECT_EQ(get("gone"), std::nullopt);
  ASSERT_TRUE(store_->write(write_batch{}));
}

// A reader's consistent view (a scan) never shows half of a batch.
TEST_P(store_test, write_batch_is_atomic) {
  std::atomic<bool> done = false;
  std::thread writer([&] {
    for (int i = 0; i < 300; ++i) {
      write_batch batch;
      batch.put("left", std::to_string(i));
      batch.put("right", std::to_string(i));
      EXPECT_TRUE(store_->write(batch));
    }
    done = true;
  });
  while (!done) {
    auto it = store_->scan({});
    auto seen = drain(*it);
    if (seen.empty()) continue;
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].second, seen[1].second);
  }
  writer.join();
}

TEST_P(store_test, scan_forward_honours_bounds) {
  put_abcd();
  EXPECT_THAT(scan_keys("b", "d"), ElementsAre("b", "c"));
  EXPECT_THAT(scan_keys("", ""), ElementsAre("a", "b", "c", "d"));
  EXPECT_THAT(scan_keys("bb", ""), ElementsAre("c", "d"));
  EXPECT_THAT(scan_keys("", "c"), ElementsAre("a", "b"));
  EXPECT_THAT(scan_keys("e", ""), IsEmpty());
  EXPECT_THAT(scan_keys("c", "c"), IsEmpty());
  EXPECT_THAT(scan_keys("d", "b"), IsEmpty());
}

TEST_P(store_test, scan_reverse_starts_below_end) {
  put_abcd();
  EXPECT_THAT(scan_keys("b", "d", true), ElementsAre("c", "b"));
  EXPECT_THAT(scan_keys("", "", true), ElementsAre("d", "c", "b", "a"));
  EXPECT_THAT(scan_keys("", "cc", true), ElementsAre("c", "b", "a"));
  EXPECT_THAT(scan_keys("bb", "", true), ElementsAre("d", "c"));
  EXPECT_THAT(scan_keys("", "a", true), IsEmpty());
  EXPECT_THAT(scan_keys("d", "b", true), IsEmpty());
}

TEST_P(store_test, scan_yields_values_with_keys) {
  put_abcd();
  auto it = store_->scan({"c", ""});
  EXPECT_THAT(drain(*it), ElementsAre(Pair("c", "vc"), Pair("d", "vd")));
}

TEST_P(store_test, scan_skips_erased_keys) {
  put_abcd();
  write_batch batch;
  batch.erase("b");
  batch.erase("d");
  ASSERT_TRUE(store_->write(batch));
  EXPECT_THAT(scan_keys("", ""), ElementsAre("a", "c"));
  EXPECT_THAT(scan_keys("", "", true), ElementsAre("c", "a"));
}

TEST_P(store_test, prefix_scan_with_prefix_end) {
  put("p\xff", "");
  put("p\xff\xff", "");
  put("q", "");
  EXPECT_THAT(scan_keys("p\xff", prefix_end("p\xff")), ElementsAre("p\xff", "p\xff\xff"));
  EXPECT_THAT(scan_keys("p\xff", prefix_end("p\xff"), true), ElementsAre("p\xff\xff", "p\xff"));
}

TEST_P(store_test, an_iterator_is_a_consistent_view) {
  put_abcd();
  auto it = store_->scan({});
  put("aa", "new");
  write_batch batch;
  batch.erase("c");
  ASSERT_TRUE(store_->write(batch));
  EXPECT_THAT(keys(*it), ElementsAre("a", "b", "c", "d"));
}

TEST_P(store_test, snapshot_does_not_see_later_writes) {
  put("k", "old");
  put("doomed", "x");
  auto snap = store_->take_snapshot();
  put("k", "new");
  put("born", "y");
  write_batch batch;
  batch.erase("doomed");
  ASSERT_TRUE(store_->write(batch));

  const read_options at{snap.get()};
  EXPECT_EQ(get("k", at), "old");
  EXPECT_EQ(get("doomed", at), "x");
  EXPECT_EQ(get("born", at), std::nullopt);
  auto it = store_->scan({}, at);
  EXPECT_THAT(drain(*it), ElementsAre(Pair("doomed", "x"), Pair("k", "old")));
  EXPECT_EQ(get("k"), "new");
}

TEST_P(store_test, snapshot_of_another_store_is_refused) {
  auto other = make_memory_store();
  auto snap = other->take_snapshot();
  auto value = store_->get("k", {snap.get()});
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, errc::io_error);
  auto it = store_->scan({}, {snap.get()});
  EXPECT_FALSE(it->valid());
  EXPECT_FALSE(it->status());
}

TEST_P(store_test, erase_range_deletes_begin_to_end) {
  for (const char* key : {"a", "b", "c", "d", "e"}) put(key, "v");
  ASSERT_TRUE(store_->erase_range("b", "d"));
  auto it = store_->scan({});
  EXPECT_THAT(keys(*it), ElementsAre("a", "d", "e"));

  ASSERT_TRUE(store_->erase_range("d", ""));  // empty end: to the end of the key space
  it = store_->scan({});
  EXPECT_THAT(keys(*it), ElementsAre("a"));

  ASSERT_TRUE(store_->erase_range("z", "b"));  // inverted: nothing
  ASSERT_TRUE(store_->erase_range("", ""));
  it = store_->scan({});
  EXPECT_THAT(keys(*it), IsEmpty());

  put("c", "back");
  EXPECT_EQ(get("c"), "back");
}

TEST_P(store_test, erase_range_is_invisible_to_an_earlier_snapshot) {
  put("a", "1");
  put("b", "2");
  auto snap = store_->take_snapshot();
  ASSERT_TRUE(store_->erase_range("", ""));
  auto it = store_->scan({}, {snap.get()});
  EXPECT_THAT(keys(*it), ElementsAre("a", "b"));
}

template <class T>
void expect_closed(const result<T>& r) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::closed);
}

TEST_P(store_test, calls_after_close_answer_closed) {
  put("a", "1");
  put("b", "2");
  auto snap = store_->take_snapshot();
  auto open_it = store_->scan({});
  auto open_txn = store_->begin();
  open_txn->put("c", "3");

  store_->close();
  store_->close();  // twice is harmless

  expect_closed(store_->get("a"));
  expect_closed(store_->get("a", {snap.get()}));
  write_batch batch;
  batch.put("x", "y");
  expect_closed(store_->write(batch));
  expect_closed(store_->erase_range("", ""));

  auto it = store_->scan({});
  EXPECT_FALSE(it->valid());
  expect_closed(it->status());

  auto txn = store_->begin();
  expect_closed(txn->get("a"));
  txn->put("a", "2");
  expect_closed(txn->commit());
  EXPECT_NE(store_->take_snapshot(), nullptr);

  // Objects handed out before close() stop at their next call.
  ASSERT_TRUE(open_it->valid());
  EXPECT_EQ(open_it->key(), "a");
  open_it->next();
  EXPECT_FALSE(open_it->valid());
  expect_closed(open_it->status());
  expect_closed(open_txn->commit());
  expect_closed(open_txn->get("a"));
}

TEST_P(store_test, handed_out_objects_may_outlive_the_store) {
  put("a", "1");
  auto snap = store_->take_snapshot();
  auto it = store_->scan({});
  auto txn = store_->begin();
  store_.reset();
  EXPECT_TRUE(it->valid());
  it->next();
  expect_closed(txn->commit());
  txn.reset();
  it.reset();
  snap.reset();
}

}  // namespace
}  // namespace stratus::storage::test
