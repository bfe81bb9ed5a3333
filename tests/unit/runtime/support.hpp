#pragma once
// A pool on its own io_context threads, temporary function packages, a log
// sink that records, and a synchronous invoke for tests.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include "lambda/invoker.hpp"
#include "runtime/pool.hpp"

namespace stratus::runtime::testing {

namespace fs = std::filesystem;

class recording_sink : public lambda::log_sink {
 public:
  void write(const std::string& account, const std::string& region, const std::string& group,
             const std::string& stream, std::vector<lambda::log_event> events) override {
    std::lock_guard lock(mutex_);
    for (auto& e : events) lines_.push_back({group, stream, std::move(e.message)});
    (void)account, (void)region;
  }
  struct line {
    std::string group, stream, message;
  };
  std::vector<line> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  std::string all_text() const {
    std::string s;
    for (const auto& l : lines()) s += l.message + "\n";
    return s;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<line> lines_;
};

// A directory removed at the end of the test.
class temp_dir {
 public:
  explicit temp_dir(const fs::path& base = fs::temp_directory_path()) {
    std::random_device rd;
    path_ = base / ("stratus-rt-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void write(const std::string& relative, const std::string& text,
             fs::perms perms = fs::perms(0644)) const {
    const auto p = path_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    fs::permissions(p, perms);
  }

 private:
  fs::path path_;
};

class runtime_test : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  void TearDown() override {
    pool_.reset();
    guard_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
  }

  virtual options make_options() {
    options o;
    o.work_dir = work_.path() / "envs";
    o.idle_keep_alive = std::chrono::minutes(5);
    return o;
  }

  pool& the_pool() {
    if (!pool_) pool_ = std::make_unique<pool>(io_, make_options(), sink_);
    return *pool_;
  }

  lambda::function_spec spec(const std::string& runtime, const std::string& handler,
                             const temp_dir& code, const std::string& name = "fn") {
    lambda::function_spec f;
    f.account = "123456789012";
    f.region = "us-east-1";
    f.name = name;
    f.version = "$LATEST";
    f.arn = "arn:aws:lambda:us-east-1:123456789012:function:" + name;
    f.runtime = runtime;
    f.handler = handler;
    f.code_dir = code.path();
    f.code_sha256 = "sha-" + code.path().filename().string();
    f.role_arn = "arn:aws:iam::123456789012:role/r";
    f.timeout_seconds = 10;
    f.memory_mb = 256;
    f.last_modified = "2024-01-01T00:00:00.000+0000";
    return f;
  }

  std::future<result<lambda::invoke_result>> invoke_async(const lambda::function_spec& f,
                                                          const std::string& payload,
                                                          bool tail = false) {
    lambda::invoke_request req;
    req.payload = payload;
    req.request_id = next_request_id();
    req.tail_log = tail;
    auto& p = the_pool();
    return boost::asio::co_spawn(
        io_,
        [&p, f, req]() mutable -> boost::asio::awaitable<result<lambda::invoke_result>> {
          co_return co_await p.invoke(f, std::move(req));
        },
        boost::asio::use_future);
  }

  result<lambda::invoke_result> invoke(const lambda::function_spec& f,
                                       const std::string& payload = "{}", bool tail = false) {
    auto fut = invoke_async(f, payload, tail);
    return fut.get();
  }

  // The invocation must have succeeded; its payload as JSON.
  boost::json::value ok(const lambda::function_spec& f, const std::string& payload = "{}") {
    auto r = invoke(f, payload);
    EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().code + ": " + r.error().message);
    if (!r) return nullptr;
    EXPECT_FALSE(r->function_error) << r->payload << "\nlogs:\n" << sink_.all_text();
    boost::system::error_code ec;
    auto v = boost::json::parse(r->payload, ec);
    EXPECT_FALSE(ec) << r->payload;
    return v;
  }

  // The invocation must have failed in the function; its error document.
  boost::json::object failed(const lambda::function_spec& f, const std::string& payload = "{}") {
    auto r = invoke(f, payload);
    EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().code + ": " + r.error().message);
    if (!r) return {};
    EXPECT_EQ(r->function_error.value_or(""), "Unhandled") << r->payload;
    boost::system::error_code ec;
    auto v = boost::json::parse(r->payload, ec);
    EXPECT_FALSE(ec) << r->payload;
    if (ec || !v.is_object()) return {};
    return v.as_object();
  }

  std::string next_request_id() {
    static std::atomic<int> n{0};
    char buf[64];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", ++n);
    return buf;
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{
      io_.get_executor()};
  std::vector<std::thread> threads_;
  recording_sink sink_;
  temp_dir work_{"/var/tmp"};  // not /tmp: environments have their own
  std::unique_ptr<pool> pool_;
};

inline std::string str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

}  // namespace stratus::runtime::testing
