// Stage 4b: projections in the shape DynamoDB returns them.

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace stratus::dynamodb::expr {
namespace {

using testing::object_of;
using testing::resolved_projection;

const char* const item_json = R"({
  "p": {"S": "key"},
  "a": {"M": {"b": {"N": "1"}, "c": {"L": [{"S": "x"}, {"M": {"d": {"N": "2"}, "e": {"N": "3"}}}, {"S": "z"}]}}},
  "l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]},
  "s": {"S": "v"}
})";

boost::json::object project(std::string_view text, std::string_view names = "") {
  auto p = resolved_projection(text, names);
  EXPECT_TRUE(p) << (p ? "" : p.error().message);
  if (!p) return {};
  return apply_projection(*p, object_of(item_json));
}

TEST(apply_projection, top_level_attributes) {
  EXPECT_EQ(project("s"), object_of(R"({"s":{"S":"v"}})"));
  EXPECT_EQ(project("s, p"), object_of(R"({"s":{"S":"v"},"p":{"S":"key"}})"));
  EXPECT_EQ(project("#k", R"({"#k":"p"})"), object_of(R"({"p":{"S":"key"}})"));
  EXPECT_EQ(project("nope"), boost::json::object{});
}

TEST(apply_projection, nested_maps_keep_only_requested_keys) {
  EXPECT_EQ(project("a.b"), object_of(R"({"a":{"M":{"b":{"N":"1"}}}})"));
  EXPECT_EQ(project("a.c[1].e"), object_of(R"({"a":{"M":{"c":{"L":[{"M":{"e":{"N":"3"}}}]}}}})"));
  EXPECT_EQ(project("a.zz"), boost::json::object{});
  EXPECT_EQ(project("s.x"), boost::json::object{});
  EXPECT_EQ(project("a.b, a.zz, s"), object_of(R"({"a":{"M":{"b":{"N":"1"}}},"s":{"S":"v"}})"));
}

TEST(apply_projection, list_elements_are_compacted_in_index_order) {
  EXPECT_EQ(project("l[3], l[1]"), object_of(R"({"l":{"L":[{"N":"1"},{"N":"3"}]}})"));
  EXPECT_EQ(project("l[7]"), boost::json::object{});
  EXPECT_EQ(project("l[0], l[9]"), object_of(R"({"l":{"L":[{"N":"0"}]}})"));
  EXPECT_EQ(project("a.c[0], a.c[2]"),
            object_of(R"({"a":{"M":{"c":{"L":[{"S":"x"},{"S":"z"}]}}}})"));
}

TEST(apply_projection, over_a_list_of_paths) {
  path a{{path_step{"a"}, path_step{"b"}}};
  path s{{path_step{"s"}}};
  EXPECT_EQ(apply_projection(std::vector<path>{a, s}, object_of(item_json)),
            object_of(R"({"a":{"M":{"b":{"N":"1"}}},"s":{"S":"v"}})"));
}

}  // namespace
}  // namespace stratus::dynamodb::expr
