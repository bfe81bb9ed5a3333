// Lexer and recursive-descent parser for the PartiQL statements DynamoDB
// accepts. Literals become wire-form AttributeValues at parse time, so the
// trees handed on are exactly what the expression engine evaluates.
#include "dynamodb/partiql/parser.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <vector>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/expr/resolve.hpp"

namespace stratus::dynamodb::partiql {
namespace json = boost::json;

namespace {

constexpr std::size_t max_statement_length = 8192;  // DynamoDB's Statement limit
constexpr int max_depth = 32;                       // nesting of literals and conditions

enum class token_kind { end, word, quoted, string, number, symbol, parameter };

struct token {
  token_kind kind = token_kind::end;
  std::string text;  // word/quoted/string: unescaped; symbol: "(", "<=", "<<", ...
};

api_error malformed(std::string_view why) {
  return api_error::validation("Statement wasn't well formed, can't be processed: " +
                               std::string(why));
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

result<std::vector<token>> lex(std::string_view s) {
  std::vector<token> out;
  std::size_t i = 0;
  auto quoted_run = [&](char quote, token_kind kind) -> result<void> {
    std::string text;
    for (++i;; ++i) {
      if (i >= s.size()) return malformed("unterminated quoted text");
      if (s[i] == quote) {
        // A doubled quote is the quote itself.
        if (i + 1 < s.size() && s[i + 1] == quote) {
          text.push_back(quote);
          ++i;
          continue;
        }
        ++i;
        break;
      }
      text.push_back(s[i]);
    }
    out.push_back({kind, std::move(text)});
    return {};
  };
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '\'') {
      if (auto r = quoted_run('\'', token_kind::string); !r) return r.error();
    } else if (c == '"') {
      if (auto r = quoted_run('"', token_kind::quoted); !r) return r.error();
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < s.size() &&
                std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::size_t start = i;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      }
      out.push_back({token_kind::number, std::string(s.substr(start, i - start))});
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t start = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      out.push_back({token_kind::word, std::string(s.substr(start, i - start))});
    } else if (c == '?') {
      out.push_back({token_kind::parameter, "?"});
      ++i;
    } else {
      static constexpr std::string_view two[] = {"<=", ">=", "<>", "!=", "<<", ">>"};
      std::string sym;
      for (auto t : two)
        if (s.substr(i, 2) == t) sym = t;
      if (sym.empty()) {
        if (std::string_view("()[]{},.*=<>:+-;").find(c) == std::string_view::npos)
          return malformed("Unexpected character '" + std::string(1, c) + "'");
        sym = std::string(1, c);
      }
      i += sym.size();
      out.push_back({token_kind::symbol, std::move(sym)});
    }
  }
  out.push_back({token_kind::end, ""});
  return out;
}

class parser {
 public:
  parser(std::vector<token> tokens, const json::array& parameters)
      : tokens_(std::move(tokens)), parameters_(parameters) {}

  result<statement> parse_statement() {
    statement st;
    result<void> r;
    if (take_keyword("SELECT"))
      r = parse_select(st);
    else if (take_keyword("INSERT"))
      r = parse_insert(st);
    else if (take_keyword("UPDATE"))
      r = parse_update(st);
    else if (take_keyword("DELETE"))
      r = parse_delete(st);
    else if (take_keyword("EXISTS"))
      r = parse_exists(st);
    else
      return malformed("Unexpected keyword " + describe(peek()));
    if (!r) return r.error();
    take_symbol(";");
    if (peek().kind != token_kind::end) return malformed("Unexpected token " + describe(peek()));
    if (next_parameter_ != parameters_.size())
      return api_error::validation("Number of parameters in request and statement don't match.");
    return st;
  }

