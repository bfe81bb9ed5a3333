#include "dynamodb/expr/values.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <vector>

#include "common/base64.hpp"
#include "dynamodb/number.hpp"

namespace stratus::dynamodb::expr {
namespace json = boost::json;

std::string_view tag_of(const json::value& v) {
  if (!v.is_object() || v.get_object().empty()) return {};
  return v.get_object().begin()->key();
}

const json::value& payload_of(const json::value& v) {
  return v.get_object().begin()->value();
}

std::string binary_bytes(const json::value& payload) {
  if (!payload.is_string()) return {};
  auto bytes = base64_decode(payload.get_string());
  return bytes ? std::move(*bytes) : std::string();
}

namespace {

int sign(int c) {
  return (c > 0) - (c < 0);
}

int compare_numbers(std::string_view a, std::string_view b) {
  auto x = parse_number(a);
  auto y = parse_number(b);
  if (!x || !y) return sign(a.compare(b));  // unreachable: values are validated
  return compare(*x, *y);
}

// Set members in a canonical, comparable form.
std::vector<std::string> canonical_members(std::string_view tag, const json::value& payload) {
  std::vector<std::string> out;
  if (!payload.is_array()) return out;
  for (const auto& m : payload.get_array()) {
    if (!m.is_string()) continue;
    if (tag == "NS") {
      auto n = parse_number(m.get_string());
      out.push_back(n ? n->to_string() : std::string(m.get_string()));
    } else if (tag == "BS") {
      out.push_back(binary_bytes(m));
    } else {
      out.push_back(std::string(m.get_string()));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::optional<int> compare_scalars(const json::value& a, const json::value& b) {
  const std::string_view ta = tag_of(a), tb = tag_of(b);
  if (ta != tb) return std::nullopt;
  const json::value& pa = payload_of(a);
  const json::value& pb = payload_of(b);
  if (!pa.is_string() || !pb.is_string()) return std::nullopt;
  // std::char_traits<char>::compare orders as unsigned char, as DynamoDB
  // orders UTF-8 strings and binaries.
  if (ta == "S") return sign(std::string_view(pa.get_string()).compare(pb.get_string()));
  if (ta == "N") return compare_numbers(pa.get_string(), pb.get_string());
  if (ta == "B") return sign(binary_bytes(pa).compare(binary_bytes(pb)));
  return std::nullopt;
}

bool values_equal(const json::value& a, const json::value& b) {
  const std::string_view ta = tag_of(a), tb = tag_of(b);
  if (ta.empty() || ta != tb) return false;
  const json::value& pa = payload_of(a);
  const json::value& pb = payload_of(b);
  if (ta == "S" || ta == "N" || ta == "B") return compare_scalars(a, b) == 0;
  if (ta == "BOOL" || ta == "NULL") return pa == pb;
  if (ta == "SS" || ta == "NS" || ta == "BS")
    return canonical_members(ta, pa) == canonical_members(tb, pb);
  if (ta == "L") {
    if (!pa.is_array() || !pb.is_array()) return false;
    const auto& la = pa.get_array();
    const auto& lb = pb.get_array();
    if (la.size() != lb.size()) return false;
    for (std::size_t i = 0; i < la.size(); ++i)
      if (!values_equal(la[i], lb[i])) return false;
    return true;
  }
  if (ta == "M") {
    if (!pa.is_object() || !pb.is_object()) return false;
    const auto& ma = pa.get_object();
    const auto& mb = pb.get_object();
    if (ma.size() != mb.size()) return false;
    for (const auto& [k, v] : ma) {
      auto it = mb.find(k);
      if (it == mb.end() || !values_equal(v, it->value())) return false;
    }
    return true;
  }
  return false;
}

const json::value* find_path(const json::object& item, const path& p) {
  if (p.steps.empty() || p.steps[0].is_index) return nullptr;
  auto it = item.find(p.steps[0].name);
  if (it == item.end()) return nullptr;
  const json::value* v = &it->value();
  for (std::size_t i = 1; i < p.steps.size(); ++i) {
    const auto& step = p.steps[i];
    if (step.is_index) {
      if (tag_of(*v) != "L") return nullptr;
      const auto& list = payload_of(*v).get_array();
      if (step.index >= list.size()) return nullptr;
      v = &list[step.index];
    } else {
      if (tag_of(*v) != "M") return nullptr;
      const auto& map = payload_of(*v).get_object();
      auto member = map.find(step.name);
      if (member == map.end()) return nullptr;
      v = &member->value();
    }
  }
  return v;
}

bool path_less(const path& a, const path& b) {
  const std::size_t n = std::min(a.steps.size(), b.steps.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto& x = a.steps[i];
    const auto& y = b.steps[i];
    if (x.is_index != y.is_index) return x.is_index;
    if (x.is_index ? x.index != y.index : x.name != y.name)
      return x.is_index ? x.index < y.index : x.name < y.name;
  }
  return a.steps.size() < b.steps.size();
}

std::string render(const json::value& v) {
  const std::string_view tag = tag_of(v);
  if (tag.empty()) return "{}";
  const json::value& p = payload_of(v);
  std::string out = "{" + std::string(tag) + ":";
  if (p.is_string()) {
    out += std::string_view(p.get_string());
  } else if (p.is_bool()) {
    out += p.get_bool() ? "true" : "false";
  } else if (p.is_array()) {
    out += "[";
    bool first = true;
    for (const auto& e : p.get_array()) {
      if (!first) out += ", ";
      first = false;
      out += e.is_string() ? std::string(e.get_string()) : render(e);
    }
    out += "]";
  } else if (p.is_object()) {
    out += "{";
    bool first = true;
    for (const auto& [k, e] : p.get_object()) {
      if (!first) out += ", ";
      first = false;
      out += std::string(k) + "=" + render(e);
    }
    out += "}";
  }
  return out + "}";
}

}  // namespace stratus::dynamodb::expr
