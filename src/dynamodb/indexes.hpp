#pragma once
// Local and global secondary indexes: their definitions (CreateTable and
// UpdateTable, with DynamoDB's checks and messages), how they are described,
// and their entries in storage.
//
// An index entry is a copy of the item's projected attributes under
//   "x" <table id: 8> <index number: 4> <hash of index partition key: 8>
//       <index partition key> [<index sort key>] <table partition key> [<table sort key>]
// so a Query on the index is a range scan like a Query on the table, and two
// items with the same index key stay distinct. Entries are written in the
// same storage transaction (or batch) as the item (see item_changes.hpp).
// An item that lacks an index key attribute has no entry (sparse indexes).
//
// Thread-safety: pure functions.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/api_error.hpp"
#include "dynamodb/keys.hpp"
#include "dynamodb/table.hpp"
#include "storage/store.hpp"

namespace stratus::dynamodb {

// Every index entry of a table lives under this prefix.
[[nodiscard]] std::string table_index_prefix(std::uint64_t table_id);
// Every entry of the index numbered `number` lives under this prefix.
[[nodiscard]] std::string index_entries_prefix(const table& t, std::uint32_t number);
// The key space of one index (for Query/Scan on it): its first HASH and
// first RANGE attributes (composite keys are handled by Query itself).
[[nodiscard]] key_space index_space(const table& t, const secondary_index& ix);

// Whether the index has more than one HASH or RANGE key attribute.
[[nodiscard]] bool composite(const secondary_index& ix);
// Whether `name` is one of the index's key attributes.
[[nodiscard]] bool is_index_key(const secondary_index& ix, std::string_view name);
// The prefix of the index partition whose HASH attributes have these values
// (in KeySchema order); the RANGE attributes' encodings follow it.
[[nodiscard]] std::string index_partition_prefix(
    const table& t, const secondary_index& ix,
    const std::vector<const boost::json::value*>& hash_values);

// The index named `name`, or nullptr.
[[nodiscard]] const secondary_index* find_index(const table& t, std::string_view name);

// Parses and checks CreateTable's LocalSecondaryIndexes and
// GlobalSecondaryIndexes against the table's key schema and attribute
// definitions, in DynamoDB's order; on success appends them to `t.indexes`.
// `definitions` are the AttributeDefinitions; `pay_per_request` the billing
// mode. Also checks that every attribute definition is used by some key.
[[nodiscard]] std::optional<api_error> parse_create_indexes(const boost::json::object& in,
                                                            bool pay_per_request, table& t);

// Adds the LocalSecondaryIndexes/GlobalSecondaryIndexes members of t's
// description for the indexes parse_create_indexes found in `in`.
void describe_created_indexes(table& t, const boost::json::object& in);

// Parses one GlobalSecondaryIndexUpdates Create entry for table `t`.
[[nodiscard]] result<secondary_index> parse_new_global_index(const boost::json::object& create,
                                                             const boost::json::array& definitions,
                                                             bool pay_per_request, const table& t);

// The description entry of an index (DescribeTable's GlobalSecondaryIndexes
// or LocalSecondaryIndexes element); `provisioned` is the table's
// ProvisionedThroughput-like object for GSIs.
[[nodiscard]] boost::json::object describe_index(const table& t, const secondary_index& ix,
                                                 const boost::json::object& throughput);

// Checks the index key attributes an item carries: right type, not empty,
// not too long. A missing attribute is fine (the item is not indexed).
[[nodiscard]] std::optional<api_error> check_index_keys(const table& t,
                                                        const boost::json::object& item);

// The entry key of `item` in `ix`, or nullopt when the item is not indexed.
[[nodiscard]] std::optional<std::string> index_entry_key(const table& t, const secondary_index& ix,
                                                         const boost::json::object& item);
// The attributes of `item` that `ix` projects.
[[nodiscard]] boost::json::object project_for_index(const table& t, const secondary_index& ix,
                                                    const boost::json::object& item);

// The writes that keep every index of `t` in step when `before` (null: no
// item) becomes `after` (null: deleted). Unchanged entries are not rewritten.
void index_changes(const table& t, const boost::json::object* before,
                   const boost::json::object* after, storage::write_batch& out);

// The write capacity each index consumes when `before` becomes `after`
// (1 KB units of the entries written and deleted; indexes the change does
// not touch are left out).
[[nodiscard]] std::vector<std::pair<const secondary_index*, double>> index_write_units(
    const table& t, const boost::json::object* before, const boost::json::object* after);

// The key attributes of an index entry as LastEvaluatedKey names them: the
// table's key and the index's key.
[[nodiscard]] boost::json::object index_entry_key_of(const table& t, const secondary_index& ix,
                                                     const boost::json::object& entry);

// The entry key to resume after for an index Query/Scan's ExclusiveStartKey
// (table key + index key attributes, as LastEvaluatedKey gave them).
[[nodiscard]] result<std::string> index_start_after(const table& t, const secondary_index& ix,
                                                    boost::json::object& start);

}  // namespace stratus::dynamodb

namespace stratus::dynamodb {

// What UpdateTable's GlobalSecondaryIndexUpdates did to a table.
struct index_update_outcome {
  std::optional<std::string> created;    // the name of the index to backfill
  std::optional<std::uint32_t> deleted;  // the number of the index whose entries go
};

// Applies GlobalSecondaryIndexUpdates (Create, Update, Delete) and the
// AttributeDefinitions they bring to `t` (index list and description).
[[nodiscard]] result<index_update_outcome> apply_index_updates(const boost::json::object& in,
                                                               bool pay_per_request, table& t);

// Writes the entries of `ix` for every item of `t` already stored, in small
// optimistic transactions that re-read each item, so a concurrent write is
// never overwritten by a stale entry.
[[nodiscard]] std::optional<api_error> backfill_index(storage::store& store, const table& t,
                                                      const secondary_index& ix);

// Erases every entry of the index numbered `number`.
[[nodiscard]] std::optional<api_error> erase_index(storage::store& store, const table& t,
                                                   std::uint32_t number);

}  // namespace stratus::dynamodb
