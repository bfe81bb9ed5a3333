// Expression grammar (inside directive parentheses, method arguments and
// index brackets) and references.
//
// Precedence, lowest first, as in Velocity 1.7: `||`/or, `&&`/and,
// `==`/`!=`/eq/ne, `<`/`<=`/`>`/`>=`/lt/le/gt/ge, `+`/`-`, `*`/`/`/`%`,
// unary `!`/not/`-`. Recorded on API Gateway:
// test_addition_has_higher_precedence_than_comparison (`4 > 2 + 5` is false),
// test_multiplication_has_higher_precedence_than_subtraction (`5 * 4 - 2` is 18).
#include <charconv>

#include "vtl/parser_impl.hpp"

namespace stratus::vtl::detail {

namespace {

ast::expr_ptr make_expr(ast::expr_kind kind, ast::position pos) {
  auto e = std::make_unique<ast::expr>();
  e->kind = kind;
  e->pos = pos;
  return e;
}

}  // namespace

void parser::skip_space() {
  while (!at_end()) {
    char c = src_[pos_];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
    ++pos_;
  }
}

bool parser::accept(std::string_view symbol) {
  skip_space();
  if (src_.substr(pos_, symbol.size()) != symbol) return false;
  pos_ += symbol.size();
  return true;
}

bool parser::accept_word(std::string_view word) {
  skip_space();
  if (src_.substr(pos_, word.size()) != word) return false;
  if (pos_ + word.size() < src_.size() && is_ident_char(src_[pos_ + word.size()])) return false;
  pos_ += word.size();
  return true;
}

// Velocity 1.7 identifiers also take '-' (`$map.no-bypass`); we take it only
// when a letter, digit or '_' follows, so "$name-" keeps its dash as text.
std::string parser::read_identifier() {
  std::size_t start = pos_;
  while (!at_end()) {
    char c = src_[pos_];
    if (is_ident_char(c) || (c == '-' && is_ident_char(peek(1)))) {
      ++pos_;
    } else {
      break;
    }
  }
  return std::string(src_.substr(start, pos_ - start));
}

bool parser::try_parse_reference(ast::reference& out) {
  std::size_t start = pos_;
  std::size_t p = pos_ + 1;
  if (p < src_.size() && src_[p] == '!') ++p;
  bool formal = p < src_.size() && src_[p] == '{';
  if (formal) ++p;
  if (p >= src_.size() || !is_ident_start(src_[p])) return false;
  pos_ = p;
  out.root = read_identifier();
  out.pos = position_of(start);
  parse_reference_chain(out, formal);
  if (formal) {
    if (peek() != '}')
      fail("unterminated reference " + std::string(src_.substr(start, pos_ - start)), start);
    ++pos_;
  }
  out.source = std::string(src_.substr(start, pos_ - start));
  return true;
}

void parser::parse_reference_chain(ast::reference& out, bool formal) {
  while (!at_end()) {
    if (peek() == '.' && is_ident_start(peek(1))) {
      ++pos_;
      ast::step s;
      s.name = read_identifier();
      if (peek() == '(') {
        ++pos_;
        s.kind = ast::step_kind::method;
        s.args = parse_arguments(')');
      }
      out.steps.push_back(std::move(s));
    } else if (peek() == '[') {
      // In text, "[" that does not open a valid index is plain text.
      std::size_t save = pos_;
      int depth = depth_;
      try {
        ++pos_;
        ast::step s;
        s.kind = ast::step_kind::index;
        s.args.push_back(parse_expression());
        skip_space();
        if (peek() != ']') fail("expected ']'", pos_);
        ++pos_;
        out.steps.push_back(std::move(s));
      } catch (const parse_failure&) {
        pos_ = save;
        depth_ = depth;
        return;
      }
    } else {
      return;
    }
  }
}

std::vector<ast::expr_ptr> parser::parse_arguments(char close) {
  std::vector<ast::expr_ptr> args;
  skip_space();
  if (peek() == close) {
    ++pos_;
    return args;
  }
  while (true) {
    args.push_back(parse_expression());
    skip_space();
    if (peek() == ',') {
      ++pos_;
      continue;
    }
    if (peek() == close) {
      ++pos_;
      return args;
    }
    fail(std::string("expected ',' or '") + close + "' in argument list", pos_);
  }
}

ast::expr_ptr parser::parse_expression() {
  enter(position_of(pos_));
  auto e = parse_or();
  leave();
  return e;
}

ast::expr_ptr parser::binary(ast::op o, ast::expr_ptr l, ast::expr_ptr r, ast::position pos) {
  auto e = make_expr(ast::expr_kind::binary, pos);
  e->oper = o;
  e->operands.push_back(std::move(l));
  e->operands.push_back(std::move(r));
  return e;
}

ast::expr_ptr parser::parse_or() {
  auto left = parse_and();
  while (true) {
    auto pos = position_of(pos_);
    if (accept("||") || accept_word("or")) {
      left = binary(ast::op::logical_or, std::move(left), parse_and(), pos);
    } else {
      return left;
    }
  }
}

ast::expr_ptr parser::parse_and() {
  auto left = parse_equality();
  while (true) {
    auto pos = position_of(pos_);
    if (accept("&&") || accept_word("and")) {
      left = binary(ast::op::logical_and, std::move(left), parse_equality(), pos);
    } else {
      return left;
    }
  }
}

ast::expr_ptr parser::parse_equality() {
  auto left = parse_relational();
  while (true) {
    auto pos = position_of(pos_);
    if (accept("==") || accept_word("eq")) {
      left = binary(ast::op::eq, std::move(left), parse_relational(), pos);
    } else if (accept("!=") || accept_word("ne")) {
      left = binary(ast::op::ne, std::move(left), parse_relational(), pos);
    } else {
      return left;
    }
  }
}

ast::expr_ptr parser::parse_relational() {
  auto left = parse_additive();
  while (true) {
    auto pos = position_of(pos_);
    ast::op o;
    if (accept("<=") || accept_word("le")) {
      o = ast::op::le;
    } else if (accept(">=") || accept_word("ge")) {
      o = ast::op::ge;
    } else if (accept("<") || accept_word("lt")) {
      o = ast::op::lt;
    } else if (accept(">") || accept_word("gt")) {
      o = ast::op::gt;
    } else {
      return left;
    }
    left = binary(o, std::move(left), parse_additive(), pos);
  }
}

ast::expr_ptr parser::parse_additive() {
  auto left = parse_multiplicative();
  while (true) {
    auto pos = position_of(pos_);
    if (accept("+")) {
      left = binary(ast::op::add, std::move(left), parse_multiplicative(), pos);
    } else if (accept("-")) {
      left = binary(ast::op::sub, std::move(left), parse_multiplicative(), pos);
    } else {
      return left;
    }
  }
}

ast::expr_ptr parser::parse_multiplicative() {
  auto left = parse_unary();
  while (true) {
    auto pos = position_of(pos_);
    if (accept("*")) {
      left = binary(ast::op::mul, std::move(left), parse_unary(), pos);
    } else if (accept("/")) {
      left = binary(ast::op::div, std::move(left), parse_unary(), pos);
    } else if (accept("%")) {
      left = binary(ast::op::mod, std::move(left), parse_unary(), pos);
    } else {
      return left;
    }
  }
}

ast::expr_ptr parser::parse_unary() {
  skip_space();
  auto pos = position_of(pos_);
  ast::op o;
  if (peek() == '!' && peek(1) != '=') {
    ++pos_;
    o = ast::op::not_;
  } else if (accept_word("not")) {
    o = ast::op::not_;
  } else if (peek() == '-') {
    ++pos_;
    o = ast::op::neg;
  } else {
    return parse_primary();
  }
  enter(pos);
  auto e = make_expr(ast::expr_kind::unary, pos);
  e->oper = o;
  e->operands.push_back(parse_unary());
  leave();
  return e;
}

ast::expr_ptr parser::parse_primary() {
  skip_space();
  auto pos = position_of(pos_);
  char c = peek();
  if (c == '(') {
    ++pos_;
    auto e = parse_expression();
    skip_space();
    if (peek() != ')') fail("expected ')'", pos_);
    ++pos_;
    return e;
  }
  if (c == '$') {
    auto e = make_expr(ast::expr_kind::reference, pos);
    if (!try_parse_reference(e->ref)) fail("'$' must start a reference", pos_);
    return e;
  }
  if (c == '"' || c == '\'') return parse_string();
  if ((c >= '0' && c <= '9') || (c == '.' && peek(1) >= '0' && peek(1) <= '9')) {
    return parse_number();
  }
  if (c == '[') return parse_list_or_range();
  if (c == '{') return parse_map();
  auto literal = [&](value v) {
    auto e = make_expr(ast::expr_kind::literal, pos);
    e->literal = std::move(v);
    return e;
  };
  if (accept_word("true")) return literal(true);
  if (accept_word("false")) return literal(false);
  if (accept_word("null")) return literal(value());
  if (at_end()) fail("expression ends too early", pos_);
  fail(std::string("unexpected '") + c + "' in expression", pos_);
}

ast::expr_ptr parser::parse_number() {
  auto pos = position_of(pos_);
  std::size_t start = pos_;
  while (peek() >= '0' && peek() <= '9') ++pos_;
  bool real = false;
  if (peek() == '.' && peek(1) >= '0' && peek(1) <= '9') {
    real = true;
    ++pos_;
    while (peek() >= '0' && peek() <= '9') ++pos_;
  }
  auto text = src_.substr(start, pos_ - start);
  auto e = make_expr(ast::expr_kind::literal, pos);
  if (real) {
    // from_chars does not take ".5"; Velocity does (test_floating_point_starting_with_decimal).
    std::string digits = text.front() == '.' ? "0" + std::string(text) : std::string(text);
    double d = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), d);
    e->literal = d;
  } else {
    std::int64_t i = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (ec != std::errc()) fail("number " + std::string(text) + " is too large", start);
    e->literal = i;
  }
  return e;
}

