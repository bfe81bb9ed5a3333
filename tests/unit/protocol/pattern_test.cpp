#include "protocol/pattern.hpp"

#include <gtest/gtest.h>

#include <boost/regex.hpp>
#include <random>
#include <string>

namespace stratus::protocol {
namespace {

// The byte-table path must answer exactly what Boost.Regex answers.
void expect_same_as_regex(const std::string& expression) {
  auto m = pattern_matcher::compile(expression);
  ASSERT_TRUE(m.has_value()) << expression;
  const boost::regex re(expression, boost::regex::perl);
  std::mt19937 rng(7);
  const std::string alphabet = std::string("aZ09_.-+=,@:/*$ \t\n\r\\[]^") + "\x7f\xc3\xa9\xff";
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int n = static_cast<int>(rng() % 6);
    for (int j = 0; j < n; ++j) text += alphabet[rng() % alphabet.size()];
    EXPECT_EQ(m->matches(text), boost::regex_match(text, re))
        << expression << " on \"" << text << '"';
  }
}

TEST(pattern_matcher, repeated_classes_answer_as_the_regular_expression_does) {
  for (const char* e :
       {"[a-zA-Z0-9_.-]+", "[\\w+=,.@-]*", "[\\w]+", ".*", "[^:*]*", "[^\\s]+",
        "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", "^[a-z]+$", "[\\w+=/:,.@-]*", "\\w+", "[]a]+"})
    expect_same_as_regex(e);
}

TEST(pattern_matcher, other_patterns_go_to_the_regular_expression) {
  for (const char* e : {"(arn:(aws[a-zA-Z-]*)?:[a-z0-9.-]+:.*)|()", "o-[a-z0-9]{10,32}",
                        "[a-z]+[0-9]+", "[a-z][0-9]*", "^[a-z]+\\$"})
    expect_same_as_regex(e);
}

TEST(pattern_matcher, unicode_properties_and_invalid_expressions_are_not_checked) {
  EXPECT_FALSE(pattern_matcher::compile("[\\p{L}\\p{Z}]+").has_value());
  EXPECT_FALSE(pattern_matcher::compile("[a-z").has_value());
}

TEST(pattern_matcher, empty_text_matches_only_a_star) {
  EXPECT_FALSE(pattern_matcher::compile("[a-z]+")->matches(""));
  EXPECT_TRUE(pattern_matcher::compile("[a-z]*")->matches(""));
}

}  // namespace
}  // namespace stratus::protocol
