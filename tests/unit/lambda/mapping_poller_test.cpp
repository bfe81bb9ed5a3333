// The event source mapping poller over a fake stream and a fake invoker:
// batches in order, starting positions, retries, bisection with the
// OnFailure record, filters, disabling, and the checkpoint across a new
// service on the same store.
#include <gtest/gtest.h>

#include "lambda/stream_reader.hpp"
#include "storage/memory_store.hpp"
#include "support.hpp"

namespace stratus::lambda {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using test::eventually;
using test::running;

const std::string stream_arn =
    "arn:aws:dynamodb:us-east-1:123456789012:table/src/stream/2024-01-01T00:00:00.000";

class fake_stream final : public stream_reader {
 public:
  void add(const std::string& key, const std::string& kind = "") {
    std::lock_guard lock(mutex_);
    const auto seq = records_.size() + 1;
    const auto created = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    json::object image{{"id", json::object{{"S", key}}}};
    if (!kind.empty()) image["kind"] = json::object{{"S", kind}};
    json::object r{
        {"eventID", std::to_string(seq)},
        {"eventName", "INSERT"},
        {"dynamodb", json::object{{"Keys", json::object{{"id", json::object{{"S", key}}}}},
                                  {"NewImage", image},
                                  {"SequenceNumber", std::to_string(seq)},
                                  {"ApproximateCreationDateTime", created}}}};
    records_.push_back({seq, json::serialize(r)});
  }
  result<std::optional<stream_info>> describe(std::string_view arn) override {
    std::lock_guard lock(mutex_);
    if (arn != stream_arn) return std::optional<stream_info>{};
    return std::optional<stream_info>(stream_info{"shardId-1", true, records_.size()});
  }
  result<std::vector<stream_entry>> read(std::string_view arn, std::uint64_t after,
                                         std::size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<stream_entry> out;
    if (arn != stream_arn) return out;
    for (const auto& r : records_)
      if (r.sequence > after && out.size() < limit) out.push_back(r);
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<stream_entry> records_;
};

service_options fast() {
  service_options o;
  o.queue_poll = 20ms;
  o.mapping_poll = 10ms;
  o.mapping_retry_base = 1ms;
  o.mapping_retry_cap = 4ms;
  return o;
}

// The keys of the records of one invocation.
std::vector<std::string> keys(const test::fake_invoker::call& c) {
  std::vector<std::string> out;
  const auto event = json::parse(c.request.payload);
  for (const auto& r : event.at("Records").as_array())
    out.emplace_back(r.at("dynamodb").at("Keys").at("id").at("S").as_string());
  return out;
}

class poller : public ::testing::Test {
 protected:
  void SetUp() override {
    lambda_.lambda().attach_streams(stream_);
    ASSERT_TRUE(lambda_.create("f", test::hello_zip()));
    ASSERT_TRUE(lambda_.create("dest", test::hello_zip()));
  }
  std::string map(json::object extra = {}) {
    json::object in{{"EventSourceArn", stream_arn},
                    {"FunctionName", "f"},
                    {"StartingPosition", "TRIM_HORIZON"}};
    for (auto& [k, v] : extra) in[k] = v;
    auto out = lambda_.call("CreateEventSourceMapping", in);
    EXPECT_TRUE(out) << (out ? "" : out.error().message);
    return out ? std::string(out->at("UUID").as_string()) : "";
  }
  std::vector<test::fake_invoker::call> calls_of(const std::string& name) {
    std::vector<test::fake_invoker::call> out;
    for (auto& c : invoker_.calls())
      if (c.function.name == name) out.push_back(c);
    return out;
  }
  std::vector<std::string> delivered() {
    std::vector<std::string> out;
    for (const auto& c : calls_of("f"))
      for (auto& k : keys(c)) out.push_back(k);
    return out;
  }
  // Batches holding `poison` fail.
  void poison(const std::string& key) {
    invoker_.respond = [key](const function_spec& f,
                             const invoke_request& r) -> result<invoke_result> {
      invoke_result out;
      out.payload = "null";
      if (f.name == "f" && r.payload.find("\"" + key + "\"") != std::string::npos)
        out.function_error = "Unhandled";
      return out;
    };
  }

