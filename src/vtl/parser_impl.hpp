// Internal to the parser: the recursive-descent parser shared by the
// text-level grammar (parser.cpp) and the expression grammar
// (parser_expr.cpp). Not part of the library's interface.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "vtl/ast.hpp"
#include "vtl/error.hpp"
#include "vtl/limits.hpp"

namespace stratus::vtl::detail {

// Unwinds the parser to parse(), which turns it into an error value.
struct parse_failure {
  std::string message;
  ast::position pos;
  error_kind kind = error_kind::syntax;
};

inline bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool is_ident_char(char c) {
  return is_ident_start(c) || (c >= '0' && c <= '9');
}

class parser {
 public:
  // `base` is where src[0] sits in the whole template (string literals are
  // parsed by a nested parser over their unescaped content).
  // `in_string` is true for the content of a double-quoted string literal.
  parser(std::string_view src, ast::position base, const limits& lim, int depth,
         bool in_string = false);

  // The whole source; a stray #end/#else/#elseif is an error.
  ast::block parse_document();

 private:
  enum class terminator { eof, end, else_, elseif };
  struct block_end {
    terminator term = terminator::eof;
    ast::expr_ptr elseif_condition;
    ast::position pos;
  };

  // parser.cpp: text and directives.
  block_end parse_block(ast::block& out);
  void parse_body_until_end(ast::block& out, std::string_view directive, ast::position start);
  bool handle_backslashes(std::string& text);
  bool handle_hash(ast::block& out, std::string& text, block_end& end);
  void parse_if(ast::block& out, ast::position pos);
  void parse_foreach(ast::block& out, ast::position pos);
  void parse_set(ast::block& out, ast::position pos);
  void parse_define(ast::block& out, ast::position pos);
  void parse_macro(ast::position pos);
  void expect_open_paren(std::string_view directive);
  void expect_close_paren(std::string_view directive);
  void eat_line_end();
  bool directive_at(std::size_t at) const;
  std::size_t balanced_paren_end(std::size_t open) const;
  void enter(ast::position pos);
  void leave() { --depth_; }

  // parser_expr.cpp: references and expressions.
 public:
  // At '$': parses a reference into `out` and returns true, or leaves the
  // position unchanged and returns false when no reference starts here.
  bool try_parse_reference(ast::reference& out);
  ast::expr_ptr parse_expression();

 private:
  std::string read_identifier();
  void parse_reference_chain(ast::reference& out, bool formal);
  std::vector<ast::expr_ptr> parse_arguments(char close);
  ast::expr_ptr parse_or();
  ast::expr_ptr parse_and();
  ast::expr_ptr parse_equality();
  ast::expr_ptr parse_relational();
  ast::expr_ptr parse_additive();
  ast::expr_ptr parse_multiplicative();
  ast::expr_ptr parse_unary();
  ast::expr_ptr parse_primary();
  ast::expr_ptr parse_number();
  ast::expr_ptr parse_string();
  ast::expr_ptr parse_list_or_range();
  ast::expr_ptr parse_map();
  ast::expr_ptr binary(ast::op o, ast::expr_ptr l, ast::expr_ptr r, ast::position pos);
  bool accept_word(std::string_view word);
  bool accept(std::string_view symbol);
  void skip_space();

  // Shared helpers.
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  [[nodiscard]] bool at_end() const { return pos_ >= src_.size(); }
  [[nodiscard]] ast::position position_of(std::size_t offset) const;
  [[noreturn]] void fail(std::string message, std::size_t offset) const;

  std::string_view src_;
  std::size_t pos_ = 0;
  ast::position base_;
  std::vector<std::size_t> line_starts_;
  const limits& limits_;
  int depth_;
  bool in_string_;
};

}  // namespace stratus::vtl::detail
