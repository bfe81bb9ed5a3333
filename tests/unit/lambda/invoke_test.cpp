// Invoke through a fake invoker: what the invoker is given, what the caller
// gets back, qualifiers, limits and errors.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/base64.hpp"
#include "storage/memory_store.hpp"
#include "support.hpp"

namespace stratus::lambda {
namespace {
namespace json = boost::json;

class invoke : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        lambda_.create("f", test::hello_zip(),
                       {{"Timeout", 7},
                        {"MemorySize", 256},
                        {"Environment", json::object{{"Variables", {{"TABLE", "things"}}}}}}));
  }
  std::unique_ptr<storage::store> store_ = storage::make_memory_store();
  test::temp_dir dir_;
  test::fake_invoker invoker_;
  test::service_fixture lambda_{*store_, dir_.path, invoker_};
};

TEST_F(invoke, request_response_hands_the_invoker_everything) {
  ASSERT_TRUE(lambda_.call("PutFunctionConcurrency",
                           {{"FunctionName", "f"}, {"ReservedConcurrentExecutions", 5}}));
  auto out = lambda_.call("Invoke", {{"FunctionName", "f"}, {"Payload", R"({"a":1})"}});
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->at("StatusCode"), 200);
  EXPECT_EQ(out->at("Payload"), R"({"a":1})");
  EXPECT_EQ(out->at("ExecutedVersion"), "$LATEST");
  EXPECT_FALSE(out->contains("FunctionError"));
  EXPECT_FALSE(out->contains("LogResult"));
  auto calls = invoker_.calls();
  ASSERT_EQ(calls.size(), 1u);
  const function_spec& spec = calls[0].function;
  EXPECT_EQ(spec.name, "f");
  EXPECT_EQ(spec.version, "$LATEST");
  EXPECT_EQ(spec.runtime, "nodejs8.10");
  EXPECT_EQ(spec.handler, "index.handler");
  EXPECT_EQ(spec.timeout_seconds, 7);
  EXPECT_EQ(spec.memory_mb, 256);
  EXPECT_EQ(spec.environment.at("TABLE"), "things");
  EXPECT_EQ(spec.reserved_concurrency, 5);
  EXPECT_EQ(spec.arn, "arn:aws:lambda:us-east-1:123456789012:function:f");
  EXPECT_TRUE(std::filesystem::exists(spec.code_dir / "index.js"));
  EXPECT_EQ(calls[0].request.request_id, "req-1");
  EXPECT_FALSE(calls[0].request.tail_log);
}

TEST_F(invoke, function_errors_and_log_tails) {
  invoker_.respond = [](const function_spec&, const invoke_request& r) -> result<invoke_result> {
    invoke_result out;
    out.payload = R"({"errorType":"Error","errorMessage":"boom"})";
    out.function_error = "Unhandled";
    out.log_tail = "the end of the log";
    EXPECT_TRUE(r.tail_log);
    return out;
  };
  auto out = lambda_.call("Invoke", {{"FunctionName", "f"}, {"LogType", "Tail"}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->at("StatusCode"), 200);
  EXPECT_EQ(out->at("FunctionError"), "Unhandled");
  EXPECT_EQ(out->at("LogResult"), json::value(base64_encode("the end of the log")));
}

TEST_F(invoke, invoker_errors_reach_the_caller) {
  invoker_.respond = [](const function_spec&, const invoke_request&) -> result<invoke_result> {
    return api_error("TooManyRequestsException", "Rate Exceeded.", 429, true,
                     {{"Reason", "ReservedFunctionConcurrentInvocationLimitExceeded"}});
  };
  auto out = lambda_.call("Invoke", {{"FunctionName", "f"}});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, "TooManyRequestsException");
  EXPECT_EQ(out.error().extra.at("Reason"), "ReservedFunctionConcurrentInvocationLimitExceeded");
}

TEST_F(invoke, qualifiers_pick_the_version_that_runs) {
  ASSERT_TRUE(lambda_.call("PublishVersion", {{"FunctionName", "f"}}));
  ASSERT_TRUE(lambda_.call("UpdateFunctionConfiguration", {{"FunctionName", "f"}, {"Timeout", 9}}));
  ASSERT_TRUE(lambda_.call("CreateAlias",
                           {{"FunctionName", "f"}, {"Name", "live"}, {"FunctionVersion", "1"}}));
  auto by_alias = lambda_.call("Invoke", {{"FunctionName", "f"}, {"Qualifier", "live"}});
  ASSERT_TRUE(by_alias);
  EXPECT_EQ(by_alias->at("ExecutedVersion"), "1");
  auto by_arn = lambda_.call(
      "Invoke", {{"FunctionName", "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST"}});
  ASSERT_TRUE(by_arn);
  EXPECT_EQ(by_arn->at("ExecutedVersion"), "$LATEST");
  auto calls = invoker_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].function.version, "1");
  EXPECT_EQ(calls[0].function.timeout_seconds, 7);
  EXPECT_EQ(calls[0].function.arn, "arn:aws:lambda:us-east-1:123456789012:function:f:live");
  EXPECT_EQ(calls[1].function.timeout_seconds, 9);
  auto missing = lambda_.call("Invoke", {{"FunctionName", "f:nope"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:f:nope");
}

TEST_F(invoke, dry_run_checks_without_running) {
  auto out = lambda_.call("Invoke", {{"FunctionName", "f"}, {"InvocationType", "DryRun"}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->at("StatusCode"), 204);
  EXPECT_TRUE(invoker_.calls().empty());
  EXPECT_FALSE(lambda_.call("Invoke", {{"FunctionName", "g"}, {"InvocationType", "DryRun"}}));
}

TEST_F(invoke, payload_limits_and_json) {
  auto sync = lambda_.call(
      "Invoke", {{"FunctionName", "f"}, {"Payload", "\"" + std::string(6291456, 'x') + "\""}});
  ASSERT_FALSE(sync);
  EXPECT_EQ(sync.error().code, "RequestEntityTooLargeException");
  EXPECT_EQ(sync.error().status, 413u);
  EXPECT_EQ(sync.error().message,
            "Request must be smaller than 6291456 bytes for the InvokeFunction operation");
  std::string big = "\"" + std::string(262144, 'x') + "\"";
  auto async = lambda_.call("Invoke",
                            {{"FunctionName", "f"}, {"InvocationType", "Event"}, {"Payload", big}});
  ASSERT_FALSE(async);
  EXPECT_EQ(async.error().message,
            "262146 byte payload is too large for the Event invocation type (limit 262144 bytes)");
  auto bad = lambda_.call("Invoke", {{"FunctionName", "f"}, {"Payload", "{nope"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "InvalidRequestContentException");
  EXPECT_TRUE(invoker_.calls().empty());
}

}  // namespace
}  // namespace stratus::lambda
