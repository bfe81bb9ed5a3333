#include "storage/memory_store.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "storage/failed.hpp"

namespace stratus::storage {
namespace {

// Multi-version state: each commit gets the next sequence number and appends
// a version to every key it writes. A reader (snapshot, iterator,
// transaction) reads as of the sequence number it started at, and pins it so
// that the versions it can see are kept. One mutex guards everything:
// simplicity over speed.
struct version {
  std::uint64_t seq;
  std::optional<std::string> value;  // nullopt: deleted
};

struct state {
  std::mutex mutex;
  bool closed = false;
  std::uint64_t last_seq = 0;
  std::map<std::string, std::vector<version>, std::less<>> keys;  // versions by ascending seq
  std::multiset<std::uint64_t> pins;

  // All members below require `mutex` held.

  void pin(std::uint64_t seq) { pins.insert(seq); }
  void unpin(std::uint64_t seq) { pins.erase(pins.find(seq)); }

  static const std::optional<std::string>* visible(const std::vector<version>& chain,
                                                   std::uint64_t seq) {
    for (auto v = chain.rbegin(); v != chain.rend(); ++v) {
      if (v->seq <= seq) return &v->value;
    }
    return nullptr;
  }

  std::optional<std::string> read(std::string_view key, std::uint64_t seq) const {
    auto it = keys.find(key);
    if (it == keys.end()) return std::nullopt;
    const auto* value = visible(it->second, seq);
    return value ? *value : std::nullopt;
  }

  // The sequence number of the last commit that wrote `key`, 0 if none is
  // remembered. Versions are forgotten only once no pinned reader began
  // before them, so a transaction always sees the writes that conflict with it.
  std::uint64_t modified_at(std::string_view key) const {
    auto it = keys.find(key);
    return it == keys.end() || it->second.empty() ? 0 : it->second.back().seq;
  }

  void apply(std::string_view key, std::optional<std::string> value, std::uint64_t seq) {
    auto it = keys.find(key);
    if (it == keys.end()) it = keys.emplace(std::string(key), std::vector<version>()).first;
    auto& chain = it->second;
    if (!chain.empty() && chain.back().seq == seq) {
      chain.back().value = std::move(value);  // a batch writing one key twice: last one wins
    } else {
      chain.push_back({seq, std::move(value)});
    }
    // Drop the versions no reader can see: all but the newest at or below
    // the oldest pinned sequence number.
    const std::uint64_t oldest = pins.empty() ? seq : *pins.begin();
    std::size_t keep_from = 0;
    for (std::size_t i = 0; i < chain.size() && chain[i].seq <= oldest; ++i) keep_from = i;
    chain.erase(chain.begin(), chain.begin() + static_cast<std::ptrdiff_t>(keep_from));
    if (chain.size() == 1 && !chain.front().value && chain.front().seq <= oldest) keys.erase(it);
  }
};

error foreign_snapshot() {
  return {errc::io_error, "the snapshot belongs to another store"};
}

class memory_snapshot final : public snapshot {
 public:
  // Adopts a pin of `seq` already taken on `state`.
  memory_snapshot(std::shared_ptr<state> state, std::uint64_t seq)
      : state_(std::move(state)), seq_(seq) {}
  ~memory_snapshot() override {
    std::lock_guard lock(state_->mutex);
    state_->unpin(seq_);
  }
  memory_snapshot(const memory_snapshot&) = delete;
  memory_snapshot& operator=(const memory_snapshot&) = delete;

  const state* owner() const { return state_.get(); }
  std::uint64_t seq() const { return seq_; }

 private:
  std::shared_ptr<state> state_;
  std::uint64_t seq_;
};

// Copies each key and value out under the lock, so its views stay valid
// whatever other threads do until the next call to next().
class memory_iterator final : public iterator {
 public:
  // Adopts a pin of `seq` already taken on `state`.
  memory_iterator(std::shared_ptr<state> state, std::uint64_t seq, key_range range)
      : state_(std::move(state)), seq_(seq), range_(std::move(range)) {
    std::lock_guard lock(state_->mutex);
    position(true);
  }
  ~memory_iterator() override {
    std::lock_guard lock(state_->mutex);
    state_->unpin(seq_);
  }
  memory_iterator(const memory_iterator&) = delete;
  memory_iterator& operator=(const memory_iterator&) = delete;

  bool valid() const override { return valid_; }
  std::string_view key() const override { return key_; }
  std::string_view value() const override { return value_; }

  void next() override {
    if (!valid_) return;
    std::lock_guard lock(state_->mutex);
    if (state_->closed) {
      closed_ = true;
      valid_ = false;
      return;
    }
    position(false);
  }

  result<void> status() const override {
    if (closed_) return closed_error();
    return {};
  }

 private:
  // Moves to the first key of the range (`first`) or the one after key_,
  // skipping keys deleted as of seq_. Requires the mutex held.
  void position(bool first) {
    valid_ = false;
    const auto& keys = state_->keys;
    if (!range_.reverse) {
      auto it = first ? keys.lower_bound(range_.begin) : keys.upper_bound(key_);
      for (; it != keys.end() && (range_.end.empty() || it->first < range_.end); ++it) {
        if (take(*it)) return;
      }
      return;
    }
    auto it = first ? (range_.end.empty() ? keys.end() : keys.lower_bound(range_.end))
                    : keys.lower_bound(key_);
    while (it != keys.begin()) {
      --it;
      if (it->first < range_.begin) return;
      if (take(*it)) return;
    }
  }

