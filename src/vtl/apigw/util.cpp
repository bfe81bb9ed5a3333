#include "vtl/apigw/util.hpp"

#include <cstdint>
#include <cstdio>

#include "common/base64.hpp"
#include "vtl/json_values.hpp"

namespace stratus::vtl::apigw {

namespace {

// Decodes one UTF-8 sequence at s[i]; advances i. Invalid bytes are U+FFFD.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  auto cont = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]) & 0x3Fu; };
  if (c < 0x80) {
    i += 1;
    return c;
  }
  if ((c >> 5) == 0x6 && i + 1 < s.size()) {
    std::uint32_t cp = ((c & 0x1Fu) << 6) | cont(1);
    i += 2;
    return cp;
  }
  if ((c >> 4) == 0xE && i + 2 < s.size()) {
    std::uint32_t cp = ((c & 0x0Fu) << 12) | (cont(1) << 6) | cont(2);
    i += 3;
    return cp;
  }
  if ((c >> 3) == 0x1E && i + 3 < s.size()) {
    std::uint32_t cp = ((c & 0x07u) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
    i += 4;
    return cp;
  }
  i += 1;
  return 0xFFFD;
}

void append_unicode_escape(std::uint32_t unit, std::string& out) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04X", unit);
  out += buf;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

class util_object final : public host_object {
 public:
  [[nodiscard]] std::string java_string() const override { return "$util"; }

  call_result call(std::string_view name, std::vector<value>& args) override {
    if (args.size() != 1) return call_result::missing();
    // The Java methods take a String: null passes through, other types do
    // not match the method.
    if (args[0].is_null()) return call_result::ok({});
    if (!args[0].is_string()) return call_result::missing();
    const std::string& s = args[0].as_string();
    if (name == "escapeJavaScript") return call_result::ok(escape_javascript(s));
    if (name == "urlEncode") return call_result::ok(url_encode(s));
    if (name == "base64Encode") return call_result::ok(stratus::base64_encode(s));
    if (name == "urlDecode") {
      auto d = url_decode(s);
      if (!d)
        return call_result::thrown(
            "java.lang.IllegalArgumentException: URLDecoder: malformed escape");
      return call_result::ok(std::move(*d));
    }
    if (name == "base64Decode") {
      auto d = base64_decode(s);
      if (!d)
        return call_result::thrown("java.lang.IllegalArgumentException: Illegal base64 input");
      return call_result::ok(std::move(*d));
    }
    if (name == "parseJson") {
      auto v = parse_json(s);
      if (!v) return call_result::thrown("invalid JSON passed to $util.parseJson");
      return call_result::ok(std::move(*v));
    }
    return call_result::missing();
  }
};

}  // namespace

std::string escape_javascript(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = next_code_point(s, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append_unicode_escape(0xD800 + (cp >> 10), out);
      append_unicode_escape(0xDC00 + (cp & 0x3FF), out);
      continue;
    }
    if (cp > 0x7f) {
      append_unicode_escape(cp, out);
      continue;
    }
    switch (cp) {
      case '\b':
        out += "\\b";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\'':
        out += "\\'";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '/':
        out += "\\/";
        break;
      default:
        if (cp < 0x20) {
          append_unicode_escape(cp, out);
        } else {
          out += static_cast<char>(cp);
        }
    }
  }
  return out;
}

std::string url_encode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '*' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::optional<std::string> url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

// Java's basic decoder: padding optional (stratus::base64_decode insists on
// it, as AWS's JSON protocols do), anything outside the alphabet, whitespace
// included, is an error.
std::optional<std::string> base64_decode(std::string_view s) {
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  if (s.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(s.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    auto pos = base64_alphabet.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

object_ptr make_util_object() {
  return std::make_shared<util_object>();
}

}  // namespace stratus::vtl::apigw
