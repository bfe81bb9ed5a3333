#pragma once
// The worker behind event source mappings: every poll interval it looks at
// the enabled mappings and, for each one not already busy, reads the next
// batch of its stream after the checkpoint, drops the records its
// FilterCriteria rejects, invokes the function synchronously with AWS's
// {"Records": [...]} event, and moves the checkpoint past the batch when the
// function succeeded. A failed batch is retried with exponential backoff,
// bisected (BisectBatchOnFunctionError), or given up after
// MaximumRetryAttempts / MaximumRecordAgeInSeconds, its OnFailure record
// going to the destination function through the async queue. One batch at a
// time per mapping, in stream order: at-least-once delivery, and the
// checkpoint is in the store so a restart resumes where the poller was.
//
// Thread-safety: start() and stop() from one thread; wake() from any. The
// worker runs on a strand of the executor; batches run on the executor.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>

namespace stratus::lambda {

struct context;

class mapping_poller {
 public:
  explicit mapping_poller(context& c);
  ~mapping_poller();

  void start(boost::asio::any_io_executor executor);
  void stop();
  void wake();

  struct worker;  // shared with the batches under way

 private:
  boost::asio::awaitable<void> run();

  context& c_;
  std::shared_ptr<worker> worker_;
};

}  // namespace stratus::lambda
