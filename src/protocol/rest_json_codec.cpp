// The `rest-json` protocol (Lambda, API Gateway): the operation is chosen by
// HTTP method and URI template; input members come from URI labels, the query
// string, headers and the JSON body (or a raw payload member).
#include <boost/json.hpp>

#include "common/ascii.hpp"
#include "protocol/codecs.hpp"

namespace stratus::protocol {
namespace json = boost::json;

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path[0] == '/') path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// Matches a request path against an operation's URI template. Returns the
// labels (decoded) and a specificity score (literal segments count most).
std::optional<std::pair<std::vector<std::pair<std::string, std::string>>, int>> match(
    const operation& op, const std::vector<std::string_view>& segments,
    const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> labels;
  int score = 0;
  const auto& tmpl = op.path_segments;
  std::size_t i = 0;
  for (std::size_t t = 0; t < tmpl.size(); ++t) {
    std::string_view seg = tmpl[t];
    // A template's trailing slash is optional: SDKs send
    // "/2015-03-31/functions" for "/2015-03-31/functions/".
    if (seg.empty() && t + 1 == tmpl.size() && t > 0 && i == segments.size()) break;
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      std::string_view label = seg.substr(1, seg.size() - 2);
      if (label.back() == '+') {  // greedy: the rest of the path
        if (i >= segments.size()) return std::nullopt;
        std::string rest;
        for (std::size_t j = i; j < segments.size(); ++j)
          rest += (j > i ? "/" : "") + url_decode(segments[j]);
        labels.emplace_back(std::string(label.substr(0, label.size() - 1)), rest);
        i = segments.size();
        continue;
      }
      if (i >= segments.size() || segments[i].empty()) return std::nullopt;
      labels.emplace_back(std::string(label), url_decode(segments[i]));
      ++i;
      score += 1;
    } else {
      if (i >= segments.size() || segments[i] != seg) return std::nullopt;
      ++i;
      score += 100;
    }
  }
  if (i != segments.size()) return std::nullopt;
  for (const auto& [k, v] : op.static_query) {
    bool found = false;
    for (const auto& [qk, qv] : query) found = found || (qk == k && (v.empty() || qv == v));
    if (!found) return std::nullopt;
    score += 100;
  }
  return std::make_pair(std::move(labels), score);
}

api_error bad_param(std::string_view where, std::string_view name) {
  return api_error::serialization(std::string("Could not convert ") + std::string(where) + " '" +
                                  std::string(name) + "'");
}

// The most specific operation whose method and URI template match, with its
// labels.
std::pair<const operation*, std::vector<std::pair<std::string, std::string>>> best_match(
    const service_model& model, std::string_view method,
    const std::vector<std::string_view>& segments,
    const std::vector<std::pair<std::string, std::string>>& query) {
  const operation* best = nullptr;
  std::vector<std::pair<std::string, std::string>> best_labels;
  int best_score = -1;
  for (const auto& [name, op] : model.operations) {
    if (!ascii::iequals(op.http_method, method)) continue;
    if (auto m = match(op, segments, query); m && m->second > best_score) {
      best = &op;
      best_labels = std::move(m->first);
      best_score = m->second;
    }
  }
  return {best, std::move(best_labels)};
}

}  // namespace

const operation* find_rest_operation(const service_model& model, std::string_view method,
                                     std::string_view path, std::string_view query) {
  return best_match(model, method, split_path(path), parse_query(query)).first;
}

