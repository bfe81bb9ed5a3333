#pragma once
// The log groups and streams of every account and region, kept as documents
// in the shared store (keys.hpp) with a write-through cache, and the one
// place that writes events.
//
// Every change to a group, its streams or its events runs under the lock of
// the group's stripe (a fixed set of mutexes chosen by a hash of account,
// region and group name): appends to one group are serialised, so a stream's
// metadata (last event time, upload sequence) never loses an update, and an
// append never races the deletion of its group. Each append is one storage
// write batch: the events and the stream's document.
//
// Thread-safety: all members may be called concurrently from any thread.
#include <array>
#include <atomic>
#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/api_error.hpp"
#include "storage/store.hpp"

namespace stratus::logs {

struct group_info {
  std::uint64_t id = 0;
  std::string account;
  std::string region;
  std::string name;
  std::int64_t creation_time = 0;  // epoch milliseconds, as every Logs time
  std::optional<int> retention_days;
  std::string kms_key_id;
  std::map<std::string, std::string> tags;
};

struct stream_info {
  std::uint64_t id = 0;
  std::string name;
  std::int64_t creation_time = 0;
  std::optional<std::int64_t> first_event;
  std::optional<std::int64_t> last_event;
  std::optional<std::int64_t> last_ingestion;
  std::uint64_t stored_bytes = 0;     // message bytes kept (the group's storedBytes)
  std::uint64_t upload_sequence = 0;  // PutLogEvents calls so far
};

struct group_ref {
  std::string account;
  std::string region;
  std::string name;
  auto operator<=>(const group_ref&) const = default;
};

struct new_event {
  std::int64_t timestamp = 0;
  std::string message;
};

class catalog {
 public:
  explicit catalog(storage::store& store) : store_(store) {}
  [[nodiscard]] storage::store& store() { return store_; }

  [[nodiscard]] result<group_info> create_group(const group_ref& ref, std::int64_t now,
                                                std::string kms_key_id,
                                                std::map<std::string, std::string> tags);
  [[nodiscard]] result<void> delete_group(const group_ref& ref);
  [[nodiscard]] result<std::optional<group_info>> find_group(const group_ref& ref);
  // Applies `change` to the group's document and stores it.
  [[nodiscard]] result<group_info> update_group(const group_ref& ref,
                                                const std::function<void(group_info&)>& change);
  // Groups of an account and region whose names start with `prefix`,
  // contain `contains` and sort after `after` (exclusive), in name order, at
  // most `limit` + 1 (the extra one tells the caller there is more).
  [[nodiscard]] result<std::vector<group_info>> list_groups(
      std::string_view account, std::string_view region, std::string_view prefix,
      std::string_view contains, std::string_view after, std::size_t limit);
  // Every group with a retention policy, all accounts (the sweeper's list).
  [[nodiscard]] result<std::vector<group_info>> groups_with_retention();

  [[nodiscard]] result<stream_info> create_stream(const group_ref& ref, std::string_view stream,
                                                  std::int64_t now);
  [[nodiscard]] result<void> delete_stream(const group_ref& ref, std::string_view stream);
  // The group and the stream, or ResourceNotFoundException for either.
  [[nodiscard]] result<std::pair<group_info, stream_info>> find_stream(const group_ref& ref,
                                                                       std::string_view stream);
  // The streams of a group in name order, from the store.
  [[nodiscard]] result<std::vector<stream_info>> list_streams(std::uint64_t group_id,
                                                              std::string_view prefix = {});

  // Which of the (chronological) events to keep: the half-open index range
  // [first, last), decided under the group's lock with its current document.
  using admit_fn = std::function<std::pair<std::size_t, std::size_t>(const group_info&)>;
  // Appends events to a stream in one write batch. With `create_missing` the
  // group and the stream are created when absent (as Lambda does);
  // otherwise their absence is ResourceNotFoundException.
  [[nodiscard]] result<stream_info> append(const group_ref& ref, std::string_view stream,
                                           std::span<const new_event> events, std::int64_t now,
                                           bool create_missing, const admit_fn& admit);
  // Appends events to several streams of one group, each named once,
  // created when absent, in one write batch (plus one for each stream or
  // group it creates).
  struct stream_events {
    std::string_view stream;
    std::span<const new_event> events;
  };
  [[nodiscard]] result<void> append_many(const group_ref& ref,
                                         std::span<const stream_events> streams, std::int64_t now);

  // Deletes a group's events older than `cutoff` (retention); returns how
  // many it deleted.
  [[nodiscard]] result<std::size_t> expire(const group_ref& ref, std::uint64_t group_id,
                                           std::int64_t cutoff);

 private:
  struct cached_group {
    group_info info;
    std::unordered_map<std::string, stream_info> streams;
  };
  struct stripe {
    std::mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<cached_group>> groups;
  };

  stripe& stripe_of(const group_ref& ref);
  static std::string cache_key(const group_ref& ref);
  // With the stripe locked: the group (cache, then store), or null.
  result<cached_group*> load_group(stripe& s, const group_ref& ref);
  // With the stripe locked: the stream (cache, then store), or null.
  result<stream_info*> load_stream(cached_group& g, std::string_view name);
  // Allocates `count` consecutive ids, lets `fill` add to `batch` what uses
  // them, and writes the batch with the counter, under the id lock (so the
  // stored counter never goes backwards). Returns the first id.
  result<std::uint64_t> write_with_new_ids(storage::write_batch& batch, std::uint64_t count,
                                           const std::function<void(std::uint64_t)>& fill);
  std::uint64_t next_sequence();
  // With the stripe locked: append() itself.
  result<stream_info> append_locked(stripe& s, const group_ref& ref, std::string_view stream,
                                    std::span<const new_event> events, std::int64_t now,
                                    bool create_missing, const admit_fn& admit);
  // Adds events[first, last) and the stream's document (which holds its id
  // and name) to `batch`.
  void put_events(storage::write_batch& batch, std::uint64_t group_id, const stream_info& stream,
                  std::span<const new_event> events, std::size_t first, std::size_t last,
                  std::int64_t now);

  storage::store& store_;
  std::array<stripe, 64> stripes_;
  std::mutex id_mutex_;
  std::uint64_t next_id_ = 0;  // 0: not read from the store yet
  std::atomic<std::uint64_t> last_sequence_{0};
};

// The documents as stored (and tested).
[[nodiscard]] std::string serialize(const group_info& g);
[[nodiscard]] std::optional<group_info> parse_group(std::string_view text);
[[nodiscard]] std::string serialize(const stream_info& s);
[[nodiscard]] std::optional<stream_info> parse_stream(std::string_view text);

}  // namespace stratus::logs
