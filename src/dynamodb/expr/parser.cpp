#include "dynamodb/expr/parser.hpp"

#include <charconv>
#include <optional>
#include <string>

#include "dynamodb/expr/syntax.hpp"

namespace stratus::dynamodb::expr {
namespace detail {

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_word(char c) {
  return is_alpha(c) || is_digit(c) || c == '_';
}

}  // namespace

std::vector<token> tokenize(std::string_view text) {
  std::vector<token> out;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (true) {
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    token t;
    t.begin = i;
    if (i >= n) {
      t.end = i;
      out.push_back(t);
      return out;
    }
    const char c = text[i];
    auto word_after = [&](std::size_t from) {
      std::size_t j = from;
      while (j < n && is_word(text[j])) ++j;
      return j;
    };
    std::size_t end = i + 1;
    if (is_alpha(c)) {
      t.type = token_type::name;
      end = word_after(i + 1);
    } else if (is_digit(c)) {
      t.type = token_type::number;
      end = i + 1;
      while (end < n && is_digit(text[end])) ++end;
    } else if ((c == '#' || c == ':') && i + 1 < n && is_word(text[i + 1])) {
      // A placeholder may start with a digit or underscore, unlike a bare
      // name (test_update_expression_name_token).
      t.type = c == '#' ? token_type::name_ref : token_type::value_ref;
      end = word_after(i + 1);
    } else {
      switch (c) {
        case '(':
          t.type = token_type::lparen;
          break;
        case ')':
          t.type = token_type::rparen;
          break;
        case '[':
          t.type = token_type::lbracket;
          break;
        case ']':
          t.type = token_type::rbracket;
          break;
        case ',':
          t.type = token_type::comma;
          break;
        case '.':
          t.type = token_type::dot;
          break;
        case '=':
          t.type = token_type::eq;
          break;
        case '+':
          t.type = token_type::plus;
          break;
        case '-':
          t.type = token_type::minus;
          break;
        case '<':
          t.type = token_type::lt;
          if (i + 1 < n && text[i + 1] == '=')
            t.type = token_type::le, end = i + 2;
          else if (i + 1 < n && text[i + 1] == '>')
            t.type = token_type::ne, end = i + 2;
          break;
        case '>':
          t.type = token_type::gt;
          if (i + 1 < n && text[i + 1] == '=') t.type = token_type::ge, end = i + 2;
          break;
        default: {
          t.type = token_type::unknown;
          // Report a whole UTF-8 character, never half of one.
          const auto u = static_cast<unsigned char>(c);
          const std::size_t len = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
          end = std::min(n, i + len);
        }
      }
    }
    t.end = end;
    out.push_back(t);
    i = end;
  }
}

api_error invalid(expression_kind kind, std::string_view message) {
  return api_error::validation("Invalid " + std::string(member_name(kind)) + ": " +
                               std::string(message));
}

namespace {

// The parser keeps the first error and unwinds: every production returns
// at once when error_ is set, so no partial tree is ever used.
class parser {
 public:
  parser(std::string_view text, expression_kind kind)
      : text_(text), kind_(kind), tokens_(tokenize(text)) {}

  result<node> condition_root() {
    node root = parse_or();
    if (!error_ && !at(token_type::eof)) syntax_error();
    if (!error_ && is_operand(root)) syntax_error();
    if (error_) return *error_;
    return root;
  }

  result<std::vector<node>> projection_root() {
    std::vector<node> paths;
    do {
      paths.push_back(parse_path());
      if (error_) return *error_;
    } while (accept(token_type::comma));
    if (!at(token_type::eof)) syntax_error();
    if (error_) return *error_;
    return paths;
  }

  // Each clause may appear once, but DynamoDB reports a repeated clause only
  // after the other checks (a reserved word wins: dynalite's updateItem
  // tests), so the parser only notes it.
  result<std::vector<update_syntax>> update_root(std::string& repeated_clause) {
    std::vector<update_syntax> actions;
    bool seen[4] = {false, false, false, false};
    do {
      std::optional<update_action_kind> clause = clause_keyword();
      if (!clause) {
        syntax_error();
        return *error_;
      }
      static constexpr std::string_view names[] = {"SET", "REMOVE", "ADD", "DELETE"};
      const auto index = static_cast<std::size_t>(*clause);
      if (seen[index] && repeated_clause.empty()) repeated_clause = names[index];
      seen[index] = true;
      ++pos_;
      do {
        update_syntax action;
        action.kind = *clause;
        action.target = parse_path();
        if (error_) return *error_;
        if (*clause == update_action_kind::set) {
          expect(token_type::eq);
          if (!error_) action.value = parse_set_value();
        } else if (*clause != update_action_kind::remove) {
          action.value = parse_value_ref();
        }
        if (error_) return *error_;
        actions.push_back(std::move(action));
      } while (accept(token_type::comma));
    } while (!at(token_type::eof));
    return actions;
  }

