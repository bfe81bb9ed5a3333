#include "apigateway/json_schema.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cmath>
#include <regex>

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

constexpr int max_depth = 64;

struct checker {
  const model_lookup& models;
  const json::value& root;

  std::optional<std::string> check(const json::value& schema, const json::value& doc,
                                   const json::value& scope_root, int depth) const {
    if (depth > max_depth) return "schema nesting too deep";
    if (!schema.is_object()) return std::nullopt;
    const json::object& s = schema.get_object();
    if (auto* ref = s.if_contains("$ref"); ref && ref->is_string()) {
      const json::value* scope = &scope_root;
      auto target = resolve(ref->get_string(), scope_root, scope);
      if (!target)
        return fmt::format("the reference {} names nothing", std::string(ref->get_string()));
      return check(*target, doc, *scope, depth + 1);
    }
    if (auto* type = s.if_contains("type")) {
      bool ok = false;
      if (type->is_string()) ok = has_type(type->get_string(), doc);
      if (type->is_array())
        for (const auto& t : type->get_array())
          if (t.is_string() && has_type(t.get_string(), doc)) ok = true;
      if (!ok)
        return fmt::format("instance type ({}) does not match any allowed primitive type",
                           type_name(doc));
    }
    if (auto* values = s.if_contains("enum"); values && values->is_array()) {
      bool found = false;
      for (const auto& v : values->get_array())
        if (equal(v, doc)) found = true;
      if (!found) return "instance value not found in enum";
    }
    for (const char* combinator : {"allOf", "anyOf", "oneOf"})
      if (auto* list = s.if_contains(combinator); list && list->is_array()) {
        std::size_t passed = 0;
        for (const auto& sub : list->get_array()) {
          auto e = check(sub, doc, scope_root, depth + 1);
          if (!e)
            ++passed;
          else if (std::string_view(combinator) == "allOf")
            return e;
        }
        if (std::string_view(combinator) == "anyOf" && passed == 0)
          return "instance failed to match at least one required schema among anyOf";
        if (std::string_view(combinator) == "oneOf" && passed != 1)
          return "instance failed to match exactly one schema of oneOf";
      }
    if (auto* negated = s.if_contains("not"))
      if (!check(*negated, doc, scope_root, depth + 1)) return "instance matched a schema in not";
    if (doc.is_number()) return check_number(s, doc.to_number<double>());
    if (doc.is_string()) return check_string(s, doc.get_string());
    if (doc.is_array()) return check_array(s, doc.get_array(), scope_root, depth);
    if (doc.is_object()) return check_object(s, doc.get_object(), scope_root, depth);
    return std::nullopt;
  }

  const json::value* resolve(std::string_view ref, const json::value& scope_root,
                             const json::value*& scope) const {
    constexpr std::string_view models_path = "/models/";
    if (!ref.starts_with("#")) {
      // https://apigateway.amazonaws.com/restapis/{id}/models/{name}[#/pointer]
      auto hash = ref.find('#');
      std::string_view url = ref.substr(0, hash);
      auto at = url.rfind(models_path);
      if (at == std::string_view::npos) return nullptr;
      const json::value* model = models(url.substr(at + models_path.size()));
      if (!model) return nullptr;
      scope = model;
      if (hash == std::string_view::npos) return model;
      return pointer(*model, ref.substr(hash + 1));
    }
    scope = &scope_root;
    return pointer(scope_root, ref.substr(1));
  }

  static const json::value* pointer(const json::value& doc, std::string_view ptr) {
    if (ptr.empty()) return &doc;
    boost::system::error_code ec;
    const json::value* found = doc.find_pointer(ptr, ec);
    return ec ? nullptr : found;
  }

  static bool has_type(std::string_view type, const json::value& doc) {
    if (type == "object") return doc.is_object();
    if (type == "array") return doc.is_array();
    if (type == "string") return doc.is_string();
    if (type == "boolean") return doc.is_bool();
    if (type == "null") return doc.is_null();
    if (type == "number") return doc.is_number();
    if (type == "integer") {
      if (doc.is_int64() || doc.is_uint64()) return true;
      return doc.is_double() && std::floor(doc.get_double()) == doc.get_double();
    }
    return false;
  }

  static std::string type_name(const json::value& doc) {
    if (doc.is_object()) return "object";
    if (doc.is_array()) return "array";
    if (doc.is_string()) return "string";
    if (doc.is_bool()) return "boolean";
    if (doc.is_null()) return "null";
    if (doc.is_double()) return "number";
    return "integer";
  }

  static bool equal(const json::value& a, const json::value& b) {
    if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
    return a == b;
  }

  static std::optional<double> number_of(const json::object& s, std::string_view name) {
    auto* v = s.if_contains(name);
    if (!v || !v->is_number()) return std::nullopt;
    return v->to_number<double>();
  }

  static bool flag(const json::object& s, std::string_view name) {
    auto* v = s.if_contains(name);
    return v && v->is_bool() && v->get_bool();
  }

  static std::optional<std::string> check_number(const json::object& s, double n) {
    if (auto min = number_of(s, "minimum"))
      if (flag(s, "exclusiveMinimum") ? n <= *min : n < *min)
        return fmt::format(
            "numeric instance is lower than the required minimum (minimum: {}, found: {})", *min,
            n);
    if (auto max = number_of(s, "maximum"))
      if (flag(s, "exclusiveMaximum") ? n >= *max : n > *max)
        return fmt::format(
            "numeric instance is greater than the required maximum (maximum: {}, found: {})", *max,
            n);
    if (auto m = number_of(s, "multipleOf"); m && *m > 0) {
      double q = n / *m;
      if (std::fabs(q - std::round(q)) > 1e-9)
        return "numeric instance is not a multiple of multipleOf";
    }
    return std::nullopt;
  }