result<decoded_request> rest_json_codec::decode(const service_model& model,
                                                const wire_request& req) const {
  auto segments = split_path(req.path);
  auto query = parse_query(req.query);
  auto [best, best_labels] = best_match(model, req.method, segments, query);
  if (!best) return api_error::unknown_operation();

  decoded_request out;
  out.op = best;
  if (!best->input) return out;
  const shape& in = *best->input;

  const member* payload = nullptr;
  bool has_body_members = false;
  for (const auto& m : in.members) {
    switch (m.where) {
      case location::uri:
        for (const auto& [k, v] : best_labels)
          if (k == m.location_name) {
            auto value = scalar_from_text(*m.target, v);
            if (!value) return bad_param("path parameter", m.location_name);
            out.input[m.name] = std::move(*value);
          }
        break;
      case location::querystring:
        if (m.target->type == shape_type::list) {
          json::array values;
          for (const auto& [k, v] : query)
            if (k == m.location_name) {
              auto value = scalar_from_text(*m.target->element, v);
              if (!value) return bad_param("query parameter", m.location_name);
              values.push_back(std::move(*value));
            }
          if (!values.empty()) out.input[m.name] = std::move(values);
        } else if (m.target->type == shape_type::map) {
          json::object values;
          for (const auto& [k, v] : query) values[k] = v;
          if (!values.empty()) out.input[m.name] = std::move(values);
        } else {
          for (const auto& [k, v] : query)
            if (k == m.location_name) {
              auto value = scalar_from_text(*m.target, v);
              if (!value) return bad_param("query parameter", m.location_name);
              out.input[m.name] = std::move(*value);
              break;
            }
        }
        break;
      case location::header:
        if (req.has_header(m.location_name)) {
          auto value = scalar_from_text(*m.target, req.header(m.location_name));
          if (!value) return bad_param("header", m.location_name);
          out.input[m.name] = std::move(*value);
        }
        break;
      case location::headers: {
        json::object values;
        for (const auto& [k, v] : req.headers)
          if (ascii::istarts_with(k, m.location_name))
            values[std::string(k.substr(m.location_name.size()))] = v;
        if (!values.empty()) out.input[m.name] = std::move(values);
        break;
      }
      case location::status_code:
        break;
      case location::body:
        if (m.is_payload)
          payload = &m;
        else
          has_body_members = true;
        break;
    }
  }

  if (payload &&
      (payload->target->type == shape_type::blob || payload->target->type == shape_type::string)) {
    if (!req.body.empty()) out.input[payload->name] = json::string(req.body);
    return out;
  }
  if (req.body.empty() || (!payload && !has_body_members)) return out;
  json::parse_options opts;
  opts.max_depth = max_json_depth;
  boost::system::error_code ec;
  json::value body = json::parse(req.body, ec, {}, opts);
  if (ec || !body.is_object())
    return api_error::serialization("Could not parse request body into json");
  if (payload) {
    out.input[payload->name] = std::move(body);
    return out;
  }
  // Body members go by their wire name (API Gateway's collections send
  // `item` for `items`; PutIntegration's `httpMethod` is
  // integrationHttpMethod, the URI's being httpMethod).
  for (auto& [k, v] : body.get_object())
    for (const auto& m : in.members)
      if (m.where == location::body && m.location_name == k) {
        out.input[m.name] = std::move(v);
        break;
      }
  return out;
}

wire_response rest_json_codec::encode(const service_model&, const operation& op,
                                      const json::object& output,
                                      std::string_view request_id) const {
  wire_response res;
  res.status = op.success_status;
  res.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  if (!op.output) {
    res.headers.emplace_back("Content-Type", "application/json");
    return res;
  }
  json::object body;
  const member* payload = nullptr;
  for (const auto& m : op.output->members) {
    const json::value* v = output.if_contains(m.name);
    if (m.is_payload) {
      payload = &m;
      continue;
    }
    if (!v || v->is_null()) continue;
    switch (m.where) {
      case location::header:
        res.headers.emplace_back(m.location_name, scalar_to_text(*m.target, *v, true));
        break;
      case location::headers:
        if (v->is_object())
          for (const auto& [k, hv] : v->get_object())
            res.headers.emplace_back(m.location_name + std::string(k),
                                     hv.is_string() ? std::string(hv.get_string()) : "");
        break;
      case location::status_code:
        if (v->is_int64()) res.status = static_cast<unsigned>(v->get_int64());
        break;
      default:
        body[m.location_name] = *v;
    }
  }
  if (payload) {
    const json::value* v = output.if_contains(payload->name);
    if (payload->target->type == shape_type::blob || payload->target->type == shape_type::string) {
      if (v && v->is_string()) res.body = std::string(v->get_string());
      res.headers.emplace_back("Content-Type", "application/octet-stream");
    } else {
      res.headers.emplace_back("Content-Type", "application/json");
      if (v) res.body = json::serialize(*v);
    }
    return res;
  }
  res.headers.emplace_back("Content-Type", "application/json");
  res.body = json::serialize(body);
  return res;
}

wire_response rest_json_codec::encode_error(const service_model& model, const api_error& err,
                                            std::string_view request_id) const {
  wire_response res;
  res.status = err.status;
  res.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  res.headers.emplace_back("x-amzn-ErrorType", err.code);
  res.headers.emplace_back("Content-Type", "application/json");
  json::object body = err.extra;
  if (model.name == "lambda") {
    // Lambda's errors carry the fault side and a capitalised Message.
    body["Type"] = err.sender_fault ? "User" : "Service";
    body["Message"] = err.message;
  } else {
    body["message"] = err.message;
  }
  res.body = json::serialize(body);
  return res;
}

}  // namespace stratus::protocol
