#include "dynamodb/attribute_value.hpp"

#include <boost/json.hpp>
#include <set>

#include "common/base64.hpp"
#include "dynamodb/number.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

api_error invalid(std::string_view what) {
  return api_error::validation("One or more parameter values were invalid: " + std::string(what));
}

// JSON of the wrong type where DynamoDB expects a string, list or map is a
// deserialization failure, not a validation one.
api_error wrong_json(std::string_view expected) {
  api_error e = api_error::serialization({});
  e.message = "Unexpected value type in payload; expected " + std::string(expected);
  return e;
}

result<std::string> check_binary(const json::value& v) {
  if (!v.is_string()) return wrong_json("base64 string");
  auto bytes = base64_decode(v.get_string());
  if (!bytes)
    return api_error::serialization("Base64 encoded length is expected a multiple of 4 bytes");
  return std::move(*bytes);
}

std::string java_list(const json::array& a) {
  std::string out = "[";
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i) out += ", ";
    if (a[i].is_string()) out += std::string_view(a[i].get_string());
  }
  return out + "]";
}

result<void> normalize_set(std::string_view tag, json::value& payload) {
  if (!payload.is_array()) return wrong_json("list");
  auto& a = payload.get_array();
  if (a.empty()) {
    if (tag == "SS") return invalid("An string set  may not be empty");
    if (tag == "NS") return invalid("An number set  may not be empty");
    return invalid("Binary sets should not be empty");
  }
  std::set<std::string> seen;
  bool duplicate = false;
  for (auto& member : a) {
    if (!member.is_string()) return wrong_json("string");
    std::string canonical;
    if (tag == "NS") {
      auto n = parse_number(member.get_string());
      if (!n) return n.error();
      canonical = n->to_string();
      member = canonical;
    } else if (tag == "BS") {
      auto bytes = check_binary(member);
      if (!bytes) return bytes.error();
      canonical = std::move(*bytes);
    } else {
      canonical = std::string(member.get_string());
    }
    duplicate = duplicate || !seen.insert(std::move(canonical)).second;
  }
  if (duplicate) {
    // AWS sends this one without the "One or more parameter values" prefix.
    if (tag == "NS") return api_error::validation("Input collection contains duplicates");
    if (tag == "BS")
      return invalid("Input collection " + java_list(a) + "of type BS contains duplicates.");
    return invalid("Input collection " + java_list(a) + " contains duplicates.");
  }
  return {};
}

}  // namespace

result<void> normalize_value(json::value& value, int depth) {
  if (depth > max_nesting)
    return api_error::validation(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
        "beyond supported limit");
  if (!value.is_object()) return wrong_json("AttributeValue object");
  auto& o = value.get_object();
  if (o.empty())
    return api_error::validation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  if (o.size() > 1)
    return api_error::validation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
        "supported datatypes");
  auto& [tag_view, payload] = *o.begin();
  std::string_view tag = tag_view;
  if (tag == "S") {
    if (!payload.is_string()) return wrong_json("string");
  } else if (tag == "N") {
    if (!payload.is_string()) return wrong_json("string");
    auto n = parse_number(payload.get_string());
    if (!n) return n.error();
    payload = n->to_string();
  } else if (tag == "B") {
    auto bytes = check_binary(payload);
    if (!bytes) return bytes.error();
  } else if (tag == "BOOL") {
    if (!payload.is_bool()) return wrong_json("boolean");
  } else if (tag == "NULL") {
    if (!payload.is_bool()) return wrong_json("boolean");
    if (!payload.get_bool())
      return invalid("Null attribute value types must have the value of true");
  } else if (tag == "SS" || tag == "NS" || tag == "BS") {
    return normalize_set(tag, payload);
  } else if (tag == "L") {
    if (!payload.is_array()) return wrong_json("list");
    for (auto& element : payload.get_array())
      if (auto r = normalize_value(element, depth + 1); !r) return r;
  } else if (tag == "M") {
    if (!payload.is_object()) return wrong_json("map");
    for (auto& [name, element] : payload.get_object())
      if (auto r = normalize_value(element, depth + 1); !r) return r;
  } else {
    return api_error::validation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  return {};
}

result<void> normalize_item(json::object& item) {
  for (auto& [name, value] : item) {
    if (name.empty())
      return invalid("Empty attribute name");  // regex in tests: "Empty attribute name"
    if (auto r = normalize_value(value); !r) return r;
  }
  return {};
}

namespace {

std::size_t utf8_bytes(std::string_view s) {
  return s.size();
}

std::size_t number_size(std::string_view canonical) {
  // DynamoDB stores numbers in a base-100 form: about one byte per two
  // significant digits, plus one. The canonical text spells exponents out
  // ("1e30" is 1 and 30 zeros): only the digits between the first and last
  // non-zero one are significant.
  std::size_t first = canonical.find_first_of("123456789");
  if (first == std::string_view::npos) return 1;  // zero
  std::size_t last = canonical.find_last_of("123456789");
  std::size_t digits = 0;
  for (std::size_t i = first; i <= last; ++i) digits += canonical[i] != '.';
  return (digits + 1) / 2 + 1;
}

std::size_t value_size(const json::value& v) {
  const auto& [tag_view, payload] = *v.get_object().begin();
  std::string_view tag = tag_view;
  if (tag == "S") return utf8_bytes(payload.get_string());
  if (tag == "N") return number_size(payload.get_string());
  if (tag == "B") return base64_decoded_size(payload.get_string());
  if (tag == "BOOL" || tag == "NULL") return 1;
  if (tag == "SS" || tag == "NS" || tag == "BS") {
    std::size_t n = 0;
    for (const auto& m : payload.get_array())
      n += tag == "NS"   ? number_size(m.get_string())
           : tag == "BS" ? base64_decoded_size(m.get_string())
                         : utf8_bytes(m.get_string());
    return n;
  }
  std::size_t n = 3;  // lists and maps carry 3 bytes of overhead, 1 per element
  if (tag == "L")
    for (const auto& e : payload.get_array()) n += 1 + value_size(e);
  else
    for (const auto& [name, e] : payload.get_object()) n += 1 + name.size() + value_size(e);
  return n;
}

}  // namespace

std::size_t item_size(const json::object& item) {
  std::size_t n = 0;
  for (const auto& [name, value] : item) n += name.size() + value_size(value);
  return n;
}

std::string_view type_of(const json::value& value) {
  return value.get_object().begin()->key();
}

}  // namespace stratus::dynamodb
