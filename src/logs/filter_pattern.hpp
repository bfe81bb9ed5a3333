#pragma once
// CloudWatch Logs filter patterns ("Filter and pattern syntax" in AWS's
// CloudWatch Logs guide), as FilterLogEvents applies them:
//
//   ERROR Exception          every term appears (case-sensitive substrings)
//   "exact phrase"           a quoted term
//   ?ERROR ?WARN             at least one of the ? terms appears
//   ERROR -Retrying          and none of the - terms
//   %[Ee]rror%               a regular expression (also as a JSON or field value)
//   { $.level = "error" && $.latency > 100 }     JSON: = != < > <= >=, && ||,
//                            ( ), IS TRUE/FALSE/NULL, NOT EXISTS, * wildcards
//                            in values, $.a.b, $.list[0], $.list[*], $.*
//   [ip, user, ..., status = 4*, bytes > 1000]   space-delimited fields
//
// Two stages, each its own function: parse() turns the text into a compiled
// pattern (or InvalidParameterException), matches() evaluates it against
// one message. A compiled pattern is immutable and may be shared by threads.
#include <memory>
#include <string_view>

#include "common/api_error.hpp"

namespace stratus::logs::filter {

struct pattern_node;  // filter_ast.hpp

class pattern {
 public:
  pattern();  // the empty pattern: matches every event
  explicit pattern(std::shared_ptr<const pattern_node> root) : root_(std::move(root)) {}
  [[nodiscard]] bool matches(std::string_view message) const;
  [[nodiscard]] bool matches_everything() const { return root_ == nullptr; }

 private:
  std::shared_ptr<const pattern_node> root_;
};

[[nodiscard]] result<pattern> parse(std::string_view text);

}  // namespace stratus::logs::filter
