#include <gtest/gtest.h>

#include "storage/store.hpp"

namespace stratus::storage {
namespace {

using namespace std::string_literals;

TEST(prefix_end, increments_the_last_byte) {
  EXPECT_EQ(prefix_end("abc"), "abd");
  EXPECT_EQ(prefix_end("a\xfe"), "a\xff");
  EXPECT_EQ(prefix_end("\x00"s), "\x01");
  EXPECT_EQ(prefix_end("a\x00"s), "a\x01");
}

TEST(prefix_end, carries_past_trailing_0xff_bytes) {
  EXPECT_EQ(prefix_end("a\xff"), "b");
  EXPECT_EQ(prefix_end("a\xff\xff"), "b");
  EXPECT_EQ(prefix_end("\x00\xff"s), "\x01");
}

TEST(prefix_end, is_unbounded_when_no_key_is_greater) {
  EXPECT_EQ(prefix_end(""), "");
  EXPECT_EQ(prefix_end("\xff"), "");
  EXPECT_EQ(prefix_end("\xff\xff\xff"), "");
}

TEST(prefix_end, bounds_every_key_with_the_prefix) {
  const std::string prefix = "t\x01\xff";
  const std::string end = prefix_end(prefix);
  for (const std::string& suffix : {""s, "\x00"s, "\xff\xff\xff"s, "zzz"s}) {
    EXPECT_LT(prefix + suffix, end);
  }
  EXPECT_GE("t\x02"s, end);
}

TEST(result, value_of_an_error_throws) {
  result<int> failed = error{errc::conflict, "lost a race"};
  EXPECT_THROW((void)failed.value(), std::runtime_error);
}

}  // namespace
}  // namespace stratus::storage
