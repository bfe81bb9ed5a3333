// Warm reuse, concurrency limits, reaping, retiring, and what happens to
// invocations that time out, crash, run out of memory or answer too much.
#include "support.hpp"

namespace stratus::runtime::testing {
namespace {

using scheduling = runtime_test;

constexpr const char* pid_and_sleep = R"(
exports.handler = async (event) => {
  if (event.sleep) await new Promise((r) => setTimeout(r, event.sleep));
  return process.pid;
};)";

TEST_F(scheduling, warm_environment_serves_again_and_a_busy_one_gets_company) {
  temp_dir code;
  code.write("index.js", pid_and_sleep);
  auto f = spec("nodejs20.x", "index.handler", code);
  const auto first = ok(f);
  EXPECT_EQ(ok(f), first);  // same process twice
  EXPECT_EQ(the_pool().environment_count(), 1u);

  auto slow = invoke_async(f, R"({"sleep":1500})");
  // While the warm one is busy, another environment starts.
  for (int i = 0; i < 200 && the_pool().idle_count() != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto other = ok(f);
  EXPECT_NE(other, first);
  auto r = slow.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->payload, boost::json::serialize(first));
  EXPECT_EQ(the_pool().environment_count(), 2u);
}

TEST_F(scheduling, parallel_invocations_all_answered) {
  temp_dir code;
  code.write("index.js", pid_and_sleep);
  auto f = spec("python3.12", "app.handler", code);
  // Sixteen interpreters starting at once on a busy 2-core machine may take
  // seconds: the invocation timeout is not what this test is about.
  f.timeout_seconds = 60;
  code.write("app.py", R"(
import os, time
def handler(event, context):
    time.sleep(event['sleep'] / 1000)
    return os.getpid()
)");
  std::size_t after_first = 0;
  for (int round = 0; round < 2; ++round) {
    if (round == 1) after_first = the_pool().environment_count();
    std::vector<std::future<result<lambda::invoke_result>>> calls;
    for (int i = 0; i < 16; ++i) calls.push_back(invoke_async(f, R"({"sleep":200})"));
    for (auto& c : calls) {
      auto r = c.get();
      ASSERT_TRUE(r) << r.error().message;
      EXPECT_FALSE(r->function_error) << r->payload;
    }
  }
  // The second round found the first round's environments warm: no new one
  // beyond the 16 calls it had to serve at once.
  EXPECT_GE(after_first, 2u);
  EXPECT_LE(the_pool().environment_count(), std::max<std::size_t>(after_first, 16));
}

TEST_F(scheduling, configuration_change_means_a_new_environment) {
  temp_dir code;
  code.write("index.js", pid_and_sleep);
  auto f = spec("nodejs20.x", "index.handler", code);
  const auto first = ok(f);
  f.last_modified = "2024-01-02T00:00:00.000+0000";
  EXPECT_NE(ok(f), first);
}

TEST_F(scheduling, reserved_concurrency_limits) {
  temp_dir code;
  code.write("index.js", pid_and_sleep);
  auto f = spec("nodejs20.x", "index.handler", code);
  f.reserved_concurrency = 0;
  auto blocked = invoke(f);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, "TooManyRequestsException");
  EXPECT_EQ(blocked.error().message, "Rate Exceeded.");
  EXPECT_EQ(blocked.error().status, 429u);
  EXPECT_EQ(blocked.error().extra.at("Reason"),
            "ReservedFunctionConcurrentInvocationLimitExceeded");

