// The write gate: a definition change waits for the writes that entered
// before it, and only for those.
#include "dynamodb/write_gate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

namespace stratus::dynamodb {
namespace {

TEST(write_gate, waiting_with_no_write_in_flight_returns_at_once) {
  write_gate gate;
  gate.wait_for_earlier();
  { auto pass = gate.enter(); }
  gate.wait_for_earlier();
}

// A write in flight, and a thread waiting for the writes before it.
struct write_then_waiter {
  explicit write_then_waiter(write_gate& gate)
      : earlier(gate.enter()), waiter([this, &gate] {
          gate.wait_for_earlier();
          done = true;
        }) {}
  std::optional<write_gate::pass> earlier;
  std::atomic<bool> done = false;
  std::thread waiter;
};

TEST(write_gate, a_waiter_waits_for_a_write_that_entered_before_it) {
  write_gate gate;
  write_then_waiter w(gate);
  auto& [earlier, done, waiter] = w;
  // However long the write takes, the waiter is still waiting.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(done.load());
  earlier.reset();
  waiter.join();
  EXPECT_TRUE(done.load());
}

TEST(write_gate, a_write_that_enters_after_the_waiter_does_not_hold_it) {
  write_gate gate;
  write_then_waiter w(gate);
  auto& [earlier, done, waiter] = w;
  // Once the waiter has begun, a new pass must not hold it up.
  for (int i = 0; i < 5000 && gate.epoch() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (gate.epoch() != 1u) {
    earlier.reset();
    waiter.join();
    FAIL() << "the waiter never began";
  }
  std::optional<write_gate::pass> later(gate.enter());
  earlier.reset();
  waiter.join();  // returns although `later` is still held
  EXPECT_TRUE(done.load());
}

TEST(write_gate, passes_from_many_threads_all_drain) {
  write_gate gate;
  std::atomic<bool> stop = false;
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i)
    writers.emplace_back([&] {
      while (!stop) auto pass = gate.enter();
    });
  for (int i = 0; i < 200; ++i) gate.wait_for_earlier();
  stop = true;
  for (auto& w : writers) w.join();
}

}  // namespace
}  // namespace stratus::dynamodb