// Double-quoted strings are templates rendered at evaluation time; "" stands
// for one quote (test_string_interpolation_with_inner_double_double_quotes).
// Backslashes are kept as written in both kinds of quotes
// (test_string_literal_can_contain_embedded_escaped_newlines).
ast::expr_ptr parser::parse_string() {
  char quote = peek();
  std::size_t start = pos_;
  auto pos = position_of(start);
  ++pos_;
  std::string content;
  while (true) {
    if (at_end()) fail("unterminated string literal", start);
    char c = src_[pos_];
    if (c == quote) {
      if (peek(1) == quote) {
        content += quote;
        pos_ += 2;
        continue;
      }
      ++pos_;
      break;
    }
    content += c;
    ++pos_;
  }
  bool plain = quote == '\'' || content.find_first_of("$#\\") == std::string::npos;
  if (plain) {
    auto e = make_expr(ast::expr_kind::literal, pos);
    e->literal = std::move(content);
    return e;
  }
  auto e = make_expr(ast::expr_kind::interpolated, pos);
  enter(pos);
  parser inner(content, position_of(start + 1), limits_, depth_, true);
  e->parts = inner.parse_document();
  leave();
  return e;
}

ast::expr_ptr parser::parse_list_or_range() {
  auto pos = position_of(pos_);
  ++pos_;
  skip_space();
  if (peek() == ']') {
    ++pos_;
    return make_expr(ast::expr_kind::list, pos);
  }
  auto first = parse_expression();
  if (accept("..")) {
    auto e = make_expr(ast::expr_kind::range, pos);
    e->operands.push_back(std::move(first));
    e->operands.push_back(parse_expression());
    skip_space();
    if (peek() != ']') fail("expected ']' to close the range", pos_);
    ++pos_;
    return e;
  }
  auto e = make_expr(ast::expr_kind::list, pos);
  e->operands.push_back(std::move(first));
  while (true) {
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return e;
    }
    if (peek() != ',') fail("expected ',' or ']' in list", pos_);
    ++pos_;
    e->operands.push_back(parse_expression());
  }
}

ast::expr_ptr parser::parse_map() {
  auto pos = position_of(pos_);
  ++pos_;
  auto e = make_expr(ast::expr_kind::map, pos);
  skip_space();
  if (peek() == '}') {
    ++pos_;
    return e;
  }
  while (true) {
    e->operands.push_back(parse_expression());
    skip_space();
    if (peek() != ':') fail("expected ':' after map key", pos_);
    ++pos_;
    e->operands.push_back(parse_expression());
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return e;
    }
    if (peek() != ',') fail("expected ',' or '}' in map", pos_);
    ++pos_;
  }
}

}  // namespace stratus::vtl::detail
