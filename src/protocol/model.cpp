#include "protocol/model.hpp"

#include <boost/json.hpp>
#include <mutex>
#include <stdexcept>

namespace stratus::protocol {
namespace json = boost::json;

namespace {

shape_type parse_type(std::string_view t) {
  if (t == "structure") return shape_type::structure;
  if (t == "list") return shape_type::list;
  if (t == "map") return shape_type::map;
  if (t == "string") return shape_type::string;
  if (t == "integer") return shape_type::integer;
  if (t == "long") return shape_type::long_;
  if (t == "boolean") return shape_type::boolean;
  if (t == "float") return shape_type::float_;
  if (t == "double") return shape_type::double_;
  if (t == "blob") return shape_type::blob;
  if (t == "timestamp") return shape_type::timestamp;
  throw std::runtime_error("unknown shape type " + std::string(t));
}

location parse_location(std::string_view l) {
  if (l == "uri") return location::uri;
  if (l == "querystring") return location::querystring;
  if (l == "header") return location::header;
  if (l == "headers") return location::headers;
  if (l == "statusCode") return location::status_code;
  return location::body;
}

std::string str(const json::object& o, std::string_view key) {
  if (auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->get_string());
  return {};
}

std::optional<double> num(const json::object& o, std::string_view key) {
  if (auto* v = o.if_contains(key)) {
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    if (v->is_uint64()) return static_cast<double>(v->get_uint64());
    if (v->is_double()) return v->get_double();
  }
  return std::nullopt;
}

void parse_request_uri(operation& op) {
  std::string_view uri = op.request_uri;
  std::string_view path = uri;
  if (auto q = uri.find('?'); q != std::string_view::npos) {
    path = uri.substr(0, q);
    std::string_view query = uri.substr(q + 1);
    while (!query.empty()) {
      auto amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      auto eq = pair.find('=');
      op.static_query.emplace_back(
          std::string(pair.substr(0, eq)),
          eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  std::size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    auto seg = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    op.path_segments.emplace_back(seg);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  // "/" alone gives one empty segment; keep it so that "/" matches only "/".
}

}  // namespace

const member* shape::find_member(std::string_view n) const {
  for (const auto& m : members)
    if (m.name == n) return &m;
  return nullptr;
}

const operation* service_model::find_operation(std::string_view n) const {
  auto it = operations.find(n);
  return it == operations.end() ? nullptr : &it->second;
}

const shape* service_model::find_shape(std::string_view n) const {
  auto it = shapes.find(std::string(n));
  return it == shapes.end() ? nullptr : it->second.get();
}

std::unique_ptr<service_model> load_model(std::string_view name, std::string_view json_text) {
  json::parse_options opts;
  opts.max_depth = 64;
  auto doc = json::parse(json_text, {}, opts).as_object();
  auto model = std::make_unique<service_model>();
  model->name = name;

  const auto& meta = doc.at("metadata").as_object();
  model->protocol = str(meta, "protocol");
  model->api_version = str(meta, "apiVersion");
  model->target_prefix = str(meta, "targetPrefix");
  model->json_version = str(meta, "jsonVersion");
  model->signing_name = str(meta, "signingName");
  model->endpoint_prefix = str(meta, "endpointPrefix");
  if (model->signing_name.empty()) model->signing_name = model->endpoint_prefix;
  model->xml_namespace = str(meta, "xmlNamespace");

  // Two passes: create every shape, then link members to their targets.
  const auto& shapes = doc.at("shapes").as_object();
  for (const auto& [shape_name, def] : shapes) {
    auto s = std::make_unique<shape>();
    s->name = shape_name;
    model->shapes.emplace(std::string(shape_name), std::move(s));
  }
  auto target = [&](const json::object& ref) {
    auto it = model->shapes.find(std::string(ref.at("shape").as_string()));
    if (it == model->shapes.end()) throw std::runtime_error("dangling shape reference");
    return it->second.get();
  };
  for (const auto& [shape_name, def_value] : shapes) {
    const auto& def = def_value.as_object();
    shape& s = *model->shapes.at(std::string(shape_name));
    s.type = parse_type(def.at("type").as_string());
    s.min = num(def, "min");
    s.max = num(def, "max");
    s.timestamp_format = str(def, "timestampFormat");
    s.flattened = def.contains("flattened") && def.at("flattened").as_bool();
    s.streaming = def.contains("streaming") && def.at("streaming").as_bool();
    s.is_exception = def.contains("exception") && def.at("exception").as_bool();
    if (auto* e = def.if_contains("error"); e && e->is_object()) {
      const auto& err = e->as_object();
      if (auto code = num(err, "httpStatusCode")) s.error_status = static_cast<unsigned>(*code);
      s.error_code = str(err, "code");
      s.sender_fault = err.contains("senderFault") && err.at("senderFault").as_bool();
    }
    if (auto p = str(def, "pattern"); !p.empty()) {
      s.pattern = p;
      // A Java-only construct leaves the constraint unchecked (documented in
      // docs/compatibility/): better than rejecting valid input.
      s.pattern_check = pattern_matcher::compile(p);
    }
    if (auto* e = def.if_contains("enum"))
      for (const auto& v : e->as_array()) s.enum_values.emplace_back(v.as_string());
    if (s.type == shape_type::structure) {
      if (auto* req = def.if_contains("required"))
        for (const auto& r : req->as_array()) s.required.emplace_back(r.as_string());
      std::string payload = str(def, "payload");
      if (auto* ms = def.if_contains("members")) {
        for (const auto& [member_name, mdef_value] : ms->as_object()) {
          const auto& mdef = mdef_value.as_object();
          member m;
          m.name = member_name;
          m.target = target(mdef);
          m.where = parse_location(str(mdef, "location"));
          m.location_name = str(mdef, "locationName");
          if (m.location_name.empty()) m.location_name = m.name;
          m.is_payload = m.name == payload;
          m.flattened = mdef.contains("flattened") && mdef.at("flattened").as_bool();
          m.id_token = mdef.contains("idempotencyToken");
          s.members.push_back(std::move(m));
        }
      }
    } else if (s.type == shape_type::list) {
      const auto& mem = def.at("member").as_object();
      s.element = target(mem);
      s.element_location_name = str(mem, "locationName");
      if (s.element_location_name.empty()) s.element_location_name = "member";
    } else if (s.type == shape_type::map) {
      s.key = target(def.at("key").as_object());
      s.value = target(def.at("value").as_object());
    }
  }

  for (const auto& [op_name, def_value] : doc.at("operations").as_object()) {
    const auto& def = def_value.as_object();
    operation op;
    op.name = op_name;
    if (auto* http = def.if_contains("http")) {
      const auto& h = http->as_object();
      op.http_method = str(h, "method");
      op.request_uri = str(h, "requestUri");
      if (auto code = num(h, "responseCode")) op.success_status = static_cast<unsigned>(*code);
    }
    parse_request_uri(op);
    if (auto* in = def.if_contains("input")) op.input = target(in->as_object());
    if (auto* out = def.if_contains("output")) {
      op.output = target(out->as_object());
      op.result_wrapper = str(out->as_object(), "resultWrapper");
    }
    if (auto* errs = def.if_contains("errors"))
      for (const auto& e : errs->as_array()) op.errors.push_back(target(e.as_object()));
    model->operations.emplace(std::string(op_name), std::move(op));
  }
  return model;
}

}  // namespace stratus::protocol
