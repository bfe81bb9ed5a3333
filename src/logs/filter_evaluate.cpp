// matches(): evaluates a compiled filter pattern against one message.
#include <boost/json.hpp>
#include <charconv>
#include <cstdlib>

#include "logs/filter_ast.hpp"

namespace stratus::logs::filter {
namespace json = boost::json;

namespace {

// Space-delimited matching tries alignments of `...` slots; this bounds the
// work on a hostile pattern such as [..., ..., ..., ...] over a long line.
constexpr std::size_t max_alignment_steps = 100000;
constexpr unsigned max_json_depth = 64;

template <class Leaf, class F>
bool evaluate(const bool_tree<Leaf>& t, const F& leaf) {
  using kind = typename bool_tree<Leaf>::kind;
  switch (t.k) {
    case kind::leaf:
      return leaf(t.leaf);
    case kind::all:
      for (const auto& c : t.children)
        if (!evaluate(c, leaf)) return false;
      return true;
    case kind::any:
      for (const auto& c : t.children)
        if (evaluate(c, leaf)) return true;
      return false;
  }
  return false;
}

bool compare_numbers(double a, compare_op op, double b) {
  switch (op) {
    case compare_op::eq:
      return a == b;
    case compare_op::ne:
      return a != b;
    case compare_op::lt:
      return a < b;
    case compare_op::gt:
      return a > b;
    case compare_op::le:
      return a <= b;
    case compare_op::ge:
      return a >= b;
  }
  return false;
}

// Text against an operand: numerically when both are numbers, else as text
// (= and != only; ordering a string is never true).
bool compare_text(std::string_view text, compare_op op, const operand& v) {
  if (v.number && v.text.k == text_value::kind::literal) {
    if (auto n = parse_number(text)) return compare_numbers(*n, op, *v.number);
  }
  if (op == compare_op::eq) return text_matches(v.text, text);
  if (op == compare_op::ne) return !text_matches(v.text, text);
  return false;
}

// ---- JSON ----------------------------------------------------------------------

void select(const json::value& at, const std::vector<selector_step>& path, std::size_t step,
            std::vector<const json::value*>& out) {
  if (step == path.size()) {
    out.push_back(&at);
    return;
  }
  const auto& s = path[step];
  switch (s.k) {
    case selector_step::kind::member:
      if (const auto* o = at.if_object())
        if (const auto* v = o->if_contains(s.name)) select(*v, path, step + 1, out);
      return;
    case selector_step::kind::index:
      if (const auto* a = at.if_array(); a && s.index < a->size())
        select((*a)[s.index], path, step + 1, out);
      return;
    case selector_step::kind::any:
      if (const auto* o = at.if_object())
        for (const auto& [k, v] : *o) select(v, path, step + 1, out);
      if (const auto* a = at.if_array())
        for (const auto& v : *a) select(v, path, step + 1, out);
      return;
  }
}

bool compare_json(const json::value& v, compare_op op, const operand& want) {
  if (v.is_number()) {
    if (!want.number || want.text.k != text_value::kind::literal)
      return op == compare_op::ne;  // a number is never equal to a string
    return compare_numbers(v.to_number<double>(), op, *want.number);
  }
  if (v.is_string()) {
    if (want.number && want.text.k == text_value::kind::literal && op != compare_op::eq &&
        op != compare_op::ne)
      return false;
    const std::string_view s = v.get_string();
    if (op == compare_op::eq) return !want.number && text_matches(want.text, s);
    if (op == compare_op::ne) return want.number || !text_matches(want.text, s);
    return false;
  }
  return op == compare_op::ne;  // objects, arrays, booleans, null
}

bool json_leaf(const json::value& doc, const json_test& t) {
  std::vector<const json::value*> found;
  select(doc, t.path, 0, found);
  switch (t.k) {
    case json_test::kind::not_exists:
      return found.empty();
    case json_test::kind::is_null:
      for (const auto* v : found)
        if (v->is_null()) return true;
      return false;
    case json_test::kind::is_true:
    case json_test::kind::is_false: {
      const bool want = t.k == json_test::kind::is_true;
      for (const auto* v : found)
        if (v->is_bool() && v->get_bool() == want) return true;
      return false;
    }
    case json_test::kind::compare:
      for (const auto* v : found)
        if (compare_json(*v, t.op, t.value)) return true;
      return false;
  }
  return false;
}

bool matches_json(const json_pattern& p, std::string_view message) {
  json::parse_options opts;
  opts.max_depth = max_json_depth;
  boost::system::error_code ec;
  json::value doc = json::parse(message, ec, {}, opts);
  if (ec || !(doc.is_object() || doc.is_array())) return false;
  return evaluate(p, [&](const json_test& t) { return json_leaf(doc, t); });
}

// ---- terms ---------------------------------------------------------------------

bool matches_terms(const term_pattern& p, std::string_view message) {
  bool any_optional = false;
  bool optional_found = false;
  for (const auto& t : p.terms) {
    const bool found = text_matches(t.value, message);
    switch (t.m) {
      case term::mode::required:
        if (!found) return false;
        break;
      case term::mode::excluded:
        if (found) return false;
        break;
      case term::mode::optional:
        any_optional = true;
        optional_found = optional_found || found;
        break;
    }
  }
  return !any_optional || optional_found;
}

// ---- [ fields ] ----------------------------------------------------------------

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Whitespace-separated fields; "quoted" and [bracketed] text is one field,
// compared without its delimiters.
std::vector<std::string_view> split_fields(std::string_view message) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (true) {
    while (i < message.size() && is_space(message[i])) ++i;
    if (i >= message.size()) break;
    const char open = message[i];
    if (open == '"' || open == '[') {
      const char close = open == '"' ? '"' : ']';
      auto end = message.find(close, i + 1);
      if (end == std::string_view::npos) end = message.size();
      out.push_back(message.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      const std::size_t start = i;
      while (i < message.size() && !is_space(message[i])) ++i;
      out.push_back(message.substr(start, i - start));
    }
  }
  return out;
}

struct aligner {
  const delimited_pattern& p;
  const std::vector<std::string_view>& fields;
  std::vector<std::string_view> bound;
  std::size_t steps = 0;

