#include "vtl/apigw/input.hpp"

#include <cctype>
#include <optional>

#include "vtl/apigw/jsonpath.hpp"
#include "vtl/json_values.hpp"

namespace stratus::vtl::apigw {

namespace {

map_ptr params_map(const param_list& params) {
  auto m = make_map();
  for (const auto& [k, v] : params) m->put(k, v);
  return m;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

class input_object final : public host_object {
 public:
  explicit input_object(const request_data& data)
      // An empty payload reads as "{}" (test_input_body_formatting records
      // "{}" for a request without a body).
      : data_(data), body_(data.body.empty() ? std::string("{}") : data.body) {}

  [[nodiscard]] std::string java_string() const override { return {}; }

  [[nodiscard]] const value* property(std::string_view name) const override {
    return name == "body" ? &body_ : nullptr;
  }

  call_result call(std::string_view name, std::vector<value>& args) override {
    if (args.empty()) {
      if (name == "body" || name == "getBody") return call_result::ok(body_);
      if (name == "params") {
        auto m = make_map();
        m->put("path", params_map(data_.path));
        m->put("querystring", params_map(data_.querystring));
        m->put("header", params_map(data_.header));
        return call_result::ok(m);
      }
      return call_result::missing();
    }
    if (args.size() != 1 || !args[0].is_string()) return call_result::missing();
    const std::string& arg = args[0].as_string();
    if (name == "params") return call_result::ok(param(arg));
    if (name == "path") return path(arg);
    if (name == "json") return json(arg);
    return call_result::missing();
  }

 private:
  // Path parameters first, then the query string, then headers (API
  // Gateway's documented search order); a missing parameter is "".
  [[nodiscard]] std::string param(std::string_view name) const {
    for (const auto* list : {&data_.path, &data_.querystring}) {
      for (const auto& [k, v] : *list) {
        if (k == name) return v;
      }
    }
    for (const auto& [k, v] : data_.header) {
      if (iequals(k, name)) return v;
    }
    return {};
  }

  const boost::json::value* document() {
    // The raw payload: an empty one is no JSON at all here, even though
    // $input.body reads "{}".
    if (!parsed_) parsed_ = parse_json_document(data_.body);
    return *parsed_ ? &**parsed_ : nullptr;
  }

  call_result path(const std::string& p) {
    const auto* doc = document();
    // A payload that is empty or not JSON has nothing to select.
    if (doc == nullptr) return call_result::ok({});
    auto r = evaluate_jsonpath(p, *doc);
    if (!r.ok) return call_result::thrown(r.error);
    if (r.definite) {
      // A missing member is null (test_input_path_template_formatting,
      // "empty-body": `$result` prints nothing and equals "").
      return call_result::ok(r.matches.empty() ? value() : from_json(*r.matches.front()));
    }
    auto l = make_list(list_style::json);
    for (const auto* m : r.matches) l->items.push_back(from_json(*m));
    return call_result::ok(l);
  }

  call_result json(const std::string& p) {
    call_result r = path(p);
    if (r.status != call_status::ok) return r;
    // Nothing selected prints as the JSON empty string `""` (behaviour
    // LocalStack checked against the API Gateway console, PR #12774).
    if (r.result.is_null()) return call_result::ok(std::string("\"\""));
    std::string out;
    if (!append_json(r.result, out, max_json_depth + 1))
      return call_result::thrown("JSON too deep");
    return call_result::ok(std::move(out));
  }

  const request_data& data_;
  value body_;
  std::optional<std::optional<boost::json::value>> parsed_;
};

}  // namespace

object_ptr make_input_object(const request_data& data) {
  return std::make_shared<input_object>(data);
}

}  // namespace stratus::vtl::apigw
