#pragma once
// Event filtering for event source mappings: AWS's filter pattern syntax
// (FilterCriteria.Filters[].Pattern, the EventBridge pattern language)
// matched against a record. A record passes when any pattern matches it.
//
// Supported: nested objects; arrays of alternatives; exact strings,
// numbers, booleans and null; {"prefix": s}; {"suffix": s};
// {"equals-ignore-case": s}; {"numeric": [op, n (, op, n)]} with = > >= <
// <= (numeric strings, as DynamoDB's "N" values, compare as numbers);
// {"exists": true|false}; {"anything-but": value | [values] | {"prefix": s}}.
// Not supported (refused as an invalid pattern): "cidr", "wildcard",
// "$or", "anything-but" with "suffix" or "equals-ignore-case".
//
// Thread-safety: a compiled filter is immutable; matching is const.
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/api_error.hpp"

namespace stratus::lambda {

class event_filter {
 public:
  // No patterns: everything matches.
  event_filter() = default;
  // FilterCriteria as CreateEventSourceMapping takes it ({"Filters":
  // [{"Pattern": "<json>"}]}); InvalidParameterValueException when a
  // pattern is not one we understand.
  [[nodiscard]] static result<event_filter> compile(const boost::json::value& criteria);
  // One pattern, JSON text.
  [[nodiscard]] static result<boost::json::object> parse_pattern(std::string_view pattern);

  [[nodiscard]] bool matches(const boost::json::value& record) const;
  [[nodiscard]] bool empty() const { return patterns_.empty(); }

 private:
  std::vector<boost::json::object> patterns_;
};

}  // namespace stratus::lambda