 private:
  // ---- tokens ----
  const token& current() const { return tokens_[pos_]; }
  bool at(token_type t) const { return current().type == t; }
  std::string_view text_of(const token& t) const { return text_.substr(t.begin, t.end - t.begin); }
  bool accept(token_type t) {
    if (!at(t)) return false;
    ++pos_;
    return true;
  }
  void expect(token_type t) {
    if (!accept(t)) syntax_error();
  }
  bool keyword(std::string_view word) const {
    if (!at(token_type::name)) return false;
    std::string_view s = text_of(current());
    if (s.size() != word.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
      if ((s[i] & ~0x20) != word[i]) return false;  // ASCII letters only: safe
    return true;
  }
  std::optional<update_action_kind> clause_keyword() const {
    if (keyword("SET")) return update_action_kind::set;
    if (keyword("REMOVE")) return update_action_kind::remove;
    if (keyword("ADD")) return update_action_kind::add;
    if (keyword("DELETE")) return update_action_kind::delete_;
    return std::nullopt;
  }

  // DynamoDB: Syntax error; token: "<tok>", near: "<previous tok> <tok> <next tok>"
  // (the source text from the previous token to the next one).
  void syntax_error() {
    if (error_) return;
    const token& t = current();
    const std::size_t from = pos_ > 0 ? tokens_[pos_ - 1].begin : t.begin;
    std::size_t to = t.end;
    if (t.type != token_type::eof && pos_ + 1 < tokens_.size()) to = tokens_[pos_ + 1].end;
    const std::string tok = t.type == token_type::eof ? "<EOF>" : std::string(text_of(t));
    error_ = invalid(kind_, "Syntax error; token: \"" + tok + "\", near: \"" +
                                std::string(text_.substr(from, to - from)) + "\"");
  }

  // DynamoDB reports "((x))" as soon as the group closes, before a syntax
  // error later in the text ("(a)between(((b.c)).d)and(c)": dynalite).
  node redundant_parentheses() {
    error_ = invalid(kind_, "The expression has redundant parentheses;");
    return {};
  }

  void count_operator() {
    if (++operators_ > max_operators && !error_)
      error_ = invalid(kind_, "The expression contains too many operators; operator count: " +
                                  std::to_string(operators_));
  }

  // Guards the recursion: hostile input such as 200,000 '(' must end in an
  // error, not a stack overflow.
  bool enter() {
    if (++depth_ <= max_parse_depth) return true;
    syntax_error();
    return false;
  }
  void leave() { --depth_; }

  static bool is_operand(const node& n) {
    return n.kind == node_kind::path || n.kind == node_kind::value;
  }
  static bool is_condition_or_call(const node& n) {
    return !is_operand(n) && n.kind != node_kind::plus && n.kind != node_kind::minus;
  }

  // ---- conditions ----
  node binary(node_kind kind, node left, node right) {
    node n;
    n.kind = kind;
    n.kids.push_back(std::move(left));
    n.kids.push_back(std::move(right));
    return n;
  }

  node parse_or() {
    node left = parse_and();
    while (!error_ && keyword("OR")) {
      if (!is_condition_or_call(left)) return syntax_error(), node{};
      count_operator();
      ++pos_;
      node right = parse_and();
      if (!error_ && !is_condition_or_call(right)) syntax_error();
      if (error_) return {};
      left = binary(node_kind::or_, std::move(left), std::move(right));
    }
    return left;
  }

  node parse_and() {
    node left = parse_not();
    while (!error_ && keyword("AND")) {
      if (!is_condition_or_call(left)) return syntax_error(), node{};
      count_operator();
      ++pos_;
      node right = parse_not();
      if (!error_ && !is_condition_or_call(right)) syntax_error();
      if (error_) return {};
      left = binary(node_kind::and_, std::move(left), std::move(right));
    }
    return left;
  }

  node parse_not() {
    if (!keyword("NOT")) return parse_primary();
    count_operator();
    ++pos_;
    if (error_ || !enter()) return {};
    node inner = parse_not();
    leave();
    if (!error_ && !is_condition_or_call(inner)) syntax_error();
    if (error_) return {};
    node n;
    n.kind = node_kind::not_;
    n.kids.push_back(std::move(inner));
    return n;
  }

  node parse_primary() {
    if (at(token_type::lparen)) {
      if (!enter()) return {};
      ++pos_;
      node inner = parse_or();
      expect(token_type::rparen);
      leave();
      if (error_) return {};
      if (++inner.parens > 1) return redundant_parentheses();
      // "(a) BETWEEN (b) AND (c)": a parenthesised operand may start a comparison.
      if (is_operand(inner) || inner.kind == node_kind::call)
        return comparison_tail(std::move(inner));
      return inner;
    }
    node lhs = parse_term();
    if (error_) return {};
    return comparison_tail(std::move(lhs));
  }

  std::optional<comparator> comparator_token() const {
    switch (current().type) {
      case token_type::eq:
        return comparator::eq;
      case token_type::ne:
        return comparator::ne;
      case token_type::lt:
        return comparator::lt;
      case token_type::le:
        return comparator::le;
      case token_type::gt:
        return comparator::gt;
      case token_type::ge:
        return comparator::ge;
      default:
        return std::nullopt;
    }
  }

  node comparison_tail(node lhs) {
    node n;
    n.kids.push_back(std::move(lhs));
    if (auto op = comparator_token()) {
      count_operator();
      ++pos_;
      n.kind = node_kind::compare;
      n.op = *op;
      n.kids.push_back(parse_operand());
    } else if (keyword("BETWEEN")) {
      count_operator();
      ++pos_;
      n.kind = node_kind::between;
      n.kids.push_back(parse_operand());
      if (!error_ && !keyword("AND")) syntax_error();
      if (error_) return {};
      ++pos_;
      n.kids.push_back(parse_operand());
    } else if (keyword("IN")) {
      count_operator();
      ++pos_;
      n.kind = node_kind::in;
      expect(token_type::lparen);
      do {
        if (error_) return {};
        n.kids.push_back(parse_operand());
        if (n.kids.size() > max_in_operands && !error_)
          error_ = invalid(kind_,
                           "The IN operator is provided with too many operands; number of "
                           "operands: " +
                               std::to_string(n.kids.size()));
      } while (!error_ && accept(token_type::comma));
      expect(token_type::rparen);
    } else {
      // A lone function call is a condition (or a misuse reported later);
      // a lone operand is only valid inside parentheses that a comparison
      // follows: "(a) < b".
      node& only = n.kids.front();
      if (only.kind == node_kind::call || (depth_ > 0 && at(token_type::rparen)))
        return std::move(only);
      syntax_error();
    }
    if (error_) return {};
    return n;
  }

  // An operand of a comparison or a function: a term, maybe parenthesised.
  node parse_operand() {
    if (error_) return {};
    if (at(token_type::lparen)) {
      if (!enter()) return {};
      ++pos_;
      node inner = parse_operand();
      expect(token_type::rparen);
      leave();
      if (error_) return {};
      if (++inner.parens > 1) return redundant_parentheses();
      return inner;
    }
    return parse_term();
  }

  // path | :value | function(args)
  node parse_term() {
    if (at(token_type::value_ref)) return parse_value_ref();
    if (at(token_type::name) && pos_ + 1 < tokens_.size() &&
        tokens_[pos_ + 1].type == token_type::lparen)
      return parse_call([this] { return parse_operand(); });
    return parse_path();
  }

  template <class Arg>
  node parse_call(Arg parse_arg) {
    node n;
    n.kind = node_kind::call;
    n.name = std::string(text_of(current()));
    pos_ += 2;
    if (!enter()) return {};
    do {
      n.kids.push_back(parse_arg());
      if (error_) return {};
    } while (accept(token_type::comma));
    expect(token_type::rparen);
    leave();
    if (error_) return {};
    return n;
  }

  node parse_value_ref() {
    if (!at(token_type::value_ref)) return syntax_error(), node{};
    node n;
    n.kind = node_kind::value;
    n.name = std::string(text_of(current()));
    ++pos_;
    return n;
  }

  // The grammar's own words are tokens, not names: "a > between" is a
  // syntax error, not a reserved word.
  bool grammar_keyword() const {
    return keyword("AND") || keyword("OR") || keyword("NOT") || keyword("BETWEEN") || keyword("IN");
  }

  bool parse_step(node& n) {
    if ((!at(token_type::name) && !at(token_type::name_ref)) || grammar_keyword()) {
      syntax_error();
      return false;
    }
    expr::path_step step;
    step.name = std::string(text_of(current()));
    step.placeholder = at(token_type::name_ref);
    n.spelled.push_back(step.name);
    n.path.steps.push_back(std::move(step));
    ++pos_;
    return true;
  }

  node parse_path() {
    node n;
    n.kind = node_kind::path;
    if (!parse_step(n)) return {};
    while (true) {
      if (accept(token_type::dot)) {
        if (!parse_step(n)) return {};
      } else if (accept(token_type::lbracket)) {
        if (!at(token_type::number)) return syntax_error(), node{};
        std::string_view digits = text_of(current());
        expr::path_step step;
        step.is_index = true;
        // Indexes are Java ints: a larger one is a range error, not a syntax
        // error (test_projection_expression_list_index).
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), step.index);
        if (ec != std::errc() || step.index > 2147483647) {
          error_ = invalid(kind_, "List index is not within the allowable range; index: [" +
                                      std::string(digits) + "]");
          return {};
        }
        ++pos_;
        expect(token_type::rbracket);
        if (error_) return {};
        n.spelled.push_back("[" + std::string(digits) + "]");
        n.path.steps.push_back(std::move(step));
      } else {
        return n;
      }
    }
  }

