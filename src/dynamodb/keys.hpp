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

// Checks a GetItem/DeleteItem `Key`: exactly the table's key attributes, of
// the right types, non-empty. Normalises numbers in place.
[[nodiscard]] result<void> check_key(const table& t, boost::json::object& key);

// Checks the key attributes inside a PutItem `Item`.
[[nodiscard]] result<void> check_item_key(const table& t, const boost::json::object& item);

}  // namespace stratus::dynamodb
