// String, header and query helpers for SigV4 (see detail.hpp).

#include <algorithm>

#include "auth/detail.hpp"
#include "common/ascii.hpp"

namespace stratus::auth::detail {

std::string_view trim(std::string_view s) {
  constexpr std::string_view blanks = " \t\r\n";
  const auto first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(blanks);
  return s.substr(first, last - first + 1);
}

std::vector<std::string_view> header_values(const request_view& request, std::string_view name) {
  std::vector<std::string_view> values;
  for (const auto& [key, value] : request.headers) {
    if (ascii::iequals(key, name)) values.push_back(value);
  }
  return values;
}

std::optional<std::string_view> first_header(const request_view& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (ascii::iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::vector<query_param> parse_query(std::string_view query) {
  std::vector<query_param> params;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    // "a=1&&b=2" has an empty piece; no SDK sends one, and it names nothing.
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      params.push_back({percent_decode(pair), {}});
    } else {
      params.push_back({percent_decode(pair.substr(0, eq)), percent_decode(pair.substr(eq + 1))});
    }
  }
  return params;
}

const std::string* find_param(const std::vector<query_param>& params, std::string_view key) {
  for (const auto& param : params) {
    if (param.key == key) return &param.value;
  }
  return nullptr;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = ascii::hex_value(text[i + 1]);
      const int lo = ascii::hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace stratus::auth::detail
