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
#include <optional>
#include <string>

#include "common/api_error.hpp"
#include "dynamodb/table.hpp"

namespace stratus::dynamodb {

// The prefix under which all items of a table live.
[[nodiscard]] std::string table_data_prefix(std::uint64_t table_id);

// Where a Query or Scan reads: a table's items, or the entries of one of its
// secondary indexes (dynamodb/indexes.hpp). Keys in a space are
//   <prefix> <hash of the partition key: 8 bytes BE> <partition key> [<sort key>] [...]
struct key_space {
  std::string prefix;
  key_attribute hash;
  std::optional<key_attribute> range;
};
[[nodiscard]] key_space table_space(const table& t);

// The encoding of one validated key value of type `type` ("S", "N", "B").
[[nodiscard]] std::string encode_key_value(std::string_view type, const boost::json::value& v);
// The partition hash of an encoded partition key.
[[nodiscard]] std::uint64_t partition_hash(std::string_view encoded_partition_key);
void append_u64(std::string& out, std::uint64_t v);

// The storage key of the item whose key attributes are in `key` (an item or
// a Key map). Expects validated, normalised values of the right types.
[[nodiscard]] std::string item_storage_key(const table& t, const boost::json::object& key);

// The prefix of every item of the partition whose (validated) partition key
// value is `hash_value`; the sort key's encoding follows it.
[[nodiscard]] std::string partition_prefix(const key_space& s,
                                           const boost::json::value& hash_value);
[[nodiscard]] std::string partition_prefix(const table& t, const boost::json::value& hash_value);
// The encoding of a (validated) sort key value, as it follows the prefix.
[[nodiscard]] std::string encode_sort_key(const key_space& s,
                                          const boost::json::value& range_value);
// The encoding of every S/B sort key value that starts with `raw_prefix`
// (decoded bytes) begins with this.
[[nodiscard]] std::string encode_sort_key_prefix(std::string_view raw_prefix);
// Checks one key attribute value of an item (type, emptiness, size) as
// PutItem does; `index` names the secondary index whose key it is, if any.
[[nodiscard]] std::optional<api_error> check_item_key_value(const key_attribute& attr,
                                                            const boost::json::value& v,
                                                            bool is_hash,
                                                            std::string_view index = {});

// The key attributes of an item, as DynamoDB returns them in LastEvaluatedKey.
[[nodiscard]] boost::json::object key_of(const table& t, const boost::json::object& item);

// Checks a GetItem/DeleteItem `Key`: exactly the table's key attributes, of
// the right types, non-empty. Normalises numbers in place.
[[nodiscard]] result<void> check_key(const table& t, boost::json::object& key);

// Checks the key attributes inside a PutItem `Item`.
[[nodiscard]] result<void> check_item_key(const table& t, const boost::json::object& item);

}  // namespace stratus::dynamodb
