#include "vtl/value.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace stratus::vtl {

list_ptr make_list(list_style style) {
  return std::make_shared<list_data>(style);
}
map_ptr make_map() {
  return std::make_shared<map_data>();
}

std::ptrdiff_t map_data::index_of(std::string_view key) const {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].first == key) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

const value* map_data::find(std::string_view key) const {
  auto i = index_of(key);
  return i < 0 ? nullptr : &entries_[static_cast<std::size_t>(i)].second;
}

value* map_data::find(std::string_view key) {
  auto i = index_of(key);
  return i < 0 ? nullptr : &entries_[static_cast<std::size_t>(i)].second;
}

value map_data::put(std::string key, value v) {
  if (value* existing = find(key)) {
    value previous = std::move(*existing);
    *existing = std::move(v);
    return previous;
  }
  entries_.emplace_back(std::move(key), std::move(v));
  return {};
}

value map_data::remove(std::string_view key) {
  auto i = index_of(key);
  if (i < 0) return {};
  value previous = std::move(entries_[static_cast<std::size_t>(i)].second);
  entries_.erase(entries_.begin() + i);
  return previous;
}

void map_data::clear() {
  entries_.clear();
}

bool truthy(const value& v) {
  if (v.is_null()) return false;
  if (v.is_bool()) return v.as_bool();
  return true;
}

std::string format_java_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // Shortest round-trip digits, then Java's layout: plain notation for
  // 1e-3 <= |d| < 1e7, otherwise "d.dddE<exp>"; always one fractional digit.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::abs(d), std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(end - buf));
  auto e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                  exponent);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();

  std::string out = d < 0 ? "-" : "";
  double magnitude = std::abs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      auto int_len = static_cast<std::size_t>(exponent) + 1;
      if (digits.size() <= int_len) {
        out += digits;
        out.append(int_len - digits.size(), '0');
        out += ".0";
      } else {
        out += digits.substr(0, int_len);
        out += '.';
        out += digits.substr(int_len);
      }
    } else {
      out += "0.";
      out.append(static_cast<std::size_t>(-exponent - 1), '0');
      out += digits;
    }
    return out;
  }
  out += digits[0];
  out += '.';
  out += digits.size() > 1 ? digits.substr(1) : "0";
  out += 'E';
  out += std::to_string(exponent);
  return out;
}

bool append_java_string(const value& v, std::string& out, int max_depth) {
  if (max_depth < 0) return false;
  switch (v.kind()) {
    case value_kind::null:
      out += "null";
      return true;
    case value_kind::boolean:
      out += v.as_bool() ? "true" : "false";
      return true;
    case value_kind::integer:
      out += std::to_string(v.as_int());
      return true;
    case value_kind::real:
      out += format_java_double(v.as_real());
      return true;
    case value_kind::string:
      out += v.as_string();
      return true;
    case value_kind::object:
      out += v.as_object()->java_string();
      return true;
    case value_kind::list: {
      const auto& l = *v.as_list();
      if (l.style == list_style::json) return append_json(v, out, max_depth);
      out += '[';
      for (std::size_t i = 0; i < l.items.size(); ++i) {
        if (i) out += ", ";
        if (!append_java_string(l.items[i], out, max_depth - 1)) return false;
      }
      out += ']';
      return true;
    }
    case value_kind::map: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.as_map()->entries()) {
        if (!first) out += ", ";
        first = false;
        out += k;
        out += '=';
        if (!append_java_string(item, out, max_depth - 1)) return false;
      }
      out += '}';
      return true;
    }
  }
  return true;
}

namespace {

// json-smart's string escaping for values it serialises.
void append_json_string(std::string_view s, std::string& out) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

}  // namespace

bool append_json(const value& v, std::string& out, int max_depth) {
  if (max_depth < 0) return false;
  switch (v.kind()) {
    case value_kind::string:
      append_json_string(v.as_string(), out);
      return true;
    case value_kind::object:
      append_json_string(v.as_object()->java_string(), out);
      return true;
    case value_kind::list: {
      out += '[';
      const auto& items = v.as_list()->items;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        if (!append_json(items[i], out, max_depth - 1)) return false;
      }
      out += ']';
      return true;
    }
    case value_kind::map: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.as_map()->entries()) {
        if (!first) out += ',';
        first = false;
        append_json_string(k, out);
        out += ':';
        if (!append_json(item, out, max_depth - 1)) return false;
      }
      out += '}';
      return true;
    }
    default:
      return append_java_string(v, out, max_depth);
  }
}

std::string java_string(const value& v, int max_depth) {
  if (v.is_string()) return v.as_string();
  std::string out;
  if (!append_java_string(v, out, max_depth)) return {};
  return out;
}

bool would_create_cycle(const value& container, const value& inserted) {
  if (!inserted.is_container() || !container.is_container()) return false;
  const void* target = container.is_list() ? static_cast<const void*>(container.as_list().get())
                                           : static_cast<const void*>(container.as_map().get());
  std::vector<const value*> pending{&inserted};
  std::unordered_set<const void*> seen;
  while (!pending.empty()) {
    const value* v = pending.back();
    pending.pop_back();
    const void* id = nullptr;
    if (v->is_list()) id = v->as_list().get();
    if (v->is_map()) id = v->as_map().get();
    if (id == nullptr) continue;
    if (id == target) return true;
    if (!seen.insert(id).second) continue;
    if (v->is_list()) {
      for (const auto& item : v->as_list()->items) {
        if (item.is_container()) pending.push_back(&item);
      }
    } else {
      for (const auto& entry : v->as_map()->entries()) {
        if (entry.second.is_container()) pending.push_back(&entry.second);
      }
    }
  }
  return false;
}

}  // namespace stratus::vtl
