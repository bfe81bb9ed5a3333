// DynamoDB numbers: parsing with AWS's messages, normalisation to the text
// DynamoDB answers with (/tmp/ddb-facts.md §3, from test_number.py), and an
// order-preserving key encoding checked against an independent oracle.
#include "dynamodb/number.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace stratus::dynamodb {
namespace {

std::string normalised(std::string_view text) {
  auto n = parse_number(text);
  if (!n) return "error: " + n.error().message;
  return n->to_string();
}

std::string error_of(std::string_view text) {
  auto n = parse_number(text);
  if (n) return "accepted as " + n->to_string();
  EXPECT_EQ(n.error().code, "ValidationException");
  return n.error().message;
}

TEST(parse_number, normalises_as_dynamodb_answers) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"+3", "3"},        {".123", "0.123"},     {"0001.23", "1.23"}, {"1e+5", "100000"},
      {"1.10", "1.1"},    {"1.0e-1", "0.1"},     {"123e-2", "1.23"},  {"-3e2", "-300"},
      {".5", "0.5"},      {"-.5", "-0.5"},       {"5.", "5"},         {"-17.4E37", ""},
      {"1000", "1000"},   {"1e3", "1000"},       {"1E+3", "1000"},    {"1000.0", "1000"},
      {"001000", "1000"}, {"+1000", "1000"},     {"100", "100"},      {"0.001", "0.001"},
      {"12.34", "12.34"}, {"-12.340", "-12.34"},
  };
  for (const auto& [in, out] : cases) {
    if (in == "-17.4E37") {
      EXPECT_EQ(normalised(in), "-174" + std::string(36, '0'));
      continue;
    }
    EXPECT_EQ(normalised(in), out) << in;
  }
}

TEST(parse_number, exponents_expand_to_plain_decimals) {
  EXPECT_EQ(normalised("1e125"), "1" + std::string(125, '0'));
  EXPECT_EQ(normalised("1e-20"), "0.00000000000000000001");
  EXPECT_EQ(normalised("1e-130"), "0." + std::string(129, '0') + "1");
}

TEST(parse_number, every_zero_is_zero) {
  for (std::string_view z : {"0", "-0", "-0.0", "0e5", "00", "+0", ".0", "0.", "-0e-5"}) {
    auto n = parse_number(z);
    ASSERT_TRUE(n) << z;
    EXPECT_TRUE(n->is_zero()) << z;
    EXPECT_EQ(n->to_string(), "0") << z;
  }
}

TEST(parse_number, non_numbers_are_rejected_naming_the_value) {
  for (std::string_view bad :
       {"NaN", "Infinity", "-Infinity", "-NaN",  "dog",   "-dog",  " 1",      "1 ",    ".",
        "-",   "+",        "1e",        "e5",    "1.2.3", "1e5.5", "0x10",    "1_000", "--1",
        "+-1", "1e+-5",    "1e-+5",     "1e--5", "1ee5",  "1e 5",  "\xd9\xa1"}) {
    EXPECT_EQ(error_of(bad),
              "The parameter cannot be converted to a numeric value: " + std::string(bad))
        << bad;
  }
}

TEST(parse_number, empty_text_is_rejected_without_the_value_suffix) {
  EXPECT_EQ(error_of(""), "The parameter cannot be converted to a numeric value");
}

TEST(parse_number, thirty_eight_significant_digits_are_the_limit) {
  const std::string d38 = "12345678901234567890123456789012345678";
  EXPECT_EQ(normalised(d38), d38);
  EXPECT_EQ(normalised("-0." + d38), "-0." + d38);
  // Leading and trailing zeros are not significant.
  EXPECT_EQ(normalised("000" + d38 + "000"), d38 + "000");
  EXPECT_EQ(normalised("0.000" + d38), "0.000" + d38);
  const std::string precision = "Attempting to store more than 38 significant digits in a Number";
  EXPECT_EQ(error_of(d38 + "9"), precision);
  EXPECT_EQ(error_of("-1.23456789012345678901234567890123456789"), precision);
  EXPECT_EQ(error_of("1" + std::string(37, '0') + "1"), precision);
}

TEST(parse_number, magnitude_above_the_range_overflows) {
  const std::string overflow =
      "Number overflow. Attempting to store a number with magnitude larger than supported range";
  for (std::string_view big : {"1e126", "-1e126", "11e125", "1.0e100000000", "10e125"})
    EXPECT_EQ(error_of(big), overflow) << big;
  EXPECT_EQ(normalised("9." + std::string(37, '9') + "e125"),
            std::string(38, '9') + std::string(88, '0'));
}

TEST(parse_number, magnitude_below_the_range_underflows) {
  const std::string underflow =
      "Number underflow. Attempting to store a number with magnitude smaller than supported range";
  for (std::string_view small : {"1e-131", "-1e-131", "0.9e-130", "1e-100000000"})
    EXPECT_EQ(error_of(small), underflow) << small;
  EXPECT_TRUE(parse_number("1e-130"));
  EXPECT_TRUE(parse_number("-1e-130"));
}

TEST(parse_number, huge_texts_are_handled_without_blowing_up) {
  EXPECT_EQ(normalised(std::string(100000, '0') + "1"), "1");
  EXPECT_EQ(normalised("0." + std::string(100, '0') + "1"), "0." + std::string(100, '0') + "1");
  EXPECT_NE(normalised(std::string(100000, '1')).find("error"), std::string::npos);
}

