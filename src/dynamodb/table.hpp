#pragma once
// A table's schema as the item operations need it, and the catalog that
// stores tables in the KV store and caches them in memory.
//
// Thread-safety: `catalog` is safe for concurrent use; `table` is immutable
// once published (shared_ptr<const table>).

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/api_error.hpp"
#include "dynamodb/write_gate.hpp"
#include "storage/store.hpp"

namespace stratus::dynamodb {

struct key_attribute {
  std::string name;
  std::string type;  // "S", "N" or "B"
};

// A local or global secondary index (dynamodb/indexes.hpp has its logic).
struct secondary_index {
  std::string name;
  bool global = true;
  std::uint32_t number = 0;  // its storage id within the table, never reused
  // A GSI's key may have up to four HASH and four RANGE attributes
  // (composite keys); an LSI's has one of each.
  std::vector<key_attribute> hash_keys;   // at least one
  std::vector<key_attribute> range_keys;  // possibly none
  std::string projection = "ALL";         // ALL, KEYS_ONLY or INCLUDE
  std::vector<std::string> non_key;       // INCLUDE's NonKeyAttributes
};

// The table's current DynamoDB stream (dynamodb/streams.hpp).
struct stream_settings {
  std::uint64_t id = 0;   // storage id of its records, never reused
  std::string view_type;  // KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES
  std::string label;      // the ARN's timestamp label
  std::string arn;
};

// Numbers stream records in commit order: commits that carry stream records
// are serialised here, so a reader following a stream never sees a record
// appear behind one it has read.
class stream_sequencer {
 public:
  [[nodiscard]] std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }
  // With lock() held: the next unused number of stream `id` (read from the
  // store the first time); advance it only once a commit succeeded.
  [[nodiscard]] std::uint64_t& next(storage::store& store, std::uint64_t id);

 private:
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::uint64_t> next_;
};

struct table {
  std::uint64_t id = 0;  // never reused: a re-created table starts empty
  std::string account;
  std::string region;
  std::string name;
  key_attribute hash;
  std::optional<key_attribute> range;
  boost::json::object description;       // what DescribeTable answers (status ACTIVE)
  boost::json::array tags;               // [{"Key": k, "Value": v}], in the order set
  std::string ttl_attribute;             // empty: TTL disabled
  std::vector<secondary_index> indexes;  // the description's LSIs and GSIs, in order
  std::uint32_t next_index_number = 1;
  std::optional<stream_settings> stream;  // set while a stream is enabled
};

using table_ptr = std::shared_ptr<const table>;

class catalog {
 public:
  explicit catalog(storage::store& store) : store_(store) {}

  // The table, or nullptr when it does not exist.
  [[nodiscard]] result<table_ptr> find(const std::string& account, const std::string& region,
                                       const std::string& name);
  // Creates the table; ResourceInUseException when the name is taken.
  [[nodiscard]] result<table_ptr> create(table t);
  // Removes the table and all its items; returns what was removed.
  [[nodiscard]] result<table_ptr> remove(const std::string& account, const std::string& region,
                                         const std::string& name);
  // Applies `change` to a copy of the table and stores it atomically;
  // ResourceNotFoundException ("... Table: <name> not found") when absent.
  [[nodiscard]] result<table_ptr> update(
      const std::string& account, const std::string& region, const std::string& name,
      const std::function<std::optional<api_error>(table&)>& change);
  // Every table of every account and region (for background work like TTL).
  [[nodiscard]] result<std::vector<table_ptr>> all();
  // Table names of one account and region, in order, after `start` (exclusive).
  [[nodiscard]] result<std::vector<std::string>> list(const std::string& account,
                                                      const std::string& region,
                                                      const std::string& start, std::size_t limit);

  [[nodiscard]] storage::store& store() { return store_; }
  [[nodiscard]] stream_sequencer& streams() { return streams_; }
  // Item writes hold a pass; definition changes wait for earlier ones.
  [[nodiscard]] write_gate& item_writes() { return item_writes_; }

 private:
  storage::store& store_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, table_ptr> cache_;  // by meta key
  std::uint64_t generation_ = 0;                      // bumped by every change, under mutex_
  stream_sequencer streams_;
  write_gate item_writes_;
};

// The next number of the decimal counter stored at `counter` (1 first),
// taken in its own transaction: ids of backups and streams.
[[nodiscard]] result<std::uint64_t> allocate_id(storage::store& store, std::string_view counter);

// A storage failure as the InternalServerError DynamoDB would answer.
[[nodiscard]] api_error storage_failure(const storage::error& e);

// DynamoDB's timestamps: epoch seconds with millisecond precision.
[[nodiscard]] inline double epoch_seconds(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return static_cast<double>(ms) / 1000.0;
}

// The storage key under which a table's metadata lives.
[[nodiscard]] std::string table_meta_key(std::string_view account, std::string_view region,
                                         std::string_view name);

}  // namespace stratus::dynamodb