 private:
  const token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  static std::string describe(const token& t) {
    return t.kind == token_kind::end ? "end of statement" : "'" + t.text + "'";
  }
  bool is_keyword(std::string_view kw, std::size_t ahead = 0) const {
    return peek(ahead).kind == token_kind::word && iequals(peek(ahead).text, kw);
  }
  bool take_keyword(std::string_view kw) {
    if (!is_keyword(kw)) return false;
    ++pos_;
    return true;
  }
  bool is_symbol(std::string_view sym, std::size_t ahead = 0) const {
    return peek(ahead).kind == token_kind::symbol && peek(ahead).text == sym;
  }
  bool take_symbol(std::string_view sym) {
    if (!is_symbol(sym)) return false;
    ++pos_;
    return true;
  }
  result<void> expect_keyword(std::string_view kw) {
    if (take_keyword(kw)) return {};
    return malformed("Expected " + std::string(kw) + ", found " + describe(peek()));
  }
  result<void> expect_symbol(std::string_view sym) {
    if (take_symbol(sym)) return {};
    return malformed("Expected '" + std::string(sym) + "', found " + describe(peek()));
  }

  result<std::string> identifier() {
    const token& t = peek();
    if (t.kind != token_kind::word && t.kind != token_kind::quoted)
      return malformed("Expected identifier, found " + describe(t));
    if (t.text.empty()) return malformed("Empty identifier");
    ++pos_;
    return t.text;
  }

  result<void> table_name(statement& st, bool allow_index) {
    auto name = identifier();
    if (!name) return name.error();
    st.table = std::move(*name);
    if (allow_index && take_symbol(".")) {
      auto index = identifier();
      if (!index) return index.error();
      st.index = std::move(*index);
    }
    return {};
  }

  result<expr::path> path() {
    expr::path p;
    auto first = identifier();
    if (!first) return first.error();
    p.steps.push_back({.name = std::move(*first)});
    for (;;) {
      if (take_symbol(".")) {
        auto name = identifier();
        if (!name) return name.error();
        p.steps.push_back({.name = std::move(*name)});
      } else if (take_symbol("[")) {
        // Nine digits at most: no list is that long, and stoull cannot overflow.
        if (peek().kind != token_kind::number || peek().text.size() > 9 ||
            peek().text.find_first_not_of("0123456789") != std::string::npos)
          return malformed("Expected a list index, found " + describe(peek()));
        p.steps.push_back({.name = {}, .index = std::stoull(peek().text), .is_index = true});
        ++pos_;
        if (auto r = expect_symbol("]"); !r) return r.error();
      } else {
        return p;
      }
    }
  }

  // A literal or `?`, as a wire-form AttributeValue.
  result<json::value> literal(int depth = 1) {
    if (depth > max_depth) return malformed("Literal nested too deeply");
    const token t = peek();
    switch (t.kind) {
      case token_kind::parameter: {
        ++pos_;
        if (next_parameter_ >= parameters_.size())
          return api_error::validation(
              "Number of parameters in request and statement don't match.");
        json::value v = parameters_[next_parameter_++];
        if (!v.is_object()) return api_error::serialization("Unexpected value type in payload");
        if (auto r = normalize_value(v, depth); !r) return r.error();
        return v;
      }
      case token_kind::string:
        ++pos_;
        return json::value(json::object{{"S", t.text}});
      case token_kind::number: {
        ++pos_;
        json::value v = json::object{{"N", t.text}};
        if (auto r = normalize_value(v, depth); !r) return r.error();
        return v;
      }
      case token_kind::word:
        if (take_keyword("TRUE")) return json::value(json::object{{"BOOL", true}});
        if (take_keyword("FALSE")) return json::value(json::object{{"BOOL", false}});
        if (take_keyword("NULL")) return json::value(json::object{{"NULL", true}});
        break;
      case token_kind::symbol:
        if (t.text == "-" && peek(1).kind == token_kind::number) {
          json::value v = json::object{{"N", "-" + peek(1).text}};
          pos_ += 2;
          if (auto r = normalize_value(v, depth); !r) return r.error();
          return v;
        }
        if (t.text == "[") return list_literal(depth);
        if (t.text == "{") return map_literal(depth);
        if (t.text == "<<") return set_literal(depth);
        break;
      default:
        break;
    }
    return malformed("Expected a value, found " + describe(t));
  }

