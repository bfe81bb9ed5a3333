// Standard padded base64 as AWS's JSON protocols carry blobs: round trips,
// and the strict rejections DynamoDB applies (A: test_base64_*).
#include "common/base64.hpp"

#include <gtest/gtest.h>

#include <random>

namespace stratus {
namespace {

TEST(base64, rfc4648_vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                   {"f", "Zg=="},
                                                                   {"fo", "Zm8="},
                                                                   {"foo", "Zm9v"},
                                                                   {"foob", "Zm9vYg=="},
                                                                   {"fooba", "Zm9vYmE="},
                                                                   {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), std::string(plain));
  }
}

TEST(base64, every_byte_value_round_trips) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
}

TEST(base64, random_round_trips_and_decoded_size) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 500; ++i) {
    std::string bytes(rng() % 40, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    const std::string text = base64_encode(bytes);
    EXPECT_EQ(text.size() % 4, 0u);
    EXPECT_EQ(base64_decode(text), bytes);
    EXPECT_EQ(base64_decoded_size(text), bytes.size());
  }
}

TEST(base64, unpadded_input_is_rejected) {
  for (std::string_view bad : {"YWJjZGVmZ2g", "Zg", "Zm8", "Z", "YWJjZ"})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}

TEST(base64, characters_outside_the_alphabet_are_rejected) {
  for (std::string_view bad : {"YWJj??!!", "YW-_", "YW J", "YWJ\n", "\xff\xff\xff\xff"})
    EXPECT_FALSE(base64_decode(bad)) << bad;
  EXPECT_FALSE(base64_decode(std::string_view("Zm9v\0\0\0\0", 8)));
}

TEST(base64, padding_only_at_the_end) {
  for (std::string_view bad : {"Zg==Zm9v", "Z===", "====", "Zm=v", "=Zm9", "Zg=a"})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}

TEST(base64, non_canonical_padding_bits_are_rejected) {
  // "Zg==" is 'f'; "Zh==" sets bits that the padding should have zeroed.
  EXPECT_TRUE(base64_decode("Zg=="));
  for (std::string_view bad : {"Zh==", "Zv==", "YR==", "Zm9=", "Zm+="})
    EXPECT_FALSE(base64_decode(bad)) << bad;
  EXPECT_TRUE(base64_decode("Zm8="));
}

TEST(base64, decoded_size_discounts_padding) {
  EXPECT_EQ(base64_decoded_size(""), 0u);
  EXPECT_EQ(base64_decoded_size("YQ=="), 1u);
  EXPECT_EQ(base64_decoded_size("YWI="), 2u);
  EXPECT_EQ(base64_decoded_size("YWJj"), 3u);
  EXPECT_EQ(base64_decoded_size("YWJjYQ=="), 4u);
}

}  // namespace
}  // namespace stratus
