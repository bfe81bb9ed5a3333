// JSONPath as API Gateway evaluates it for $input.path and $input.json
// (Jayway JsonPath semantics): `$`, `.name`, `['name']`, `[0]`, `[-1]`,
// `[0,2]`, `[1:3]`, `[*]`, `.*`, `..name` (deep scan) and filters
// `[?(@.price < 10 && @.tag == 'x')]`.
//
// A definite path (no wildcard, deep scan, filter, slice or union) yields the
// one value it names, or nothing; an indefinite path yields a list of every
// match.
//
// Thread-safety: stateless.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::vtl::apigw {

struct jsonpath_result {
  bool ok = true;
  std::string error;  // when !ok: why the path does not parse
  bool definite = true;
  std::vector<const boost::json::value*> matches;
};

[[nodiscard]] jsonpath_result evaluate_jsonpath(std::string_view path,
                                                const boost::json::value& root);

}  // namespace stratus::vtl::apigw
