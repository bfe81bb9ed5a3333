#pragma once
// DynamoDB's reserved words: a bare attribute name in an expression may not
// be one of them (in any letter case); clients use "#name" placeholders
// instead. The list is AWS's, from the developer guide's "Reserved words in
// DynamoDB" page (573 words).

#include <string_view>

namespace stratus::dynamodb::expr {

[[nodiscard]] bool is_reserved_word(std::string_view word);

}  // namespace stratus::dynamodb::expr
