// Timestamps in the two forms SigV4 requests carry (see detail.hpp).

#include <array>

#include "auth/detail.hpp"
#include "common/ascii.hpp"

namespace stratus::auth::detail {
namespace {

using namespace std::chrono;

// Reads `count` decimal digits at `pos`; nullopt if any is not a digit.
std::optional<int> digits_at(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<sys_seconds> make_time(int y, int mo, int d, int h, int mi, int s) {
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return sys_days{date} + hours{h} + minutes{mi} + seconds{s};
}

std::optional<int> month_from_name(std::string_view name) {
  static constexpr std::array<std::string_view, 12> names = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (ascii::iequals(names[i], name)) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<sys_seconds> parse_amz_date(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  const auto y = digits_at(text, 0, 4);
  const auto mo = digits_at(text, 4, 2);
  const auto d = digits_at(text, 6, 2);
  const auto h = digits_at(text, 9, 2);
  const auto mi = digits_at(text, 11, 2);
  const auto s = digits_at(text, 13, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  return make_time(*y, *mo, *d, *h, *mi, *s);
}

std::optional<sys_seconds> parse_http_date(std::string_view text) {
  text = trim(text);
  // The weekday is redundant; skip "Sun, " when present.
  if (const auto comma = text.find(','); comma != std::string_view::npos) {
    text = trim(text.substr(comma + 1));
  }
  // "30 Aug 2015 12:36:00 GMT": fixed positions once the weekday is gone.
  if (text.size() < 20 || text[2] != ' ' || text[6] != ' ' || text[11] != ' ' || text[14] != ':' ||
      text[17] != ':') {
    return std::nullopt;
  }
  const auto d = digits_at(text, 0, 2);
  const auto mo = month_from_name(text.substr(3, 3));
  const auto y = digits_at(text, 7, 4);
  const auto h = digits_at(text, 12, 2);
  const auto mi = digits_at(text, 15, 2);
  const auto s = digits_at(text, 18, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  const std::string_view zone = trim(text.substr(20));
  if (zone != "GMT" && zone != "UTC" && zone != "Z" && zone != "+0000" && zone != "-0000") {
    return std::nullopt;
  }
  return make_time(*y, *mo, *d, *h, *mi, *s);
}

std::string format_amz_date(sys_seconds time) {
  const auto day_start = floor<days>(time);
  const year_month_day date{day_start};
  const hh_mm_ss clock{time - day_start};
  // Years before 0001 only arise from a fuzzed "0000..." date minus the skew;
  // print them as zeros rather than as a minus sign.
  const auto put = [](std::string& out, long value, int width) {
    if (value < 0) value = 0;
    for (int shift = width - 1; shift >= 0; --shift) {
      long divisor = 1;
      for (int i = 0; i < shift; ++i) divisor *= 10;
      out += static_cast<char>('0' + (value / divisor) % 10);
    }
  };
  std::string out;
  out.reserve(16);
  put(out, static_cast<int>(date.year()), 4);
  put(out, static_cast<unsigned>(date.month()), 2);
  put(out, static_cast<unsigned>(date.day()), 2);
  out += 'T';
  put(out, clock.hours().count(), 2);
  put(out, clock.minutes().count(), 2);
  put(out, clock.seconds().count(), 2);
  out += 'Z';
  return out;
}

}  // namespace stratus::auth::detail
