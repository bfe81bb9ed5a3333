#pragma once
// AWS Lambda's API: the control plane (functions, versions, aliases,
// permissions, concurrency, event-invoke configurations, tags, account
// settings, event source mappings) and the Invoke operation, which runs functions through an
// `invoker` (see invoker.hpp) and queues asynchronous invocations durably.
//
// Thread-safety: the handlers may run concurrently on any io thread. The
// background delivery of queued invocations runs on the executor given to
// start_background() until stop_background().
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/raw_route.hpp"
#include "common/request_context.hpp"
#include "common/service_call.hpp"
#include "lambda/invoker.hpp"
#include "storage/store.hpp"

namespace stratus::lambda {

struct service_options {
  // Delays before the first and second retry of a failed asynchronous
  // invocation (AWS: about one and two minutes); tests shorten them.
  std::vector<std::chrono::milliseconds> retry_delays{std::chrono::minutes(1),
                                                      std::chrono::minutes(2)};
  // How often the queue is looked at when nothing wakes it.
  std::chrono::milliseconds queue_poll{1000};
  std::size_t max_deliveries_in_flight = 64;
  // Event source mappings: how often idle mappings look at their streams,
  // and the backoff between retries of a failed batch (doubling up to the cap).
  std::chrono::milliseconds mapping_poll{200};
  std::chrono::milliseconds mapping_retry_base{1000};
  std::chrono::milliseconds mapping_retry_cap{60000};
  // Packages no function uses are looked for this often, and removed once
  // unused for the grace period (longer than the longest invocation).
  std::chrono::milliseconds code_sweep_interval{std::chrono::minutes(5)};
  std::chrono::milliseconds code_grace{std::chrono::minutes(20)};
};

struct context;
class async_queue;
class stream_reader;

class service {
 public:
  // `data_dir` is the server's data directory; packages live under
  // <data_dir>/lambda/code/.
  service(storage::store& store, const std::filesystem::path& data_dir, invoker& invoker,
          service_options options = {});
  ~service();
  service(const service&) = delete;
  service& operator=(const service&) = delete;

  [[nodiscard]] handler_table handlers();
  [[nodiscard]] async_handler_table async_handlers();
  // Serves Code.Location downloads under code_download_prefix().
  [[nodiscard]] raw_handler code_download();
  [[nodiscard]] static std::string code_download_prefix();

  // Where event source mappings read DynamoDB streams from; without it,
  // CreateEventSourceMapping answers that the stream does not exist.
  void attach_streams(stream_reader& streams);
  // The call path Lambda's own invocations (queued events, event source
  // mappings) take to Invoke, as every other caller's do (the edge). Must
  // be attached before start_background() and outlive the service.
  void attach_caller(const service_caller& services);

  void start_background(boost::asio::any_io_executor executor);
  // Stops taking queued invocations; deliveries in flight finish.
  void stop_background();

 private:
  std::unique_ptr<context> context_;
  std::shared_ptr<struct background> sweeper_;
};

}  // namespace stratus::lambda