  bool at_literal() const {
    const token& t = peek();
    return t.kind == token_kind::parameter || t.kind == token_kind::string ||
           t.kind == token_kind::number || is_keyword("TRUE") || is_keyword("FALSE") ||
           is_keyword("NULL") || is_symbol("[") || is_symbol("{") || is_symbol("<<") ||
           (is_symbol("-") && peek(1).kind == token_kind::number);
  }

  result<json::value> list_literal(int depth) {
    ++pos_;
    json::array items;
    if (!take_symbol("]")) {
      do {
        auto v = literal(depth + 1);
        if (!v) return v.error();
        items.push_back(std::move(*v));
      } while (take_symbol(","));
      if (auto r = expect_symbol("]"); !r) return r.error();
    }
    return json::value(json::object{{"L", std::move(items)}});
  }

  result<json::value> map_literal(int depth) {
    ++pos_;
    json::object fields;
    if (!take_symbol("}")) {
      do {
        if (peek().kind != token_kind::string)
          return malformed("Expected a 'string' key, found " + describe(peek()));
        std::string key = peek().text;
        ++pos_;
        if (auto r = expect_symbol(":"); !r) return r.error();
        auto v = literal(depth + 1);
        if (!v) return v.error();
        fields[key] = std::move(*v);
      } while (take_symbol(","));
      if (auto r = expect_symbol("}"); !r) return r.error();
    }
    return json::value(json::object{{"M", std::move(fields)}});
  }

  // <<'a', 'b'>>: a string, number or binary set, by its elements' type.
  result<json::value> set_literal(int depth) {
    ++pos_;
    json::array members;
    std::string type;
    do {
      auto v = literal(depth + 1);
      if (!v) return v.error();
      std::string t(type_of(*v));
      if (t != "S" && t != "N" && t != "B")
        return api_error::validation("Unsupported element type in a set: " + t);
      if (!type.empty() && t != type)
        return api_error::validation("Set elements must all be of the same type");
      type = t;
      members.push_back(v->as_object().begin()->value());
    } while (take_symbol(","));
    if (auto r = expect_symbol(">>"); !r) return r.error();
    json::value set = json::object{{type + "S", std::move(members)}};
    if (auto r = normalize_value(set, depth); !r) return r.error();
    return set;
  }

  result<expr::operand> operand() {
    if (at_literal()) {
      auto v = literal();
      if (!v) return v.error();
      expr::operand o;
      o.kind = expr::operand_kind::value;
      o.value = std::move(*v);
      return o;
    }
    if (peek().kind == token_kind::word && iequals(peek().text, "size") && is_symbol("(", 1)) {
      pos_ += 2;
      // size() takes a path, never another size().
      auto inner = path();
      if (!inner) return inner.error();
      if (auto r = expect_symbol(")"); !r) return r.error();
      expr::operand o;
      o.kind = expr::operand_kind::size;
      expr::operand arg;
      arg.path = std::move(*inner);
      o.args.push_back(std::move(arg));
      return o;
    }
    auto p = path();
    if (!p) return p.error();
    expr::operand o;
    o.path = std::move(*p);
    return o;
  }

  result<expr::condition> or_condition(int depth = 1) {
    if (depth > max_depth) return malformed("Condition nested too deeply");
    auto left = and_condition(depth);
    if (!left) return left;
    while (take_keyword("OR")) {
      auto right = and_condition(depth);
      if (!right) return right;
      expr::condition c;
      c.kind = expr::condition_kind::or_;
      c.children = {std::move(*left), std::move(*right)};
      left = std::move(c);
    }
    return left;
  }

  result<expr::condition> and_condition(int depth) {
    auto left = not_condition(depth);
    if (!left) return left;
    while (take_keyword("AND")) {
      auto right = not_condition(depth);
      if (!right) return right;
      expr::condition c;
      c.kind = expr::condition_kind::and_;
      c.children = {std::move(*left), std::move(*right)};
      left = std::move(c);
    }
    return left;
  }

  result<expr::condition> not_condition(int depth) {
    if (depth > max_depth) return malformed("Condition nested too deeply");
    if (take_keyword("NOT")) {
      auto inner = not_condition(depth + 1);
      if (!inner) return inner;
      expr::condition c;
      c.kind = expr::condition_kind::not_;
      c.children.push_back(std::move(*inner));
      return c;
    }
    return predicate(depth);
  }

