// Errors of the VTL engine, returned as values.
//
// Every public entry point of stratus::vtl (parse, render) returns a
// result<T>; nothing throws out of them. API Gateway answers a template that
// fails to parse or to render with a 500 "Internal server error"; the caller
// (the API Gateway data plane, the `stratus template render` command) decides
// how to surface the message carried here.
//
// Thread-safety: plain values, safe to copy between threads.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace stratus::vtl {

enum class error_kind {
  syntax,          // the template text does not parse
  evaluation,      // a method threw (index out of range, bad regex, bad base64...)
  limit_exceeded,  // a safety limit ended the render (see limits.hpp)
};

struct error {
  error_kind kind = error_kind::syntax;
  std::string message;
  // 1-based position in the template text; 0 when unknown.
  int line = 0;
  int column = 0;

  // "line 3, column 7: message" (or just the message without a position).
  [[nodiscard]] std::string describe() const;
};

// A value or an error. Minimal stand-in for C++23 std::expected.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  result(error err) : v_(std::move(err)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  [[nodiscard]] T& value() & { return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
  [[nodiscard]] const error& err() const { return std::get<1>(v_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, error> v_;
};

}  // namespace stratus::vtl
