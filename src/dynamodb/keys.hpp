#pragma once
// The storage keys of items (docs/architecture/storage.md):
//   "d" <table id: 8 bytes BE> <hash: 8 bytes BE> <partition key> [<sort key>]
// Key values are encoded so that byte order is DynamoDB's order: strings and
// binaries escaped (0x00 -> 0x00 0xff) and terminated by 0x00 0x01, numbers
// by dynamodb::number::encode_key. The hash of the partition key (FNV-1a)
// spreads partitions the way DynamoDB's hashing does, so Scan order is not
// key order, and parallel Scan segments are hash ranges.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "common/api_error.hpp"
#include "dynamodb/table.hpp"

namespace stratus::dynamodb {

// The prefix under which all items of a table live.
[[nodiscard]] std::string table_data_prefix(std::uint64_t table_id);

// The storage key of the item whose key attributes are in `key` (an item or
// a Key map). Expects validated, normalised values of the right types.
[[nodiscard]] std::string item_storage_key(const table& t, const boost::json::object& key);

// The prefix of every item of the partition whose (validated) partition key
// value is `hash_value`; the sort key's encoding follows it.
[[nodiscard]] std::string partition_prefix(const table& t, const boost::json::value& hash_value);
// The encoding of a (validated) sort key value, as it follows the prefix.
[[nodiscard]] std::string encode_sort_key(const table& t, const boost::json::value& range_value);
// The encoding of every S/B sort key value that starts with `raw_prefix`
// (decoded bytes) begins with this.
[[nodiscard]] std::string encode_sort_key_prefix(std::string_view raw_prefix);
// The 64-bit partition hash in a storage key (after the table prefix).
[[nodiscard]] std::uint64_t storage_key_hash(std::string_view storage_key);

// The key attributes of an item, as DynamoDB returns them in LastEvaluatedKey.
[[nodiscard]] boost::json::object key_of(const table& t, const boost::json::object& item);

// Checks a GetItem/DeleteItem `Key`: exactly the table's key attributes, of
// the right types, non-empty. Normalises numbers in place.
[[nodiscard]] result<void> check_key(const table& t, boost::json::object& key);

// Checks the key attributes inside a PutItem `Item`.
[[nodiscard]] result<void> check_item_key(const table& t, const boost::json::object& item);

}  // namespace stratus::dynamodb
