#pragma once
// A memory store whose blind writes tests can watch and fail: each write
// batch is counted, then handed to `on_write`, which may answer an error
// instead of letting it through.
//
// Thread-safety: as the memory store; set `on_write` before other threads
// write.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "storage/memory_store.hpp"
#include "storage/store.hpp"

namespace stratus::test {

class wrapped_store final : public storage::store {
 public:
  std::atomic<int> writes = 0;
  // Returns an error to fail the batch, nullopt to apply it.
  std::function<std::optional<storage::error>(const storage::write_batch&)> on_write;

  storage::result<std::optional<std::string>> get(std::string_view key,
                                                  const storage::read_options& opts = {}) override {
    return inner_->get(key, opts);
  }
  std::unique_ptr<storage::iterator> scan(const storage::key_range& range,
                                          const storage::read_options& opts = {}) override {
    return inner_->scan(range, opts);
  }
  std::shared_ptr<const storage::snapshot> take_snapshot() override {
    return inner_->take_snapshot();
  }
  std::unique_ptr<storage::transaction> begin() override { return inner_->begin(); }
  storage::result<void> write(const storage::write_batch& batch) override {
    ++writes;
    if (on_write)
      if (auto failed = on_write(batch)) return *failed;
    return inner_->write(batch);
  }
  storage::result<void> erase_range(std::string_view begin, std::string_view end) override {
    return inner_->erase_range(begin, end);
  }
  void close() override { inner_->close(); }

 private:
  std::unique_ptr<storage::store> inner_ = storage::make_memory_store();
};

}  // namespace stratus::test