  result<expr::condition> function_condition(std::string_view name) {
    static const std::pair<std::string_view, expr::condition_kind> functions[] = {
        {"begins_with", expr::condition_kind::begins_with},
        {"contains", expr::condition_kind::contains},
        {"attribute_type", expr::condition_kind::attribute_type},
        {"attribute_exists", expr::condition_kind::attribute_exists},
        {"attribute_not_exists", expr::condition_kind::attribute_not_exists}};
    expr::condition c;
    std::size_t arity = 0;
    for (const auto& [fname, kind] : functions)
      if (iequals(fname, name)) {
        c.kind = kind;
        arity = kind == expr::condition_kind::attribute_exists ||
                        kind == expr::condition_kind::attribute_not_exists
                    ? 1
                    : 2;
      }
    if (arity == 0) return malformed("Unknown function " + std::string(name));
    pos_ += 2;  // name and "("
    do {
      auto o = operand();
      if (!o) return o.error();
      c.operands.push_back(std::move(*o));
    } while (take_symbol(","));
    if (auto r = expect_symbol(")"); !r) return r.error();
    if (c.operands.size() != arity)
      return api_error::validation("Incorrect number of arguments for function " +
                                   std::string(name));
    return c;
  }

  result<expr::condition> predicate(int depth) {
    if (take_symbol("(")) {
      auto inner = or_condition(depth + 1);
      if (!inner) return inner;
      if (auto r = expect_symbol(")"); !r) return r.error();
      return inner;
    }
    if (peek().kind == token_kind::word && is_symbol("(", 1) && !iequals(peek().text, "size"))
      return function_condition(peek().text);
    auto left = operand();
    if (!left) return left.error();
    expr::condition c;
    if (take_keyword("IS")) {
      const bool negated = take_keyword("NOT");
      if (take_keyword("MISSING")) {
        c.kind = negated ? expr::condition_kind::attribute_exists
                         : expr::condition_kind::attribute_not_exists;
        c.operands.push_back(std::move(*left));
        return c;
      }
      if (take_keyword("NULL")) {
        // IS NULL holds for a NULL value (DynamoDB also counts a missing
        // attribute as null, like SQL's unknown).
        c.kind = expr::condition_kind::attribute_type;
        expr::operand type;
        type.kind = expr::operand_kind::value;
        type.value = json::object{{"S", "NULL"}};
        c.operands = {*left, std::move(type)};
        expr::condition missing;
        missing.kind = expr::condition_kind::attribute_not_exists;
        missing.operands.push_back(std::move(*left));
        expr::condition either;
        either.kind = expr::condition_kind::or_;
        either.children = {std::move(c), std::move(missing)};
        if (!negated) return either;
        expr::condition n;
        n.kind = expr::condition_kind::not_;
        n.children.push_back(std::move(either));
        return n;
      }
      return malformed("Expected MISSING or NULL after IS, found " + describe(peek()));
    }
    const bool negated = take_keyword("NOT");
    if (take_keyword("BETWEEN")) {
      auto low = operand();
      if (!low) return low.error();
      if (auto r = expect_keyword("AND"); !r) return r.error();
      auto high = operand();
      if (!high) return high.error();
      c.kind = expr::condition_kind::between;
      c.operands = {std::move(*left), std::move(*low), std::move(*high)};
    } else if (take_keyword("IN")) {
      c.kind = expr::condition_kind::in;
      c.operands.push_back(std::move(*left));
      const bool bracket = is_symbol("[");
      if (!take_symbol("[") && !take_symbol("("))
        return malformed("Expected a list after IN, found " + describe(peek()));
      do {
        auto o = operand();
        if (!o) return o.error();
        c.operands.push_back(std::move(*o));
      } while (take_symbol(","));
      if (auto r = expect_symbol(bracket ? "]" : ")"); !r) return r.error();
    } else if (negated) {
      return malformed("Expected BETWEEN or IN after NOT, found " + describe(peek()));
    } else {
      static const std::pair<std::string_view, expr::comparator> comparators[] = {
          {"=", expr::comparator::eq}, {"<>", expr::comparator::ne}, {"!=", expr::comparator::ne},
          {"<", expr::comparator::lt}, {"<=", expr::comparator::le}, {">", expr::comparator::gt},
          {">=", expr::comparator::ge}};
      bool found = false;
      for (const auto& [sym, op] : comparators)
        if (!found && take_symbol(sym)) {
          c.op = op;
          found = true;
        }
      if (!found) return malformed("Expected a comparison, found " + describe(peek()));
      auto right = operand();
      if (!right) return right.error();
      c.kind = expr::condition_kind::compare;
      c.operands = {std::move(*left), std::move(*right)};
    }
    if (!negated) return c;
    expr::condition n;
    n.kind = expr::condition_kind::not_;
    n.children.push_back(std::move(c));
    return n;
  }