  bool conditions_hold() const {
    for (const auto& c : p.conditions)
      if (!evaluate(
              c, [&](const field_test& t) { return compare_text(bound[t.field], t.op, t.value); }))
        return false;
    return true;
  }

  bool align(std::size_t slot, std::size_t field) {
    if (++steps > max_alignment_steps) return false;
    if (slot == p.slots.size()) return field == fields.size() && conditions_hold();
    const auto& s = p.slots[slot];
    if (s.ellipsis) {
      for (std::size_t k = field; k <= fields.size(); ++k)
        if (align(slot + 1, k)) return true;
      return false;
    }
    if (field == fields.size()) return false;
    bound[s.name] = fields[field];
    return align(slot + 1, field + 1);
  }
};

bool matches_delimited(const delimited_pattern& p, std::string_view message) {
  auto fields = split_fields(message);
  aligner a{p, fields, std::vector<std::string_view>(p.names.size()), 0};
  return a.align(0, 0);
}

}  // namespace

bool text_matches(const text_value& v, std::string_view text) {
  switch (v.k) {
    case text_value::kind::literal:
      return text.find(v.text) != std::string_view::npos || v.text.empty();
    case text_value::kind::glob:
      return glob_match(v.text, text);
    case text_value::kind::regex:
      try {
        return boost::regex_search(text.begin(), text.end(), *v.re);
      } catch (const std::exception&) {
        return false;  // too complex for Boost.Regex's limits: no match
      }
  }
  return false;
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::size_t i = 0;
  if (text[i] == '-') ++i;
  const std::size_t digits = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == digits) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::size_t frac = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == frac) return std::nullopt;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t exp = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == exp) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  return std::strtod(std::string(text).c_str(), nullptr);
}

bool pattern::matches(std::string_view message) const {
  if (!root_) return true;
  return std::visit(
      [&](const auto& body) -> bool {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, term_pattern>) return matches_terms(body, message);
        if constexpr (std::is_same_v<T, json_pattern>) return matches_json(body, message);
        if constexpr (std::is_same_v<T, delimited_pattern>) return matches_delimited(body, message);
      },
      root_->body);
}

}  // namespace stratus::logs::filter
