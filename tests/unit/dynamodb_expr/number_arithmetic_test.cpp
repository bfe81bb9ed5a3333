// Exact decimal compare/add/subtract with DynamoDB's 38-digit precision.

#include <gtest/gtest.h>

#include "dynamodb/number.hpp"

namespace stratus::dynamodb {
namespace {

number n(std::string_view text) {
  return parse_number(text).value();
}

std::string sum(std::string_view a, std::string_view b) {
  auto r = add(n(a), n(b));
  return r ? r->to_string() : "error: " + r.error().message;
}

std::string difference(std::string_view a, std::string_view b) {
  auto r = subtract(n(a), n(b));
  return r ? r->to_string() : "error: " + r.error().message;
}

TEST(number_compare, orders_by_value_not_by_text) {
  EXPECT_EQ(compare(n("1000"), n("1e3")), 0);
  EXPECT_EQ(compare(n("-0"), n("0")), 0);
  EXPECT_LT(compare(n("9"), n("10")), 0);
  EXPECT_LT(compare(n("-10"), n("-9")), 0);
  EXPECT_LT(compare(n("-1"), n("0")), 0);
  EXPECT_GT(compare(n("0.123"), n("0.12")), 0);
  EXPECT_LT(compare(n("1e-130"), n("2e-130")), 0);
  EXPECT_GT(compare(n("9.99e125"), n("-9.99e125")), 0);
  EXPECT_LT(compare(n("12"), n("12.000000000000000000000000000000000001")), 0);
}

TEST(number_add, exact_results) {
  EXPECT_EQ(sum("1", "2"), "3");
  EXPECT_EQ(sum("0.1", "0.2"), "0.3");
  EXPECT_EQ(sum("-5", "3"), "-2");
  EXPECT_EQ(sum("5", "-5"), "0");
  EXPECT_EQ(sum("99", "1"), "100");
  EXPECT_EQ(sum("0", "-7.5"), "-7.5");
  EXPECT_EQ(sum("1e20", "1e-17"), "100000000000000000000.00000000000000001");
  EXPECT_EQ(difference("10", "0.001"), "9.999");
  EXPECT_EQ(difference("-1", "-1"), "0");
  EXPECT_EQ(difference("3", "5"), "-2");
}

TEST(number_add, precision_loss_fails_with_the_overflow_message) {
  // DynamoDB answers 1e50 + 1 with the overflow text (test_update_expression_plus_imprecise).
  const std::string overflow =
      "error: Number overflow. Attempting to store a number with magnitude larger than supported "
      "range";
  EXPECT_EQ(sum("1e50", "1"), overflow);
  EXPECT_EQ(difference("1e50", "1"), overflow);
  EXPECT_EQ(sum("12345678901234567890123456789012345678", "1"),
            "12345678901234567890123456789012345679");
  EXPECT_EQ(sum("99999999999999999999999999999999999999", "1"),
            "100000000000000000000000000000000000000");
}

TEST(number_add, range_limits) {
  EXPECT_EQ(sum("9.9e125", "9.9e125"),
            "error: Number overflow. Attempting to store a number with magnitude larger than "
            "supported range");
  EXPECT_EQ(difference("2e-130", "1.5e-130"),
            "error: Number underflow. Attempting to store a number with magnitude smaller than "
            "supported range");
  EXPECT_EQ(difference("2e-130", "1e-130"), n("1e-130").to_string());
}

}  // namespace
}  // namespace stratus::dynamodb