  result<void> where(statement& st, bool required) {
    if (!take_keyword("WHERE")) {
      if (required) return malformed("Expected WHERE, found " + describe(peek()));
      return {};
    }
    auto c = or_condition();
    if (!c) return c.error();
    st.where = std::move(*c);
    return {};
  }

  result<void> parse_select(statement& st) {
    st.kind = statement_kind::select;
    if (!take_symbol("*")) {
      expr::projection p;
      do {
        auto one = path();
        if (!one) return one.error();
        p.paths.push_back(std::move(*one));
      } while (take_symbol(","));
      st.projection = std::move(p);
    }
    if (auto r = expect_keyword("FROM"); !r) return r;
    if (auto r = table_name(st, true); !r) return r;
    if (auto r = where(st, false); !r) return r;
    if (!take_keyword("ORDER")) return {};
    if (auto r = expect_keyword("BY"); !r) return r;
    auto name = identifier();
    if (!name) return name.error();
    st.order_by = std::move(*name);
    st.descending = take_keyword("DESC");
    if (!st.descending) take_keyword("ASC");
    return {};
  }

  result<void> parse_exists(statement& st) {
    if (auto r = expect_symbol("("); !r) return r;
    if (auto r = expect_keyword("SELECT"); !r) return r;
    if (auto r = parse_select(st); !r) return r;
    if (auto r = expect_symbol(")"); !r) return r;
    st.kind = statement_kind::exists;
    return {};
  }

  result<void> parse_insert(statement& st) {
    st.kind = statement_kind::insert;
    if (auto r = expect_keyword("INTO"); !r) return r;
    if (auto r = table_name(st, false); !r) return r;
    if (auto r = expect_keyword("VALUE"); !r) return r;
    if (!is_symbol("{")) return malformed("Expected an item {...}, found " + describe(peek()));
    auto item = literal();
    if (!item) return item.error();
    st.item = std::move(item->as_object().at("M").as_object());
    return {};
  }

  // The right-hand side of SET: a term, or term + term / term - term.
  result<expr::operand> set_value() {
    auto left = set_term();
    if (!left) return left;
    for (auto [sym, kind] :
         {std::pair{"+", expr::operand_kind::plus}, std::pair{"-", expr::operand_kind::minus}})
      if (take_symbol(sym)) {
        auto right = set_term();
        if (!right) return right;
        expr::operand o;
        o.kind = kind;
        o.args = {std::move(*left), std::move(*right)};
        return o;
      }
    return left;
  }

  result<expr::operand> set_term() {
    for (auto [name, kind] : {std::pair{"list_append", expr::operand_kind::list_append},
                              std::pair{"if_not_exists", expr::operand_kind::if_not_exists}})
      if (is_keyword(name) && is_symbol("(", 1)) {
        pos_ += 2;
        expr::operand o;
        o.kind = kind;
        for (int i = 0; i < 2; ++i) {
          if (i == 1)
            if (auto r = expect_symbol(","); !r) return r.error();
          auto arg = operand();
          if (!arg) return arg;
          o.args.push_back(std::move(*arg));
        }
        if (auto r = expect_symbol(")"); !r) return r.error();
        return o;
      }
    return operand();
  }

