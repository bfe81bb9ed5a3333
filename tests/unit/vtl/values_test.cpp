// Java toString and JSON forms of values, and their lifetime.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "vtl/json_values.hpp"
#include "vtl/value.hpp"

namespace stratus::vtl {
namespace {

TEST(values, java_double_format) {
  EXPECT_EQ(format_java_double(2.0), "2.0");
  EXPECT_EQ(format_java_double(0.05), "0.05");
  EXPECT_EQ(format_java_double(-1.25), "-1.25");
  EXPECT_EQ(format_java_double(123456.789), "123456.789");
  EXPECT_EQ(format_java_double(1e7), "1.0E7");
  EXPECT_EQ(format_java_double(1.5e-5), "1.5E-5");
  EXPECT_EQ(format_java_double(0.001), "0.001");
  EXPECT_EQ(format_java_double(1e21), "1.0E21");
  EXPECT_EQ(format_java_double(0.0), "0.0");
  EXPECT_EQ(format_java_double(-0.0), "-0.0");
  EXPECT_EQ(format_java_double(std::nan("")), "NaN");
  EXPECT_EQ(format_java_double(std::numeric_limits<double>::infinity()), "Infinity");
}

TEST(values, truthiness_is_velocity_17) {
  EXPECT_FALSE(truthy(value()));
  EXPECT_FALSE(truthy(false));
  EXPECT_TRUE(truthy(""));
  EXPECT_TRUE(truthy(0));
  EXPECT_TRUE(truthy(make_list()));
}

TEST(values, json_from_boost_json) {
  auto v = parse_json(
      R"({"i":1,"big":18446744073709551615,"d":1.5,"s":"x","n":null,"l":[1,"a"],"b":true})");
  ASSERT_TRUE(v);
  std::string java;
  ASSERT_TRUE(append_java_string(*v, java, 10));
  EXPECT_EQ(java, R"({i=1, big=1.8446744073709552E19, d=1.5, s=x, n=null, l=[1,"a"], b=true})");
  std::string json;
  ASSERT_TRUE(append_json(*v, json, 10));
  EXPECT_EQ(json,
            R"({"i":1,"big":1.8446744073709552E19,"d":1.5,"s":"x","n":null,"l":[1,"a"],"b":true})");
  EXPECT_FALSE(parse_json("{nope"));
}

TEST(values, json_string_escaping) {
  std::string out;
  ASSERT_TRUE(append_json(value("a\"b\\c\n\t\x01/é"), out, 1));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001/é\"");
}

TEST(values, depth_limit_when_printing) {
  value v = make_list();
  for (int i = 0; i < 50; ++i) {
    auto outer = make_list();
    outer->items.push_back(v);
    v = outer;
  }
  std::string out;
  EXPECT_FALSE(append_java_string(v, out, 10));
  EXPECT_TRUE(append_java_string(v, out, 100));
}

TEST(values, deep_nesting_is_destroyed_without_recursion) {
  value v = make_map();
  for (int i = 0; i < 1'000'000; ++i) {
    auto outer = make_map();
    outer->put("k", std::move(v));
    v = outer;
  }
  v = value();  // would overflow the stack if destruction recursed
  SUCCEED();
}

TEST(values, cycle_detection) {
  auto a = make_list();
  auto b = make_map();
  b->put("a", a);
  EXPECT_TRUE(would_create_cycle(value(a), value(b)));
  EXPECT_TRUE(would_create_cycle(value(a), value(a)));
  EXPECT_FALSE(would_create_cycle(value(b), value(make_list())));
}

}  // namespace
}  // namespace stratus::vtl