  f.reserved_concurrency = 1;
  auto slow = invoke_async(f, R"({"sleep":3000})");
  // Once its environment exists, the slow invocation holds the only slot.
  for (int i = 0; i < 400 && the_pool().environment_count() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  result<lambda::invoke_result> second = lambda::invoke_result{};
  for (int i = 0; i < 400; ++i) {  // until the slow one holds the slot
    second = invoke(f);
    if (!second) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().extra.at("Reason"), "ReservedFunctionConcurrentInvocationLimitExceeded");
  EXPECT_TRUE(slow.get());
  EXPECT_TRUE(invoke(f));  // the slot is free again
}

class account_limit : public runtime_test {
  options make_options() override {
    auto o = runtime_test::make_options();
    o.account_concurrency = 1;
    return o;
  }
};

TEST_F(account_limit, concurrent_invocations_beyond_the_account_limit) {
  temp_dir code;
  code.write("index.js", pid_and_sleep);
  auto slow = invoke_async(spec("nodejs20.x", "index.handler", code, "a"), R"({"sleep":3000})");
  // Once its environment exists, the slow invocation holds the only slot.
  for (int i = 0; i < 400 && the_pool().environment_count() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  result<lambda::invoke_result> other = lambda::invoke_result{};
  for (int i = 0; i < 400 && other; ++i) {
    other = invoke(spec("nodejs20.x", "index.handler", code, "b"));
    if (other) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "TooManyRequestsException");
  EXPECT_EQ(other.error().extra.at("Reason"), "ConcurrentInvocationLimitExceeded");
  EXPECT_TRUE(slow.get());
}

class short_keep_alive : public runtime_test {
  options make_options() override {
    auto o = runtime_test::make_options();
    o.idle_keep_alive = std::chrono::milliseconds(200);
    o.init_timeout = std::chrono::seconds(3);
    return o;
  }
};

TEST_F(short_keep_alive, idle_environments_are_reaped) {
  temp_dir code;
  code.write("index.js", pid_and_sleep);
  auto f = spec("nodejs20.x", "index.handler", code);
  const auto first = ok(f);
  ASSERT_EQ(the_pool().environment_count(), 1u);
  for (int i = 0; i < 500 && the_pool().environment_count() != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(the_pool().environment_count(), 0u);
  const auto pid = static_cast<pid_t>(first.to_number<int>());
  for (int i = 0; i < 500 && kill(pid, 0) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(kill(pid, 0), 0);  // the process is gone (and reaped)
  EXPECT_NE(ok(f), first);
}

TEST_F(short_keep_alive, init_phase_is_limited) {
  temp_dir code;
  code.write("index.js",
             "const end = Date.now() + 60000; while (Date.now() < end) {}\nexports.handler = async "
             "() => 1;");
  auto err = failed(spec("nodejs20.x", "index.handler", code));
  EXPECT_EQ(err["errorType"], "Sandbox.Timedout");
  EXPECT_TRUE(str(err["errorMessage"]).ends_with(" Error: Task timed out after 3.00 seconds"))
      << err["errorMessage"];
}

TEST_F(scheduling, retire_stops_the_functions_environments) {
  temp_dir code;
  code.write("index.js", pid_and_sleep);
  auto f = spec("nodejs20.x", "index.handler", code);
  const auto first = ok(f);
  the_pool().retire(f.account, f.region, f.name);
  EXPECT_NE(ok(f), first);
}

TEST_F(scheduling, timeout_kills_the_environment_and_answers_as_aws) {
  temp_dir code;
  code.write("index.js", R"(
exports.handler = async (event) => {
  if (event.spin) { while (true) {} }
  return process.pid;
};)");
  auto f = spec("nodejs20.x", "index.handler", code);
  f.timeout_seconds = 1;
  const auto pid = ok(f);
  auto r = invoke(f, R"({"spin":true})", true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->function_error.value_or(""), "Unhandled");
  auto doc = boost::json::parse(r->payload).as_object();
  EXPECT_EQ(doc["errorType"], "Sandbox.Timedout");
  EXPECT_TRUE(str(doc["errorMessage"]).starts_with("RequestId: "));
  EXPECT_TRUE(str(doc["errorMessage"]).ends_with(" Error: Task timed out after 1.00 seconds"));
  EXPECT_NE(r->log_tail.find(" Task timed out after 1.00 seconds\n"), std::string::npos)
      << r->log_tail;
  EXPECT_NE(r->log_tail.find("\tStatus: timeout"), std::string::npos) << r->log_tail;
  const auto killed = static_cast<pid_t>(pid.to_number<int>());
  for (int i = 0; i < 500 && kill(killed, 0) == 0; ++i)  // gone once reaped
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(kill(killed, 0), 0);
  EXPECT_NE(ok(f), pid);  // replaced
}

TEST_F(scheduling, crash_is_an_exit_error_and_the_environment_is_replaced) {
  temp_dir code;
  code.write("index.js", R"(
exports.handler = async (event) => {
  if (event.exit !== undefined) process.exit(event.exit);
  if (event.segv) process.kill(process.pid, 'SIGSEGV');
  return process.pid;
};)");
  auto f = spec("nodejs20.x", "index.handler", code);
  const auto pid = ok(f);
  auto err = failed(f, R"({"exit":1})");
  EXPECT_EQ(err["errorType"], "Runtime.ExitError");
  EXPECT_TRUE(
      str(err["errorMessage"]).ends_with(" Error: Runtime exited with error: exit status 1"))
      << err["errorMessage"];
  const auto second = ok(f);
  EXPECT_NE(second, pid);
  auto segv = failed(f, R"({"segv":true})");
  EXPECT_NE(str(segv["errorMessage"]).find("Runtime exited with error: signal: segmentation fault"),
            std::string::npos)
      << segv["errorMessage"];
  auto clean = failed(f, R"({"exit":0})");
  EXPECT_TRUE(
      str(clean["errorMessage"]).ends_with(" Error: Runtime exited without providing a reason"));
}

// Allocates (and touches) 16 MB at a time when asked to.
constexpr const char* memory_hog = R"(
import os, tempfile
def handler(event, context):
    if event.get('hog'):
        chunks = []
        while True:
            chunks.append(b'x' * (16 * 1024 * 1024))
    return {'pid': os.getpid(), 'uid': os.getuid(), 'tmp': tempfile.gettempdir()}
)";

TEST_F(scheduling, memory_beyond_memory_size_is_out_of_memory) {
  temp_dir code;
  code.write("app.py", memory_hog);
  auto f = spec("python3.12", "app.handler", code);
  f.memory_mb = 128;
  const auto pid = ok(f).at("pid");
  auto err = failed(f, R"({"hog":true})");
  EXPECT_EQ(err["errorType"], "Runtime.OutOfMemory") << err["errorMessage"];
  EXPECT_TRUE(str(err["errorMessage"]).starts_with("RequestId: "));
  EXPECT_NE(ok(f).at("pid"), pid);
}

class without_cgroups : public runtime_test {
  options make_options() override {
    auto o = runtime_test::make_options();
    o.use_cgroups = false;
    o.isolate = false;
    return o;
  }
};

TEST_F(without_cgroups, memory_is_watched_and_functions_run_as_stratus) {
  ASSERT_FALSE(the_pool().using_cgroups());
  ASSERT_FALSE(the_pool().isolating());
  temp_dir code;
  code.write("app.py", memory_hog);
  auto f = spec("python3.12", "app.handler", code);
  f.memory_mb = 128;
  auto r = ok(f).as_object();
  EXPECT_EQ(r["uid"], static_cast<std::int64_t>(::getuid()));
  EXPECT_NE(str(r["tmp"]), "/tmp");  // TMPDIR: the environment's own directory
  EXPECT_TRUE(str(r["tmp"]).ends_with("/tmp")) << r["tmp"];
  auto err = failed(f, R"({"hog":true})");
  EXPECT_EQ(err["errorType"], "Runtime.OutOfMemory") << err["errorMessage"];
  EXPECT_NE(ok(f).at("pid"), r["pid"]);
}

TEST_F(scheduling, response_larger_than_six_megabytes) {
  temp_dir code;
  code.write("index.js", "exports.handler = async (e) => 'x'.repeat(e.n);");
  auto f = spec("nodejs20.x", "index.handler", code);
  auto err = failed(f, R"({"n":6300000})");
  EXPECT_EQ(err["errorType"], "Function.ResponseSizeTooLarge");
  EXPECT_EQ(err["errorMessage"],
            "Response payload size (6300002 bytes) exceeded maximum allowed payload size (6291556 "
            "bytes).");
  EXPECT_EQ(ok(f, R"({"n":6000000})").as_string().size(), 6000000u);  // still serving
}

// Over the Runtime API's read limit the answer is refused unread and the
// connection closed. The runtime sends its next /next again on a new
// connection, and the same environment serves the next invocation.
TEST_F(scheduling, response_refused_unread_leaves_the_environment_serving) {
  temp_dir code;
  code.write("index.js", "exports.handler = async (e) => (e.n ? 'x'.repeat(e.n) : process.pid);");
  code.write("app.py",
             "import os\n"
             "def handler(e, c):\n"
             "    return 'x' * e['n'] if e['n'] else os.getpid()\n");
  for (auto [runtime, handler] :
       {std::pair{"nodejs20.x", "index.handler"}, std::pair{"python3.12", "app.handler"}}) {
    auto f = spec(runtime, handler, code);
    f.memory_mb = 1024;
    const auto pid = ok(f, R"({"n":0})");
    auto err = failed(f, R"({"n":70000000})");
    EXPECT_EQ(err["errorType"], "Function.ResponseSizeTooLarge") << runtime;
    EXPECT_EQ(ok(f, R"({"n":0})"), pid) << runtime;
  }
}

}  // namespace
}  // namespace stratus::runtime::testing
