// java.lang.String methods. Strings are UTF-8 here and UTF-16 in Java, so
// lengths and indexes are counted in UTF-16 code units, as Java counts them.
#include <boost/regex.hpp>
#include <cstdint>
#include <string>

#include "vtl/methods.hpp"

namespace stratus::vtl {

namespace {

bool is_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::u16string to_utf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0xFFFD;
    std::size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      len = 2;
    } else if ((c >> 4) == 0xE && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      len = 3;
    } else if ((c >> 3) == 0x1E && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
      len = 4;
    }
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp > 0x10FFFF ? 0xFFFD : cp));
    }
    i += len;
  }
  return out;
}

void append_utf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string to_utf8(std::u16string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::uint32_t cp = s[i];
    if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < s.size() && s[i + 1] >= 0xDC00 &&
        s[i + 1] < 0xE000) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    }
    append_utf8(cp, out);
  }
  return out;
}

// A string seen as Java sees it: a sequence of UTF-16 code units.
class java_text {
 public:
  explicit java_text(const std::string& s) : utf8_(s), ascii_(is_ascii(s)) {
    if (!ascii_) utf16_ = to_utf16(s);
  }
  [[nodiscard]] std::int64_t length() const {
    return static_cast<std::int64_t>(ascii_ ? utf8_.size() : utf16_.size());
  }
  [[nodiscard]] std::string substr(std::int64_t begin, std::int64_t end) const {
    auto b = static_cast<std::size_t>(begin);
    auto n = static_cast<std::size_t>(end - begin);
    return ascii_ ? utf8_.substr(b, n) : to_utf8(std::u16string_view(utf16_).substr(b, n));
  }
  [[nodiscard]] std::int64_t index_of(const std::string& needle, std::int64_t from) const {
    if (from < 0) from = 0;
    if (from > length()) return -1;
    std::size_t r;
    if (ascii_) {
      r = utf8_.find(needle, static_cast<std::size_t>(from));
    } else {
      r = utf16_.find(to_utf16(needle), static_cast<std::size_t>(from));
    }
    return r == std::string::npos ? -1 : static_cast<std::int64_t>(r);
  }
  [[nodiscard]] std::int64_t last_index_of(const std::string& needle) const {
    std::size_t r = ascii_ ? utf8_.rfind(needle) : utf16_.rfind(to_utf16(needle));
    return r == std::string::npos ? -1 : static_cast<std::int64_t>(r);
  }
  [[nodiscard]] char16_t at(std::int64_t i) const {
    return ascii_ ? static_cast<char16_t>(utf8_[static_cast<std::size_t>(i)])
                  : utf16_[static_cast<std::size_t>(i)];
  }

 private:
  const std::string& utf8_;
  bool ascii_;
  std::u16string utf16_;
};

std::string out_of_range(std::int64_t begin, std::int64_t end, std::int64_t length) {
  return "java.lang.StringIndexOutOfBoundsException: begin " + std::to_string(begin) + ", end " +
         std::to_string(end) + ", length " + std::to_string(length);
}

bool all_strings(const std::vector<value>& args) {
  for (const auto& a : args) {
    if (!a.is_string()) return false;
  }
  return true;
}

std::string ascii_case(std::string s, bool upper) {
  for (char& c : s) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Java's regular expressions, close enough in Boost's Perl syntax.
call_result regex_call(const std::string& s, std::string_view name, std::vector<value>& args,
                       const limits& lim) {
  try {
    boost::regex re(args[0].as_string(), boost::regex::perl);
    if (name == "matches") return call_result::ok(boost::regex_match(s, re));
    if (name == "replaceAll" || name == "replaceFirst") {
      auto flags = boost::format_perl;
      if (name == "replaceFirst") flags |= boost::format_first_only;
      std::string r = boost::regex_replace(s, re, args[1].as_string(), flags);
      if (r.size() > lim.max_output_bytes) return call_result::thrown("result too large");
      return call_result::ok(std::move(r));
    }
    // split: Java drops trailing empty strings (limit 0) and never yields a
    // leading empty string for a zero-width match at the start.
    auto out = make_list();
    std::int64_t limit = args.size() > 1 ? args[1].as_int() : 0;
    std::size_t start = 0;
    for (boost::sregex_iterator it(s.begin(), s.end(), re), end; it != end; ++it) {
      if (limit > 0 && static_cast<std::int64_t>(out->items.size()) == limit - 1) break;
      auto pos = static_cast<std::size_t>(it->position());
      auto len = static_cast<std::size_t>(it->length());
      if (pos == 0 && len == 0) continue;
      if (len == 0 && pos >= s.size()) break;
      out->items.emplace_back(s.substr(start, pos - start));
      start = pos + len;
    }
    out->items.emplace_back(s.substr(start));
    if (limit == 0) {
      while (out->items.size() > 1 && out->items.back().as_string().empty()) out->items.pop_back();
      if (out->items.size() == 1 && s.empty()) return call_result::ok(out);
    }
    return call_result::ok(out);
  } catch (const std::exception& e) {
    return call_result::thrown(std::string("java.util.regex.PatternSyntaxException: ") + e.what());
  }
}

}  // namespace

