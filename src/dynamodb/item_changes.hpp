#pragma once
// One place that turns an item change into its storage writes: the item
// itself and the entries of the table's secondary indexes (and, with
// streams, the stream record), so every write path (PutItem, UpdateItem,
// DeleteItem, batches, transactions, PartiQL, the TTL sweeper) keeps them
// in the same atomic commit.
//
// Thread-safety: pure functions.

#include <boost/json/object.hpp>
#include <string_view>

#include "dynamodb/table.hpp"
#include "storage/store.hpp"

namespace stratus::dynamodb {

// Who made a change: streams mark TTL deletions as the service's.
enum class change_origin { user, ttl };

// Whether writes to `t` must read the item they replace (to update index
// entries or write a stream record); when not, a put can be a blind write.
[[nodiscard]] bool needs_old_image(const table& t);

// Appends the writes that turn `before` (null: absent) into `after` (null:
// delete) at `storage_key`; `after_text` is `after` serialized.
void item_change_writes(const table& t, std::string_view storage_key,
                        const boost::json::object* before, const boost::json::object* after,
                        std::string_view after_text, storage::write_batch& out,
                        change_origin origin = change_origin::user);

// Applies collected writes to a transaction.
void apply_writes(storage::transaction& txn, const storage::write_batch& writes);

}  // namespace stratus::dynamodb
