// Stage 4a: conditions against items.

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace stratus::dynamodb::expr {
namespace {

using testing::object_of;
using testing::resolved_condition;

const char* const item_json = R"({
  "p": {"S": "key"},
  "s": {"S": "hello"},
  "u": {"S": "\u00e9t\u00e9"},
  "n": {"N": "10"},
  "neg": {"N": "-2.5"},
  "b": {"B": "AQID"},
  "hi": {"B": "/w=="},
  "t": {"BOOL": true},
  "nul": {"NULL": true},
  "ss": {"SS": ["a", "b"]},
  "ns": {"NS": ["1", "2.5"]},
  "bs": {"BS": ["AQ==", "Ag=="]},
  "l": {"L": [{"N": "1"}, {"S": "x"}, {"L": [{"N": "2"}]}]},
  "m": {"M": {"a": {"N": "1"}, "b": {"M": {"c": {"S": "deep"}}}, "odd name": {"S": "y"}}},
  "blank": {"S": ""}
})";

// Evaluates `text` with values `values` against the test item (or no item).
bool check(std::string_view text, std::string_view values = "", bool with_item = true,
           std::string_view names = "") {
  auto c = resolved_condition(text, names, values);
  EXPECT_TRUE(c) << text << ": " << (c ? "" : c.error().message);
  if (!c) return false;
  const boost::json::object item = object_of(item_json);
  auto r = evaluate_condition(*c, with_item ? &item : nullptr);
  EXPECT_TRUE(r);
  return r && *r;
}

std::string v(std::string_view single) {
  return "{\":v\":" + std::string(single) + "}";
}

TEST(evaluate_condition, equality_by_type_and_value) {
  EXPECT_TRUE(check("s = :v", v(R"({"S":"hello"})")));
  EXPECT_FALSE(check("s = :v", v(R"({"S":"hell"})")));
  EXPECT_TRUE(check("n = :v", v(R"({"N":"1e1"})")));
  EXPECT_TRUE(check("n = :v", v(R"({"N":"10.000"})")));
  EXPECT_FALSE(check("n = :v", v(R"({"S":"10"})")));
  EXPECT_TRUE(check("b = :v", v(R"({"B":"AQID"})")));
  EXPECT_TRUE(check("t = :v", v(R"({"BOOL":true})")));
  EXPECT_FALSE(check("t = :v", v(R"({"BOOL":false})")));
  EXPECT_TRUE(check("nul = :v", v(R"({"NULL":true})")));
  EXPECT_TRUE(check("ss = :v", v(R"({"SS":["b","a"]})")));
  EXPECT_TRUE(check("ns = :v", v(R"({"NS":["2.50","1"]})")));
  EXPECT_FALSE(check("ns = :v", v(R"({"NS":["1"]})")));
  EXPECT_TRUE(check("l = :v", v(R"({"L":[{"N":"1"},{"S":"x"},{"L":[{"N":"2"}]}]})")));
  EXPECT_FALSE(check("l = :v", v(R"({"L":[{"S":"x"},{"N":"1"},{"L":[{"N":"2"}]}]})")));
  EXPECT_TRUE(check("m.b = :v", v(R"({"M":{"c":{"S":"deep"}}})")));
  EXPECT_TRUE(check("s = s2 OR s <> s2"));  // both sides may be paths
}

TEST(evaluate_condition, missing_attributes) {
  EXPECT_FALSE(check("nope = :v", v(R"({"S":"x"})")));
  EXPECT_TRUE(check("nope <> :v", v(R"({"S":"x"})")));
  EXPECT_FALSE(check("nope < :v", v(R"({"S":"x"})")));
  EXPECT_FALSE(check("s = :v", v(R"({"S":"hello"})"), false));
  EXPECT_TRUE(check("attribute_not_exists(s)", "", false));
  EXPECT_FALSE(check("attribute_exists(s)", "", false));
  EXPECT_FALSE(check("m.zz.c = :v", v(R"({"S":"deep"})")));
  EXPECT_FALSE(check("s.x = :v", v(R"({"S":"deep"})")));  // not a map
  EXPECT_FALSE(check("l[9] = :v", v(R"({"N":"1"})")));
  EXPECT_FALSE(check("m[0] = :v", v(R"({"N":"1"})")));  // not a list
}

TEST(evaluate_condition, ordering) {
  EXPECT_TRUE(check("n > :v", v(R"({"N":"9.99"})")));
  EXPECT_TRUE(check("n < :v", v(R"({"N":"1e2"})")));
  EXPECT_TRUE(check("neg < :v", v(R"({"N":"-2.4"})")));
  EXPECT_TRUE(check("n >= :v AND n <= :v", v(R"({"N":"10"})")));
  EXPECT_TRUE(check("s > :v", v(R"({"S":"Hello"})")));
  // UTF-8 bytes compare unsigned: "é" (0xC3...) sorts after "z".
  EXPECT_TRUE(check("u > :v", v(R"({"S":"zzz"})")));
  EXPECT_TRUE(check("hi > :v", v(R"({"B":"fw=="})")));  // 0xFF > 0x7F
  EXPECT_FALSE(check("n > :v", v(R"({"S":"1"})")));     // type mismatch: false, not error
  EXPECT_FALSE(check("ss > :v", v(R"({"S":"a"})")));
}