call_result call_string_method(const std::string& s, std::string_view name,
                               std::vector<value>& args, const limits& lim) {
  const std::size_t n = args.size();
  if (n == 0) {
    if (name == "length") return call_result::ok(java_text(s).length());
    if (name == "isEmpty") return call_result::ok(s.empty());
    if (name == "toString" || name == "intern") return call_result::ok(s);
    if (name == "toLowerCase") return call_result::ok(ascii_case(s, false));
    if (name == "toUpperCase") return call_result::ok(ascii_case(s, true));
    if (name == "trim") {
      // Java trims every character <= ' '.
      std::size_t b = 0;
      std::size_t e = s.size();
      while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
      while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
      return call_result::ok(s.substr(b, e - b));
    }
    if (name == "hashCode") {
      std::int32_t h = 0;
      java_text t(s);
      for (std::int64_t i = 0; i < t.length(); ++i) {
        h = static_cast<std::int32_t>(31u * static_cast<std::uint32_t>(h) + t.at(i));
      }
      return call_result::ok(static_cast<std::int64_t>(h));
    }
    return call_result::missing();
  }
  if (name == "equals" && n == 1)
    return call_result::ok(args[0].is_string() && args[0].as_string() == s);
  if (name == "substring" || name == "charAt") {
    for (const auto& a : args) {
      if (!a.is_int()) return call_result::missing();
    }
    java_text t(s);
    std::int64_t len = t.length();
    if (name == "charAt") {
      if (n != 1) return call_result::missing();
      std::int64_t i = args[0].as_int();
      if (i < 0 || i >= len) {
        return call_result::thrown("java.lang.StringIndexOutOfBoundsException: index " +
                                   std::to_string(i) + ", length " + std::to_string(len));
      }
      return call_result::ok(t.substr(i, i + 1));
    }
    if (n > 2) return call_result::missing();
    std::int64_t begin = args[0].as_int();
    std::int64_t end = n == 2 ? args[1].as_int() : len;
    if (begin < 0 || end > len || begin > end)
      return call_result::thrown(out_of_range(begin, end, len));
    return call_result::ok(t.substr(begin, end));
  }
  if (name == "indexOf" && (n == 1 || n == 2) && args[0].is_string()) {
    std::int64_t from = 0;
    if (n == 2) {
      if (!args[1].is_int()) return call_result::missing();
      from = args[1].as_int();
    }
    return call_result::ok(java_text(s).index_of(args[0].as_string(), from));
  }
  if (name == "split" && n == 2 && args[0].is_string() && args[1].is_int()) {
    return regex_call(s, name, args, lim);
  }
  if (!all_strings(args)) return call_result::missing();
  const std::string& a = args[0].as_string();
  if (n == 1) {
    if (name == "lastIndexOf") return call_result::ok(java_text(s).last_index_of(a));
    if (name == "contains") return call_result::ok(s.find(a) != std::string::npos);
    if (name == "startsWith") return call_result::ok(s.compare(0, a.size(), a) == 0);
    if (name == "endsWith") {
      return call_result::ok(s.size() >= a.size() &&
                             s.compare(s.size() - a.size(), a.size(), a) == 0);
    }
    if (name == "equalsIgnoreCase")
      return call_result::ok(ascii_case(s, false) == ascii_case(a, false));
    if (name == "concat") {
      if (s.size() + a.size() > lim.max_output_bytes)
        return call_result::thrown("result too large");
      return call_result::ok(s + a);
    }
    if (name == "compareTo") {
      java_text l(s);
      java_text r(a);
      std::int64_t common = std::min(l.length(), r.length());
      for (std::int64_t i = 0; i < common; ++i) {
        if (l.at(i) != r.at(i))
          return call_result::ok(static_cast<std::int64_t>(l.at(i)) - r.at(i));
      }
      return call_result::ok(l.length() - r.length());
    }
    if (name == "matches" || name == "split") return regex_call(s, name, args, lim);
    return call_result::missing();
  }
  if (n == 2) {
    if (name == "replace") {
      // Literal replacement of every occurrence (String.replace(CharSequence, CharSequence)).
      const std::string& to = args[1].as_string();
      std::string out;
      if (a.empty()) {
        for (char c : s) {
          out += to;
          out += c;
        }
        out += to;
      } else {
        std::size_t from = 0;
        for (auto at = s.find(a); at != std::string::npos; at = s.find(a, from)) {
          out.append(s, from, at - from);
          out += to;
          from = at + a.size();
          if (out.size() > lim.max_output_bytes) return call_result::thrown("result too large");
        }
        out.append(s, from);
      }
      if (out.size() > lim.max_output_bytes) return call_result::thrown("result too large");
      return call_result::ok(std::move(out));
    }
    if (name == "replaceAll" || name == "replaceFirst") return regex_call(s, name, args, lim);
  }
  return call_result::missing();
}

}  // namespace stratus::vtl
