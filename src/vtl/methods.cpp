// Method dispatch on built-in values, Integer/Double/Boolean methods, Java
// equality and Map.Entry.
#include "vtl/methods.hpp"

#include <cmath>
#include <limits>

namespace stratus::vtl {

namespace {

class map_entry final : public host_object {
 public:
  map_entry(std::string key, value v) : key_(std::move(key)), value_(std::move(v)) {}

  [[nodiscard]] std::string java_string() const override {
    return key_ + "=" + vtl::java_string(value_);
  }

  [[nodiscard]] const value* property(std::string_view name) const override {
    if (name == "key") return &key_value_;
    if (name == "value") return &value_;
    return nullptr;
  }

  call_result call(std::string_view name, std::vector<value>& args) override {
    if (!args.empty()) return call_result::missing();
    if (name == "getKey") return call_result::ok(key_value_);
    if (name == "getValue") return call_result::ok(value_);
    if (name == "toString") return call_result::ok(java_string());
    return call_result::missing();
  }

 private:
  std::string key_;
  value value_;
  value key_value_{key_};
};

call_result call_scalar_method(const value& target, std::string_view name,
                               std::vector<value>& args) {
  if (args.size() == 1 && name == "equals") return call_result::ok(java_equals(target, args[0]));
  if (!args.empty()) {
    if (name == "compareTo" && target.is_number() && args[0].is_number()) {
      double a = target.as_number();
      double b = args[0].as_number();
      return call_result::ok(static_cast<std::int64_t>(a < b ? -1 : (a > b ? 1 : 0)));
    }
    return call_result::missing();
  }
  if (name == "toString") return call_result::ok(java_string(target));
  if (target.is_bool()) {
    if (name == "booleanValue") return call_result::ok(target.as_bool());
    return call_result::missing();
  }
  if (!target.is_number()) return call_result::missing();
  if (name == "intValue" || name == "longValue") {
    if (target.is_int()) return call_result::ok(target.as_int());
    // Java's narrowing: NaN is 0, out-of-range values clamp.
    double d = target.as_real();
    if (std::isnan(d)) return call_result::ok(std::int64_t{0});
    if (d >= 9.2233720368547758e18)
      return call_result::ok(std::numeric_limits<std::int64_t>::max());
    if (d <= -9.2233720368547758e18)
      return call_result::ok(std::numeric_limits<std::int64_t>::min());
    return call_result::ok(static_cast<std::int64_t>(d));
  }
  if (name == "doubleValue" || name == "floatValue") return call_result::ok(target.as_number());
  return call_result::missing();
}

}  // namespace

object_ptr make_map_entry(std::string key, value v) {
  return std::make_shared<map_entry>(std::move(key), std::move(v));
}

call_result call_method(const value& target, std::string_view name, std::vector<value>& args,
                        const limits& lim) {
  switch (target.kind()) {
    case value_kind::string:
      return call_string_method(target.as_string(), name, args, lim);
    case value_kind::list:
      return call_list_method(target.as_list(), name, args);
    case value_kind::map:
      return call_map_method(target.as_map(), name, args);
    case value_kind::object:
      return target.as_object()->call(name, args);
    case value_kind::null:
      return call_result::missing();
    default:
      return call_scalar_method(target, name, args);
  }
}

bool java_equals(const value& a, const value& b, int max_depth) {
  if (max_depth < 0) return false;
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
    // Integer.equals(Double) is false in Java, but Velocity's == compares
    // numbers by value; both paths come here, value comparison is kinder.
    return a.as_number() == b.as_number();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case value_kind::null:
      return true;
    case value_kind::boolean:
      return a.as_bool() == b.as_bool();
    case value_kind::string:
      return a.as_string() == b.as_string();
    case value_kind::list: {
      const auto& x = a.as_list()->items;
      const auto& y = b.as_list()->items;
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!java_equals(x[i], y[i], max_depth - 1)) return false;
      }
      return true;
    }
    case value_kind::map: {
      const auto& x = *a.as_map();
      const auto& y = *b.as_map();
      if (x.size() != y.size()) return false;
      for (const auto& [k, v] : x.entries()) {
        const value* other = y.find(k);
        if (other == nullptr || !java_equals(v, *other, max_depth - 1)) return false;
      }
      return true;
    }
    case value_kind::object:
      return a.as_object() == b.as_object();
    default:
      return false;
  }
}

}  // namespace stratus::vtl
