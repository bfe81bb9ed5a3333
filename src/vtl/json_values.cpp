#include "vtl/json_values.hpp"

#include <boost/json/parse.hpp>

namespace stratus::vtl {

value from_json(const boost::json::value& j) {
  switch (j.kind()) {
    case boost::json::kind::null:
      return {};
    case boost::json::kind::bool_:
      return j.get_bool();
    case boost::json::kind::int64:
      return j.get_int64();
    case boost::json::kind::uint64: {
      auto u = j.get_uint64();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
      return static_cast<double>(u);
    }
    case boost::json::kind::double_:
      return j.get_double();
    case boost::json::kind::string:
      return std::string(j.get_string());
    case boost::json::kind::array: {
      auto l = make_list(list_style::json);
      l->items.reserve(j.get_array().size());
      for (const auto& item : j.get_array()) l->items.push_back(from_json(item));
      return l;
    }
    case boost::json::kind::object:
      return from_json(j.get_object());
  }
  return {};
}

value from_json(const boost::json::object& o) {
  auto m = make_map();
  for (const auto& [k, v] : o) m->put(std::string(k), from_json(v));
  return m;
}

std::optional<boost::json::value> parse_json_document(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = max_json_depth;
  boost::system::error_code ec;
  boost::json::value j = boost::json::parse(text, ec, {}, options);
  if (ec) return std::nullopt;
  return j;
}

std::optional<value> parse_json(std::string_view text) {
  auto j = parse_json_document(text);
  if (!j) return std::nullopt;
  return from_json(*j);
}

}  // namespace stratus::vtl