  bool take(const std::pair<const std::string, std::vector<version>>& entry) {
    const auto* value = state::visible(entry.second, seq_);
    if (value == nullptr || !*value) return false;
    key_ = entry.first;
    value_ = **value;
    valid_ = true;
    return true;
  }

  std::shared_ptr<state> state_;
  std::uint64_t seq_;
  key_range range_;
  std::string key_;
  std::string value_;
  bool valid_ = false;
  bool closed_ = false;
};

// Reads as of begin; at commit, conflicts if any key it read or wrote was
// committed by someone else after begin (the RocksDB store's semantics).
class memory_transaction final : public transaction {
 public:
  // Adopts a pin of `start` already taken on `state`.
  memory_transaction(std::shared_ptr<state> state, std::uint64_t start)
      : state_(std::move(state)), start_(start) {}
  ~memory_transaction() override {
    std::lock_guard lock(state_->mutex);
    state_->unpin(start_);
  }
  memory_transaction(const memory_transaction&) = delete;
  memory_transaction& operator=(const memory_transaction&) = delete;

  result<std::optional<std::string>> get(std::string_view key) override {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return closed_error();
    if (auto own = writes_.find(key); own != writes_.end()) return own->second;
    tracked_.emplace(key);
    return state_->read(key, start_);
  }

  std::unique_ptr<iterator> scan(const key_range& range) override {
    {
      std::lock_guard lock(state_->mutex);
      if (state_->closed) return make_failed_iterator(closed_error());
      state_->pin(start_);
    }
    return std::make_unique<memory_iterator>(state_, start_, range);
  }

  void put(std::string_view key, std::string_view value) override {
    writes_.insert_or_assign(std::string(key), std::string(value));
    tracked_.emplace(key);
  }

  void erase(std::string_view key) override {
    writes_.insert_or_assign(std::string(key), std::nullopt);
    tracked_.emplace(key);
  }

  result<void> commit() override {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return closed_error();
    if (committed_) return error{errc::io_error, "the transaction was already committed"};
    committed_ = true;
    for (const auto& key : tracked_) {
      if (state_->modified_at(key) > start_) {
        return error{errc::conflict, "a key this transaction used was written since it began"};
      }
    }
    if (writes_.empty()) return {};
    const std::uint64_t seq = ++state_->last_seq;
    for (auto& [key, value] : writes_) state_->apply(key, std::move(value), seq);
    return {};
  }

 private:
  std::shared_ptr<state> state_;
  std::uint64_t start_;
  std::map<std::string, std::optional<std::string>, std::less<>> writes_;
  std::set<std::string, std::less<>> tracked_;
  bool committed_ = false;
};

class memory_store final : public store {
 public:
  memory_store() = default;
  // Like the RocksDB store: objects handed out earlier answer errc::closed.
  ~memory_store() override { close(); }
  memory_store(const memory_store&) = delete;
  memory_store& operator=(const memory_store&) = delete;

  result<std::optional<std::string>> get(std::string_view key, const read_options& opts) override {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return closed_error();
    auto seq = read_seq(opts);
    if (!seq) return seq.error();
    return state_->read(key, *seq);
  }

  std::unique_ptr<iterator> scan(const key_range& range, const read_options& opts) override {
    std::uint64_t seq = 0;
    {
      std::lock_guard lock(state_->mutex);
      if (state_->closed) return make_failed_iterator(closed_error());
      auto at = read_seq(opts);
      if (!at) return make_failed_iterator(at.error());
      seq = *at;
      state_->pin(seq);
    }
    return std::make_unique<memory_iterator>(state_, seq, range);
  }

  std::shared_ptr<const snapshot> take_snapshot() override {
    std::lock_guard lock(state_->mutex);
    // Reads with a closed store's snapshot answer errc::closed anyway.
    if (state_->closed) return std::make_shared<snapshot>();
    state_->pin(state_->last_seq);
    return std::make_shared<memory_snapshot>(state_, state_->last_seq);
  }

  std::unique_ptr<transaction> begin() override {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return make_failed_transaction(closed_error());
    state_->pin(state_->last_seq);
    return std::make_unique<memory_transaction>(state_, state_->last_seq);
  }

  result<void> write(const write_batch& batch) override {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return closed_error();
    if (batch.ops.empty()) return {};
    const std::uint64_t seq = ++state_->last_seq;
    for (const auto& op : batch.ops) state_->apply(op.key, op.value, seq);
    return {};
  }

  result<void> erase_range(std::string_view begin, std::string_view end) override {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return closed_error();
    // Collected first: apply() may drop map entries while we walk.
    std::vector<std::string> doomed;
    for (auto it = state_->keys.lower_bound(begin);
         it != state_->keys.end() && (end.empty() || it->first < end); ++it) {
      if (it->second.back().value) doomed.push_back(it->first);
    }
    if (doomed.empty()) return {};
    const std::uint64_t seq = ++state_->last_seq;
    for (const auto& key : doomed) state_->apply(key, std::nullopt, seq);
    return {};
  }

  void close() override {
    std::lock_guard lock(state_->mutex);
    state_->closed = true;
    state_->keys.clear();
  }

 private:
  // Requires the mutex held.
  result<std::uint64_t> read_seq(const read_options& opts) const {
    if (opts.at == nullptr) return state_->last_seq;
    const auto* s = dynamic_cast<const memory_snapshot*>(opts.at);
    if (s == nullptr || s->owner() != state_.get()) return foreign_snapshot();
    return s->seq();
  }

  std::shared_ptr<state> state_ = std::make_shared<state>();
};

}  // namespace

std::unique_ptr<store> make_memory_store() {
  return std::make_unique<memory_store>();
}

}  // namespace stratus::storage
