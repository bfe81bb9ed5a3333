// The `query` protocol (IAM, STS): Action=<Operation>&Version=...&<members>
// as a form body (or the query string of a GET); XML out, wrapped in
// <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>.
#include <boost/json.hpp>
#include <map>

#include "protocol/codecs.hpp"

namespace stratus::protocol {
namespace json = boost::json;

namespace {

using params = std::map<std::string, std::string, std::less<>>;

bool has_prefix(const params& p, const std::string& prefix) {
  auto it = p.lower_bound(prefix);
  return it != p.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::optional<api_error> read(const shape& s, const std::string& key, const params& p,
                              json::value& out, bool& present);

std::optional<api_error> read_structure(const shape& s, const std::string& prefix, const params& p,
                                        json::object& out) {
  for (const auto& m : s.members) {
    std::string key = prefix.empty() ? m.location_name : prefix + "." + m.location_name;
    json::value v;
    bool present = false;
    if (auto err = read(*m.target, key, p, v, present)) return err;
    if (present) out[m.name] = std::move(v);
  }
  return std::nullopt;
}

std::optional<api_error> read(const shape& s, const std::string& key, const params& p,
                              json::value& out, bool& present) {
  switch (s.type) {
    case shape_type::structure: {
      if (!has_prefix(p, key + ".")) return std::nullopt;
      json::object o;
      if (auto err = read_structure(s, key, p, o)) return err;
      out = std::move(o);
      present = true;
      return std::nullopt;
    }
    case shape_type::list: {
      // "Key.member.N" (or "Key.N" when flattened); "Key=" alone is an empty list.
      std::string base = s.flattened ? key + "." : key + "." + s.element_location_name + ".";
      json::array a;
      for (std::size_t i = 1;; ++i) {
        std::string item_key = base + std::to_string(i);
        json::value v;
        bool item_present = false;
        if (auto err = read(*s.element, item_key, p, v, item_present)) return err;
        if (!item_present) break;
        a.push_back(std::move(v));
      }
      if (a.empty() && !p.contains(key)) return std::nullopt;
      out = std::move(a);
      present = true;
      return std::nullopt;
    }
    case shape_type::map: {
      std::string base = s.flattened ? key + "." : key + ".entry.";
      json::object o;
      for (std::size_t i = 1;; ++i) {
        std::string entry = base + std::to_string(i);
        auto k = p.find(entry + ".key");
        if (k == p.end()) break;
        json::value v;
        bool value_present = false;
        if (auto err = read(*s.value, entry + ".value", p, v, value_present)) return err;
        o[k->second] = value_present ? std::move(v) : json::value(nullptr);
      }
      if (o.empty()) return std::nullopt;
      out = std::move(o);
      present = true;
      return std::nullopt;
    }
    default: {
      auto it = p.find(key);
      if (it == p.end()) return std::nullopt;
      auto v = scalar_from_text(s, it->second);
      if (!v) return api_error::validation("Invalid value for parameter " + key);
      out = std::move(*v);
      present = true;
      return std::nullopt;
    }
  }
}

void xml_escape(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
}

void write(std::string& out, const shape& s, std::string_view name, const json::value& v);

void write_members(std::string& out, const shape& s, const json::object& o) {
  for (const auto& m : s.members) {
    const json::value* v = o.if_contains(m.name);
    if (!v || v->is_null()) continue;
    if (m.target->type == shape_type::list && (m.flattened || m.target->flattened)) {
      if (v->is_array())
        for (const auto& item : v->get_array())
          write(out, *m.target->element, m.location_name, item);
      continue;
    }
    write(out, *m.target, m.location_name, *v);
  }
}

void write(std::string& out, const shape& s, std::string_view name, const json::value& v) {
  out += '<';
  out += name;
  out += '>';
  switch (s.type) {
    case shape_type::structure:
      if (v.is_object()) write_members(out, s, v.get_object());
      break;
    case shape_type::list:
      if (v.is_array())
        for (const auto& item : v.get_array())
          write(out, *s.element, s.element_location_name, item);
      break;
    case shape_type::map:
      if (v.is_object())
        for (const auto& [k, item] : v.get_object()) {
          out += "<entry>";
          write(out, *s.key, "key", json::value(k));
          write(out, *s.value, "value", item);
          out += "</entry>";
        }
      break;
    default:
      xml_escape(out, scalar_to_text(s, v, false));
  }
  out += "</";
  out += name;
  out += '>';
}

}  // namespace

result<decoded_request> query_codec::decode(const service_model& model,
                                            const wire_request& req) const {
  params p;
  for (auto& [k, v] : parse_query(req.query)) p[k] = std::move(v);
  if (req.method == "POST")
    for (auto& [k, v] : parse_query(req.body)) p[k] = std::move(v);
  auto action = p.find("Action");
  if (action == p.end()) return api_error{"MissingAction", "Missing Action", 400, true, {}};
  const operation* op = model.find_operation(action->second);
  if (!op)
    return api_error{
        "InvalidAction",
        "Could not find operation " + action->second + " for version " + model.api_version,
        400,
        true,
        {}};
  decoded_request out;
  out.op = op;
  if (op->input)
    if (auto err = read_structure(*op->input, "", p, out.input)) return *err;
  return out;
}

wire_response query_codec::encode(const service_model& model, const operation& op,
                                  const json::object& output, std::string_view request_id) const {
  wire_response res;
  res.headers.emplace_back("Content-Type", "text/xml");
  res.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  std::string& xml = res.body;
  xml = "<" + op.name + "Response xmlns=\"" + model.xml_namespace + "\">\n";
  if (op.output) {
    std::string wrapper = op.result_wrapper.empty() ? op.name + "Result" : op.result_wrapper;
    xml += "  <" + wrapper + ">";
    write_members(xml, *op.output, output);
    xml += "</" + wrapper + ">\n";
  }
  xml += "  <ResponseMetadata>\n    <RequestId>" + std::string(request_id) +
         "</RequestId>\n  </ResponseMetadata>\n</" + op.name + "Response>\n";
  return res;
}

wire_response query_codec::encode_error(const service_model& model, const api_error& err,
                                        std::string_view request_id) const {
  wire_response res;
  res.status = err.status;
  res.headers.emplace_back("Content-Type", "text/xml");
  res.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  // An exception shape may name a different wire code (IAM's
  // NoSuchEntityException is sent as NoSuchEntity).
  std::string code = err.code;
  if (const shape* s = model.find_shape(err.code); s && s->is_exception && !s->error_code.empty())
    code = s->error_code;
  std::string& xml = res.body;
  xml = "<ErrorResponse xmlns=\"" + model.xml_namespace + "\">\n  <Error>\n    <Type>";
  xml += err.sender_fault ? "Sender" : "Receiver";
  xml += "</Type>\n    <Code>";
  xml_escape(xml, code);
  xml += "</Code>\n    <Message>";
  xml_escape(xml, err.message);
  xml += "</Message>\n  </Error>\n  <RequestId>" + std::string(request_id) +
         "</RequestId>\n</ErrorResponse>\n";
  return res;
}

const codec& codec_for(const service_model& model) {
  static const json_codec json;
  static const rest_json_codec rest_json;
  static const query_codec query;
  if (model.protocol == "rest-json") return rest_json;
  if (model.protocol == "query") return query;
  return json;
}

}  // namespace stratus::protocol
