#include "dynamodb/number.hpp"

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
}  // namespace

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
  if (exponent > max_exponent)
    return api_error::validation(
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
  if (exponent < min_exponent)
    return api_error::validation(
        "Number underflow. Attempting to store a number with magnitude smaller than supported "
        "range");
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