  std::unique_ptr<storage::store> store_ = storage::make_memory_store();
  test::temp_dir dir_;
  test::fake_invoker invoker_;
  fake_stream stream_;
  test::service_fixture lambda_{*store_, dir_.path, invoker_, fast()};
};

TEST_F(poller, batches_of_batch_size_in_order) {
  for (auto k : {"a", "b", "c", "d", "e"}) stream_.add(k);
  map({{"BatchSize", 2}});
  running r(lambda_);
  ASSERT_TRUE(eventually([&] { return delivered().size() == 5; }));
  auto calls = calls_of("f");
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(keys(calls[0]), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(keys(calls[1]), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(keys(calls[2]), (std::vector<std::string>{"e"}));
  auto record = json::parse(calls[0].request.payload).at("Records").at(0);
  EXPECT_EQ(record.at("eventSourceARN"), json::value(stream_arn));
}

TEST_F(poller, batches_stay_under_the_six_megabyte_payload_limit) {
  const std::string megabyte(1 << 20, 'x');
  for (int i = 0; i < 8; ++i) stream_.add("k" + std::to_string(i), megabyte);
  map({{"BatchSize", 10}});
  running r(lambda_);
  ASSERT_TRUE(eventually([&] { return delivered().size() == 8; }));
  auto calls = calls_of("f");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(keys(calls[0]).size(), 5u);
  EXPECT_EQ(keys(calls[1]), (std::vector<std::string>{"k5", "k6", "k7"}));
}

TEST_F(poller, latest_starts_after_the_records_already_there) {
  stream_.add("old");
  map({{"StartingPosition", "LATEST"}});
  running r(lambda_);
  stream_.add("new");
  ASSERT_TRUE(eventually([&] { return !delivered().empty(); }));
  EXPECT_EQ(delivered(), (std::vector<std::string>{"new"}));
}

TEST_F(poller, a_failed_batch_is_retried_until_it_succeeds) {
  int failures = 2;
  std::mutex m;
  invoker_.respond = [&](const function_spec&, const invoke_request&) -> result<invoke_result> {
    std::lock_guard lock(m);
    invoke_result out;
    if (failures-- > 0) out.function_error = "Unhandled";
    return out;
  };
  stream_.add("a");
  auto uuid = map();
  running r(lambda_);
  ASSERT_TRUE(eventually([&] {
    auto got = lambda_.call("GetEventSourceMapping", {{"UUID", uuid}});
    return got && got->at("LastProcessingResult") == "OK";
  }));
  EXPECT_EQ(calls_of("f").size(), 3u);
  stream_.add("b");
  ASSERT_TRUE(eventually([&] { return calls_of("f").size() == 4; }));
  EXPECT_EQ(keys(calls_of("f")[3]), (std::vector<std::string>{"b"}));
}

TEST_F(poller, bisection_isolates_the_failing_record_and_reports_it) {
  poison("p");
  for (auto k : {"a", "b", "p", "c"}) stream_.add(k);
  map({{"BisectBatchOnFunctionError", true},
       {"MaximumRetryAttempts", 1},
       {"DestinationConfig",
        json::object{{"OnFailure", json::object{{"Destination",
                                                 "arn:aws:lambda:us-east-1:123456789012:"
                                                 "function:dest"}}}}}});
  running r(lambda_);
  ASSERT_TRUE(eventually([&] { return !calls_of("dest").empty(); }));
  // [a b p c] fails → [a b] ok, [p c] fails → [p] fails twice, [c] ok.
  std::vector<std::vector<std::string>> batches;
  for (const auto& c : calls_of("f")) batches.push_back(keys(c));
  const std::vector<std::vector<std::string>> expected{
      {"a", "b", "p", "c"}, {"a", "b"}, {"p", "c"}, {"p"}, {"p"}, {"c"}};
  ASSERT_TRUE(eventually([&] { return calls_of("f").size() == expected.size(); }));
  batches.clear();
  for (const auto& c : calls_of("f")) batches.push_back(keys(c));
  EXPECT_EQ(batches, expected);
  auto record = json::parse(calls_of("dest")[0].request.payload);
  EXPECT_EQ(record.at("requestContext").at("condition"), "RetryAttemptsExhausted");
  EXPECT_EQ(record.at("requestContext").at("approximateInvokeCount"), 2);
  EXPECT_EQ(record.at("responseContext").at("functionError"), "Unhandled");
  const auto& info = record.at("DDBStreamBatchInfo");
  EXPECT_EQ(info.at("batchSize"), 1);
  EXPECT_EQ(info.at("startSequenceNumber"), "3");
  EXPECT_EQ(info.at("streamArn"), json::value(stream_arn));
  EXPECT_EQ(info.at("shardId"), "shardId-1");
}

TEST_F(poller, filtered_records_are_skipped_and_checkpointed) {
  stream_.add("x", "drop");
  stream_.add("y", "keep");
  stream_.add("z", "drop");
  auto uuid =
      map({{"FilterCriteria",
            json::object{
                {"Filters",
                 json::array{json::object{
                     {"Pattern", R"({"dynamodb":{"NewImage":{"kind":{"S":["keep"]}}}})"}}}}}}});
  running r(lambda_);
  ASSERT_TRUE(eventually([&] { return !delivered().empty(); }));
  EXPECT_EQ(delivered(), (std::vector<std::string>{"y"}));
  // The checkpoint moved past "z" too: a new record alone comes next.
  stream_.add("w", "keep");
  ASSERT_TRUE(eventually([&] { return delivered().size() == 2; }));
  EXPECT_EQ(keys(calls_of("f").back()), (std::vector<std::string>{"w"}));
}

TEST_F(poller, disabled_mappings_wait_and_the_checkpoint_outlives_the_service) {
  stream_.add("a");
  auto uuid = map({{"Enabled", false}});
  {
    // A service of its own, stopped before its io_context goes.
    test::service_fixture first{*store_, dir_.path, invoker_, fast()};
    first.lambda().attach_streams(stream_);
    running r(first);
    std::this_thread::sleep_for(100ms);  // ten poll intervals
    EXPECT_TRUE(calls_of("f").empty());
    auto up = first.call("UpdateEventSourceMapping", {{"UUID", uuid}, {"Enabled", true}});
    ASSERT_TRUE(up);
    EXPECT_EQ(up->at("State"), "Enabling");
    ASSERT_TRUE(eventually([&] { return delivered().size() == 1; }));
  }
  // A new service on the same store resumes after "a".
  stream_.add("b");
  running r(lambda_);
  ASSERT_TRUE(eventually([&] { return delivered().size() == 2; }));
  EXPECT_EQ(delivered(), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace stratus::lambda
