// Asynchronous invocations: delivery, retries, MaximumRetryAttempts,
// MaximumEventAgeInSeconds, destinations, throttling and persistence
// across a new service on the same store. The queue runs on an io_context
// of the test's own; waits end as soon as the awaited state is reached.
#include <gtest/gtest.h>

#include "../support/wrapped_store.hpp"
#include "support.hpp"

namespace stratus::lambda {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

service_options fast() {
  service_options o;
  o.retry_delays = {1ms, 2ms};
  o.queue_poll = 20ms;
  return o;
}

using test::eventually;
using test::running;

class async_invoke : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(lambda_.create("f", test::hello_zip()));
    ASSERT_TRUE(lambda_.create("dest", test::hello_zip()));
  }
  std::vector<test::fake_invoker::call> calls_of(const std::string& name) {
    std::vector<test::fake_invoker::call> out;
    for (auto& c : invoker_.calls())
      if (c.function.name == name) out.push_back(c);
    return out;
  }
  result<json::object> send(json::value payload = json::object{{"order", 1}}) {
    lambda_.ctx.request_id = "req-" + std::to_string(++sent_);  // unique, as the edge's are
    return lambda_.call("Invoke", {{"FunctionName", "f"},
                                   {"InvocationType", "Event"},
                                   {"Payload", json::serialize(payload)}});
  }
  void fail_always(const std::string& name) {
    invoker_.respond = [name](const function_spec& f,
                              const invoke_request& r) -> result<invoke_result> {
      invoke_result out;
      out.payload = r.payload;
      if (f.name == name) {
        out.payload = R"({"errorMessage":"boom"})";
        out.function_error = "Unhandled";
      }
      return out;
    };
  }
  int sent_ = 0;
  bool store_queue_empty() {
    return !store_->scan({"c/lambda/async/", storage::prefix_end("c/lambda/async/")})->valid();
  }
  const std::string arn_ = "arn:aws:lambda:us-east-1:123456789012:function:";
  std::unique_ptr<stratus::test::wrapped_store> store_ =
      std::make_unique<stratus::test::wrapped_store>();
  test::temp_dir dir_;
  test::fake_invoker invoker_;
  test::service_fixture lambda_{*store_, dir_.path, invoker_, fast()};
};

TEST_F(async_invoke, event_is_accepted_then_delivered_once) {
  auto out = send();
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->at("StatusCode"), 202);
  EXPECT_TRUE(invoker_.calls().empty());
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return calls_of("f").size() == 1; }));
  std::this_thread::sleep_for(50ms);  // room for a wrong second delivery
  auto calls = calls_of("f");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].request.request_id, "req-1");
  EXPECT_EQ(calls[0].request.payload, R"({"order":1})");
}

TEST_F(async_invoke, failures_are_retried_twice_then_sent_to_on_failure) {
  fail_always("f");
  ASSERT_TRUE(
      lambda_.call("PutFunctionEventInvokeConfig",
                   {{"FunctionName", "f"},
                    {"DestinationConfig",
                     json::object{{"OnFailure", json::object{{"Destination", arn_ + "dest"}}}}}}));
  ASSERT_TRUE(send());
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return calls_of("dest").size() == 1; }));
  auto attempts = calls_of("f");
  ASSERT_EQ(attempts.size(), 3u);
  for (const auto& a : attempts) EXPECT_EQ(a.request.request_id, "req-1");
  auto record = json::parse(calls_of("dest")[0].request.payload).as_object();
  EXPECT_EQ(record.at("version"), "1.0");
  EXPECT_EQ(record.at("requestContext").at("requestId"), "req-1");
  EXPECT_EQ(record.at("requestContext").at("functionArn"), json::value(arn_ + "f:$LATEST"));
  EXPECT_EQ(record.at("requestContext").at("condition"), "RetriesExhausted");
  EXPECT_EQ(record.at("requestContext").at("approximateInvokeCount"), 3);
  EXPECT_EQ(record.at("requestPayload"), (json::object{{"order", 1}}));
  EXPECT_EQ(record.at("responseContext").at("functionError"), "Unhandled");
  EXPECT_EQ(record.at("responsePayload").at("errorMessage"), "boom");
}

TEST_F(async_invoke, maximum_retry_attempts_zero_means_one_attempt) {
  fail_always("f");
  ASSERT_TRUE(lambda_.call("PutFunctionEventInvokeConfig",
                           {{"FunctionName", "f"}, {"MaximumRetryAttempts", 0}}));
  ASSERT_TRUE(send());
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return calls_of("f").size() == 1 && store_queue_empty(); }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(calls_of("f").size(), 1u);
}

