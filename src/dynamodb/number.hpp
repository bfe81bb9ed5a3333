#pragma once
// DynamoDB numbers: decimals of up to 38 significant digits with magnitudes
// from 1E-130 to 9.99...E+125, normalised the way DynamoDB returns them
// ("1.50" -> "1.5", "1e2" -> "100", "-0" -> "0"), and encoded so that the
// byte order of encodings is the numeric order (sort keys are range-scanned).
//
// Thread-safety: value types, no shared state.

#include <string>
#include <string_view>

#include "common/api_error.hpp"

namespace stratus::dynamodb {

struct number {
  bool negative = false;
  std::string digits;  // significant digits, no leading/trailing zeros; empty for zero
  int exponent = 0;    // value = 0.d1d2d3... x 10^exponent

  [[nodiscard]] bool is_zero() const { return digits.empty(); }
  // The canonical text DynamoDB answers with.
  [[nodiscard]] std::string to_string() const;
  // Order-preserving binary encoding.
  [[nodiscard]] std::string encode_key() const;
};

// Parses and range-checks a number as DynamoDB does, with its messages.
[[nodiscard]] result<number> parse_number(std::string_view text);

// Exact numeric order of two numbers: -1, 0 or 1.
[[nodiscard]] int compare(const number& a, const number& b);

// Exact sum and difference. A result that needs more than 38 significant
// digits fails as DynamoDB fails it, with the overflow message (1e50 + 1:
// test_update_expression_plus_imprecise); a result outside the magnitude
// range fails with the overflow or underflow message.
[[nodiscard]] result<number> add(const number& a, const number& b);
[[nodiscard]] result<number> subtract(const number& a, const number& b);

}  // namespace stratus::dynamodb