  // ---- update ----
  // SET's right-hand side: term [+|- term]; no parentheses, and a function's
  // arguments are terms without arithmetic (test_update_expression_function_plus_nesting).
  node parse_set_term() {
    if (at(token_type::value_ref)) return parse_value_ref();
    if (at(token_type::name) && pos_ + 1 < tokens_.size() &&
        tokens_[pos_ + 1].type == token_type::lparen)
      return parse_call([this] { return parse_set_term(); });
    return parse_path();
  }

  node parse_set_value() {
    node left = parse_set_term();
    if (error_) return {};
    if (at(token_type::plus) || at(token_type::minus)) {
      const node_kind kind = at(token_type::plus) ? node_kind::plus : node_kind::minus;
      count_operator();
      ++pos_;
      node right = parse_set_term();
      if (error_) return {};
      return binary(kind, std::move(left), std::move(right));
    }
    return left;
  }

  std::string_view text_;
  expression_kind kind_;
  std::vector<token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  int operators_ = 0;
  std::optional<api_error> error_;
};

// Checks shared by every kind, before any parsing.
result<void> check_text(std::string_view text, expression_kind kind) {
  if (text.size() > max_expression_bytes)
    return invalid(kind,
                   "Expression size has exceeded the maximum allowed size; expression size: " +
                       std::to_string(text.size()));
  if (text.find_first_not_of(" \t\n\r") == std::string_view::npos)
    return invalid(kind, "The expression can not be empty;");
  return {};
}

}  // namespace
}  // namespace detail