  result<void> assignment(statement& st) {
    auto target = path();
    if (!target) return target.error();
    if (auto r = expect_symbol("="); !r) return r;
    // SET a = set_add(a, <<...>>) / set_delete(...) are ADD / DELETE on a set.
    for (auto [name, kind] : {std::pair{"set_add", expr::update_action_kind::add},
                              std::pair{"set_delete", expr::update_action_kind::delete_}})
      if (is_keyword(name) && is_symbol("(", 1)) {
        pos_ += 2;
        auto same = path();
        if (!same) return same.error();
        if (!(*same == *target))
          return api_error::validation(std::string(name) +
                                       " must name the attribute being updated");
        if (auto r = expect_symbol(","); !r) return r;
        auto v = literal();
        if (!v) return v.error();
        if (auto r = expect_symbol(")"); !r) return r;
        expr::update_action a;
        a.kind = kind;
        a.target = std::move(*target);
        a.value.kind = expr::operand_kind::value;
        a.value.value = std::move(*v);
        st.update.actions.push_back(std::move(a));
        return {};
      }
    auto v = set_value();
    if (!v) return v.error();
    st.update.actions.push_back(
        {.kind = expr::update_action_kind::set, .target = std::move(*target), .value = *v});
    return {};
  }

  result<void> parse_update(statement& st) {
    st.kind = statement_kind::update;
    if (auto r = table_name(st, false); !r) return r;
    bool any = false;
    for (;;) {
      if (take_keyword("SET")) {
        do {
          if (auto r = assignment(st); !r) return r;
        } while (take_symbol(","));
      } else if (take_keyword("REMOVE")) {
        do {
          auto target = path();
          if (!target) return target.error();
          st.update.actions.push_back({.kind = expr::update_action_kind::remove,
                                       .target = std::move(*target),
                                       .value = {}});
        } while (take_symbol(","));
      } else {
        break;
      }
      any = true;
    }
    if (!any) return malformed("Expected SET or REMOVE, found " + describe(peek()));
    std::vector<expr::path> targets;
    for (const auto& a : st.update.actions) targets.push_back(a.target);
    if (auto r = expr::check_paths_disjoint(targets, expr::expression_kind::update); !r) return r;
    if (auto r = where(st, true); !r) return r;
    return returning_clause(st);
  }

  result<void> parse_delete(statement& st) {
    st.kind = statement_kind::delete_;
    if (auto r = expect_keyword("FROM"); !r) return r;
    if (auto r = table_name(st, false); !r) return r;
    if (auto r = where(st, true); !r) return r;
    return returning_clause(st);
  }

  // RETURNING (ALL | MODIFIED) (OLD | NEW) *; DELETE has only ALL OLD.
  result<void> returning_clause(statement& st) {
    if (!take_keyword("RETURNING")) return {};
    const bool all = take_keyword("ALL");
    if (!all && !take_keyword("MODIFIED"))
      return malformed("Expected ALL or MODIFIED, found " + describe(peek()));
    const bool old = take_keyword("OLD");
    if (!old && !take_keyword("NEW"))
      return malformed("Expected OLD or NEW, found " + describe(peek()));
    if (auto r = expect_symbol("*"); !r) return r;
    st.returning = all ? (old ? returning::all_old : returning::all_new)
                       : (old ? returning::modified_old : returning::modified_new);
    if (st.kind == statement_kind::delete_ && st.returning != returning::all_old)
      return api_error::validation("DELETE supports only RETURNING ALL OLD *");
    return {};
  }

  std::vector<token> tokens_;
  const json::array& parameters_;
  std::size_t pos_ = 0;
  std::size_t next_parameter_ = 0;
};

}  // namespace

result<statement> parse(std::string_view text, const json::array& parameters) {
  if (text.size() > max_statement_length)
    return api_error::validation(
        "1 validation error detected: Value at 'statement' failed to satisfy constraint: Member "
        "must have length less than or equal to 8192");
  if (text.empty())
    return api_error::validation(
        "1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member "
        "must have length greater than or equal to 1");
  auto tokens = lex(text);
  if (!tokens) return tokens.error();
  return parser(std::move(*tokens), parameters).parse_statement();
}

}  // namespace stratus::dynamodb::partiql
