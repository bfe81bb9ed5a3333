// The queue that batches function output: what it stores, when, and in how
// many storage writes.
#include "logs/append_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../support/wrapped_store.hpp"
#include "logs/keys.hpp"

namespace stratus::logs {
namespace {
using namespace std::chrono_literals;

class AppendQueue : public ::testing::Test {
 protected:
  test::wrapped_store store_;
  catalog catalog_{store_};
  append_queue queue_{catalog_};
  const group_ref group_{"000000000000", "us-east-1", "/aws/lambda/fn"};

  void make_streams(int n) {
    (void)catalog_.create_group(group_, 1, "", {});
    for (int i = 0; i < n; ++i) (void)catalog_.create_stream(group_, "s" + std::to_string(i), 1);
  }

  std::vector<std::string> messages(const std::string& stream) {
    std::vector<std::string> out;
    auto found = catalog_.find_stream(group_, stream);
    if (!found) return out;
    const auto& [g, s] = *found;
    const std::string prefix = keys::stream_events(g.id, s.id);
    for (auto it = store_.scan({prefix, prefix + '\xff'}, {}); it->valid(); it->next())
      out.emplace_back(it->value().substr(8));  // after the ingestion time
    return out;
  }

  static std::vector<new_event> events(std::int64_t at, std::initializer_list<const char*> m) {
    std::vector<new_event> out;
    for (const char* text : m) out.push_back({at++, text});
    return out;
  }
};

TEST_F(AppendQueue, NotRunningStoresAtOnce) {
  make_streams(1);
  const int before = store_.writes;
  queue_.append(group_, "s0", events(10, {"a", "b"}));
  EXPECT_EQ(store_.writes, before + 1);
  EXPECT_EQ(messages("s0"), (std::vector<std::string>{"a", "b"}));
}

TEST_F(AppendQueue, QueuedOutputIsStoredByFlushInOneWrite) {
  make_streams(4);
  queue_.start(1h);  // the writer never gets there first
  for (int round = 0; round < 3; ++round)
    for (int s = 0; s < 4; ++s)
      queue_.append(group_, "s" + std::to_string(s), events(100 * round, {"START", "body", "END"}));
  const int before = store_.writes;
  EXPECT_TRUE(messages("s2").empty());
  queue_.flush();
  EXPECT_EQ(store_.writes, before + 1);
  for (int s = 0; s < 4; ++s) {
    const auto got = messages("s" + std::to_string(s));
    ASSERT_EQ(got.size(), 9U);
    EXPECT_EQ(got.front(), "START");
    EXPECT_EQ(got.back(), "END");
  }
  auto found = catalog_.find_stream(group_, "s1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->second.last_event, 202);
  EXPECT_EQ(found->second.stored_bytes, 3U * (5 + 4 + 3));
  queue_.stop();
}

TEST_F(AppendQueue, TheAppendThatFillsTheQueueStoresIt) {
  make_streams(1);
  queue_.start(1h);
  for (std::size_t i = 0; i + 1 < append_queue::max_queued; ++i)
    queue_.append(group_, "s0", events(1, {"x"}));
  EXPECT_TRUE(messages("s0").empty());
  queue_.append(group_, "s0", events(2, {"full"}));
  EXPECT_EQ(messages("s0").size(), append_queue::max_queued);
  queue_.stop();
}

TEST_F(AppendQueue, NewGroupsAndStreamsAreCreated) {
  queue_.start(1h);
  queue_.append(group_, "new", events(5, {"one"}));
  queue_.append({"000000000000", "us-east-1", "other"}, "x", events(6, {"two"}));
  queue_.append(group_, "new", events(7, {"three"}));
  queue_.flush();
  EXPECT_EQ(messages("new"), (std::vector<std::string>{"one", "three"}));
  auto other = catalog_.find_stream({"000000000000", "us-east-1", "other"}, "x");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->second.stored_bytes, 3U);
  queue_.stop();
}

TEST_F(AppendQueue, StopStoresWhatIsQueued) {
  make_streams(1);
  queue_.start(1h);
  queue_.append(group_, "s0", events(1, {"last words"}));
  queue_.stop();
  EXPECT_EQ(messages("s0"), (std::vector<std::string>{"last words"}));
  // Stopped: stored at once again.
  queue_.append(group_, "s0", events(2, {"after"}));
  EXPECT_EQ(messages("s0").size(), 2U);
}

TEST_F(AppendQueue, TheWriterStoresWithoutBeingAsked) {
  make_streams(1);
  queue_.start(1ms);
  queue_.append(group_, "s0", events(1, {"eventually"}));
  for (int i = 0; i < 1000 && messages("s0").empty(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(messages("s0"), (std::vector<std::string>{"eventually"}));
  queue_.stop();
}

}  // namespace
}  // namespace stratus::logs
