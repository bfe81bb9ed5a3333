#include "dynamodb/number.hpp"

#include <algorithm>
#include <charconv>

namespace stratus::dynamodb {

namespace {
constexpr std::size_t max_digits = 38;
// value = 0.d... x 10^exponent, so 1E-130 has exponent -129 and
// 9.99..E+125 has exponent 126.
constexpr int min_exponent = -129;
constexpr int max_exponent = 126;

api_error invalid(std::string_view text) {
  // AWS drops the ": <value>" when the value is empty.
  if (text.empty())
    return api_error::validation("The parameter cannot be converted to a numeric value");
  return api_error::validation("The parameter cannot be converted to a numeric value: " +
                               std::string(text));
}

api_error overflow() {
  return api_error::validation(
      "Number overflow. Attempting to store a number with magnitude larger than supported range");
}

api_error underflow() {
  return api_error::validation(
      "Number underflow. Attempting to store a number with magnitude smaller than supported "
      "range");
}

// Compares magnitudes |a| and |b|.
int compare_magnitude(const number& a, const number& b) {
  if (a.is_zero() || b.is_zero()) return static_cast<int>(!a.is_zero()) - !b.is_zero();
  if (a.exponent != b.exponent) return a.exponent < b.exponent ? -1 : 1;
  // Digits carry no trailing zeros, so a string that is a prefix of the
  // other is the smaller fraction, which is exactly lexicographic order.
  const int c = a.digits.compare(b.digits);
  return (c > 0) - (c < 0);
}

// Digits of a magnitude laid out over the decimal positions
// [low, high): position p holds the digit of weight 10^p.
std::string spread(const number& n, int high, int low) {
  std::string out(static_cast<std::size_t>(high - low), '0');
  const int first = n.exponent - 1;  // weight of the first digit
  for (std::size_t i = 0; i < n.digits.size(); ++i)
    out[static_cast<std::size_t>(high - 1 - (first - static_cast<int>(i)))] = n.digits[i];
  return out;
}

// |a| + |b| or |a| - |b| (|a| >= |b|), with the sign given.
result<number> combine(const number& a, const number& b, bool subtract_magnitudes, bool negative) {
  const int high = std::max(a.exponent, b.exponent) + 1;  // room for a carry
  const int low = std::min(a.exponent - static_cast<int>(a.digits.size()),
                           b.exponent - static_cast<int>(b.digits.size()));
  std::string x = spread(a, high, low), y = spread(b, high, low);
  int carry = 0;
  for (std::size_t i = x.size(); i-- > 0;) {
    int d = (x[i] - '0') + (subtract_magnitudes ? -(y[i] - '0') : (y[i] - '0')) + carry;
    carry = 0;
    if (d < 0) {
      d += 10;
      carry = -1;
    } else if (d > 9) {
      d -= 10;
      carry = 1;
    }
    x[i] = static_cast<char>('0' + d);
  }
  number n;
  const std::size_t lead = x.find_first_not_of('0');
  if (lead == std::string::npos) return n;
  const std::size_t trail = x.find_last_not_of('0');
  n.negative = negative;
  n.digits = x.substr(lead, trail - lead + 1);
  n.exponent = high - static_cast<int>(lead);
  // DynamoDB reports lost precision in arithmetic as an overflow.
  if (n.digits.size() > max_digits || n.exponent > max_exponent) return overflow();
  if (n.exponent < min_exponent) return underflow();
  return n;
}

}  // namespace

int compare(const number& a, const number& b) {
  const int sign_a = a.is_zero() ? 0 : (a.negative ? -1 : 1);
  const int sign_b = b.is_zero() ? 0 : (b.negative ? -1 : 1);
  if (sign_a != sign_b) return sign_a < sign_b ? -1 : 1;
  const int m = compare_magnitude(a, b);
  return sign_a < 0 ? -m : m;
}

result<number> add(const number& a, const number& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  if (a.negative == b.negative) return combine(a, b, false, a.negative);
  const int m = compare_magnitude(a, b);
  if (m == 0) return number{};
  return m > 0 ? combine(a, b, true, a.negative) : combine(b, a, true, b.negative);
}

result<number> subtract(const number& a, const number& b) {
  number negated = b;
  if (!negated.is_zero()) negated.negative = !negated.negative;
  return add(a, negated);
}

result<number> parse_number(std::string_view text) {
  std::string_view s = text;
  number n;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    n.negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::string digits;
  int point = -1;  // digits before the decimal point
  bool any_digit = false;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any_digit = true;
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(digits.size());
    } else {
      break;
    }
  }
  if (!any_digit) return invalid(text);
  if (point < 0) point = static_cast<int>(digits.size());
  long long exp10 = 0;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return invalid(text);
    ++i;
    std::string_view e = s.substr(i);
    const bool exp_negative = !e.empty() && e[0] == '-';
    if (!e.empty() && (e[0] == '+' || e[0] == '-')) e.remove_prefix(1);
    // One sign only: from_chars would take a second '-' ("1e+-5").
    if (e.empty() || e.size() > 9 || e[0] < '0' || e[0] > '9') return invalid(text);
    auto [p, ec] = std::from_chars(e.data(), e.data() + e.size(), exp10);
    if (ec != std::errc() || p != e.data() + e.size()) return invalid(text);
    if (exp_negative) exp10 = -exp10;
  }
  // Strip leading zeros (moving the point) and trailing zeros.
  std::size_t lead = digits.find_first_not_of('0');
  if (lead == std::string::npos) return number{};  // zero, whatever its sign
  std::size_t trail = digits.find_last_not_of('0');
  n.digits = digits.substr(lead, trail - lead + 1);
  long long exponent = static_cast<long long>(point) - static_cast<long long>(lead) + exp10;
  if (n.digits.size() > max_digits)
    return api_error::validation("Attempting to store more than 38 significant digits in a Number");
  if (exponent > max_exponent) return overflow();
  if (exponent < min_exponent) return underflow();
  n.exponent = static_cast<int>(exponent);
  return n;
}

std::string number::to_string() const {
  if (is_zero()) return "0";
  std::string out = negative ? "-" : "";
  const int len = static_cast<int>(digits.size());
  if (exponent <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-exponent), '0');
    out += digits;
  } else if (exponent >= len) {
    out += digits;
    out.append(static_cast<std::size_t>(exponent - len), '0');
  } else {
    out += digits.substr(0, static_cast<std::size_t>(exponent));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(exponent));
  }
  return out;
}

std::string number::encode_key() const {
  // [class][exponent (2 bytes, biased)][digits...][0x00]; negatives are the
  // bitwise complement of their magnitude's encoding so larger magnitudes
  // sort first. Classes: 0x01 negative < 0x02 zero < 0x03 positive.
  if (is_zero()) return std::string(1, '\x02');
  std::string magnitude;
  const unsigned biased = static_cast<unsigned>(exponent + 1000);
  magnitude.push_back(static_cast<char>(biased >> 8));
  magnitude.push_back(static_cast<char>(biased & 0xff));
  magnitude += digits;
  magnitude.push_back('\0');
  if (!negative) return '\x03' + magnitude;
  for (auto& c : magnitude) c = static_cast<char>(~static_cast<unsigned char>(c));
  return '\x01' + magnitude;
}

}  // namespace stratus::dynamodb
