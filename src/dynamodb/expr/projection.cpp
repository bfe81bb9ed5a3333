#include "dynamodb/expr/projection.hpp"

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>

#include "dynamodb/expr/values.hpp"

namespace stratus::dynamodb::expr {
namespace json = boost::json;

namespace {

// The requested paths merged into a tree: a leaf takes the whole value.
struct selection {
  bool whole = false;
  std::map<std::string, selection> names;
  std::map<std::size_t, selection> indexes;
};

std::optional<json::value> select(const json::value& v, const selection& s) {
  if (s.whole) return v;
  const std::string_view tag = tag_of(v);
  if (!s.names.empty() && tag == "M") {
    json::object out;
    const auto& map = payload_of(v).get_object();
    for (const auto& [name, sub] : s.names) {
      auto it = map.find(name);
      if (it == map.end()) continue;
      if (auto picked = select(it->value(), sub)) out[name] = std::move(*picked);
    }
    if (out.empty()) return std::nullopt;
    return json::object{{"M", std::move(out)}};
  }
  if (!s.indexes.empty() && tag == "L") {
    json::array out;
    const auto& list = payload_of(v).get_array();
    for (const auto& [index, sub] : s.indexes) {
      if (index >= list.size()) continue;
      if (auto picked = select(list[index], sub)) out.push_back(std::move(*picked));
    }
    if (out.empty()) return std::nullopt;
    return json::object{{"L", std::move(out)}};
  }
  return std::nullopt;
}

}  // namespace

json::object apply_projection(const std::vector<path>& paths, const json::object& item) {
  selection root;
  for (const auto& p : paths) {
    selection* s = &root;
    for (const auto& step : p.steps) {
      if (s->whole) break;
      s = step.is_index ? &s->indexes[step.index] : &s->names[step.name];
    }
    // A path that covers an earlier, longer one takes the whole value.
    s->whole = true;
    s->names.clear();
    s->indexes.clear();
  }
  json::object out;
  for (const auto& [name, sub] : root.names) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    if (auto picked = select(it->value(), sub)) out[name] = std::move(*picked);
  }
  return out;
}

json::object apply_projection(const projection& p, const json::object& item) {
  return apply_projection(p.paths, item);
}

}  // namespace stratus::dynamodb::expr
