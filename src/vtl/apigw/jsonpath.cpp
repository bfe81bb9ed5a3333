#include "vtl/apigw/jsonpath.hpp"

#include <boost/regex.hpp>
#include <charconv>
#include <memory>
#include <optional>

namespace stratus::vtl::apigw {

namespace {

namespace json = boost::json;
using node_set = std::vector<const json::value*>;

struct path_error {
  std::string message;
};

// Filter expressions: `@.a.b`, `$.x`, literals, comparisons, && || !.
struct filter_expr {
  enum class kind { path, literal, regex, compare, logical_and, logical_or, negate };
  kind k = kind::literal;
  bool from_root = false;               // path: `$` instead of `@`
  std::vector<std::string> path_names;  // path: member names or "[n]" indexes
  std::vector<bool> path_is_index;
  json::value literal;
  std::string op;  // compare: == != < <= > >= =~
  std::unique_ptr<filter_expr> left, right;
  std::shared_ptr<boost::regex> re;
};

class path_parser {
 public:
  explicit path_parser(std::string_view text) : s_(text) {}

  jsonpath_result run(const json::value& root) {
    jsonpath_result r;
    try {
      std::size_t start = 0;
      if (!s_.empty() && s_[0] == '$') start = 1;
      i_ = start;
      node_set current{&root};
      root_ = &root;
      // Jayway reads "a.b" as "$.a.b".
      if (start == 0 && !s_.empty() && s_[0] != '.' && s_[0] != '[') {
        current = child(current, read_name());
      }
      while (i_ < s_.size()) current = segment(current, r.definite);
      r.matches = std::move(current);
    } catch (const path_error& e) {
      r.ok = false;
      r.error = "invalid JSONPath '" + std::string(s_) + "': " + e.message;
    }
    return r;
  }

 private:
  [[noreturn]] void fail(std::string m) { throw path_error{std::move(m)}; }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  void skip_space() {
    while (peek() == ' ') ++i_;
  }

  std::string read_name() {
    std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != '.' && s_[i_] != '[') ++i_;
    if (i_ == start) fail("expected a member name");
    return std::string(s_.substr(start, i_ - start));
  }

  static node_set child(const node_set& in, std::string_view name) {
    node_set out;
    for (const auto* n : in) {
      if (!n->is_object()) continue;
      if (const auto* v = n->as_object().if_contains(name)) out.push_back(v);
    }
    return out;
  }

  static node_set children(const node_set& in) {
    node_set out;
    for (const auto* n : in) {
      if (n->is_object()) {
        for (const auto& [k, v] : n->as_object()) out.push_back(&v);
      } else if (n->is_array()) {
        for (const auto& v : n->as_array()) out.push_back(&v);
      }
    }
    return out;
  }

  static void descendants_or_self(const json::value* n, node_set& out) {
    std::vector<const json::value*> pending{n};
    while (!pending.empty()) {
      const auto* v = pending.back();
      pending.pop_back();
      out.push_back(v);
      if (v->is_object()) {
        const auto& o = v->as_object();
        for (auto it = o.end(); it != o.begin();) pending.push_back(&(--it)->value());
      } else if (v->is_array()) {
        const auto& a = v->as_array();
        for (auto it = a.end(); it != a.begin();) pending.push_back(&*--it);
      }
    }
  }

  node_set segment(const node_set& in, bool& definite) {
    if (peek() == '.' && peek(1) == '.') {
      i_ += 2;
      definite = false;
      node_set all;
      for (const auto* n : in) descendants_or_self(n, all);
      if (peek() == '[') return bracket(all, definite);
      if (peek() == '*') {
        ++i_;
        return children(all);
      }
      return child(all, read_name());
    }
    if (peek() == '.') {
      ++i_;
      if (peek() == '*') {
        ++i_;
        definite = false;
        return children(in);
      }
      return child(in, read_name());
    }
    if (peek() == '[') return bracket(in, definite);
    fail("unexpected '" + std::string(1, peek()) + "'");
  }

