#include "protocol/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "common/ascii.hpp"

namespace stratus::protocol {
namespace json = boost::json;

namespace {

// AWS keeps reporting at most this many problems in one message.
constexpr std::size_t max_reported = 10;

// How AWS prints an offending value: strings and numbers quoted, collections
// in Java's toString form.
std::string render(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::string:
      return fmt::format("'{}'", std::string_view(v.get_string()));
    case json::kind::bool_:
      return v.get_bool() ? "'true'" : "'false'";
    case json::kind::int64:
      return fmt::format("'{}'", v.get_int64());
    case json::kind::uint64:
      return fmt::format("'{}'", v.get_uint64());
    case json::kind::double_:
      return fmt::format("'{}'", v.get_double());
    default:
      return fmt::format("'{}'", json::serialize(v));
  }
}

// AWS lists an enum's values in the iteration order of a Java hash set of
// 32 buckets (String.hashCode() & 31, ties in model order), not in model
// order: "[B, N, S]", "[INDEXES, TOTAL, NONE]",
// "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]" all follow from it.
std::string aws_enum_set(const std::vector<std::string>& values) {
  std::size_t buckets = 32;
  while (static_cast<double>(values.size()) > static_cast<double>(buckets) * 0.75) buckets *= 2;
  std::vector<std::pair<std::size_t, std::size_t>> order;  // (bucket, model index)
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::uint32_t h = 0;
    for (unsigned char c : values[i]) h = 31 * h + c;
    order.emplace_back(h & (buckets - 1), i);
  }
  std::stable_sort(order.begin(), order.end());
  std::string out;
  for (const auto& [bucket, i] : order) out += (out.empty() ? "" : ", ") + values[i];
  return out;
}

struct walker {
  std::vector<std::string> errors;
  std::optional<api_error> fatal;  // a type mismatch ends validation

  void add(const std::string& path, const json::value& v, std::string_view constraint) {
    errors.push_back(fmt::format("Value {} at '{}' failed to satisfy constraint: {}", render(v),
                                 path, constraint));
  }

  void type_error(std::string_view expected, const json::value& v) {
    if (fatal) return;
    const char* got = v.is_string()   ? "STRING_VALUE"
                      : v.is_bool()   ? (v.get_bool() ? "VALUE_TRUE" : "VALUE_FALSE")
                      : v.is_number() ? (v.is_double() ? "VALUE_NUMBER_FLOAT" : "VALUE_NUMBER_INT")
                      : v.is_array()  ? "START_ARRAY"
                      : v.is_object() ? "START_OBJECT"
                                      : "VALUE_NULL";
    fatal = api_error::serialization(fmt::format("{} can not be converted to {}", got, expected));
  }

  void length(const shape& s, const std::string& path, const json::value& v, std::size_t n) {
    if (s.min && static_cast<double>(n) < *s.min)
      add(path, v, fmt::format("Member must have length greater than or equal to {}", *s.min));
    if (s.max && static_cast<double>(n) > *s.max)
      add(path, v, fmt::format("Member must have length less than or equal to {}", *s.max));
  }

  void range(const shape& s, const std::string& path, const json::value& v, double x) {
    if (s.min && x < *s.min)
      add(path, v, fmt::format("Member must have value greater than or equal to {}", *s.min));
    if (s.max && x > *s.max)
      add(path, v, fmt::format("Member must have value less than or equal to {}", *s.max));
  }

  // Appends to `path` for the duration of a child's check; the buffer is
  // shared down the recursion so that valid input allocates no path strings.
  struct path_guard {
    std::string& path;
    std::size_t mark;
    ~path_guard() { path.resize(mark); }
  };

