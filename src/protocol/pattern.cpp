#include "protocol/pattern.hpp"

#include <boost/regex.hpp>

namespace stratus::protocol {
namespace {

// The single atom of "ATOM+" or "ATOM*" when it is one character class: a
// bracket expression without nested brackets, ".", or an escape such as \w.
// Anchors at both ends change nothing for a whole-string match.
std::optional<std::string> repeated_class(std::string_view expression) {
  if (expression.size() > 2 && expression.front() == '^' && expression.back() == '$' &&
      expression[expression.size() - 2] != '\\')
    expression = expression.substr(1, expression.size() - 2);
  if (expression.size() < 2) return std::nullopt;
  const char quantifier = expression.back();
  if (quantifier != '+' && quantifier != '*') return std::nullopt;
  std::string atom(expression.substr(0, expression.size() - 1));
  if (atom == ".") return atom;
  if (atom.size() == 2 && atom[0] == '\\' &&
      std::string_view("wWdDsS").find(atom[1]) != std::string_view::npos)
    return atom;
  if (atom.size() < 3 || atom.front() != '[' || atom.back() != ']') return std::nullopt;
  // Only the final ']' may close the class; an escaped one is a literal,
  // any other bracket makes it something we do not take apart.
  for (std::size_t i = 1; i + 1 < atom.size(); ++i) {
    if (atom[i] == '\\') {
      ++i;
      continue;
    }
    if (atom[i] == '[' || atom[i] == ']') return std::nullopt;
  }
  return atom;
}

}  // namespace

std::optional<pattern_matcher> pattern_matcher::compile(const std::string& expression) {
  if (expression.find("\\p{") != std::string::npos) return std::nullopt;
  pattern_matcher m;
  try {
    m.regex_ = std::make_shared<const boost::regex>(expression, boost::regex::perl);
    if (auto atom = repeated_class(expression)) {
      const boost::regex one(*atom, boost::regex::perl);
      std::bitset<256> bytes;
      for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        bytes[static_cast<std::size_t>(b)] = boost::regex_match(&c, &c + 1, one);
      }
      m.bytes_ = bytes;
      m.empty_matches_ = boost::regex_match("", *m.regex_);
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return m;
}

bool pattern_matcher::matches(std::string_view text) const {
  if (bytes_) {
    if (text.empty()) return empty_matches_;
    for (const char c : text)
      if (!(*bytes_)[static_cast<unsigned char>(c)]) return false;
    return true;
  }
  return boost::regex_match(text.begin(), text.end(), *regex_);
}

}  // namespace stratus::protocol
