#pragma once
// CloudWatch Logs: log groups, streams and events in the shared store, the
// json-protocol operation handlers, the retention sweeper, and append() —
// the C++ entry other services (Lambda's function output) write through.
//
// Thread-safety: handlers and append() may run concurrently on any thread;
// start_background()/stop_background() from one thread.
#include <chrono>
#include <string>
#include <vector>

#include "common/request_context.hpp"
#include "logs/append_queue.hpp"
#include "logs/catalog.hpp"
#include "logs/retention_sweeper.hpp"
#include "storage/store.hpp"

namespace stratus::logs {

// One line of output, as another service hands it over.
struct log_event {
  std::chrono::system_clock::time_point at;
  std::string message;
};

class service {
 public:
  explicit service(storage::store& store) : catalog_(store), queue_(catalog_), sweeper_(catalog_) {}
  // Each operation first stores the queued function output (append()).
  [[nodiscard]] handler_table handlers();

  // Appends events to group/stream, creating either when missing (as Lambda
  // does on AWS). Never fails the caller over what PutLogEvents would
  // reject: events are ordered by time, empty messages dropped and messages
  // over AWS's 256 KB event limit truncated, as Lambda truncates them. A
  // storage failure is logged, not thrown: losing a log line must not fail
  // an invocation. Between start_background() and stop_background() the
  // events are queued and stored within `output_linger` (append_queue.hpp);
  // otherwise at once.
  void append(const std::string& account, const std::string& region, const std::string& group,
              const std::string& stream, std::vector<log_event> events);

  // The retention sweeper and the output queue's writer; stop them before
  // the store closes.
  void start_background(std::chrono::milliseconds retention_interval,
                        std::chrono::milliseconds output_linger = std::chrono::milliseconds(2)) {
    sweeper_.start(retention_interval);
    queue_.start(output_linger);
  }
  void stop_background() {
    sweeper_.stop();
    queue_.stop();
  }
  // One retention pass as of `now` (tests, tools); returns the events deleted.
  std::size_t sweep_retention(std::chrono::system_clock::time_point now) {
    return sweeper_.sweep_once(now);
  }

 private:
  catalog catalog_;
  append_queue queue_;
  retention_sweeper sweeper_;
};

// The operation families, each adding its handlers to the table.
void add_group_operations(handler_table& table, catalog& logs);
void add_stream_operations(handler_table& table, catalog& logs);
void add_event_operations(handler_table& table, catalog& logs);
void add_filter_operations(handler_table& table, catalog& logs);
void add_tag_operations(handler_table& table, catalog& logs);

}  // namespace stratus::logs
