#include "dynamodb/keys.hpp"

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/number.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::size_t max_hash_key_bytes = 2048;
constexpr std::size_t max_range_key_bytes = 1024;

void append_escaped(std::string& out, std::string_view bytes) {
  for (char c : bytes) {
    out.push_back(c);
    if (c == '\0') out.push_back('\xff');
  }
  out.push_back('\0');
  out.push_back('\x01');
}

}  // namespace

// Encodes one validated key attribute value.
std::string encode_key_value(std::string_view type, const json::value& v) {
  std::string out;
  std::string_view text = v.get_object().begin()->value().get_string();
  if (type == "N") {
    auto n = parse_number(text);
    return n ? n->encode_key() : std::string();  // values are validated before
  }
  if (type == "B") {
    append_escaped(out, base64_decode(text).value_or(std::string()));
    return out;
  }
  append_escaped(out, text);
  return out;
}

void append_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// FNV-1a: cheap, stable across versions (it is part of the storage format).
std::uint64_t partition_hash(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

namespace {

std::size_t key_bytes(std::string_view type, std::string_view text) {
  if (type == "B") return base64_decoded_size(text);
  return text.size();
}

// Type and emptiness of one key attribute value.
std::optional<api_error> check_key_value(const key_attribute& attr, const json::value& v,
                                         bool is_hash, std::string_view prefix,
                                         bool mismatch_is_schema_error) {
  std::string_view type = type_of(v);
  if (type != attr.type) {
    if (mismatch_is_schema_error)
      return api_error::validation("The provided key element does not match the schema");
    return errors::invalid_parameter("Type mismatch for key " + attr.name +
                                     " expected: " + attr.type + " actual: " + std::string(type));
  }
  std::string_view text = v.get_object().begin()->value().get_string();
  if (text.empty() && type != "N")
    return api_error::validation(std::string(prefix) +
                                 "The AttributeValue for a key attribute cannot contain an empty " +
                                 (type == "S" ? "string" : "binary") + " value. Key: " + attr.name);
  if (is_hash && key_bytes(type, text) > max_hash_key_bytes)
    return errors::invalid_parameter(
        "Size of hashkey has exceeded the maximum size limit of2048 bytes");
  if (!is_hash && key_bytes(type, text) > max_range_key_bytes)
    return errors::invalid_parameter(
        "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
  return std::nullopt;
}

}  // namespace

std::string table_data_prefix(std::uint64_t table_id) {
  std::string out = "d";
  append_u64(out, table_id);
  return out;
}

key_space table_space(const table& t) {
  return {table_data_prefix(t.id), t.hash, t.range};
}

std::string partition_prefix(const key_space& s, const json::value& hash_value) {
  std::string pk = encode_key_value(s.hash.type, hash_value);
  std::string out = s.prefix;
  append_u64(out, partition_hash(pk));
  out += pk;
  return out;
}

std::string partition_prefix(const table& t, const json::value& hash_value) {
  std::string pk = encode_key_value(t.hash.type, hash_value);
  std::string out = table_data_prefix(t.id);
  append_u64(out, partition_hash(pk));
  out += pk;
  return out;
}

std::string encode_sort_key(const key_space& s, const json::value& range_value) {
  return encode_key_value(s.range->type, range_value);
}

std::string encode_sort_key_prefix(std::string_view raw_prefix) {
  std::string out;
  append_escaped(out, raw_prefix);
  out.resize(out.size() - 2);  // without the terminator: a prefix of longer values
  return out;
}

std::optional<api_error> check_item_key_value(const key_attribute& attr, const json::value& v,
                                              bool is_hash, std::string_view index) {
  if (index.empty())
    return check_key_value(attr, v, is_hash, "One or more parameter values are not valid. ", false);
  std::string_view type = type_of(v);
  if (type != attr.type)
    return errors::invalid_parameter("Type mismatch for Index Key " + attr.name +
                                     " Expected: " + attr.type + " Actual: " + std::string(type) +
                                     " IndexName: " + std::string(index));
  std::string_view text = v.get_object().begin()->value().get_string();
  if (text.empty() && type != "N")
    return api_error::validation(
        "One or more parameter values are not valid. A value specified for a secondary index key "
        "is not supported. The AttributeValue for a key attribute cannot contain an empty " +
        std::string(type == "S" ? "string" : "binary") +
        " value. IndexName: " + std::string(index) + ", IndexKey: " + attr.name);
  return check_key_value(attr, v, is_hash, "", false);
}

json::object key_of(const table& t, const json::object& item) {
  json::object key;
  if (auto* h = item.if_contains(t.hash.name)) key[t.hash.name] = *h;
  if (t.range)
    if (auto* r = item.if_contains(t.range->name)) key[t.range->name] = *r;
  return key;
}

std::string item_storage_key(const table& t, const json::object& key) {
  std::string out = partition_prefix(t, key.at(t.hash.name));
  if (t.range) out += encode_key_value(t.range->type, key.at(t.range->name));
  return out;
}

result<void> check_key(const table& t, json::object& key) {
  const std::size_t expected = t.range ? 2 : 1;
  if (key.size() != expected || !key.contains(t.hash.name) ||
      (t.range && !key.contains(t.range->name)))
    return api_error::validation("The provided key element does not match the schema");
  for (auto& [name, value] : key)
    if (auto r = normalize_value(value); !r) return r;
  const char* prefix = "One or more parameter values were invalid: ";
  if (auto e = check_key_value(t.hash, key.at(t.hash.name), true, prefix, true)) return *e;
  if (t.range)
    if (auto e = check_key_value(*t.range, key.at(t.range->name), false, prefix, true)) return *e;
  return {};
}

result<void> check_item_key(const table& t, const json::object& item) {
  const char* prefix = "One or more parameter values are not valid. ";
  for (const key_attribute* attr : {&t.hash, t.range ? &*t.range : nullptr}) {
    if (!attr) continue;
    const json::value* v = item.if_contains(attr->name);
    if (!v) return errors::invalid_parameter("Missing the key " + attr->name + " in the item");
    if (auto e = check_key_value(*attr, *v, attr == &t.hash, prefix, false)) return *e;
  }
  if (auto e = check_index_keys(t, item)) return *e;
  return {};
}

}  // namespace stratus::dynamodb
