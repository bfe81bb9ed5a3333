// Parsing template text into a syntax tree, with API Gateway's dialect.
//
// The grammar is Apache Velocity 1.7's (the version API Gateway runs: it
// knows both $foreach and the older $velocityCount), including its
// whitespace rules as the recorded API Gateway renderings show them:
//   - `#set(...)`, `#if(...)`, `#elseif(...)`, `#foreach(...)`, `#define(...)`
//     followed by spaces and a newline swallow that newline;
//   - `#else` and `#end` followed by spaces and a newline swallow it too;
//   - spaces or tabs between a directive (or the template start) and `#set`
//     are dropped, indentation after a newline is kept;
//   - `##` comments swallow their newline, `#* *#` comments do not.
// API Gateway does not run macros: a `#macro` definition is parsed and
// dropped, and a call of anything that is not a directive (`#foo(...)`,
// `#evaluate(...)`, `#return(...)`) is printed literally.
//
// Thread-safety: parse() is reentrant; the result is immutable.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "vtl/ast.hpp"
#include "vtl/error.hpp"
#include "vtl/limits.hpp"

namespace stratus::vtl {

class parsed_template {
 public:
  parsed_template(std::string source, ast::block root);

  [[nodiscard]] const std::string& source() const { return source_; }
  [[nodiscard]] const ast::block& root() const { return root_; }
  // The properties the template reads or sets on the variable `name`
  // directly (`$name.prop...`); nullopt when it uses the variable any other
  // way (`$name` alone, a method of it, an index), so that all of it may be
  // needed. Lets a caller build only the parts of a large variable a
  // template can reach.
  [[nodiscard]] std::optional<std::set<std::string, std::less<>>> properties_of(
      std::string_view name) const;

 private:
  std::string source_;
  ast::block root_;
  // Per variable name: the properties reached, or nullopt for "any".
  std::map<std::string, std::optional<std::set<std::string, std::less<>>>, std::less<>> uses_;
};

using template_ptr = std::shared_ptr<const parsed_template>;

// Parses `text`; errors carry the line and column of the offending token.
[[nodiscard]] result<template_ptr> parse(std::string_view text, const limits& lim = {});

}  // namespace stratus::vtl
