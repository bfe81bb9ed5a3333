// FilterCriteria patterns: what matches, what does not, what is refused.
#include "lambda/event_filter.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stratus::lambda {
namespace {
namespace json = boost::json;

json::value record() {
  return json::parse(R"({"eventName": "INSERT", "awsRegion": "us-east-1",
    "dynamodb": {"Keys": {"id": {"S": "order-17"}},
                 "NewImage": {"id": {"S": "order-17"}, "status": {"S": "Active"},
                              "qty": {"N": "12"}, "tags": {"SS": ["a", "b"]}}}})");
}

bool matches(std::string_view pattern) {
  json::value criteria = {{"Filters", json::array{json::object{{"Pattern", pattern}}}}};
  auto f = event_filter::compile(criteria);
  EXPECT_TRUE(f) << pattern;
  return f && f->matches(record());
}

TEST(event_filter, no_criteria_matches_everything) {
  auto f = event_filter::compile(json::value());
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->empty());
  EXPECT_TRUE(f->matches(record()));
}

TEST(event_filter, exact_values_and_nesting) {
  EXPECT_TRUE(matches(R"({"eventName": ["INSERT"]})"));
  EXPECT_TRUE(matches(R"({"eventName": ["MODIFY", "INSERT"]})"));
  EXPECT_FALSE(matches(R"({"eventName": ["REMOVE"]})"));
  EXPECT_TRUE(matches(R"({"dynamodb": {"NewImage": {"status": {"S": ["Active"]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb": {"NewImage": {"status": {"S": ["active"]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb": {"OldImage": {"status": {"S": ["Active"]}}}})"));
  // Every key of the pattern must match.
  EXPECT_FALSE(matches(R"({"eventName": ["INSERT"], "awsRegion": ["eu-west-1"]})"));
}

TEST(event_filter, arrays_in_the_record_match_any_element) {
  EXPECT_TRUE(matches(R"({"dynamodb": {"NewImage": {"tags": {"SS": ["b"]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb": {"NewImage": {"tags": {"SS": ["c"]}}}})"));
}

TEST(event_filter, prefix_suffix_and_case) {
  EXPECT_TRUE(matches(R"({"dynamodb": {"Keys": {"id": {"S": [{"prefix": "order-"}]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb": {"Keys": {"id": {"S": [{"prefix": "user-"}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb": {"Keys": {"id": {"S": [{"suffix": "-17"}]}}}})"));
  EXPECT_TRUE(matches(
      R"({"dynamodb": {"NewImage": {"status": {"S": [{"equals-ignore-case": "ACTIVE"}]}}}})"));
}

TEST(event_filter, numeric_ranges_on_dynamodb_numbers) {
  EXPECT_TRUE(matches(R"({"dynamodb": {"NewImage": {"qty": {"N": [{"numeric": [">", 10]}]}}}})"));
  EXPECT_TRUE(
      matches(R"({"dynamodb": {"NewImage": {"qty": {"N": [{"numeric": [">=", 12, "<", 13]}]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb": {"NewImage": {"qty": {"N": [{"numeric": ["<", 12]}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb": {"NewImage": {"qty": {"N": [{"numeric": ["=", 12]}]}}}})"));
  // A string that is not a number never matches a numeric range.
  EXPECT_FALSE(
      matches(R"({"dynamodb": {"NewImage": {"status": {"S": [{"numeric": [">", 0]}]}}}})"));
}

TEST(event_filter, exists) {
  EXPECT_TRUE(matches(R"({"dynamodb": {"NewImage": {"qty": [{"exists": true}]}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb": {"NewImage": {"price": [{"exists": true}]}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb": {"NewImage": {"price": [{"exists": false}]}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb": {"NewImage": {"qty": [{"exists": false}]}}})"));
}

TEST(event_filter, anything_but) {
  EXPECT_TRUE(matches(R"({"eventName": [{"anything-but": "REMOVE"}]})"));
  EXPECT_FALSE(matches(R"({"eventName": [{"anything-but": ["INSERT", "MODIFY"]}]})"));
  EXPECT_FALSE(
      matches(R"({"dynamodb": {"Keys": {"id": {"S": [{"anything-but": {"prefix": "order"}}]}}}})"));
  EXPECT_TRUE(
      matches(R"({"dynamodb": {"Keys": {"id": {"S": [{"anything-but": {"prefix": "user"}}]}}}})"));
  // A missing field is not "anything but".
  EXPECT_FALSE(matches(R"({"nothing": [{"anything-but": "x"}]})"));
}

TEST(event_filter, any_filter_of_several_matching_is_enough) {
  json::value criteria = {
      {"Filters", json::array{json::object{{"Pattern", R"({"eventName": ["REMOVE"]})"}},
                              json::object{{"Pattern", R"({"eventName": ["INSERT"]})"}}}}};
  auto f = event_filter::compile(criteria);
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->matches(record()));
}

TEST(event_filter, invalid_patterns_are_refused) {
  for (std::string_view p :
       {"not json", "[]", "{}", R"({"eventName": "INSERT"})", R"({"eventName": []})",
        R"({"eventName": [{"wildcard": "IN*"}]})", R"({"a": [{"numeric": [">"]}]})",
        R"({"a": [{"numeric": ["!", 1]}]})", R"({"a": [{"prefix": 1}]})",
        R"({"$or": [{"a": ["b"]}]})", R"({"a": [{"exists": "yes"}]})"}) {
    json::value criteria = {{"Filters", json::array{json::object{{"Pattern", p}}}}};
    auto f = event_filter::compile(criteria);
    ASSERT_FALSE(f) << p;
    EXPECT_EQ(f.error().code, "InvalidParameterValueException") << p;
    EXPECT_EQ(f.error().message, "Invalid filter pattern definition.");
  }
}

TEST(event_filter, at_most_five_filters) {
  json::array filters;
  for (int i = 0; i < 6; ++i) filters.push_back(json::object{{"Pattern", R"({"a": ["b"]})"}});
  auto f = event_filter::compile(json::object{{"Filters", filters}});
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, "InvalidParameterValueException");
}

}  // namespace
}  // namespace stratus::lambda
