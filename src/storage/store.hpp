#pragma once
// The ordered, transactional key-value interface every service stores its
// data and control-plane documents in. Keys are raw bytes compared
// lexicographically (memcmp order); the layout of keys is documented in
// docs/architecture/storage.md.
//
// Thread-safety: a `store` is safe to use from many threads at once. A
// `transaction` and an `iterator` belong to one thread at a time. A
// `snapshot` may be shared and released from any thread.
//
// Lifetime: snapshots, iterators and transactions may outlive the store
// that made them (and its close()); they keep what they need alive and
// answer errc::closed from their next call once the store is closed.

#include <boost/system/result.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::storage {

enum class errc {
  conflict,    // an optimistic transaction lost a race; the caller may retry
  try_again,   // the engine could not check the transaction against its history
               // (a snapshot too old for it); the caller may retry at once
  io_error,    // the engine failed (disk full, permission, ...)
  corruption,  // the engine found damaged data
  closed,      // the store was closed
};

struct error {
  errc code;
  std::string message;
};

// Lets boost::system::result<T, error>::value() throw when misused.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

template <class T>
using result = boost::system::result<T, error>;

// A consistent read view of the whole store at one point in time. The
// shared_ptr owns it: the view is released when the last copy goes. Pass it
// only to the store that took it (another store answers errc::io_error).
class snapshot {
 public:
  virtual ~snapshot() = default;
};

struct read_options {
  const snapshot* at = nullptr;  // null: the latest committed state
};

// Keys in [begin, end) in ascending order, or descending when `reverse`.
// An empty `end` means "to the end of the key space"; begin >= end (with a
// non-empty end) is an empty range.
struct key_range {
  std::string begin;
  std::string end;
  bool reverse = false;
};

// The smallest key greater than every key that starts with `prefix`, or ""
// when there is none (prefix of all 0xff bytes): the `end` of a prefix scan.
std::string prefix_end(std::string_view prefix);

// Reads as of its creation: later writes are not seen, and the snapshot in
// read_options need only live until scan() returns. key() and value() are
// valid until the next call to next().
class iterator {
 public:
  virtual ~iterator() = default;
  [[nodiscard]] virtual bool valid() const = 0;
  [[nodiscard]] virtual std::string_view key() const = 0;
  [[nodiscard]] virtual std::string_view value() const = 0;
  virtual void next() = 0;
  // Whether iteration stopped because of an error rather than the range end.
  [[nodiscard]] virtual result<void> status() const = 0;
};

// An optimistic transaction: reads are tracked, writes are buffered, and
// commit() fails with errc::conflict when a key it read (with get) or wrote
// was committed by someone else after begin(). get() reads as of begin(),
// plus this transaction's own buffered writes. commit() ends the
// transaction: a second call answers errc::io_error. Dropping a transaction
// without commit() discards its writes.
class transaction {
 public:
  virtual ~transaction() = default;
  [[nodiscard]] virtual result<std::optional<std::string>> get(std::string_view key) = 0;
  // Scans read the committed state as of the transaction's start, without
  // its own buffered writes; scanned keys are not conflict-tracked.
  [[nodiscard]] virtual std::unique_ptr<iterator> scan(const key_range& range) = 0;
  virtual void put(std::string_view key, std::string_view value) = 0;
  virtual void erase(std::string_view key) = 0;
  [[nodiscard]] virtual result<void> commit() = 0;
};

// A batch of blind writes applied atomically (no reads, so no conflicts).
struct write_batch {
  struct op {
    std::string key;
    std::optional<std::string> value;  // nullopt: delete
  };
  std::vector<op> ops;
  void put(std::string_view k, std::string_view v) {
    ops.push_back({std::string(k), std::string(v)});
  }
  void erase(std::string_view k) { ops.push_back({std::string(k), std::nullopt}); }
};

class store {
 public:
  virtual ~store() = default;
  [[nodiscard]] virtual result<std::optional<std::string>> get(std::string_view key,
                                                               const read_options& opts = {}) = 0;
  [[nodiscard]] virtual std::unique_ptr<iterator> scan(const key_range& range,
                                                       const read_options& opts = {}) = 0;
  // Never null; after close() an inert one (reads with it answer errc::closed).
  [[nodiscard]] virtual std::shared_ptr<const snapshot> take_snapshot() = 0;
  [[nodiscard]] virtual std::unique_ptr<transaction> begin() = 0;
  [[nodiscard]] virtual result<void> write(const write_batch& batch) = 0;
  // Deletes every key in [begin, end) at once (DeleteTable); an empty `end`
  // means to the end of the key space. Not transactional with respect to
  // concurrent transactions on those keys: with RocksDB a transaction that
  // read one of them does not conflict with its deletion, so use it only on
  // ranges nobody else is using. Nor reading again: with RocksDB a point
  // read (get) of an erased key may still find the old value in the row
  // cache, which does not see range deletions (RocksDB issue #4122); scans
  // do see them. Every caller erases what lies under an id never reused.
  [[nodiscard]] virtual result<void> erase_range(std::string_view begin, std::string_view end) = 0;
  // Flushes and closes; later calls answer errc::closed. Waits for calls in
  // flight; calling it twice is harmless. The destructor closes too.
  virtual void close() = 0;
};

}  // namespace stratus::storage
