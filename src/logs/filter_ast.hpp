#pragma once
// The compiled form of a filter pattern, shared by filter_parser.cpp and
// filter_evaluate.cpp. Immutable once parsed.
#include <boost/regex.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/glob.hpp"
#include "logs/filter_pattern.hpp"

namespace stratus::logs::filter {

// A value compared with text: literal, with * wildcards, or a %regex%.
struct text_value {
  enum class kind { literal, glob, regex };
  kind k = kind::literal;
  std::string text;
  std::shared_ptr<const boost::regex> re;
};

// The right-hand side of a comparison. `number` is set for unquoted numbers.
struct operand {
  std::optional<double> number;
  text_value text;
};

enum class compare_op { eq, ne, lt, gt, le, ge };

// An and/or tree over leaves of one kind.
template <class Leaf>
struct bool_tree {
  enum class kind { leaf, all, any };
  kind k = kind::leaf;
  Leaf leaf{};
  std::vector<bool_tree> children;
};

struct term {
  enum class mode { required, optional, excluded };
  mode m = mode::required;
  text_value value;
};
struct term_pattern {
  std::vector<term> terms;
};

struct selector_step {
  enum class kind { member, index, any };
  kind k = kind::member;
  std::string name;
  std::size_t index = 0;
};
struct json_test {
  enum class kind { compare, is_true, is_false, is_null, not_exists };
  kind k = kind::compare;
  std::vector<selector_step> path;
  compare_op op = compare_op::eq;
  operand value;
};
using json_pattern = bool_tree<json_test>;

struct field_test {
  std::size_t field = 0;  // index into delimited_pattern::names
  compare_op op = compare_op::eq;
  operand value;
};
struct delimited_pattern {
  struct slot {
    bool ellipsis = false;
    std::size_t name = 0;  // index into names, when not an ellipsis
  };
  std::vector<slot> slots;
  std::vector<std::string> names;
  std::vector<bool_tree<field_test>> conditions;  // all must hold
};

struct pattern_node {
  std::variant<term_pattern, json_pattern, delimited_pattern> body;
};

// Shared by both stages.
using stratus::glob_match;
[[nodiscard]] bool text_matches(const text_value& v, std::string_view text);
// A JSON-like number ("-12", "3.5", "1e3"); nullopt for anything else.
[[nodiscard]] std::optional<double> parse_number(std::string_view text);

}  // namespace stratus::logs::filter