TEST_F(async_invoke, success_goes_to_on_success) {
  ASSERT_TRUE(
      lambda_.call("PutFunctionEventInvokeConfig",
                   {{"FunctionName", "f"},
                    {"DestinationConfig",
                     json::object{{"OnSuccess", json::object{{"Destination", arn_ + "dest"}}}}}}));
  ASSERT_TRUE(send(json::object{{"x", "y"}}));
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return calls_of("dest").size() == 1; }));
  auto record = json::parse(calls_of("dest")[0].request.payload).as_object();
  EXPECT_EQ(record.at("requestContext").at("condition"), "Success");
  EXPECT_EQ(record.at("requestContext").at("approximateInvokeCount"), 1);
  EXPECT_EQ(record.at("responseContext").at("statusCode"), 200);
  EXPECT_EQ(record.at("responseContext").at("executedVersion"), "$LATEST");
  EXPECT_EQ(record.at("responsePayload"), (json::object{{"x", "y"}}));
}

TEST_F(async_invoke, events_older_than_the_maximum_age_are_dropped) {
  ASSERT_TRUE(
      lambda_.call("PutFunctionEventInvokeConfig",
                   {{"FunctionName", "f"},
                    {"MaximumEventAgeInSeconds", 60},
                    {"DestinationConfig",
                     json::object{{"OnFailure", json::object{{"Destination", arn_ + "dest"}}}}}}));
  lambda_.fixed_now = std::chrono::system_clock::now() - 2min;
  ASSERT_TRUE(send());
  lambda_.fixed_now.reset();
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return calls_of("dest").size() == 1; }));
  EXPECT_TRUE(calls_of("f").empty());
  auto record = json::parse(calls_of("dest")[0].request.payload).as_object();
  EXPECT_EQ(record.at("requestContext").at("condition"), "EventAgeExceeded");
  EXPECT_FALSE(record.contains("responsePayload"));
}

TEST_F(async_invoke, throttles_are_retried_without_counting) {
  int throttles = 1;
  invoker_.respond = [&throttles](const function_spec&,
                                  const invoke_request& r) -> result<invoke_result> {
    if (throttles-- > 0) return api_error("TooManyRequestsException", "Rate Exceeded.", 429);
    return invoke_result{r.payload, std::nullopt, ""};
  };
  ASSERT_TRUE(lambda_.call("PutFunctionEventInvokeConfig",
                           {{"FunctionName", "f"}, {"MaximumRetryAttempts", 0}}));
  ASSERT_TRUE(send());
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return calls_of("f").size() == 2 && store_queue_empty(); }));
}

TEST_F(async_invoke, queued_events_survive_a_new_service) {
  ASSERT_TRUE(send());
  ASSERT_TRUE(send(json::object{{"order", 2}}));
  test::fake_invoker other;
  test::service_fixture restarted(*store_, dir_.path, other, fast());
  running worker(restarted);
  ASSERT_TRUE(eventually([&] { return other.calls().size() == 2; }));
  EXPECT_TRUE(invoker_.calls().empty());
}

// Fails the first `n` writes that erase a queued event.
void fail_erases(stratus::test::wrapped_store& store, int n, std::atomic<int>& failed) {
  store.on_write = [&failed, n](const storage::write_batch& b) -> std::optional<storage::error> {
    for (const auto& op : b.ops)
      if (!op.value && op.key.starts_with("c/lambda/async/") && failed < n) {
        ++failed;
        return storage::error{storage::errc::io_error, "disk full"};
      }
    return std::nullopt;
  };
}

TEST_F(async_invoke, a_failed_erase_is_retried_and_never_runs_the_function_twice) {
  std::atomic<int> failed = 0;
  fail_erases(*store_, 3, failed);
  ASSERT_TRUE(send());
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return store_queue_empty(); }));
  EXPECT_EQ(failed, 3);
  EXPECT_EQ(calls_of("f").size(), 1u);
}

TEST_F(async_invoke, a_failed_retry_write_keeps_the_attempt_count) {
  fail_always("f");
  ASSERT_TRUE(lambda_.call("PutFunctionEventInvokeConfig",
                           {{"FunctionName", "f"}, {"MaximumRetryAttempts", 1}}));
  std::atomic<int> failed = 0;
  fail_erases(*store_, 2, failed);
  ASSERT_TRUE(send());
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return store_queue_empty() && failed == 2; }));
  EXPECT_EQ(calls_of("f").size(), 2u);  // the attempt and its one retry
}

TEST_F(async_invoke, an_unreadable_event_is_dropped_even_when_the_drop_fails_at_first) {
  const std::string key = "c/lambda/async/0000000000000001/garbage";
  storage::write_batch b;
  b.put(key, "not json");
  ASSERT_TRUE(store_->write(b));
  std::atomic<int> failed = 0;
  fail_erases(*store_, 2, failed);
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return store_queue_empty(); }));
  EXPECT_EQ(failed, 2);
}

TEST_F(async_invoke, events_of_deleted_functions_are_dropped) {
  ASSERT_TRUE(send());
  ASSERT_TRUE(lambda_.call("DeleteFunction", {{"FunctionName", "f"}}));
  running worker(lambda_);
  ASSERT_TRUE(eventually([&] { return store_queue_empty(); }));
  EXPECT_TRUE(invoker_.calls().empty());
}

}  // namespace
}  // namespace stratus::lambda
