#pragma once
// A shape's `pattern` constraint, compiled once when the model loads.
//
// Most of AWS's patterns are one character class repeated ("[a-zA-Z0-9_.-]+",
// "[\w+=,.@-]*", ".*"): those are matched a byte at a time against a table
// that the same regular expression filled in, which is what the regular
// expression would answer over the bytes, without its matching machinery.
// Every other pattern is matched by Boost.Regex.
//
// Thread-safety: immutable once compiled; shared freely.

#include <bitset>
#include <boost/regex_fwd.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::protocol {

class pattern_matcher {
 public:
  // nullopt when the expression does not compile as a Perl regular
  // expression, or uses Unicode properties (\p{L}), which Boost.Regex accepts
  // but cannot match over UTF-8 bytes: such constraints go unchecked.
  static std::optional<pattern_matcher> compile(const std::string& expression);

  // Whether the whole of `text` matches.
  [[nodiscard]] bool matches(std::string_view text) const;

 private:
  std::shared_ptr<const boost::regex> regex_;
  // For a repeated character class: the bytes it takes, and whether the
  // empty string matches (a `*` rather than a `+`).
  std::optional<std::bitset<256>> bytes_;
  bool empty_matches_ = false;
};

}  // namespace stratus::protocol
