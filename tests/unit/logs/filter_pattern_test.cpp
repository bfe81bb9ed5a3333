// Filter patterns: parse then evaluate, per AWS's "Filter and pattern syntax".
#include "logs/filter_pattern.hpp"

#include <gtest/gtest.h>

#include "logs/filter_ast.hpp"

namespace stratus::logs::filter {
namespace {

bool match(std::string_view pattern_text, std::string_view message) {
  auto p = parse(pattern_text);
  EXPECT_TRUE(p) << pattern_text << ": " << (p ? "" : p.error().message);
  return p && p->matches(message);
}

void expect_invalid(std::string_view pattern_text) {
  auto p = parse(pattern_text);
  ASSERT_FALSE(p) << pattern_text;
  EXPECT_EQ(p.error().code, "InvalidParameterException");
}

TEST(FilterPattern, EmptyMatchesEverything) {
  EXPECT_TRUE(match("", "anything"));
  EXPECT_TRUE(match("   ", "anything"));
  EXPECT_TRUE(match("\"\"", "anything"));
}

TEST(FilterPattern, TermsAreCaseSensitiveSubstringsAllRequired) {
  EXPECT_TRUE(match("ERROR", "[ERROR] disk full"));
  EXPECT_FALSE(match("ERROR", "[error] disk full"));
  EXPECT_TRUE(match("ERROR disk", "[ERROR] disk full"));
  EXPECT_FALSE(match("ERROR memory", "[ERROR] disk full"));
}

TEST(FilterPattern, QuotedPhrases) {
  EXPECT_TRUE(match("\"disk full\"", "ERROR: disk full now"));
  EXPECT_FALSE(match("\"disk full\"", "disk is full"));
  EXPECT_TRUE(match("\"a: b, c\"", "x a: b, c y"));
  EXPECT_TRUE(match(R"("say \"hi\"")", R"(they say "hi" loudly)"));
}

TEST(FilterPattern, OptionalTermsNeedOne) {
  EXPECT_TRUE(match("?ERROR ?WARN", "WARN low memory"));
  EXPECT_TRUE(match("?ERROR ?WARN", "ERROR bad"));
  EXPECT_FALSE(match("?ERROR ?WARN", "INFO fine"));
}

TEST(FilterPattern, ExcludedTerms) {
  EXPECT_TRUE(match("ERROR -Retrying", "ERROR failed"));
  EXPECT_FALSE(match("ERROR -Retrying", "ERROR failed, Retrying"));
  EXPECT_TRUE(match("-DEBUG", "INFO x"));
  EXPECT_FALSE(match("-DEBUG", "DEBUG x"));
}

TEST(FilterPattern, Regex) {
  EXPECT_TRUE(match("%[Ee]rror%", "an error here"));
  EXPECT_TRUE(match("%^START%", "START RequestId"));
  EXPECT_FALSE(match("%^START%", "x START"));
  EXPECT_FALSE(match("%[0-9]{4}%", "abc 123"));
}

TEST(FilterPattern, UnquotedTermsRejectSpecialCharacters) {
  expect_invalid("Status: timeout");
  expect_invalid("a,b");
  expect_invalid("(x)");
  expect_invalid("?");
  expect_invalid("\"unterminated");
  EXPECT_EQ(parse("Status: x").error().message, "Invalid character(s) in term ':'");
}

TEST(FilterPattern, JsonEquality) {
  const char* msg = R"({"level":"error","user":{"id":7,"name":"ann"},"tags":["a","b"]})";
  EXPECT_TRUE(match(R"({ $.level = "error" })", msg));
  EXPECT_FALSE(match(R"({ $.level = "info" })", msg));
  EXPECT_TRUE(match(R"({ $.level != "info" })", msg));
  EXPECT_TRUE(match("{ $.level = error }", msg));
  EXPECT_TRUE(match("{$.user.id=7}", msg));
  EXPECT_TRUE(match(R"({ $.user.name = "a*" })", msg));
  EXPECT_FALSE(match(R"({ $.user.name = "b*" })", msg));
  EXPECT_TRUE(match(R"({ $.tags[1] = "b" })", msg));
  EXPECT_FALSE(match(R"({ $.tags[2] = "b" })", msg));
  EXPECT_TRUE(match(R"({ $.tags[*] = "a" })", msg));
  EXPECT_TRUE(match(R"({ $.user.* = "ann" })", msg));
  EXPECT_TRUE(match(R"({ $.level = %err% })", msg));
}

TEST(FilterPattern, JsonNumbers) {
  const char* msg = R"({"latency":250,"ratio":0.5,"code":"200"})";
  EXPECT_TRUE(match("{ $.latency > 100 }", msg));
  EXPECT_FALSE(match("{ $.latency < 100 }", msg));
  EXPECT_TRUE(match("{ $.latency >= 250 }", msg));
  EXPECT_TRUE(match("{ $.latency <= 250 }", msg));
  EXPECT_TRUE(match("{ $.latency = 2.5e2 }", msg));
  EXPECT_TRUE(match("{ $.ratio < 1 }", msg));
  // A string is not a number.
  EXPECT_FALSE(match("{ $.code = 200 }", msg));
  EXPECT_TRUE(match(R"({ $.code = "200" })", msg));
  // A missing field never compares, not even with !=.
  EXPECT_FALSE(match("{ $.missing != 1 }", msg));
}

TEST(FilterPattern, JsonBooleanLogic) {
  const char* msg = R"({"a":1,"b":"x","c":true})";
  EXPECT_TRUE(match(R"({ $.a = 1 && $.b = "x" })", msg));
  EXPECT_FALSE(match(R"({ $.a = 2 && $.b = "x" })", msg));
  EXPECT_TRUE(match(R"({ $.a = 2 || $.b = "x" })", msg));
  // && binds tighter than ||.
  EXPECT_TRUE(match(R"({ $.a = 2 && $.b = "y" || $.c IS TRUE })", msg));
  EXPECT_FALSE(match(R"({ $.a = 2 && ($.b = "y" || $.c IS TRUE) })", msg));
  EXPECT_TRUE(match(R"({ ($.a = 1) && (($.b = "x")) })", msg));
}

TEST(FilterPattern, JsonIsAndExists) {
  const char* msg = R"({"t":true,"f":false,"n":null})";
  EXPECT_TRUE(match("{ $.t IS TRUE }", msg));
  EXPECT_FALSE(match("{ $.f IS TRUE }", msg));
  EXPECT_TRUE(match("{ $.f IS FALSE }", msg));
  EXPECT_TRUE(match("{ $.n IS NULL }", msg));
  EXPECT_FALSE(match("{ $.t IS NULL }", msg));
  EXPECT_TRUE(match("{ $.gone NOT EXISTS }", msg));
  EXPECT_FALSE(match("{ $.n NOT EXISTS }", msg));
}

TEST(FilterPattern, JsonNeverMatchesNonJson) {
  EXPECT_FALSE(match(R"({ $.a = 1 })", "plain text a=1"));
  EXPECT_FALSE(match(R"({ $.a NOT EXISTS })", "plain text"));
}

TEST(FilterPattern, JsonSyntaxErrors) {
  expect_invalid("{ $.a = 1");
  expect_invalid("{ a = 1 }");
  expect_invalid("{ $.a }");
  expect_invalid("{ $.a = }");
  expect_invalid("{ $.a IS MAYBE }");
  expect_invalid("{ ($.a = 1 }");
  expect_invalid(R"({ $."quoted" = 1 })");
  expect_invalid("{ $.a = 1 } trailing");
  std::string deep = "{ " + std::string(40, '(') + "$.a = 1" + std::string(40, ')') + " }";
  expect_invalid(deep);
}

TEST(FilterPattern, SpaceDelimited) {
  const char* line =
      R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534)";
  EXPECT_TRUE(match("[ip, user, username, timestamp, request, status_code, bytes]", line));
  EXPECT_FALSE(match("[ip, user, username, timestamp, request, status_code]", line));
  EXPECT_TRUE(match("[ip, user, username, timestamp, request, status_code = 404, bytes]", line));
  EXPECT_FALSE(match("[ip, user, username, timestamp, request, status_code = 200, bytes]", line));
  EXPECT_TRUE(match("[ip, user, username, timestamp, request, status_code = 4*, bytes]", line));
  EXPECT_TRUE(
      match(R"([ip, user, username, timestamp, request = "*html*", status_code, bytes])", line));
  EXPECT_TRUE(match("[..., status_code = 404, bytes > 1000]", line));
  EXPECT_FALSE(match("[..., status_code = 404, bytes > 2000]", line));
  EXPECT_TRUE(match("[ip = 127.0.0.1, ...]", line));
  EXPECT_TRUE(match("[ip, ..., bytes]", line));
  EXPECT_TRUE(match("[..., code = 500 || code = 404, size]", line));
  EXPECT_TRUE(match("[..., code != 200 && code != 500, size]", line));
  EXPECT_TRUE(match("[ip, user, username = frank, ...]", line));
}

TEST(FilterPattern, SpaceDelimitedSyntaxErrors) {
  expect_invalid("[a, b");
  expect_invalid("[a b]");
  expect_invalid("[a = ]");
  expect_invalid("[a, b = 1 && c = 2]");  // c is not a field of the pattern
  expect_invalid("[]");
}

TEST(FilterPattern, ManyEllipsesStayBounded) {
  std::string line(2000, 'x');
  for (std::size_t i = 1; i < line.size(); i += 2) line[i] = ' ';
  EXPECT_FALSE(match("[..., ..., ..., ..., ..., a = y, ...]", line));
}

TEST(Glob, Wildcards) {
  EXPECT_TRUE(glob_match("a*c", "abbbc"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*.html*", "GET /index.html HTTP"));
  EXPECT_FALSE(glob_match("a*c", "abbb"));
  EXPECT_TRUE(glob_match("a**b", "ab"));
}

}  // namespace
}  // namespace stratus::logs::filter