// An independent oracle for the value order: the number written out as a
// fixed-width digit string (130 integer places, 170 fraction places), which
// compares lexicographically like the magnitude.
struct sample {
  bool negative;
  std::string mantissa;  // 0.mantissa x 10^exponent, first digit non-zero
  int exponent;
  std::string text;

  std::string fixed() const {
    std::string out(300, '0');
    for (std::size_t k = 0; k < mantissa.size(); ++k) {
      const int place = exponent - 1 - static_cast<int>(k);  // 10^place
      out[static_cast<std::size_t>(129 - place)] = mantissa[k];
    }
    return out;
  }
  bool is_zero() const { return mantissa.find_first_not_of('0') == std::string::npos; }
};

bool value_less(const sample& a, const sample& b) {
  const int sa = a.is_zero() ? 0 : a.negative ? -1 : 1;
  const int sb = b.is_zero() ? 0 : b.negative ? -1 : 1;
  if (sa != sb) return sa < sb;
  if (sa == 0) return false;
  return sa > 0 ? a.fixed() < b.fixed() : b.fixed() < a.fixed();
}

sample random_sample(std::mt19937_64& rng) {
  sample s;
  s.negative = rng() % 2;
  const std::size_t len = 1 + rng() % (rng() % 4 == 0 ? 38 : 4);
  s.mantissa = std::string(1, static_cast<char>('1' + rng() % 9));
  while (s.mantissa.size() < len) s.mantissa += static_cast<char>('0' + rng() % 10);
  if (rng() % 10 == 0) s.mantissa = "0";
  // Mostly a narrow band of exponents, so that equal exponents are common.
  s.exponent =
      rng() % 3 == 0 ? -129 + static_cast<int>(rng() % 256) : -3 + static_cast<int>(rng() % 7);
  // Spell it in one of several ways with the same value.
  const std::string e = std::to_string(s.exponent);
  switch (rng() % 3) {
    case 0:
      s.text = "0." + s.mantissa + "e" + e;
      break;
    case 1:
      s.text = "." + s.mantissa + "000E" + e;
      break;
    default:
      s.text = "00" + s.mantissa.substr(0, 1) + "." + s.mantissa.substr(1) + "e" +
               std::to_string(s.exponent - 1);
  }
  if (s.negative) s.text = "-" + s.text;
  return s;
}

TEST(encode_key, byte_order_is_numeric_order_for_random_decimals) {
  std::mt19937_64 rng(20260101);
  std::vector<std::pair<sample, std::string>> v;
  for (int i = 0; i < 3000; ++i) {
    sample s = random_sample(rng);
    auto n = parse_number(s.text);
    ASSERT_TRUE(n) << s.text << ": " << n.error().message;
    v.emplace_back(s, n->encode_key());
  }
  for (std::size_t i = 0; i + 1 < v.size(); i += 1) {
    const auto& [a, ka] = v[i];
    const auto& [b, kb] = v[i + 1];
    EXPECT_EQ(value_less(a, b), ka < kb) << a.text << " vs " << b.text;
    EXPECT_EQ(value_less(b, a), kb < ka) << a.text << " vs " << b.text;
  }
  auto by_value = v;
  std::stable_sort(by_value.begin(), by_value.end(),
                   [](const auto& x, const auto& y) { return value_less(x.first, y.first); });
  auto by_key = by_value;
  std::stable_sort(by_key.begin(), by_key.end(),
                   [](const auto& x, const auto& y) { return x.second < y.second; });
  for (std::size_t i = 0; i < by_value.size(); ++i)
    EXPECT_EQ(by_value[i].second, by_key[i].second) << i;
}

TEST(encode_key, hand_picked_values_sort_in_numeric_order) {
  const std::vector<std::string_view> ascending = {
      "-1e125", "-100", "-99.9", "-10",  "-9",  "-1.5", "-1", "-0.5", "-1e-130", "0",
      "1e-130", "0.5",  "1",     "1.05", "1.5", "9",    "10", "99.9", "100",     "1e125"};
  for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
    auto a = parse_number(ascending[i]);
    auto b = parse_number(ascending[i + 1]);
    ASSERT_TRUE(a && b);
    EXPECT_LT(a->encode_key(), b->encode_key()) << ascending[i] << " < " << ascending[i + 1];
  }
}

TEST(encode_key, equal_values_encode_equally) {
  const std::string k = parse_number("1000")->encode_key();
  for (std::string_view same : {"1e3", "1E+3", "1000.0", "001000", "+1000", "0.1e4"})
    EXPECT_EQ(parse_number(same)->encode_key(), k) << same;
  EXPECT_EQ(parse_number("-0")->encode_key(), parse_number("0")->encode_key());
}

TEST(encode_key, no_encoding_is_a_prefix_of_another) {
  std::vector<std::string> keys;
  for (std::string_view t : {"1", "12", "-1", "-12", "0", "1e5", "-1e5", "0.1", "10", "-10"})
    keys.push_back(parse_number(t)->encode_key());
  for (const auto& a : keys)
    for (const auto& b : keys)
      if (a != b) {
        EXPECT_FALSE(b.starts_with(a));
      }
}

}  // namespace
}  // namespace stratus::dynamodb
