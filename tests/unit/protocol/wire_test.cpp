// Percent-decoding and query-string splitting shared by the codecs.
#include "protocol/wire.hpp"

#include <gtest/gtest.h>

namespace stratus::protocol {
namespace {

using pairs = std::vector<std::pair<std::string, std::string>>;

TEST(url_decode, decodes_percent_escapes_in_either_case) {
  EXPECT_EQ(url_decode("arn%3Aaws%3alambda"), "arn:aws:lambda");
  EXPECT_EQ(url_decode("%2F%00x"), std::string("/\0x", 3));
}

TEST(url_decode, plus_is_space_only_when_asked) {
  EXPECT_EQ(url_decode("a+b"), "a+b");
  EXPECT_EQ(url_decode("a+b", true), "a b");
  EXPECT_EQ(url_decode("a%2Bb", true), "a+b");
}

TEST(url_decode, malformed_escapes_are_kept_literally) {
  EXPECT_EQ(url_decode("100%"), "100%");
  EXPECT_EQ(url_decode("%zz"), "%zz");
  EXPECT_EQ(url_decode("%4"), "%4");
  EXPECT_EQ(url_decode("%%41"), "%A");
}

TEST(url_decode, escape_at_the_very_end_is_decoded) {
  EXPECT_EQ(url_decode("a%41"), "aA");
  EXPECT_EQ(url_decode("%41"), "A");
}

TEST(parse_query, splits_and_decodes_pairs_in_order) {
  EXPECT_EQ(parse_query("a=1&b=x+y&c=%26%3D"), (pairs{{"a", "1"}, {"b", "x y"}, {"c", "&="}}));
}

TEST(parse_query, key_without_value_and_empty_pieces) {
  EXPECT_EQ(parse_query("flag&&x=&=v&"), (pairs{{"flag", ""}, {"x", ""}, {"", "v"}}));
  EXPECT_TRUE(parse_query("").empty());
}

TEST(parse_query, only_the_first_equals_splits) {
  EXPECT_EQ(parse_query("k=a=b"), (pairs{{"k", "a=b"}}));
}

TEST(parse_query, repeated_keys_are_all_kept) {
  EXPECT_EQ(parse_query("k=1&k=2"), (pairs{{"k", "1"}, {"k", "2"}}));
}

TEST(wire_request, header_lookup_is_case_insensitive_and_first_wins) {
  wire_request req{"GET", "/", "", {{"X-Foo", "1"}, {"x-foo", "2"}}, ""};
  EXPECT_EQ(req.header("x-FOO"), "1");
  EXPECT_TRUE(req.has_header("X-FOO"));
  EXPECT_FALSE(req.has_header("X-Bar"));
  EXPECT_EQ(req.header("X-Bar"), "");
}

}  // namespace
}  // namespace stratus::protocol
