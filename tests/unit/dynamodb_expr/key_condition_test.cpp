// Stage 4d: KeyConditionExpression against a key schema.

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace stratus::dynamodb::expr {
namespace {

using testing::message_of;
using testing::resolved_condition;

const key_attribute hash{"p", "S"};
const std::optional<key_attribute> range = key_attribute{"c", "N"};

const char* const values =
    R"({":p":{"S":"x"},":c":{"N":"3"},":d":{"N":"7"},":s":{"S":"s"},":n":{"N":"1"}})";

result<key_condition> key(std::string_view text, std::string_view vals = values,
                          std::string_view names = "",
                          const std::optional<key_attribute>& r = range) {
  auto c = resolved_condition(text, names, vals, expression_kind::key_condition);
  if (!c) return c.error();
  return parse_key_condition(*c, hash, r);
}

TEST(parse_key_condition, hash_only) {
  auto k = key("p = :p").value();
  EXPECT_EQ(k.hash_value, boost::json::parse(R"({"S":"x"})"));
  EXPECT_FALSE(k.range);
  EXPECT_TRUE(key(":p = p"));
  EXPECT_TRUE(key("(p = :p)"));
  EXPECT_TRUE(key("#k = :p", values, R"({"#k":"p"})"));
}

TEST(parse_key_condition, range_operators) {
  auto op_of = [](std::string_view text) { return key(text).value().range->op; };
  EXPECT_EQ(op_of("p = :p AND c = :c"), key_op::EQ);
  EXPECT_EQ(op_of("p = :p AND c < :c"), key_op::LT);
  EXPECT_EQ(op_of("p = :p AND c <= :c"), key_op::LE);
  EXPECT_EQ(op_of("p = :p AND c > :c"), key_op::GT);
  EXPECT_EQ(op_of("c >= :c AND p = :p"), key_op::GE);
  EXPECT_EQ(op_of("p = :p AND :c < c"), key_op::GT);  // operands swapped
  EXPECT_EQ(op_of("p = :p AND :c >= c"), key_op::LE);
  auto between = key("p = :p AND c BETWEEN :c AND :d").value();
  EXPECT_EQ(between.range->op, key_op::BETWEEN);
  ASSERT_EQ(between.range->values.size(), 2u);
  EXPECT_EQ(between.range->values[1], boost::json::parse(R"({"N":"7"})"));
  const key_attribute srange{"c", "S"};
  auto c = resolved_condition("p = :p AND begins_with(c, :s)", "", values,
                              expression_kind::key_condition)
               .value();
  EXPECT_EQ(parse_key_condition(c, hash, srange).value().range->op, key_op::BEGINS_WITH);
}

TEST(parse_key_condition, schema_errors) {
  EXPECT_EQ(message_of(key("c = :c")), "Query condition missed key schema element: p");
  EXPECT_EQ(message_of(key("p = :p AND a < :c")), "Query condition missed key schema element: c");
  EXPECT_EQ(message_of(key("p < :p")), "Query key condition not supported");
  EXPECT_EQ(message_of(key("p = :n")),
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
  EXPECT_EQ(message_of(key("p = :p AND c = :s")),
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
  EXPECT_EQ(message_of(key("p = :p AND begins_with(c, :c)")),
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N");
  // A second condition on a schema without a sort key (as ScyllaDB's
  // DynamoDB-validated test_gsi.py::test_faux_range_key_* records).
  EXPECT_EQ(message_of(key("p = :p AND c = :c", values, "", std::nullopt)),
            "Query key condition not supported");
}

TEST(parse_key_condition, shape_errors) {
  EXPECT_EQ(message_of(key("p = :p AND p = :p")),
            "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(message_of(key("p = :p AND c > :c AND c < :d")),
            "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(message_of(key("p = :p AND c > :c AND d < :d")),
            "Conditions can be of length 1 or 2 only");
  for (auto [text, op] : std::initializer_list<std::pair<const char*, const char*>>{
           {"p = :p OR c = :c", "OR"},
           {"p IN (:p)", "IN"},
           {"attribute_exists(p)", "attribute_exists"},
           {"attribute_not_exists(p)", "attribute_not_exists"},
           {"contains(p, :p)", "contains"},
           {"NOT p = :p", "NOT"},
           {"p <> :p", "<>"},
       })
    EXPECT_EQ(message_of(key(text)),
              "Invalid operator used in KeyConditionExpression: " + std::string(op))
        << text;
  EXPECT_EQ(message_of(key("p = :p AND size(c) > :c")),
            "KeyConditionExpressions cannot contain nested operations");
  EXPECT_EQ(message_of(key("p.d = :p")),
            "KeyConditionExpressions cannot have conditions on nested attributes");
  EXPECT_EQ(message_of(key("p[0] = :p")),
            "KeyConditionExpressions cannot have conditions on nested attributes");
  EXPECT_EQ(message_of(key("c BETWEEN p AND size(c)")),
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
            "condition");
  EXPECT_EQ(message_of(key("c BETWEEN size(p) AND size(c)")),
            "KeyConditionExpressions cannot contain nested operations");
  EXPECT_EQ(message_of(key("p = c.d")),
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
            "condition");
  EXPECT_EQ(message_of(key("p = c")),
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
            "condition");
  EXPECT_EQ(message_of(key(":c = :d AND p = :p")),
            "Invalid condition in KeyConditionExpression: No key attribute specified");
  EXPECT_EQ(message_of(key("p = :p AND :c BETWEEN c AND :d")),
            "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key "
            "attribute as its first operand");
  EXPECT_EQ(message_of(key("p = :p AND begins_with(:s, c)")),
            "Invalid condition in KeyConditionExpression: begins_with operator must have the key "
            "attribute as its first operand");
  EXPECT_EQ(message_of(key("p = :p AND c BETWEEN :d AND :c")),
            "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be "
            "greater than or equal to lower bound; lower bound operand: AttributeValue: {N:7}, "
            "upper bound operand: AttributeValue: {N:3}");
  EXPECT_EQ(message_of(key("")),
            "Invalid KeyConditionExpression: The expression can not be empty;");
}

TEST(range_matches, every_operator) {
  auto r = [](std::string_view text) {
    const key_attribute srange{"c", "S"};
    auto c = resolved_condition(text, "", R"({":p":{"S":"x"},":a":{"S":"b"},":z":{"S":"d"}})",
                                expression_kind::key_condition)
                 .value();
    return *parse_key_condition(c, hash, srange).value().range;
  };
  const auto s = [](std::string_view v) { return boost::json::value{{"S", v}}; };
  EXPECT_TRUE(range_matches(r("p = :p AND c = :a"), s("b")));
  EXPECT_FALSE(range_matches(r("p = :p AND c = :a"), s("bb")));
  EXPECT_TRUE(range_matches(r("p = :p AND c < :a"), s("a")));
  EXPECT_FALSE(range_matches(r("p = :p AND c < :a"), s("b")));
  EXPECT_TRUE(range_matches(r("p = :p AND c <= :a"), s("b")));
  EXPECT_TRUE(range_matches(r("p = :p AND c > :a"), s("ba")));
  EXPECT_TRUE(range_matches(r("p = :p AND c >= :a"), s("b")));
  EXPECT_TRUE(range_matches(r("p = :p AND c BETWEEN :a AND :z"), s("c")));
  EXPECT_TRUE(range_matches(r("p = :p AND c BETWEEN :a AND :z"), s("d")));
  EXPECT_FALSE(range_matches(r("p = :p AND c BETWEEN :a AND :z"), s("da")));
  EXPECT_TRUE(range_matches(r("p = :p AND begins_with(c, :a)"), s("bob")));
  EXPECT_FALSE(range_matches(r("p = :p AND begins_with(c, :a)"), s("abc")));
  auto numeric = key("p = :p AND c > :c").value().range;
  EXPECT_TRUE(range_matches(*numeric, boost::json::value{{"N", "10"}}));  // 10 > 3 as numbers
  EXPECT_FALSE(range_matches(*numeric, boost::json::value{{"S", "10"}}));
}

TEST(check_filter_keys, rejects_key_attributes) {
  auto filter = [](std::string_view text, std::string_view names = "") {
    auto c = resolved_condition(text, names, values, expression_kind::filter).value();
    return message_of(check_filter_keys(c, hash, range));
  };
  EXPECT_EQ(filter("c = :c"),
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: "
            "c");
  EXPECT_EQ(filter("x = :c OR size(#k) > :n", R"({"#k":"p"})"),
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: "
            "p");
  EXPECT_EQ(filter("x = :c AND attribute_exists(y.c)"), "");
}

}  // namespace
}  // namespace stratus::dynamodb::expr
