#pragma once
// Helpers shared by the expression engine's tests: build a request's
// ExpressionAttributeNames/Values from JSON text and run one expression
// through parse + resolve.

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "dynamodb/expr/expr.hpp"

namespace stratus::dynamodb::expr::testing {

inline boost::json::object object_of(std::string_view json_text) {
  return boost::json::parse(json_text).as_object();
}

// Names and values as JSON object text ("" when absent).
struct request {
  std::optional<boost::json::object> names;
  std::optional<boost::json::object> values;
  std::optional<request_expressions> exprs;

  request(std::string_view names_json = "", std::string_view values_json = "") {
    if (!names_json.empty()) names = object_of(names_json);
    if (!values_json.empty()) values = object_of(values_json);
  }
  result<void> open() {
    auto r = request_expressions::create(names ? &*names : nullptr, values ? &*values : nullptr);
    if (!r) return r.error();
    exprs.emplace(std::move(*r));
    return {};
  }
};

// The message of a failed result, or "" when it succeeded.
template <class T>
std::string message_of(const result<T>& r) {
  return r ? std::string() : r.error().message;
}

// One condition through parse + resolve; "" names/values when absent.
inline result<condition> resolved_condition(std::string_view text, std::string_view names = "",
                                            std::string_view values = "",
                                            expression_kind kind = expression_kind::condition) {
  request req(names, values);
  if (auto r = req.open(); !r) return r.error();
  return req.exprs->resolve_condition(text, kind);
}

inline result<update> resolved_update(std::string_view text, std::string_view names = "",
                                      std::string_view values = "") {
  request req(names, values);
  if (auto r = req.open(); !r) return r.error();
  return req.exprs->resolve_update(text);
}

inline result<projection> resolved_projection(std::string_view text, std::string_view names = "") {
  request req(names, "");
  if (auto r = req.open(); !r) return r.error();
  return req.exprs->resolve_projection(text);
}

}  // namespace stratus::dynamodb::expr::testing
