#include "protocol/wire.hpp"

#include "common/ascii.hpp"

namespace stratus::protocol {

std::string_view wire_request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (ascii::iequals(k, name)) return v;
  return {};
}

bool wire_request::has_header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (ascii::iequals(k, name)) return true;
  return false;
}

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = ascii::hex_value(s[i + 1]), lo = ascii::hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      if (eq == std::string_view::npos)
        out.emplace_back(url_decode(pair, true), std::string());
      else
        out.emplace_back(url_decode(pair.substr(0, eq), true),
                         url_decode(pair.substr(eq + 1), true));
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace stratus::protocol
