// Event ids and paging tokens.
#include "logs/tokens.hpp"

#include <gtest/gtest.h>

namespace stratus::logs {
namespace {

TEST(Tokens, EventIdIs56DigitsAndOrdered) {
  const position a{1700000000000, 3, 17};
  const position b{1700000000000, 3, 18};
  const position c{1700000000001, 1, 1};
  EXPECT_EQ(event_id(a).size(), 56u);
  EXPECT_EQ(event_id(a).find_first_not_of("0123456789"), std::string::npos);
  EXPECT_LT(event_id(a), event_id(b));
  EXPECT_LT(event_id(b), event_id(c));
  EXPECT_NE(event_id(a), event_id({1700000000000, 4, 17}));
}

TEST(Tokens, GetEventsTokensRoundTripInAwsShape) {
  const get_events_token f{direction::forward, {42, 7, 99}};
  const std::string text = encode_get_events_token(f);
  EXPECT_TRUE(text.starts_with("f/"));
  EXPECT_TRUE(text.ends_with("/s"));
  EXPECT_EQ(text.size(), 60u);
  auto back = decode_get_events_token(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->dir, direction::forward);
  EXPECT_EQ(back->at, f.at);

  auto b = decode_get_events_token(encode_get_events_token({direction::backward, {1, 2, 3}}));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->dir, direction::backward);
}

TEST(Tokens, MalformedGetEventsTokensAreRejected) {
  EXPECT_FALSE(decode_get_events_token(""));
  EXPECT_FALSE(decode_get_events_token("f/123/s"));
  EXPECT_FALSE(decode_get_events_token("x/" + std::string(56, '0') + "/s"));
  EXPECT_FALSE(decode_get_events_token("f/" + std::string(55, '0') + "a/s"));
  EXPECT_FALSE(decode_get_events_token("f/" + std::string(56, '0') + "/x"));
}

TEST(Tokens, FilterAndPageTokensRoundTrip) {
  const position p{5, 6, 7};
  auto back = decode_filter_token(encode_filter_token(p));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, p);
  EXPECT_FALSE(decode_filter_token("not base64!"));
  EXPECT_FALSE(decode_filter_token(encode_page_token("x")));

  auto name = decode_page_token(encode_page_token("/aws/lambda/fn"));
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, "/aws/lambda/fn");
  EXPECT_FALSE(decode_page_token(encode_filter_token(p)));
}

}  // namespace
}  // namespace stratus::logs
