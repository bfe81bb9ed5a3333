#pragma once
// Time to Live: a background thread that deletes the items of TTL-enabled
// tables whose TTL attribute (a Number of epoch seconds) is in the past, as
// DynamoDB's TTL process does — items whose expiry is more than five years
// in the past are left alone, as on AWS.
//
// Thread-safety: start()/stop() from one thread; sweep_once() may run
// concurrently with item operations (each deletion re-checks the item in a
// transaction, so an item rewritten meanwhile is not deleted).

#include <chrono>

#include "common/periodic.hpp"
#include "dynamodb/streams.hpp"
#include "dynamodb/table.hpp"

namespace stratus::dynamodb {

class ttl_sweeper {
 public:
  explicit ttl_sweeper(catalog& tables) : tables_(tables) {}

  void start(std::chrono::milliseconds interval) {
    thread_.start(interval, [this] {
      const auto now = std::chrono::system_clock::now();
      sweep_once(now);
      trim_stream_records(tables_, now);
    });
  }
  void stop() { thread_.stop(); }
  // One pass over every TTL-enabled table; returns how many items it deleted.
  std::size_t sweep_once(std::chrono::system_clock::time_point now);

 private:
  catalog& tables_;
  periodic thread_;
};

}  // namespace stratus::dynamodb
