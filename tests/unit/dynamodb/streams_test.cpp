// Stream records: numbered in commit order across concurrent commits, and
// trimmed after 24 hours.
#include "dynamodb/streams.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "dynamodb/item_changes.hpp"
#include "storage/memory_store.hpp"

namespace stratus::dynamodb {
namespace {

namespace json = boost::json;

table stream_table() {
  table t;
  t.account = "000000000000";
  t.region = "us-east-1";
  t.name = "t";
  t.hash = {"pk", "S"};
  t.stream =
      stream_settings{7, "KEYS_ONLY", "label", "arn:aws:dynamodb:us-east-1:0:table/t/stream/l"};
  return t;
}

// Writes one item change through the commit path every operation uses.
void put(catalog& tables, const table& t, const std::string& pk) {
  json::object item{{"pk", {{"S", pk}}}};
  change_set changes;
  item_change_writes(t, "d/" + pk, nullptr, &item, json::serialize(item), changes);
  auto txn = tables.store().begin();
  ASSERT_TRUE(commit_changes(tables, *txn, changes));
}

std::vector<std::uint64_t> sequence_numbers(storage::store& store, std::uint64_t id) {
  std::vector<std::uint64_t> out;
  const std::string prefix = stream_records_prefix(id);
  for (auto it = store.scan({prefix, storage::prefix_end(prefix)}); it->valid(); it->next()) {
    auto record = json::parse(it->value());
    out.push_back(std::stoull(std::string(record.at("dynamodb").at("SequenceNumber").as_string())));
  }
  return out;
}

TEST(streams, concurrent_commits_get_consecutive_numbers_in_key_order) {
  auto store = storage::make_memory_store();
  catalog tables(*store);
  const table t = stream_table();
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < 50; ++i) put(tables, t, std::to_string(w) + "-" + std::to_string(i));
    });
  for (auto& w : writers) w.join();
  auto numbers = sequence_numbers(*store, 7);
  ASSERT_EQ(numbers.size(), 200u);
  for (std::size_t i = 0; i < numbers.size(); ++i) EXPECT_EQ(numbers[i], i + 1);
}

TEST(streams, numbering_resumes_after_the_last_stored_record) {
  auto store = storage::make_memory_store();
  {
    catalog tables(*store);
    put(tables, stream_table(), "a");
  }
  catalog reopened(*store);  // a restart: the counter is read back
  put(reopened, stream_table(), "b");
  EXPECT_EQ(sequence_numbers(*store, 7), (std::vector<std::uint64_t>{1, 2}));
}

TEST(streams, records_older_than_a_day_are_trimmed) {
  auto store = storage::make_memory_store();
  catalog tables(*store);
  const table t = stream_table();
  storage::write_batch doc;
  doc.put(stream_meta_prefix(t.account, t.region) + t.stream->arn, R"({"id":7})");
  ASSERT_TRUE(store->write(doc));
  put(tables, t, "a");
  put(tables, t, "b");
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(trim_stream_records(tables, now), 0u);
  EXPECT_EQ(trim_stream_records(tables, now + std::chrono::hours(25)), 2u);
  EXPECT_TRUE(sequence_numbers(*store, 7).empty());
}

TEST(streams, an_unchanged_item_leaves_no_record) {
  const table t = stream_table();
  json::object item{{"pk", {{"S", "a"}}}};
  EXPECT_FALSE(stream_record(t, &item, &item, change_origin::user));
  EXPECT_FALSE(stream_record(t, nullptr, nullptr, change_origin::user));
  auto removed = stream_record(t, &item, nullptr, change_origin::ttl);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->at("eventName"), "REMOVE");
  EXPECT_EQ(removed->at("userIdentity").at("Type"), "Service");
}

}  // namespace
}  // namespace stratus::dynamodb
