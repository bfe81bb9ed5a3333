// parse(): filter pattern text → pattern_node. A hand-written recursive
// descent over the three syntaxes (terms, { JSON }, [ fields ]), with a
// nesting limit; every syntax error is InvalidParameterException.
#include <cctype>

#include "logs/errors.hpp"
#include "logs/filter_ast.hpp"

namespace stratus::logs::filter {

namespace {

constexpr int max_nesting = 32;

api_error invalid_pattern() {
  return errors::invalid_parameter("Invalid filter pattern");
}
api_error invalid_character(char c) {
  return errors::invalid_parameter(std::string("Invalid character(s) in term '") + c + "'");
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
// What an unquoted term may hold. AWS rejects the rest ("Invalid
// character(s) in term ':'") and asks for double quotes.
bool term_char(char c) {
  if (is_alnum(c) || static_cast<unsigned char>(c) >= 0x80) return true;
  switch (c) {
    case '_':
    case '-':
    case '.':
    case '/':
    case '@':
    case '#':
    case '+':
    case '=':
    case '!':
    case '~':
    case '\'':
    case '&':
    case ';':
    case '<':
    case '>':
    case '$':
    case '^':
    case '|':
    case '?':
      return true;
    default:
      return false;
  }
}
bool selector_char(char c) {
  return is_alnum(c) || c == '_' || c == '-' || c == '@' || c == ':';
}
bool field_name_char(char c) {
  return is_alnum(c) || c == '_' || c == '-' || c == '.';
}

class parser {
 public:
  explicit parser(std::string_view text) : s_(text) {}

  result<pattern_node> parse_all() {
    skip_space();
    pattern_node node;
    if (peek() == '{') {
      auto p = parse_json();
      if (!p) return p.error();
      node.body = std::move(*p);
    } else if (peek() == '[') {
      auto p = parse_delimited();
      if (!p) return p.error();
      node.body = std::move(*p);
    } else {
      auto p = parse_terms();
      if (!p) return p.error();
      node.body = std::move(*p);
    }
    skip_space();
    if (!at_end()) return invalid_pattern();
    return node;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  int depth_ = 0;

  bool at_end() const { return i_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  void skip_space() {
    while (!at_end() && is_space(s_[i_])) ++i_;
  }
  bool consume(std::string_view token) {
    if (s_.substr(i_).starts_with(token)) {
      i_ += token.size();
      return true;
    }
    return false;
  }
  // A keyword followed by a non-identifier character.
  bool consume_keyword(std::string_view word) {
    if (!s_.substr(i_).starts_with(word)) return false;
    if (char next = peek(word.size()); is_alnum(next) || next == '_') return false;
    i_ += word.size();
    return true;
  }

  // "..." with \" and \\ escapes; i_ is on the opening quote.
  result<std::string> quoted() {
    ++i_;
    std::string out;
    while (!at_end()) {
      char c = s_[i_++];
      if (c == '"') return out;
      if (c == '\\' && !at_end()) c = s_[i_++];
      out.push_back(c);
    }
    return invalid_pattern();  // unterminated
  }

  // %regex%; i_ is on the opening percent sign.
  result<text_value> regex() {
    auto close = s_.find('%', i_ + 1);
    if (close == std::string_view::npos || close == i_ + 1) return invalid_pattern();
    std::string expr(s_.substr(i_ + 1, close - i_ - 1));
    i_ = close + 1;
    text_value v;
    v.k = text_value::kind::regex;
    v.text = expr;
    try {
      v.re = std::make_shared<const boost::regex>(expr, boost::regex::perl);
    } catch (const std::exception&) {
      return errors::invalid_parameter("Invalid regex pattern: %" + expr + "%");
    }
    return v;
  }

  static text_value string_value(std::string text) {
    text_value v;
    v.k = text.find('*') == std::string::npos ? text_value::kind::literal : text_value::kind::glob;
    v.text = std::move(text);
    return v;
  }

  // ---- terms -------------------------------------------------------------

  result<term_pattern> parse_terms() {
    term_pattern out;
    for (skip_space(); !at_end(); skip_space()) {
      term t;
      if (peek() == '?') {
        t.m = term::mode::optional;
        ++i_;
      } else if (peek() == '-') {
        t.m = term::mode::excluded;
        ++i_;
      }
      if (peek() == '"') {
        auto q = quoted();
        if (!q) return q.error();
        t.value.text = std::move(*q);
      } else if (peek() == '%') {
        auto r = regex();
        if (!r) return r.error();
        t.value = std::move(*r);
      } else {
        const std::size_t start = i_;
        while (!at_end() && !is_space(s_[i_])) {
          if (!term_char(s_[i_])) return invalid_character(s_[i_]);
          ++i_;
        }
        if (i_ == start) return invalid_pattern();  // a lone ? or -
        t.value.text = std::string(s_.substr(start, i_ - start));
      }
      if (!at_end() && !is_space(peek())) return invalid_character(peek());
      out.terms.push_back(std::move(t));
    }
    return out;
  }

  // ---- shared: comparison operators and values ------------------------------

  std::optional<compare_op> parse_op() {
    skip_space();
    if (consume("!=")) return compare_op::ne;
    if (consume("<=")) return compare_op::le;
    if (consume(">=")) return compare_op::ge;
    if (consume("=")) return compare_op::eq;
    if (consume("<")) return compare_op::lt;
    if (consume(">")) return compare_op::gt;
    return std::nullopt;
  }

  // A value up to whitespace or one of `stops`.
  result<operand> parse_operand(std::string_view stops) {
    skip_space();
    operand out;
    if (peek() == '"') {
      auto q = quoted();
      if (!q) return q.error();
      out.text = string_value(std::move(*q));
      return out;
    }
    if (peek() == '%') {
      auto r = regex();
      if (!r) return r.error();
      out.text = std::move(*r);
      return out;
    }
    const std::size_t start = i_;
    while (!at_end() && !is_space(s_[i_]) && stops.find(s_[i_]) == std::string_view::npos &&
           !s_.substr(i_).starts_with("&&") && !s_.substr(i_).starts_with("||"))
      ++i_;
    if (i_ == start) return invalid_pattern();
    std::string text(s_.substr(start, i_ - start));
    out.number = parse_number(text);
    out.text = string_value(std::move(text));
    return out;
  }

  // ---- { JSON } --------------------------------------------------------------

  result<json_pattern> parse_json() {
    ++i_;  // {
    auto tree = json_or();
    if (!tree) return tree.error();
    skip_space();
    if (!consume("}")) return invalid_pattern();
    return tree;
  }

  result<json_pattern> json_or() {
    auto first = json_and();
    if (!first) return first.error();
    json_pattern out;
    out.k = json_pattern::kind::any;
    out.children.push_back(std::move(*first));
    for (skip_space(); consume("||"); skip_space()) {
      auto next = json_and();
      if (!next) return next.error();
      out.children.push_back(std::move(*next));
    }
    if (out.children.size() == 1) return std::move(out.children.front());
    return out;
  }

  result<json_pattern> json_and() {
    auto first = json_unary();
    if (!first) return first.error();
    json_pattern out;
    out.k = json_pattern::kind::all;
    out.children.push_back(std::move(*first));
    for (skip_space(); consume("&&"); skip_space()) {
      auto next = json_unary();
      if (!next) return next.error();
      out.children.push_back(std::move(*next));
    }
    if (out.children.size() == 1) return std::move(out.children.front());
    return out;
  }

  result<json_pattern> json_unary() {
    skip_space();
    if (peek() == '(') {
      if (++depth_ > max_nesting) return invalid_pattern();
      ++i_;
      auto inner = json_or();
      if (!inner) return inner.error();
      skip_space();
      if (!consume(")")) return invalid_pattern();
      --depth_;
      return inner;
    }
    json_pattern leaf;
    auto path = selector();
    if (!path) return path.error();
    leaf.leaf.path = std::move(*path);
    skip_space();
    if (consume_keyword("IS")) {
      skip_space();
      if (consume_keyword("TRUE")) {
        leaf.leaf.k = json_test::kind::is_true;
      } else if (consume_keyword("FALSE")) {
        leaf.leaf.k = json_test::kind::is_false;
      } else if (consume_keyword("NULL")) {
        leaf.leaf.k = json_test::kind::is_null;
      } else {
        return invalid_pattern();
      }
      return leaf;
    }
    if (consume_keyword("NOT")) {
      skip_space();
      if (!consume_keyword("EXISTS")) return invalid_pattern();
      leaf.leaf.k = json_test::kind::not_exists;
      return leaf;
    }
    auto op = parse_op();
    if (!op) return invalid_pattern();
    leaf.leaf.op = *op;
    auto value = parse_operand(")}");
    if (!value) return value.error();
    leaf.leaf.value = std::move(*value);
    return leaf;
  }

  // $.a.b[0][*].*
  result<std::vector<selector_step>> selector() {
    if (!consume("$")) {
      if (!at_end()) return invalid_character(peek());
      return invalid_pattern();
    }
    std::vector<selector_step> steps;
    while (true) {
      if (consume(".")) {
        selector_step step;
        if (consume("*")) {
          step.k = selector_step::kind::any;
        } else {
          const std::size_t start = i_;
          while (!at_end() && selector_char(s_[i_])) ++i_;
          if (i_ == start) return at_end() ? invalid_pattern() : invalid_character(peek());
          step.name = std::string(s_.substr(start, i_ - start));
        }
        steps.push_back(std::move(step));
      } else if (consume("[")) {
        selector_step step;
        if (consume("*")) {
          step.k = selector_step::kind::any;
        } else {
          const std::size_t start = i_;
          while (!at_end() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
          if (i_ == start || i_ - start > 9) return invalid_pattern();
          step.k = selector_step::kind::index;
          step.index = std::stoul(std::string(s_.substr(start, i_ - start)));
        }
        if (!consume("]")) return invalid_pattern();
        steps.push_back(std::move(step));
      } else {
        break;
      }
    }
    if (steps.empty()) return invalid_pattern();
    return steps;
  }

  // ---- [ fields ] ------------------------------------------------------------

  result<delimited_pattern> parse_delimited() {
    ++i_;  // [
    delimited_pattern out;
    while (true) {
      skip_space();
      if (consume("...")) {
        out.slots.push_back({true, 0});
      } else {
        auto name = field_name();
        if (!name) return name.error();
        out.slots.push_back({false, name_index(out, *name)});
        skip_space();
        if (peek() != ',' && peek() != ']') {
          auto cond = field_or(out, *name);
          if (!cond) return cond.error();
          out.conditions.push_back(std::move(*cond));
        }
      }
      skip_space();
      if (consume(",")) continue;
      if (consume("]")) break;
      return at_end() ? invalid_pattern() : invalid_character(peek());
    }
    // A condition may only name fields of the pattern.
    for (std::size_t n = 0; n < out.names.size(); ++n) {
      bool bound = false;
      for (const auto& slot : out.slots) bound = bound || (!slot.ellipsis && slot.name == n);
      if (!bound) return invalid_pattern();
    }
    return out;
  }

  static std::size_t name_index(delimited_pattern& p, const std::string& name) {
    for (std::size_t n = 0; n < p.names.size(); ++n)
      if (p.names[n] == name) return n;
    p.names.push_back(name);
    return p.names.size() - 1;
  }

  result<std::string> field_name() {
    skip_space();
    const std::size_t start = i_;
    while (!at_end() && field_name_char(s_[i_])) ++i_;
    if (i_ == start) return at_end() ? invalid_pattern() : invalid_character(peek());
    return std::string(s_.substr(start, i_ - start));
  }

  // `op value` for the field being declared, then `&& name op value` or
  // `|| name op value` chains; && binds tighter than ||.
  result<bool_tree<field_test>> field_or(delimited_pattern& p, const std::string& first_name) {
    bool_tree<field_test> any;
    any.k = bool_tree<field_test>::kind::any;
    std::string name = first_name;
    while (true) {
      bool_tree<field_test> all;
      all.k = bool_tree<field_test>::kind::all;
      while (true) {
        auto leaf = field_leaf(p, name);
        if (!leaf) return leaf.error();
        all.children.push_back(std::move(*leaf));
        skip_space();
        if (!consume("&&")) break;
        auto next = field_name();
        if (!next) return next.error();
        name = *next;
      }
      any.children.push_back(all.children.size() == 1 ? std::move(all.children.front())
                                                      : std::move(all));
      skip_space();
      if (!consume("||")) break;
      auto next = field_name();
      if (!next) return next.error();
      name = *next;
    }
    if (any.children.size() == 1) return std::move(any.children.front());
    return any;
  }

  result<bool_tree<field_test>> field_leaf(delimited_pattern& p, const std::string& name) {
    bool_tree<field_test> leaf;
    leaf.leaf.field = name_index(p, name);
    auto op = parse_op();
    if (!op) return at_end() ? invalid_pattern() : invalid_character(peek());
    leaf.leaf.op = *op;
    auto value = parse_operand(",]");
    if (!value) return value.error();
    leaf.leaf.value = std::move(*value);
    return leaf;
  }
};

}  // namespace

pattern::pattern() = default;

result<pattern> parse(std::string_view text) {
  std::size_t first = 0;
  while (first < text.size() && is_space(text[first])) ++first;
  if (first == text.size()) return pattern();
  auto node = parser(text).parse_all();
  if (!node) return node.error();
  return pattern(std::make_shared<const pattern_node>(std::move(*node)));
}

}  // namespace stratus::logs::filter
