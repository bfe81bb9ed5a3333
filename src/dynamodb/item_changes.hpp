#pragma once
// One place that turns an item change into its storage writes: the item
// itself, the entries of the table's secondary indexes and the record of
// its stream, so every write path (PutItem, UpdateItem, DeleteItem,
// batches, transactions, PartiQL, the TTL sweeper) keeps them in the same
// atomic commit.
//
// Thread-safety: pure functions, except commit_changes (safe for concurrent
// use; it serialises commits that carry stream records).

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>
#include <vector>

#include "dynamodb/table.hpp"
#include "storage/store.hpp"

namespace stratus::dynamodb {

// Who made a change: streams mark TTL deletions as the service's.
enum class change_origin { user, ttl };

// The writes of one or more item changes, and their stream records, which
// get their sequence numbers when committed.
struct change_set {
  struct record {
    std::uint64_t stream_id;
    boost::json::object body;  // the record without its SequenceNumber
  };
  storage::write_batch writes;
  std::vector<record> records;
};

// Whether writes to `t` must read the item they replace (to update index
// entries or write a stream record); when not, a put can be a blind write.
[[nodiscard]] bool needs_old_image(const table& t);

// Appends the writes that turn `before` (null: absent) into `after` (null:
// delete) at `storage_key`; `after_text` is `after` serialized.
void item_change_writes(const table& t, std::string_view storage_key,
                        const boost::json::object* before, const boost::json::object* after,
                        std::string_view after_text, change_set& out,
                        change_origin origin = change_origin::user);

// Applies `changes` to `txn` and commits it, numbering its stream records.
[[nodiscard]] storage::result<void> commit_changes(catalog& tables, storage::transaction& txn,
                                                   change_set& changes);

}  // namespace stratus::dynamodb
