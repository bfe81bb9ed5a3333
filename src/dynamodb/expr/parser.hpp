#pragma once
// Stage 1: text -> tree. A hand-written recursive-descent parser for the five
// expression kinds, with DynamoDB's limits and messages. The result still
// holds "#name"/":value" placeholders (resolve.hpp fills them in) and is
// immutable, so cache.hpp can share it between requests.
//
// What is checked here, in DynamoDB's order: empty text, size (4 KB), syntax
// (with the operator and nesting limits), redundant parentheses, function
// names, where a function may be used, reserved words, path depth. Checks
// that need the placeholders' targets (operand counts and types) belong to
// resolve.
//
// Thread-safety: pure functions.

#include <cstddef>
#include <memory>
#include <string_view>

#include "common/api_error.hpp"
#include "dynamodb/expr/ast.hpp"

namespace stratus::dynamodb::expr {

inline constexpr std::size_t max_expression_bytes = 4096;
inline constexpr int max_operators = 300;    // comparisons, BETWEEN, IN, AND, OR, NOT, + and -
inline constexpr int max_parse_depth = 400;  // nested parentheses, calls and NOTs
inline constexpr std::size_t max_path_depth = 32;
// IN's operands counting the one before IN: "a IN (...)" takes 99 values
// (test_update_condition_in).
inline constexpr std::size_t max_in_operands = 100;

// kind is condition, filter or key_condition.
[[nodiscard]] result<std::shared_ptr<const condition>> parse_condition(std::string_view text,
                                                                       expression_kind kind);
[[nodiscard]] result<std::shared_ptr<const projection>> parse_projection(std::string_view text);
[[nodiscard]] result<std::shared_ptr<const update>> parse_update(std::string_view text);

}  // namespace stratus::dynamodb::expr
