// Stage 4c: applying UpdateExpressions.

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace stratus::dynamodb::expr {
namespace {

using testing::object_of;
using testing::resolved_update;

// Applies `text` to `item_json` ("" for no item); the new item, or the error.
std::string run(std::string_view text, std::string_view item_json, std::string_view values = "",
                std::string_view names = "") {
  auto u = resolved_update(text, names, values);
  if (!u) return "resolve error: " + u.error().message;
  std::optional<boost::json::object> item;
  if (!item_json.empty()) item = object_of(item_json);
  auto out = apply_update(*u, item ? &*item : nullptr);
  if (!out) return "error: " + out.error().message;
  return boost::json::serialize(out->item);
}

std::string canonical(std::string_view json) {
  return boost::json::serialize(boost::json::parse(json));
}

const char* const missing =
    "error: The provided expression refers to an attribute that does not exist in the item";
const char* const wrong_type =
    "error: An operand in the update expression has an incorrect data type";
const char* const bad_path =
    "error: The document path provided in the update expression is invalid for update";

TEST(apply_update, set_values_and_copies) {
  EXPECT_EQ(run("SET a = :v", R"({"p":{"S":"k"}})", R"({":v":{"N":"1"}})"),
            canonical(R"({"p":{"S":"k"},"a":{"N":"1"}})"));
  EXPECT_EQ(run("SET a = :v", "", R"({":v":{"S":"x"}})"), canonical(R"({"a":{"S":"x"}})"));
  EXPECT_EQ(run("SET b = a", R"({"a":{"N":"1"}})"), canonical(R"({"a":{"N":"1"},"b":{"N":"1"}})"));
  // Right-hand sides read the old item: this swaps.
  EXPECT_EQ(run("SET a = b, b = a", R"({"a":{"N":"1"},"b":{"N":"2"}})"),
            canonical(R"({"a":{"N":"2"},"b":{"N":"1"}})"));
  EXPECT_EQ(run("SET b = a", R"({"x":{"N":"1"}})"), missing);
  EXPECT_EQ(run("SET b = a", ""), missing);
  // REMOVE a SET b = a: b gets the old a.
  EXPECT_EQ(run("REMOVE a SET b = a", R"({"a":{"N":"1"}})"), canonical(R"({"b":{"N":"1"}})"));
}

TEST(apply_update, arithmetic) {
  const std::string one = R"({":one":{"N":"1"},":s":{"S":"x"}})";
  EXPECT_EQ(run("SET a = a + :one", R"({"a":{"N":"41"}})", one), canonical(R"({"a":{"N":"42"}})"));
  EXPECT_EQ(run("SET a = a - :one", R"({"a":{"N":"0.5"}})", one),
            canonical(R"({"a":{"N":"-0.5"}})"));
  EXPECT_EQ(run("SET a = :one + :one", "", one), canonical(R"({"a":{"N":"2"}})"));
  EXPECT_EQ(run("SET a = a + :one", "{}", one), missing);
  EXPECT_EQ(run("SET a = b + :one", R"({"b":{"S":"x"}})", one), wrong_type);
  EXPECT_EQ(run("SET a = if_not_exists(a, :zero) + :one", "{}",
                R"({":one":{"N":"1"},":zero":{"N":"0"}})"),
            canonical(R"({"a":{"N":"1"}})"));
  EXPECT_EQ(run("SET b = :x + :y", "", R"({":x":{"N":"1e50"},":y":{"N":"1"}})"),
            "error: Number overflow. Attempting to store a number with magnitude larger than "
            "supported range");
}

TEST(apply_update, if_not_exists_and_list_append) {
  const std::string vals = R"({":v":{"N":"5"},":l":{"L":[{"S":"c"}]}})";
  EXPECT_EQ(run("SET a = if_not_exists(a, :v)", R"({"a":{"N":"1"}})", vals),
            canonical(R"({"a":{"N":"1"}})"));
  EXPECT_EQ(run("SET a = if_not_exists(a, :v)", "{}", vals), canonical(R"({"a":{"N":"5"}})"));
  EXPECT_EQ(run("SET a = if_not_exists(b, if_not_exists(c, :v))", "{}", R"({":v":{"N":"5"}})"),
            canonical(R"({"a":{"N":"5"}})"));
  EXPECT_EQ(run("SET l = list_append(l, :l)", R"({"l":{"L":[{"S":"a"}]}})", vals),
            canonical(R"({"l":{"L":[{"S":"a"},{"S":"c"}]}})"));
  EXPECT_EQ(run("SET l = list_append(:l, l)", R"({"l":{"L":[{"S":"a"}]}})", vals),
            canonical(R"({"l":{"L":[{"S":"c"},{"S":"a"}]}})"));
  EXPECT_EQ(run("SET l = list_append(l, :l)", R"({"l":{"S":"a"}})", vals), wrong_type);
  EXPECT_EQ(run("SET l = list_append(l, :l)", "{}", vals), missing);
  EXPECT_EQ(run("SET l = list_append(if_not_exists(l, :e), :l)", "{}",
                R"({":e":{"L":[]},":l":{"L":[{"S":"c"}]}})"),
            canonical(R"({"l":{"L":[{"S":"c"}]}})"));
}

TEST(apply_update, nested_paths) {
  const std::string doc = R"({"a":{"M":{"b":{"N":"1"},"c":{"L":[{"S":"x"},{"S":"y"}]}}}})";
  const std::string v = R"({":v":{"N":"7"}})";
  EXPECT_EQ(run("SET a.b = :v", doc, v),
            canonical(R"({"a":{"M":{"b":{"N":"7"},"c":{"L":[{"S":"x"},{"S":"y"}]}}}})"));
  EXPECT_EQ(
      run("SET a.n = :v", doc, v),
      canonical(R"({"a":{"M":{"b":{"N":"1"},"c":{"L":[{"S":"x"},{"S":"y"}]},"n":{"N":"7"}}}})"));
  EXPECT_EQ(run("SET a.c[0] = :v", doc, v),
            canonical(R"({"a":{"M":{"b":{"N":"1"},"c":{"L":[{"N":"7"},{"S":"y"}]}}}})"));
  EXPECT_EQ(run("SET a.c[9] = :v", doc, v),
            canonical(R"({"a":{"M":{"b":{"N":"1"},"c":{"L":[{"S":"x"},{"S":"y"},{"N":"7"}]}}}})"));
  EXPECT_EQ(run("SET a.b.c = :v", doc, v), bad_path);
  EXPECT_EQ(run("SET z.c = :v", doc, v), bad_path);
  EXPECT_EQ(run("SET a[0] = :v", doc, v), bad_path);
  EXPECT_EQ(run("SET z[0] = :v", "", v), bad_path);
  EXPECT_EQ(
      run("SET b = a.c[1]", doc),
      canonical(R"({"a":{"M":{"b":{"N":"1"},"c":{"L":[{"S":"x"},{"S":"y"}]}}},"b":{"S":"y"}})"));
}

TEST(apply_update, invalid_document_paths) {
  // b is a string, c a map, d a list; y is missing.
  const std::string item =
      R"({"b":{"S":"x"},"c":{"M":{"1":{"S":"a"}}},"d":{"L":[{"S":"a"},{"S":"b"}]}})";
  const std::string vals = R"({":a":{"SS":["a"]}})";
  for (const char* text : {
           "set b.a = :a, #1 = :a",      "set b[1] = :a, #1 = :a",     "set y.a = :a, #1 = :a",
           "set y[1] = :a, #1 = :a",     "set c[1] = :a, #1 = :a",     "set d.#1 = :a",
           "remove b.a set #1 = :a",     "remove b[1] set #1 = :a",    "remove y.a set #1 = :a",
           "remove y[1] set #1 = :a",    "remove c[1] set #1 = :a",    "remove d.#1 set #1 = :a",
           "delete b.a :a set #1 = :a",  "delete b[1] :a set #1 = :a", "delete y.a :a set #1 = :a",
           "delete y[1] :a set #1 = :a", "delete c[1] :a set #1 = :a", "delete d.#1 :a",
           "add b.a :a set #1 = :a",     "add b[1] :a set #1 = :a",    "add y.a :a set #1 = :a",
           "add y[1] :a set #1 = :a",    "add c[1] :a set #1 = :a",    "add d.#1 :a",
       })
    EXPECT_EQ(run(text, item, vals, R"({"#1":"1"})"), bad_path) << text;
  // The path is checked before the right-hand side is read.
  EXPECT_EQ(run("set b.a = a", ""), bad_path);
  EXPECT_EQ(run("set b[1] = a", ""), bad_path);
  EXPECT_EQ(run("delete c.#1 :a", item, vals, R"({"#1":"zz"})"), canonical(item));
}

TEST(apply_update, appends_past_the_end_in_index_order) {
  EXPECT_EQ(
      run("SET a[84] = :a1, a[37] = :a2, a[17] = :a3, a[50] = :a4", R"({"a":{"L":[{"S":"one"}]}})",
          R"({":a1":{"S":"a1"},":a2":{"S":"a2"},":a3":{"S":"a3"},":a4":{"S":"a4"}})"),
      canonical(R"({"a":{"L":[{"S":"one"},{"S":"a3"},{"S":"a2"},{"S":"a4"},{"S":"a1"}]}})"));
}

TEST(apply_update, remove) {
  EXPECT_EQ(run("REMOVE a, b", R"({"a":{"N":"1"},"c":{"N":"2"}})"),
            canonical(R"({"c":{"N":"2"}})"));
  EXPECT_EQ(
      run("REMOVE a.c[1].x.y[1], a.c[1].q",
          R"({"a":{"M":{"b":{"N":"3"},"c":{"L":[{"S":"hi"},{"M":{"x":{"M":{"y":{"L":[{"N":"3"},{"N":"5"},{"N":"7"}]}}},"q":{"N":"2"}}}]}}}})"),
      canonical(
          R"({"a":{"M":{"b":{"N":"3"},"c":{"L":[{"S":"hi"},{"M":{"x":{"M":{"y":{"L":[{"N":"3"},{"N":"7"}]}}}}}]}}}})"));
  // Indexes name the original positions, whatever the order written.
  const std::string list =
      R"({"a":{"L":[{"N":"2"},{"N":"3"},{"N":"4"},{"N":"5"},{"N":"6"},{"N":"7"}]}})";
  const std::string want =
      canonical(R"({"a":{"L":[{"N":"2"},{"N":"4"},{"N":"17"},{"N":"6"},{"N":"7"}]}})");
  EXPECT_EQ(run("REMOVE a[1] SET a[3] = :v", list, R"({":v":{"N":"17"}})"), want);
  EXPECT_EQ(run("SET a[3] = :v REMOVE a[1]", list, R"({":v":{"N":"17"}})"), want);
  EXPECT_EQ(run("REMOVE a[0], a[2]", list),
            canonical(R"({"a":{"L":[{"N":"3"},{"N":"5"},{"N":"6"},{"N":"7"}]}})"));
  EXPECT_EQ(run("REMOVE a[17]", R"({"a":{"L":[{"N":"1"}]}})"),
            canonical(R"({"a":{"L":[{"N":"1"}]}})"));
  EXPECT_EQ(run("REMOVE a[0]", R"({"a":{"L":[{"N":"1"}]}})"), canonical(R"({"a":{"L":[]}})"));
  EXPECT_EQ(run("REMOVE a.b", R"({"a":{"M":{"b":{"N":"1"}}}})"), canonical(R"({"a":{"M":{}}})"));
  EXPECT_EQ(run("REMOVE a.y", R"({"a":{"M":{"x":{"N":"1"}}}})"),
            canonical(R"({"a":{"M":{"x":{"N":"1"}}}})"));
  EXPECT_EQ(run("REMOVE a.c", R"({"a":{"S":"hello"}})"), bad_path);
  EXPECT_EQ(run("REMOVE c.c", R"({"a":{"S":"hello"}})"), bad_path);
  EXPECT_EQ(run("REMOVE a[0]", R"({"a":{"S":"hello"}})"), bad_path);
  // On a missing item DynamoDB ignores any REMOVE.
  EXPECT_EQ(run("REMOVE x.y, z[0]", ""), "{}");
}

TEST(apply_update, add) {
  const std::string vals = R"({":n":{"N":"2"},":ss":{"SS":["b","c"]},":ns":{"NS":["1"]}})";
  EXPECT_EQ(run("ADD a :n", R"({"a":{"N":"3"}})", vals), canonical(R"({"a":{"N":"5"}})"));
  EXPECT_EQ(run("ADD a :n", "", vals), canonical(R"({"a":{"N":"2"}})"));
  EXPECT_EQ(run("ADD a :ss", R"({"a":{"SS":["a","b"]}})", vals),
            canonical(R"({"a":{"SS":["a","b","c"]}})"));
  EXPECT_EQ(run("ADD a :ns", R"({"a":{"NS":["1.0","2"]}})", vals),
            canonical(R"({"a":{"NS":["1.0","2"]}})"));
  EXPECT_EQ(run("ADD a :ss", "{}", vals), canonical(R"({"a":{"SS":["b","c"]}})"));
  EXPECT_EQ(run("ADD a :n", R"({"a":{"S":"x"}})", vals), wrong_type);
  EXPECT_EQ(run("ADD a :ss", R"({"a":{"NS":["1"]}})", vals), wrong_type);
  EXPECT_EQ(run("ADD m.x :n", R"({"m":{"M":{}}})", vals),
            canonical(R"({"m":{"M":{"x":{"N":"2"}}}})"));
  EXPECT_EQ(run("ADD m.x :n", "{}", vals), bad_path);
}

TEST(apply_update, delete_from_sets) {
  const std::string vals = R"({":ss":{"SS":["a","z"]},":all":{"SS":["a","b"]},":ns":{"NS":["1"]}})";
  EXPECT_EQ(run("DELETE a :ss", R"({"a":{"SS":["a","b"]}})", vals),
            canonical(R"({"a":{"SS":["b"]}})"));
  // An emptied set removes the attribute: DynamoDB has no empty sets.
  EXPECT_EQ(run("DELETE a :all", R"({"a":{"SS":["a","b"]},"k":{"N":"1"}})", vals),
            canonical(R"({"k":{"N":"1"}})"));
  EXPECT_EQ(run("DELETE a :ss", "{}", vals), "{}");
  EXPECT_EQ(run("DELETE a :ns", R"({"a":{"SS":["a"]}})", vals), wrong_type);
  EXPECT_EQ(run("DELETE a :ns", R"({"a":{"N":"1"}})", vals), wrong_type);
  EXPECT_EQ(run("DELETE a :ns", R"({"a":{"NS":["1.00","2"]}})", vals),
            canonical(R"({"a":{"NS":["2"]}})"));
}

TEST(apply_update, an_append_past_the_end_is_not_in_updated_new) {
  auto u = resolved_update("SET a[7] = :v", "", R"({":v":{"N":"9"}})").value();
  auto item = object_of(R"({"a":{"L":[{"N":"1"}]}})");
  auto out = apply_update(u, &item).value();
  EXPECT_EQ(out.item, object_of(R"({"a":{"L":[{"N":"1"},{"N":"9"}]}})"));
  EXPECT_EQ(to_string(out.updated_paths[0]), "[a, [7]]");
  EXPECT_EQ(apply_projection(out.updated_paths, out.item), boost::json::object());
}

TEST(apply_update, reports_updated_paths_and_attributes) {
  auto u = resolved_update("SET a.b = :v, #k = :v REMOVE c[0] ADD d :v", R"({"#k":"key"})",
                           R"({":v":{"N":"1"}})")
               .value();
  auto item = object_of(R"({"a":{"M":{}},"c":{"L":[{"N":"1"}]}})");
  auto out = apply_update(u, &item).value();
  EXPECT_EQ(out.modified_attributes, (std::set<std::string>{"a", "key", "c", "d"}));
  ASSERT_EQ(out.updated_paths.size(), 4u);
  EXPECT_EQ(to_string(out.updated_paths[0]), "[a, b]");
  EXPECT_EQ(apply_projection(out.updated_paths, out.item),
            object_of(R"({"a":{"M":{"b":{"N":"1"}}},"key":{"N":"1"},"d":{"N":"1"}})"));
  EXPECT_EQ(apply_projection(out.updated_paths, item), object_of(R"({"c":{"L":[{"N":"1"}]}})"));
}

}  // namespace
}  // namespace stratus::dynamodb::expr
