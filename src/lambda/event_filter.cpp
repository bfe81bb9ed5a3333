#include "lambda/event_filter.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <optional>

#include "common/ascii.hpp"
#include "lambda/errors.hpp"

namespace stratus::lambda {
namespace json = boost::json;

namespace {

constexpr std::size_t max_filters = 5;  // AWS's default quota per mapping

api_error invalid_pattern() {
  return errors::invalid_parameter("Invalid filter pattern definition.");
}

std::optional<double> as_number(const json::value& v) {
  if (v.is_number()) return v.to_number<double>();
  if (!v.is_string()) return std::nullopt;
  std::string_view s = v.get_string();
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return d;
}

bool is_scalar(const json::value& v) {
  return v.is_string() || v.is_number() || v.is_bool() || v.is_null();
}

bool same_scalar(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  return a == b;
}

bool valid_numeric(const json::array& a) {
  if (a.empty() || a.size() % 2 != 0 || a.size() > 4) return false;
  for (std::size_t i = 0; i < a.size(); i += 2) {
    if (!a[i].is_string() || !a[i + 1].is_number()) return false;
    std::string_view op = a[i].get_string();
    if (op != "=" && op != ">" && op != ">=" && op != "<" && op != "<=") return false;
  }
  return true;
}

bool valid_matcher(const json::value& m) {
  if (is_scalar(m)) return true;
  if (!m.is_object() || m.get_object().size() != 1) return false;
  const auto& [name, arg] = *m.get_object().begin();
  if (name == "prefix" || name == "suffix" || name == "equals-ignore-case") return arg.is_string();
  if (name == "exists") return arg.is_bool();
  if (name == "numeric") return arg.is_array() && valid_numeric(arg.get_array());
  if (name == "anything-but") {
    if (is_scalar(arg)) return true;
    if (arg.is_array()) {
      for (const auto& x : arg.get_array())
        if (!is_scalar(x)) return false;
      return true;
    }
    return arg.is_object() && arg.get_object().size() == 1 && arg.get_object().contains("prefix") &&
           arg.get_object().at("prefix").is_string();
  }
  return false;
}

bool valid_pattern(const json::object& p) {
  if (p.empty()) return false;
  for (const auto& [key, v] : p) {
    if (key.starts_with("$")) return false;  // $or
    if (v.is_object()) {
      if (!valid_pattern(v.get_object())) return false;
    } else if (v.is_array()) {
      if (v.get_array().empty()) return false;
      for (const auto& m : v.get_array())
        if (!valid_matcher(m)) return false;
    } else {
      return false;
    }
  }
  return true;
}

bool numeric_holds(const json::array& conditions, double x) {
  for (std::size_t i = 0; i < conditions.size(); i += 2) {
    std::string_view op = conditions[i].get_string();
    const double n = conditions[i + 1].to_number<double>();
    const bool ok = op == "="    ? x == n
                    : op == ">"  ? x > n
                    : op == ">=" ? x >= n
                    : op == "<"  ? x < n
                                 : x <= n;
    if (!ok) return false;
  }
  return true;
}

// One matcher against one (non-array) value of the record.
bool matches_value(const json::value& m, const json::value& v) {
  if (is_scalar(m)) return same_scalar(m, v);
  const auto& [name, arg] = *m.get_object().begin();
  if (name == "prefix") return v.is_string() && v.get_string().starts_with(arg.get_string());
  if (name == "suffix") return v.is_string() && v.get_string().ends_with(arg.get_string());
  if (name == "equals-ignore-case")
    return v.is_string() && ascii::iequals(v.get_string(), arg.get_string());
  if (name == "numeric") {
    auto x = as_number(v);
    return x && numeric_holds(arg.get_array(), *x);
  }
  if (name == "anything-but") {
    if (arg.is_object())
      return v.is_string() && !v.get_string().starts_with(arg.at("prefix").get_string());
    if (arg.is_array()) {
      for (const auto& x : arg.get_array())
        if (same_scalar(x, v)) return false;
      return true;
    }
    return !same_scalar(arg, v);
  }
  return false;
}

bool matches_leaf(const json::array& alternatives, const json::value* field) {
  for (const auto& m : alternatives) {
    if (m.is_object() && m.get_object().contains("exists")) {
      const bool want = m.get_object().at("exists").get_bool();
      if ((field != nullptr) == want) return true;
      continue;
    }
    if (!field) continue;
    if (field->is_array()) {
      for (const auto& v : field->get_array())
        if (matches_value(m, v)) return true;
    } else if (matches_value(m, *field)) {
      return true;
    }
  }
  return false;
}

bool matches_object(const json::object& pattern, const json::value& v) {
  const json::object* o = v.if_object();
  for (const auto& [key, p] : pattern) {
    const json::value* field = o ? o->if_contains(key) : nullptr;
    if (p.is_object()) {
      if (!field || !field->is_object() || !matches_object(p.get_object(), *field)) return false;
    } else if (!matches_leaf(p.get_array(), field)) {
      return false;
    }
  }
  return true;
}

}  // namespace

result<json::object> event_filter::parse_pattern(std::string_view pattern) {
  boost::system::error_code ec;
  auto v = json::parse(pattern, ec);
  if (ec || !v.is_object() || !valid_pattern(v.get_object())) return invalid_pattern();
  return std::move(v.get_object());
}

result<event_filter> event_filter::compile(const json::value& criteria) {
  event_filter out;
  if (criteria.is_null()) return out;
  const auto* o = criteria.if_object();
  const auto* filters = o ? o->if_contains("Filters") : nullptr;
  if (!filters || filters->is_null()) return out;
  if (!filters->is_array()) return invalid_pattern();
  if (filters->get_array().size() > max_filters)
    return errors::invalid_parameter("The maximum number of filters allowed is " +
                                     std::to_string(max_filters) + ".");
  for (const auto& f : filters->get_array()) {
    const auto* fo = f.if_object();
    const auto* p = fo ? fo->if_contains("Pattern") : nullptr;
    if (!p || !p->is_string()) return invalid_pattern();
    auto parsed = parse_pattern(p->get_string());
    if (!parsed) return parsed.error();
    out.patterns_.push_back(std::move(*parsed));
  }
  return out;
}

bool event_filter::matches(const json::value& record) const {
  if (patterns_.empty()) return true;
  for (const auto& p : patterns_)
    if (matches_object(p, record)) return true;
  return false;
}

}  // namespace stratus::lambda
