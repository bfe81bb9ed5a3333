#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <ctime>

#include "protocol/codecs.hpp"

namespace stratus::protocol {
namespace json = boost::json;

namespace {

std::optional<double> parse_iso8601(std::string_view t) {
  std::tm tm{};
  int y, mo, d, h, mi;
  double sec = 0;
  if (std::sscanf(std::string(t).c_str(), "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &sec) < 5)
    return std::nullopt;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  return static_cast<double>(timegm(&tm)) + sec;
}

std::string format_time(double epoch, const char* fmt_string) {
  std::time_t t = static_cast<std::time_t>(std::floor(epoch));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, fmt_string, &tm);
  return buf;
}

}  // namespace

std::optional<json::value> scalar_from_text(const shape& s, std::string_view text) {
  switch (s.type) {
    case shape_type::string:
    case shape_type::blob:
      return json::value(json::string(text));
    case shape_type::boolean:
      if (text == "true") return json::value(true);
      if (text == "false") return json::value(false);
      return std::nullopt;
    case shape_type::integer:
    case shape_type::long_: {
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
      return json::value(n);
    }
    case shape_type::float_:
    case shape_type::double_: {
      double x = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
      return json::value(x);
    }
    case shape_type::timestamp: {
      double x = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec == std::errc() && p == text.data() + text.size()) return json::value(x);
      if (auto t = parse_iso8601(text)) return json::value(*t);
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::string scalar_to_text(const shape& s, const json::value& v, bool http_date) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (s.type == shape_type::timestamp && v.is_number()) {
    double t = v.to_number<double>();
    if (http_date) return format_time(t, "%a, %d %b %Y %H:%M:%S GMT");
    return format_time(t, "%Y-%m-%dT%H:%M:%SZ");
  }
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return fmt::format("{}", v.get_double());
  return json::serialize(v);
}

}  // namespace stratus::protocol