TEST(evaluate_condition, between_and_in) {
  const std::string bounds = R"({":lo":{"N":"5"},":hi":{"N":"10"}})";
  EXPECT_TRUE(check("n BETWEEN :lo AND :hi", bounds));
  EXPECT_FALSE(check("neg BETWEEN :lo AND :hi", bounds));
  EXPECT_FALSE(check("s BETWEEN :lo AND :hi", bounds));
  EXPECT_TRUE(check("s BETWEEN :lo AND :hi", R"({":lo":{"S":"a"},":hi":{"S":"i"}})"));
  EXPECT_TRUE(check("n IN (:a, :b)", R"({":a":{"S":"10"},":b":{"N":"10"}})"));
  EXPECT_FALSE(check("n IN (:a, :b)", R"({":a":{"S":"10"},":b":{"N":"11"}})"));
  EXPECT_FALSE(check("nope IN (:a)", R"({":a":{"S":"10"}})"));
  EXPECT_TRUE(check(":a IN (s, n)", R"({":a":{"N":"10"}})"));
}

TEST(evaluate_condition, logic) {
  const std::string vals = R"({":v":{"N":"10"}})";
  EXPECT_TRUE(check("n = :v AND attribute_exists(s)", vals));
  EXPECT_FALSE(check("n = :v AND attribute_exists(zz)", vals));
  EXPECT_TRUE(check("n <> :v OR attribute_exists(s)", vals));
  EXPECT_FALSE(check("NOT n = :v", vals));
  EXPECT_TRUE(check("NOT NOT n = :v", vals));
  EXPECT_TRUE(check("attribute_exists(zz) OR n = :v AND NOT attribute_exists(zz)", vals));
}

TEST(evaluate_condition, functions) {
  EXPECT_TRUE(check("attribute_exists(m.b.c)"));
  EXPECT_FALSE(check("attribute_exists(#o)", "", true, R"({"#o":"odd name"})"));
  EXPECT_TRUE(check("attribute_exists(#o)", "", true, R"({"#o":"m"})"));
  EXPECT_TRUE(check("attribute_exists(m.#o)", "", true, R"({"#o":"odd name"})"));
  EXPECT_TRUE(check("attribute_exists(l[2][0])"));
  EXPECT_TRUE(check("attribute_type(n, :v)", v(R"({"S":"N"})")));
  EXPECT_FALSE(check("attribute_type(n, :v)", v(R"({"S":"S"})")));
  EXPECT_TRUE(check("attribute_type(ns, :v)", v(R"({"S":"NS"})")));
  EXPECT_TRUE(check("attribute_type(nul, :v)", v(R"({"S":"NULL"})")));
  EXPECT_FALSE(check("attribute_type(zz, :v)", v(R"({"S":"S"})")));
  EXPECT_TRUE(check("attribute_type(:v, :t)", R"({":v":{"N":"0"},":t":{"S":"N"}})"));
  EXPECT_TRUE(check("begins_with(s, :v)", v(R"({"S":"he"})")));
  EXPECT_TRUE(check("begins_with(s, :v)", v(R"({"S":""})")));
  EXPECT_FALSE(check("begins_with(s, :v)", v(R"({"S":"lo"})")));
  EXPECT_TRUE(check("begins_with(b, :v)", v(R"({"B":"AQI="})")));
  EXPECT_FALSE(check("begins_with(n, :v)", v(R"({"S":"1"})")));
  EXPECT_TRUE(check("contains(s, :v)", v(R"({"S":"ell"})")));
  EXPECT_TRUE(check("contains(ss, :v)", v(R"({"S":"b"})")));
  EXPECT_FALSE(check("contains(ss, :v)", v(R"({"S":"c"})")));
  EXPECT_TRUE(check("contains(ns, :v)", v(R"({"N":"2.50"})")));
  EXPECT_FALSE(check("contains(ns, :v)", v(R"({"S":"1"})")));
  EXPECT_TRUE(check("contains(bs, :v)", v(R"({"B":"Ag=="})")));
  EXPECT_TRUE(check("contains(l, :v)", v(R"({"S":"x"})")));
  EXPECT_TRUE(check("contains(l, :v)", v(R"({"L":[{"N":"2"}]})")));
  EXPECT_FALSE(check("contains(n, :v)", v(R"({"N":"1"})")));
  EXPECT_TRUE(check("contains(b, :v)", v(R"({"B":"Ag=="})")));
}

TEST(evaluate_condition, size) {
  EXPECT_TRUE(check("size(s) = :v", v(R"({"N":"5"})")));
  EXPECT_TRUE(check("size(blank) = :v", v(R"({"N":"0"})")));
  EXPECT_TRUE(check("size(b) = :v", v(R"({"N":"3"})")));
  EXPECT_TRUE(check("size(ss) = :v", v(R"({"N":"2"})")));
  EXPECT_TRUE(check("size(l) = :v", v(R"({"N":"3"})")));
  EXPECT_TRUE(check("size(m) = :v", v(R"({"N":"3"})")));
  EXPECT_TRUE(check("size(l[2]) < size(m)"));
  EXPECT_FALSE(check("size(n) = :v", v(R"({"N":"2"})")));
  EXPECT_TRUE(check("size(n) <> :v", v(R"({"N":"2"})")));
  EXPECT_FALSE(check("size(zz) > :v", v(R"({"N":"-1"})")));
  EXPECT_TRUE(check("size(s) BETWEEN :a AND :b", R"({":a":{"N":"1"},":b":{"N":"5"}})"));
}

}  // namespace
}  // namespace stratus::dynamodb::expr
