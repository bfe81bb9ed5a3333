// Event source mappings: documents in the store and the poller's decisions
// after a failed batch.
#include "lambda/mappings.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "storage/memory_store.hpp"

namespace stratus::lambda {
namespace {
using namespace std::chrono_literals;

mapping sample() {
  mapping m;
  m.uuid = "6f1c2a5e-0000-4000-8000-000000000001";
  m.account = "123456789012";
  m.region = "us-east-1";
  m.function = "fn";
  m.source_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000";
  m.starting_position = "LATEST";
  return m;
}

TEST(mapping_decisions, retries_until_the_limit_then_gives_up) {
  auto m = sample();
  m.max_retries = 2;
  EXPECT_EQ(decide(m, {1, 10, 0}), after_failure::retry);
  EXPECT_EQ(decide(m, {2, 10, 0}), after_failure::retry);
  EXPECT_EQ(decide(m, {3, 10, 0}), after_failure::give_up);
  m.max_retries = 0;
  EXPECT_EQ(decide(m, {1, 1, 0}), after_failure::give_up);
}

TEST(mapping_decisions, minus_one_retries_until_the_record_expires) {
  auto m = sample();
  EXPECT_EQ(decide(m, {1000, 1, 3600}), after_failure::retry);
  EXPECT_EQ(decide(m, {1000, 1, 24 * 3600 + 1}), after_failure::give_up);
}

TEST(mapping_decisions, record_age_limit) {
  auto m = sample();
  m.max_record_age = 60;
  EXPECT_EQ(decide(m, {1, 1, 59}), after_failure::retry);
  EXPECT_EQ(decide(m, {1, 1, 61}), after_failure::give_up);
}

TEST(mapping_decisions, bisects_batches_larger_than_one_record) {
  auto m = sample();
  m.bisect = true;
  m.max_retries = 0;
  EXPECT_EQ(decide(m, {1, 4, 0}), after_failure::bisect);
  EXPECT_EQ(decide(m, {1, 2, 0}), after_failure::bisect);
  // A single record cannot be split: the retry limit applies.
  EXPECT_EQ(decide(m, {1, 1, 0}), after_failure::give_up);
}

TEST(mapping_decisions, backoff_doubles_up_to_the_cap) {
  EXPECT_EQ(backoff(1, 100ms, 1000ms), 100ms);
  EXPECT_EQ(backoff(2, 100ms, 1000ms), 200ms);
  EXPECT_EQ(backoff(4, 100ms, 1000ms), 800ms);
  EXPECT_EQ(backoff(5, 100ms, 1000ms), 1000ms);
  EXPECT_EQ(backoff(1000, 100ms, 1000ms), 1000ms);
}

TEST(mapping_store, round_trip_checkpoint_and_delete) {
  auto store = storage::make_memory_store();
  mapping_store s(*store);
  auto m = sample();
  m.filter_criteria = boost::json::parse(R"({"Filters":[{"Pattern":"{\"a\":[\"b\"]}"}]})");
  m.on_failure = "arn:aws:lambda:us-east-1:123456789012:function:dlq";
  ASSERT_TRUE(s.put(m, progress{42, "No records processed"}));
  auto found = s.find(m.uuid);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(serialize(**found), serialize(m));
  auto p = s.checkpoint(m.uuid);
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->after, 42u);
  ASSERT_TRUE(s.set_checkpoint(m.uuid, progress{50, "OK"}));
  EXPECT_EQ((*s.checkpoint(m.uuid))->after, 50u);
  // Updating the mapping leaves the checkpoint alone.
  m.batch_size = 5;
  ASSERT_TRUE(s.put(m));
  EXPECT_EQ((*s.checkpoint(m.uuid))->result, "OK");
  ASSERT_TRUE(s.erase(m.uuid));
  EXPECT_FALSE(*s.find(m.uuid));
  // The poller finishing after the delete leaves nothing behind.
  ASSERT_TRUE(s.set_checkpoint(m.uuid, progress{60, "OK"}));
  EXPECT_FALSE(*s.checkpoint(m.uuid));
}

TEST(mapping_render, as_aws_answers) {
  auto m = sample();
  m.qualifier = "live";
  auto out = render(m, "Creating");
  EXPECT_EQ(out.at("State"), "Creating");
  EXPECT_EQ(out.at("FunctionArn"), "arn:aws:lambda:us-east-1:123456789012:function:fn:live");
  EXPECT_EQ(out.at("BatchSize"), 100);
  EXPECT_EQ(out.at("MaximumRetryAttempts"), -1);
  EXPECT_EQ(out.at("LastProcessingResult"), "No records processed");
  EXPECT_FALSE(out.contains("FilterCriteria"));
  m.enabled = false;
  EXPECT_EQ(render(m).at("State"), "Disabled");
}

}  // namespace
}  // namespace stratus::lambda
