#pragma once
// Helpers of the Lambda unit tests: zips built in memory, a fake invoker
// that records what it is asked and answers as scripted, and a fixture that
// drives the service's handlers over an in-memory store.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/request_context.hpp"
#include "common/service_call.hpp"
#include "lambda/invoker.hpp"
#include "lambda/service.hpp"
#include "storage/store.hpp"

namespace stratus::lambda::test {

struct zip_entry {
  std::string name;
  std::string content;
  unsigned mode = 0100644;  // a regular file, rw-r--r--
};
[[nodiscard]] std::string make_zip(const std::vector<zip_entry>& entries);
[[nodiscard]] std::string hello_zip(std::string_view body = "exports.handler = async () => 1;");

class fake_invoker final : public invoker {
 public:
  // Answers each invocation with `respond`; the default echoes the payload.
  std::function<result<invoke_result>(const function_spec&, const invoke_request&)> respond;
  boost::asio::awaitable<result<invoke_result>> invoke(const function_spec& f,
                                                       invoke_request r) override;
  void retire(const std::string&, const std::string&, const std::string& name) override;

  struct call {
    function_spec function;
    invoke_request request;
  };
  [[nodiscard]] std::vector<call> calls() const;
  [[nodiscard]] std::vector<std::string> retired() const;

 private:
  mutable std::mutex mutex_;
  std::vector<call> calls_;
  std::vector<std::string> retired_;
};

// A temporary directory removed at the end (read-only code dirs included).
struct temp_dir {
  temp_dir();
  ~temp_dir();
  std::filesystem::path path;
};

// The Lambda service as the edge serves it; it is also the call path its
// own invocations take (Invoke, in-process).
class service_fixture final : public service_caller {
 public:
  explicit service_fixture(storage::store& store, const std::filesystem::path& dir,
                           fake_invoker& invoker, service_options options = {});

  // Runs an operation (synchronous or asynchronous) as the edge would.
  result<boost::json::object> call(const std::string& operation, boost::json::object input);
  result<boost::json::object> create(const std::string& name, const std::string& zip,
                                     boost::json::object extra = {});
  // service_caller: Lambda's own operations, without the model's checks.
  boost::asio::awaitable<result<boost::json::object>> call(
      request_context ctx, std::string_view service, std::string_view operation,
      boost::json::object input) const override;

  service& lambda() { return service_; }
  request_context ctx;
  // When set, operations run at this time instead of now.
  std::optional<std::chrono::system_clock::time_point> fixed_now;
  // Where `running` runs the background work. Declared before the service:
  // it outlives the timers and coroutines the service leaves in it.
  boost::asio::io_context background_io;

 private:
  service service_;
  handler_table handlers_;
  async_handler_table async_handlers_;
};

// Waits (20 s at most) until `done` holds; answers whether it did.
[[nodiscard]] bool eventually(const std::function<bool()>& done);

// Runs a service's background work on a thread of its own.
// Runs the fixture's background work on a thread of its own while it lives.
class running {
 public:
  explicit running(service_fixture& f);
  ~running();

 private:
  service& service_;
  boost::asio::io_context& io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace stratus::lambda::test