result<std::shared_ptr<const condition>> parse_condition(std::string_view text,
                                                         expression_kind kind) {
  if (auto r = detail::check_text(text, kind); !r) return r.error();
  detail::parser p(text, kind);
  auto root = p.condition_root();
  if (!root) return root.error();
  auto lowered = detail::lower_condition(*root, kind);
  if (!lowered) return lowered.error();
  return std::make_shared<const condition>(std::move(*lowered));
}

result<std::shared_ptr<const projection>> parse_projection(std::string_view text) {
  if (auto r = detail::check_text(text, expression_kind::projection); !r) return r.error();
  detail::parser p(text, expression_kind::projection);
  auto paths = p.projection_root();
  if (!paths) return paths.error();
  auto lowered = detail::lower_projection(*paths);
  if (!lowered) return lowered.error();
  return std::make_shared<const projection>(std::move(*lowered));
}

result<std::shared_ptr<const update>> parse_update(std::string_view text) {
  if (auto r = detail::check_text(text, expression_kind::update); !r) return r.error();
  detail::parser p(text, expression_kind::update);
  std::string repeated_clause;
  auto actions = p.update_root(repeated_clause);
  if (!actions) return actions.error();
  auto lowered = detail::lower_update(*actions, repeated_clause);
  if (!lowered) return lowered.error();
  return std::make_shared<const update>(std::move(*lowered));
}

}  // namespace stratus::dynamodb::expr
