// Rendering a parsed template against a set of variables.
//
// Semantics are API Gateway's (Velocity 1.7 as AWS configures it), pinned by
// the recorded renderings in tests/unit/vtl/recorded_aws_test.cpp:
//   - a reference that does not resolve (undefined variable, unknown
//     property or method) evaluates to the empty string: it prints nothing,
//     `$!` or not, and counts as true in #if (test_formal_reference_in_an_if_condition,
//     test_if_statement_considers_None_to_be_truthy);
//   - null prints nothing; #set with a null right-hand side assigns nothing;
//   - #foreach restores its loop variable afterwards and offers both
//     $foreach.{index,count,hasNext,first,last} and $velocityCount/$velocityHasNext;
//   - division or modulo by zero yields null (prints nothing), as Velocity
//     1.7 does outside strict mode.
//
// Thread-safety: render() may run concurrently on the same parsed_template
// with distinct `variables`.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "vtl/error.hpp"
#include "vtl/limits.hpp"
#include "vtl/parser.hpp"
#include "vtl/value.hpp"

namespace stratus::vtl {

// The variables a render sees: those the embedder binds beforehand, and
// those the template #sets (which the embedder may read back afterwards).
class variables {
 public:
  void set(std::string name, value v) { vars_.insert_or_assign(std::move(name), std::move(v)); }
  [[nodiscard]] const value* find(std::string_view name) const;
  [[nodiscard]] value* find(std::string_view name);
  void erase(std::string_view name);

 private:
  struct hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, value, hash, std::equal_to<>> vars_;
};

[[nodiscard]] result<std::string> render(const parsed_template& tpl, variables& vars,
                                         const limits& lim = {});

}  // namespace stratus::vtl