  std::string read_quoted() {
    char q = peek();
    ++i_;
    std::string out;
    while (i_ < s_.size() && s_[i_] != q) {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
      out += s_[i_++];
    }
    if (i_ >= s_.size()) fail("unterminated quoted name");
    ++i_;
    return out;
  }

  std::optional<std::int64_t> read_int() {
    skip_space();
    std::size_t start = i_;
    if (peek() == '-') ++i_;
    while (peek() >= '0' && peek() <= '9') ++i_;
    if (i_ == start) return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s_.data() + start, s_.data() + i_, v);
    if (ec != std::errc()) fail("bad index");
    return v;
  }

  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }

  node_set bracket(const node_set& in, bool& definite) {
    ++i_;
    skip_space();
    if (peek() == '*') {
      ++i_;
      expect(']');
      definite = false;
      return children(in);
    }
    if (peek() == '?') {
      ++i_;
      expect('(');
      auto f = parse_filter_or();
      expect(')');
      expect(']');
      definite = false;
      node_set out;
      for (const auto* n : in) {
        if (n->is_array()) {
          for (const auto& v : n->as_array()) {
            if (truthy(*f, v)) out.push_back(&v);
          }
        } else if (n->is_object() && truthy(*f, *n)) {
          out.push_back(n);
        }
      }
      return out;
    }
    if (peek() == '\'' || peek() == '"') {
      std::vector<std::string> names{read_quoted()};
      skip_space();
      while (peek() == ',') {
        ++i_;
        skip_space();
        names.push_back(read_quoted());
        skip_space();
      }
      expect(']');
      if (names.size() > 1) definite = false;
      node_set out;
      for (const auto& name : names) {
        auto part = child(in, name);
        out.insert(out.end(), part.begin(), part.end());
      }
      return out;
    }
    // Indexes [1], [-1], [0,2] or a slice [1:3].
    auto first = read_int();
    skip_space();
    if (peek() == ':') {
      ++i_;
      auto last = read_int();
      expect(']');
      definite = false;
      node_set out;
      for (const auto* n : in) {
        if (!n->is_array()) continue;
        auto size = static_cast<std::int64_t>(n->as_array().size());
        std::int64_t b = first.value_or(0);
        std::int64_t e = last.value_or(size);
        if (b < 0) b = std::max<std::int64_t>(0, size + b);
        if (e < 0) e = std::max<std::int64_t>(0, size + e);
        e = std::min(e, size);
        for (std::int64_t i = b; i < e; ++i)
          out.push_back(&n->as_array()[static_cast<std::size_t>(i)]);
      }
      return out;
    }
    if (!first) fail("expected an index, a quoted name, '*' or a filter");
    std::vector<std::int64_t> indexes{*first};
    while (peek() == ',') {
      ++i_;
      auto next = read_int();
      if (!next) fail("expected an index");
      indexes.push_back(*next);
      skip_space();
    }
    expect(']');
    if (indexes.size() > 1) definite = false;
    node_set out;
    for (const auto* n : in) {
      if (!n->is_array()) continue;
      auto size = static_cast<std::int64_t>(n->as_array().size());
      for (auto i : indexes) {
        if (i < 0) i += size;
        if (i >= 0 && i < size) out.push_back(&n->as_array()[static_cast<std::size_t>(i)]);
      }
    }
    return out;
  }

  // --- filters ---

  std::unique_ptr<filter_expr> parse_filter_or() {
    auto left = parse_filter_and();
    skip_space();
    while (peek() == '|' && peek(1) == '|') {
      i_ += 2;
      auto e = std::make_unique<filter_expr>();
      e->k = filter_expr::kind::logical_or;
      e->left = std::move(left);
      e->right = parse_filter_and();
      left = std::move(e);
      skip_space();
    }
    return left;
  }

  std::unique_ptr<filter_expr> parse_filter_and() {
    auto left = parse_filter_compare();
    skip_space();
    while (peek() == '&' && peek(1) == '&') {
      i_ += 2;
      auto e = std::make_unique<filter_expr>();
      e->k = filter_expr::kind::logical_and;
      e->left = std::move(left);
      e->right = parse_filter_compare();
      left = std::move(e);
      skip_space();
    }
    return left;
  }

  std::unique_ptr<filter_expr> parse_filter_compare() {
    auto left = parse_filter_operand();
    skip_space();
    static constexpr std::string_view ops[] = {"==", "!=", "<=", ">=", "=~", "<", ">"};
    for (auto op : ops) {
      if (s_.substr(i_, op.size()) == op) {
        i_ += op.size();
        auto e = std::make_unique<filter_expr>();
        e->k = filter_expr::kind::compare;
        e->op = std::string(op);
        e->left = std::move(left);
        e->right = parse_filter_operand();
        return e;
      }
    }
    return left;
  }

  std::unique_ptr<filter_expr> parse_filter_operand() {
    skip_space();
    // Parentheses and '!' nest by recursion; bound it against hostile paths.
    if (++depth_ > 64) fail("filter nests too deeply");
    struct leave_guard {
      int& d;
      ~leave_guard() { --d; }
    } guard{depth_};
    auto e = std::make_unique<filter_expr>();
    char c = peek();
    if (c == '!') {
      ++i_;
      e->k = filter_expr::kind::negate;
      e->left = parse_filter_operand();
      return e;
    }
    if (c == '(') {
      ++i_;
      auto inner = parse_filter_or();
      expect(')');
      return inner;
    }
    if (c == '@' || c == '$') {
      ++i_;
      e->k = filter_expr::kind::path;
      e->from_root = c == '$';
      while (true) {
        if (peek() == '.' && peek(1) != '.') {
          ++i_;
          std::size_t start = i_;
          while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) ||
                                    s_[i_] == '_' || s_[i_] == '-' || s_[i_] == '$')) {
            ++i_;
          }
          if (i_ == start) fail("expected a member name in filter");
          e->path_names.emplace_back(s_.substr(start, i_ - start));
          e->path_is_index.push_back(false);
        } else if (peek() == '[') {
          ++i_;
          skip_space();
          if (peek() == '\'' || peek() == '"') {
            e->path_names.push_back(read_quoted());
            e->path_is_index.push_back(false);
          } else {
            auto idx = read_int();
            if (!idx) fail("expected an index in filter");
            e->path_names.push_back(std::to_string(*idx));
            e->path_is_index.push_back(true);
          }
          expect(']');
        } else {
          break;
        }
      }
      return e;
    }
    if (c == '\'' || c == '"') {
      e->literal = json::string(read_quoted());
      return e;
    }
    if (c == '/') {
      ++i_;
      std::string pattern;
      while (i_ < s_.size() && s_[i_] != '/') {
        if (s_[i_] == '\\' && i_ + 1 < s_.size()) pattern += s_[i_++];
        pattern += s_[i_++];
      }
      if (i_ >= s_.size()) fail("unterminated regular expression");
      ++i_;
      boost::regex::flag_type flags = boost::regex::perl;
      while (peek() == 'i' || peek() == 'm' || peek() == 's' || peek() == 'x') {
        if (peek() == 'i') flags |= boost::regex::icase;
        ++i_;
      }
      e->k = filter_expr::kind::regex;
      try {
        e->re = std::make_shared<boost::regex>(pattern, flags);
      } catch (const std::exception&) {
        fail("bad regular expression");
      }
      return e;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t start = i_;
      ++i_;
      while ((peek() >= '0' && peek() <= '9') || peek() == '.' || peek() == 'e' || peek() == 'E')
        ++i_;
      double d = 0;
      std::string text(s_.substr(start, i_ - start));
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (ec != std::errc()) fail("bad number in filter");
      e->literal = d;
      return e;
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (s_.substr(i_, word.size()) == word) {
        i_ += word.size();
        if (word == "true") e->literal = true;
        if (word == "false") e->literal = false;
        return e;
      }
    }
    fail("unexpected character in filter");
  }

  const json::value* resolve(const filter_expr& e, const json::value& current) const {
    const json::value* v = e.from_root ? root_ : &current;
    for (std::size_t i = 0; i < e.path_names.size() && v != nullptr; ++i) {
      if (e.path_is_index[i]) {
        if (!v->is_array()) return nullptr;
        auto idx = std::stoll(e.path_names[i]);
        auto size = static_cast<std::int64_t>(v->as_array().size());
        if (idx < 0) idx += size;
        v = idx >= 0 && idx < size ? &v->as_array()[static_cast<std::size_t>(idx)] : nullptr;
      } else {
        v = v->is_object() ? v->as_object().if_contains(e.path_names[i]) : nullptr;
      }
    }
    return v;
  }

  const json::value* operand(const filter_expr& e, const json::value& current) const {
    return e.k == filter_expr::kind::path ? resolve(e, current) : &e.literal;
  }

  static std::optional<double> number(const json::value& v) {
    if (v.is_int64()) return static_cast<double>(v.as_int64());
    if (v.is_uint64()) return static_cast<double>(v.as_uint64());
    if (v.is_double()) return v.as_double();
    return std::nullopt;
  }

  bool truthy(const filter_expr& e, const json::value& current) const {
    switch (e.k) {
      case filter_expr::kind::path:
        return resolve(e, current) != nullptr;  // existence, as in [?(@.isbn)]
      case filter_expr::kind::literal:
        return !e.literal.is_null() && !(e.literal.is_bool() && !e.literal.as_bool());
      case filter_expr::kind::regex:
        return false;
      case filter_expr::kind::negate:
        return !truthy(*e.left, current);
      case filter_expr::kind::logical_and:
        return truthy(*e.left, current) && truthy(*e.right, current);
      case filter_expr::kind::logical_or:
        return truthy(*e.left, current) || truthy(*e.right, current);
      case filter_expr::kind::compare:
        return compare(e, current);
    }
    return false;
  }

  bool compare(const filter_expr& e, const json::value& current) const {
    const json::value* l = operand(*e.left, current);
    if (l == nullptr) return false;
    if (e.op == "=~") {
      if (e.right->k != filter_expr::kind::regex || !l->is_string()) return false;
      try {
        return boost::regex_match(std::string(l->as_string()), *e.right->re);
      } catch (const std::exception&) {
        return false;
      }
    }
    const json::value* r = operand(*e.right, current);
    if (r == nullptr) return false;
    auto ln = number(*l);
    auto rn = number(*r);
    int order = 0;
    bool ordered = false;
    if (ln && rn) {
      order = *ln < *rn ? -1 : (*ln > *rn ? 1 : 0);
      ordered = true;
    } else if (l->is_string() && r->is_string()) {
      auto c = l->as_string().compare(r->as_string());
      order = c < 0 ? -1 : (c > 0 ? 1 : 0);
      ordered = true;
    }
    if (e.op == "==") return ordered ? order == 0 : *l == *r;
    if (e.op == "!=") return ordered ? order != 0 : *l != *r;
    if (!ordered) return false;
    if (e.op == "<") return order < 0;
    if (e.op == "<=") return order <= 0;
    if (e.op == ">") return order > 0;
    return order >= 0;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  const json::value* root_ = nullptr;
  int depth_ = 0;
};

}  // namespace

jsonpath_result evaluate_jsonpath(std::string_view path, const boost::json::value& root) {
  if (path.empty()) {
    jsonpath_result r;
    r.ok = false;
    r.error = "invalid JSONPath '': path must not be empty";
    return r;
  }
  return path_parser(path).run(root);
}

}  // namespace stratus::vtl::apigw