  static void append_index(std::string& path, std::size_t i) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, i);
    path += '.';
    path.append(digits, end);
    path += ".member";
  }

  // Enum, length and pattern constraints of a string (or a map key).
  void string_checks(const shape& s, const std::string& path, std::string_view str,
                     const json::value* original) {
    if (s.enum_values.empty() && !s.min && !s.max && !s.pattern_check) return;
    auto as_value = [&] { return original ? *original : json::value(json::string(str)); };
    if (!s.enum_values.empty()) {
      bool ok = false;
      for (const auto& e : s.enum_values) ok = ok || e == str;
      if (!ok) {
        add(path, as_value(),
            fmt::format("Member must satisfy enum value set: [{}]", aws_enum_set(s.enum_values)));
        return;
      }
    }
    if (s.min || s.max) {
      const std::size_t n = utf8_length(str);
      if ((s.min && static_cast<double>(n) < *s.min) || (s.max && static_cast<double>(n) > *s.max))
        length(s, path, as_value(), n);
    }
    if (s.pattern_check && !s.pattern_check->matches(str))
      add(path, as_value(),
          fmt::format("Member must satisfy regular expression pattern: {}", *s.pattern));
  }

  void value(const shape& s, std::string& path, const json::value& v) {
    if (fatal) return;
    switch (s.type) {
      case shape_type::structure:
        if (!v.is_object()) return type_error("Structure", v);
        return structure(s, path, v.get_object());
      case shape_type::list: {
        if (!v.is_array()) return type_error("List", v);
        const auto& a = v.get_array();
        length(s, path, v, a.size());
        for (std::size_t i = 0; i < a.size() && !fatal; ++i) {
          if (a[i].is_null()) continue;
          path_guard guard{path, path.size()};
          append_index(path, i + 1);
          value(*s.element, path, a[i]);
        }
        return;
      }
      case shape_type::map: {
        if (!v.is_object()) return type_error("Map", v);
        const auto& o = v.get_object();
        length(s, path, v, o.size());
        for (const auto& [k, item] : o) {
          if (fatal) return;
          string_checks(*s.key, path, k, nullptr);
          if (item.is_null()) continue;
          path_guard guard{path, path.size()};
          path += '.';
          path += std::string_view(k);
          path += ".member";
          value(*s.value, path, item);
        }
        return;
      }
      case shape_type::string: {
        if (!v.is_string()) return type_error("String", v);
        string_checks(s, path, v.get_string(), &v);
        return;
      }
      case shape_type::blob:
        if (!v.is_string()) return type_error("Blob", v);
        return;
      case shape_type::boolean:
        if (!v.is_bool()) return type_error("Boolean", v);
        return;
      case shape_type::integer:
      case shape_type::long_:
        if (!v.is_int64() && !v.is_uint64()) {
          if (v.is_double() && std::trunc(v.get_double()) == v.get_double())
            return range(s, path, v, v.get_double());
          return type_error(s.type == shape_type::integer ? "Integer" : "Long", v);
        }
        return range(s, path, v, v.to_number<double>());
      case shape_type::float_:
      case shape_type::double_:
        if (!v.is_number()) return type_error("Double", v);
        return range(s, path, v, v.to_number<double>());
      case shape_type::timestamp:
        if (!v.is_number() && !v.is_string()) return type_error("Timestamp", v);
        return;
    }
  }

  static std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }

  void structure(const shape& s, std::string& path, const json::object& o) {
    for (const auto& m : s.members) {
      if (fatal) return;
      const json::value* v = o.if_contains(m.name);
      if (!v || v->is_null()) {
        bool required = false;
        for (const auto& r : s.required) required = required || r == m.name;
        if (!required) continue;
      }
      path_guard guard{path, path.size()};
      if (!path.empty()) path += '.';
      // AWS names members lowerCamelCase in paths: "tableName".
      const std::size_t start = path.size();
      path += m.name;
      path[start] = ascii::lower(path[start]);
      if (!v || v->is_null()) {
        add(path, json::value(nullptr), "Member must not be null");
        continue;
      }
      value(*m.target, path, *v);
    }
  }
};

}  // namespace

std::string join_validation_errors(const std::vector<std::string>& errors) {
  std::string out =
      fmt::format("{} validation error{} detected: ", errors.size(), errors.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < errors.size() && i < max_reported; ++i) {
    if (i) out += "; ";
    out += errors[i];
  }
  return out;
}

std::optional<api_error> validate(const shape& input_shape, const json::object& input) {
  walker w;
  std::string path;
  path.reserve(128);
  w.structure(input_shape, path, input);
  if (w.fatal) return w.fatal;
  if (w.errors.empty()) return std::nullopt;
  return api_error::validation(join_validation_errors(w.errors));
}

}  // namespace stratus::protocol
