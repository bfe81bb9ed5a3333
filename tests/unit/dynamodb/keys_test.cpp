// Item keys: the GetItem/PutItem key checks with DynamoDB's messages, and
// storage keys whose byte order is DynamoDB's sort-key order and which are
// never prefixes of one another.
#include "dynamodb/keys.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <random>

#include "common/base64.hpp"
#include "dynamodb/attribute_value.hpp"
#include "dynamodb/number.hpp"

namespace stratus::dynamodb {
namespace {
namespace json = boost::json;

table make_table(std::string hash_type, std::optional<std::string> range_type,
                 std::uint64_t id = 7) {
  table t;
  t.id = id;
  t.name = "t";
  t.hash = {"p", std::move(hash_type)};
  if (range_type) t.range = key_attribute{"c", *range_type};
  return t;
}

json::object attr(std::string_view type, std::string_view value) {
  return json::object{{type, value}};
}

std::string key_error(const table& t, json::object key) {
  auto r = check_key(t, key);
  return r ? "<valid>" : r.error().message;
}

std::string item_error(const table& t, json::object item) {
  if (auto r = normalize_item(item); !r) return r.error().message;
  auto r = check_item_key(t, item);
  return r ? "<valid>" : r.error().message;
}

const std::string mismatch = "The provided key element does not match the schema";

TEST(check_key, exact_key_attributes_of_the_right_type_pass) {
  EXPECT_EQ(key_error(make_table("S", "N"), {{"p", attr("S", "a")}, {"c", attr("N", "1")}}),
            "<valid>");
  EXPECT_EQ(key_error(make_table("B", std::nullopt), {{"p", attr("B", "YQ==")}}), "<valid>");
}

TEST(check_key, missing_extra_or_mistyped_attributes_do_not_match_the_schema) {
  const table t = make_table("S", "S");
  EXPECT_EQ(key_error(t, {{"p", attr("S", "a")}}), mismatch);
  EXPECT_EQ(
      key_error(t, {{"p", attr("S", "a")}, {"c", attr("S", "b")}, {"spurious", attr("S", "x")}}),
      mismatch);
  EXPECT_EQ(key_error(t, {{"p", attr("S", "a")}, {"x", attr("S", "b")}}), mismatch);
  EXPECT_EQ(key_error(t, {{"p", attr("N", "1")}, {"c", attr("S", "b")}}), mismatch);
  EXPECT_EQ(
      key_error(make_table("S", std::nullopt), {{"p", attr("S", "a")}, {"c", attr("S", "b")}}),
      mismatch);
  EXPECT_EQ(key_error(t, {}), mismatch);
}

TEST(check_key, empty_string_or_binary_key_is_refused_naming_the_attribute) {
  EXPECT_EQ(key_error(make_table("S", std::nullopt), {{"p", attr("S", "")}}),
            "One or more parameter values were invalid: The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: p");
  EXPECT_EQ(key_error(make_table("S", "B"), {{"p", attr("S", "a")}, {"c", attr("B", "")}}),
            "One or more parameter values were invalid: The AttributeValue for a key attribute "
            "cannot contain an empty binary value. Key: c");
}

TEST(check_key, numbers_are_normalised_in_place) {
  json::object key{{"p", attr("N", "1E+3")}};
  ASSERT_TRUE(check_key(make_table("N", std::nullopt), key));
  EXPECT_EQ(key.at("p").at("N"), "1000");
}

TEST(check_key, attribute_value_errors_come_first) {
  EXPECT_EQ(key_error(make_table("N", std::nullopt), {{"p", attr("N", "x")}}),
            "The parameter cannot be converted to a numeric value: x");
}

TEST(check_item_key, missing_key_attribute) {
  EXPECT_EQ(item_error(make_table("S", "N"), {{"p", attr("S", "a")}}),
            "One or more parameter values were invalid: Missing the key c in the item");
  EXPECT_EQ(item_error(make_table("S", "N"), {{"c", attr("N", "1")}}),
            "One or more parameter values were invalid: Missing the key p in the item");
}

TEST(check_item_key, type_mismatch_names_expected_and_actual) {
  EXPECT_EQ(item_error(make_table("S", std::nullopt), {{"p", attr("N", "1")}}),
            "One or more parameter values were invalid: Type mismatch for key p expected: S "
            "actual: N");
  EXPECT_EQ(
      item_error(make_table("N", std::nullopt), {{"p", json::object{{"SS", json::array{"a"}}}}}),
      "One or more parameter values were invalid: Type mismatch for key p expected: N "
      "actual: SS");
  EXPECT_EQ(item_error(make_table("B", std::nullopt), {{"p", json::object{{"BOOL", true}}}}),
            "One or more parameter values were invalid: Type mismatch for key p expected: B "
            "actual: BOOL");
}

TEST(check_item_key, empty_key_values_use_the_put_item_wording) {
  EXPECT_EQ(item_error(make_table("S", std::nullopt), {{"p", attr("S", "")}}),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: p");
  EXPECT_EQ(item_error(make_table("B", std::nullopt), {{"p", attr("B", "")}}),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty binary value. Key: p");
}

TEST(check_item_key, non_key_attributes_may_be_empty) {
  EXPECT_EQ(item_error(make_table("S", std::nullopt),
                       {{"p", attr("S", "a")}, {"x", attr("S", "")}, {"y", attr("B", "")}}),
            "<valid>");
}

TEST(check_item_key, hash_key_limit_is_2048_bytes) {
  EXPECT_EQ(item_error(make_table("S", std::nullopt), {{"p", attr("S", std::string(2048, 'x'))}}),
            "<valid>");
  EXPECT_EQ(item_error(make_table("S", std::nullopt), {{"p", attr("S", std::string(2049, 'x'))}}),
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
            "size limit of2048 bytes");
}

TEST(check_item_key, binary_key_limits_count_decoded_bytes) {
  // 2048 and 1024 bytes are base64 with padding: the limit is on the bytes
  // (test_large_blob_hash_key, test_large_blob_sort_key).
  const table t = make_table("B", "B");
  const std::string b2048 = base64_encode(std::string(2048, 'x'));
  const std::string b1024 = base64_encode(std::string(1024, 'x'));
  EXPECT_EQ(item_error(t, {{"p", attr("B", b2048)}, {"c", attr("B", b1024)}}), "<valid>");
  EXPECT_EQ(item_error(t, {{"p", attr("B", base64_encode(std::string(2049, 'x')))},
                           {"c", attr("B", b1024)}}),
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
            "size limit of2048 bytes");
  EXPECT_EQ(item_error(t, {{"p", attr("B", b2048)},
                           {"c", attr("B", base64_encode(std::string(1025, 'x')))}}),
            "One or more parameter values were invalid: Aggregated size of all range keys has "
            "exceeded the size limit of 1024 bytes");
}

TEST(check_item_key, range_key_limit_is_1024_bytes) {
  const table t = make_table("S", "S");
  EXPECT_EQ(item_error(t, {{"p", attr("S", "a")}, {"c", attr("S", std::string(1024, 'x'))}}),
            "<valid>");
  EXPECT_EQ(item_error(t, {{"p", attr("S", "a")}, {"c", attr("S", std::string(1025, 'x'))}}),
            "One or more parameter values were invalid: Aggregated size of all range keys has "
            "exceeded the size limit of 1024 bytes");
}

std::string storage_key(const table& t, json::object key) {
  EXPECT_TRUE(check_key(t, key));
  return item_storage_key(t, key);
}

TEST(item_storage_key, lives_under_the_table_prefix) {
  const table t = make_table("S", std::nullopt, 42);
  const std::string prefix = table_data_prefix(42);
  EXPECT_EQ(prefix.size(), 9u);
  EXPECT_TRUE(storage_key(t, {{"p", attr("S", "a")}}).starts_with(prefix));
  EXPECT_FALSE(storage_key(t, {{"p", attr("S", "a")}}).starts_with(table_data_prefix(43)));
  EXPECT_FALSE(table_data_prefix(1).starts_with(table_data_prefix(256)));
}

TEST(item_storage_key, equal_numbers_are_the_same_key) {
  const table t = make_table("N", "N");
  const std::string k = storage_key(t, {{"p", attr("N", "1000")}, {"c", attr("N", "1")}});
  EXPECT_EQ(storage_key(t, {{"p", attr("N", "1e3")}, {"c", attr("N", "1.0")}}), k);
  EXPECT_EQ(storage_key(t, {{"p", attr("N", "+001000")}, {"c", attr("N", "0.1e1")}}), k);
}

// Sort keys under one partition: storage-key order must be DynamoDB's order
// (bytes for S and B, value for N), and no key may be a prefix of another so
// that a range scan of one item never picks up a longer one.
void expect_order_and_prefix_free(const table& t, std::vector<std::pair<json::object, int>> keys) {
  // keys: the sort-key value and its rank in DynamoDB's order.
  std::vector<std::pair<std::string, int>> encoded;
  for (auto& [c, rank] : keys)
    encoded.emplace_back(storage_key(t, {{"p", attr("S", "part")}, {"c", c}}), rank);
  for (const auto& [a, ra] : encoded)
    for (const auto& [b, rb] : encoded) {
      EXPECT_EQ(a < b, ra < rb) << "ranks " << ra << " " << rb;
      EXPECT_EQ(a == b, ra == rb) << "ranks " << ra << " " << rb;
      if (a != b) {
        EXPECT_FALSE(b.starts_with(a)) << "ranks " << ra << " " << rb;
      }
    }
}

std::vector<std::string> random_byte_strings(std::mt19937_64& rng) {
  // Bytes drawn from a small alphabet with 0x00, 0x01 and 0xff so that the
  // escape and terminator bytes collide often.
  static constexpr char alphabet[] = {'\x00', '\x01', '\xff', 'a', 'b', '\x7f', '\x80'};
  std::vector<std::string> out{
      std::string(1, '\0'), std::string("a\0", 2), "a", "ab", std::string("a\0\x01", 3), "\xff"};
  for (int i = 0; i < 200; ++i) {
    std::string s(1 + rng() % 5, 'a');
    for (auto& c : s) c = alphabet[rng() % sizeof alphabet];
    out.push_back(s);
  }
  std::sort(out.begin(), out.end());  // char_traits<char> compares as unsigned
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

TEST(item_storage_key, string_sort_keys_order_bytewise_and_are_prefix_free) {
  std::mt19937_64 rng(1);
  auto strings = random_byte_strings(rng);
  std::vector<std::pair<json::object, int>> keys;
  for (std::size_t i = 0; i < strings.size(); ++i) {
    // JSON strings hold arbitrary bytes here: the codec hands them over as is.
    keys.emplace_back(attr("S", strings[i]), static_cast<int>(i));
  }
  expect_order_and_prefix_free(make_table("S", "S"), std::move(keys));
}

TEST(item_storage_key, binary_sort_keys_order_bytewise_and_are_prefix_free) {
  std::mt19937_64 rng(2);
  auto bytes = random_byte_strings(rng);
  std::vector<std::pair<json::object, int>> keys;
  for (std::size_t i = 0; i < bytes.size(); ++i)
    keys.emplace_back(attr("B", base64_encode(bytes[i])), static_cast<int>(i));
  expect_order_and_prefix_free(make_table("S", "B"), std::move(keys));
}

TEST(item_storage_key, number_sort_keys_order_by_value_and_are_prefix_free) {
  const std::vector<std::string_view> ascending = {
      "-1e125", "-1000", "-999.5", "-100", "-10.01", "-10", "-1",  "-0.11", "-0.1", "-1e-130", "0",
      "1e-130", "0.1",   "0.11",   "1",    "1.0001", "10",  "100", "999.5", "1000", "1e125"};
  std::vector<std::pair<json::object, int>> keys;
  for (std::size_t i = 0; i < ascending.size(); ++i)
    keys.emplace_back(attr("N", ascending[i]), static_cast<int>(i));
  expect_order_and_prefix_free(make_table("S", "N"), std::move(keys));
}

TEST(item_storage_key, hash_keys_are_prefix_free_across_types) {
  std::vector<std::string> all;
  for (std::string_view s : {"a", "ab", "b"})
    all.push_back(storage_key(make_table("S", std::nullopt), {{"p", attr("S", s)}}));
  for (std::string_view n : {"1", "12", "-1"})
    all.push_back(storage_key(make_table("N", std::nullopt), {{"p", attr("N", n)}}));
  for (const auto& a : all)
    for (const auto& b : all)
      if (a != b) {
        EXPECT_FALSE(b.starts_with(a));
      }
}

}  // namespace
}  // namespace stratus::dynamodb
