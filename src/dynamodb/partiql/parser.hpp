#pragma once
// The hand-written parser of DynamoDB's PartiQL subset: SELECT, INSERT,
// UPDATE and DELETE, with case-insensitive keywords, identifiers bare or
// double-quoted, 'string' literals ('' escapes a quote), numbers, TRUE,
// FALSE, NULL, lists [..], maps {..}, sets <<..>>, and `?` parameters bound
// in order from the request's Parameters. Syntax errors are the
// ValidationException DynamoDB sends: "Statement wasn't well formed, can't
// be processed: ...".
//
// Thread-safety: pure function.

#include <boost/json/array.hpp>
#include <string_view>

#include "common/api_error.hpp"
#include "dynamodb/partiql/statement.hpp"

namespace stratus::dynamodb::partiql {

// `parameters` are wire-form AttributeValues; their count must match the
// statement's `?` markers.
[[nodiscard]] result<statement> parse(std::string_view text, const boost::json::array& parameters);

}  // namespace stratus::dynamodb::partiql