  static std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
      if ((c & 0xC0) != 0x80) ++n;
    return n;
  }

  static bool search(std::string_view pattern, std::string_view text) {
    try {
      return std::regex_search(text.begin(), text.end(), std::regex(std::string(pattern)));
    } catch (const std::regex_error&) {
      return false;
    }
  }

  static std::optional<std::string> check_string(const json::object& s, std::string_view str) {
    const std::size_t length = code_points(str);
    if (auto min = number_of(s, "minLength"); min && length < *min)
      return fmt::format("string is too short (length: {}, required minimum: {})", length, *min);
    if (auto max = number_of(s, "maxLength"); max && length > *max)
      return fmt::format("string is too long (length: {}, maximum allowed: {})", length, *max);
    if (auto* p = s.if_contains("pattern"); p && p->is_string() && !search(p->get_string(), str))
      return fmt::format("ECMA 262 regex \"{}\" does not match input string \"{}\"",
                         std::string(p->get_string()), str);
    return std::nullopt;
  }

  std::optional<std::string> check_array(const json::object& s, const json::array& a,
                                         const json::value& scope_root, int depth) const {
    if (auto min = number_of(s, "minItems"); min && a.size() < *min)
      return fmt::format(
          "array is too short: must have at least {} elements but instance has {} elements", *min,
          a.size());
    if (auto max = number_of(s, "maxItems"); max && a.size() > *max)
      return fmt::format(
          "array is too long: must have at most {} elements but instance has {} elements", *max,
          a.size());
    if (flag(s, "uniqueItems"))
      for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = i + 1; j < a.size(); ++j)
          if (equal(a[i], a[j])) return "array must not contain duplicate elements";
    if (auto* items = s.if_contains("items")) {
      if (items->is_object()) {
        for (const auto& item : a)
          if (auto e = check(*items, item, scope_root, depth + 1)) return e;
      } else if (items->is_array()) {
        const auto& list = items->get_array();
        for (std::size_t i = 0; i < a.size(); ++i) {
          if (i < list.size()) {
            if (auto e = check(list[i], a[i], scope_root, depth + 1)) return e;
          } else if (auto* extra = s.if_contains("additionalItems")) {
            if (extra->is_bool() && !extra->get_bool())
              return "array has too many elements for the schema's items";
            if (auto e = check(*extra, a[i], scope_root, depth + 1)) return e;
          }
        }
      }
    }
    return std::nullopt;
  }

  std::optional<std::string> check_object(const json::object& s, const json::object& o,
                                          const json::value& scope_root, int depth) const {
    if (auto min = number_of(s, "minProperties"); min && o.size() < *min)
      return "object has too few properties";
    if (auto max = number_of(s, "maxProperties"); max && o.size() > *max)
      return "object has too many properties";
    if (auto* required = s.if_contains("required"); required && required->is_array()) {
      std::string missing;
      for (const auto& name : required->get_array())
        if (name.is_string() && !o.contains(name.get_string())) {
          if (!missing.empty()) missing += ',';
          missing += json::serialize(name);
        }
      if (!missing.empty()) return "object has missing required properties ([" + missing + "])";
    }
    const json::object* properties = nullptr;
    if (auto* p = s.if_contains("properties"); p && p->is_object()) properties = &p->get_object();
    const json::object* patterns = nullptr;
    if (auto* p = s.if_contains("patternProperties"); p && p->is_object())
      patterns = &p->get_object();
    const json::value* additional = s.if_contains("additionalProperties");
    for (const auto& [name, value] : o) {
      bool described = false;
      if (properties)
        if (auto* sub = properties->if_contains(name)) {
          described = true;
          if (auto e = check(*sub, value, scope_root, depth + 1)) return e;
        }
      if (patterns)
        for (const auto& [pattern, sub] : *patterns)
          if (search(pattern, name)) {
            described = true;
            if (auto e = check(sub, value, scope_root, depth + 1)) return e;
          }
      if (!described && additional) {
        if (additional->is_bool() && !additional->get_bool())
          return "object instance has properties which are not allowed by the schema: [\"" +
                 std::string(name) + "\"]";
        if (additional->is_object())
          if (auto e = check(*additional, value, scope_root, depth + 1)) return e;
      }
    }
    if (auto* deps = s.if_contains("dependencies"); deps && deps->is_object())
      for (const auto& [name, dep] : deps->get_object()) {
        if (!o.contains(name)) continue;
        if (dep.is_array()) {
          for (const auto& other : dep.get_array())
            if (other.is_string() && !o.contains(other.get_string()))
              return "property \"" + std::string(name) + "\" requires other properties";
        } else if (auto e = check(dep, json::value(o), scope_root, depth + 1)) {
          return e;
        }
      }
    return std::nullopt;
  }
};

}  // namespace

std::optional<std::string> schema_violation(const json::value& schema, const json::value& doc,
                                            const model_lookup& models) {
  checker c{models, schema};
  return c.check(schema, doc, schema, 0);
}

}  // namespace stratus::apigateway
