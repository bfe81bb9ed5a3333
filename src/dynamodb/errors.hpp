#pragma once
// DynamoDB's own errors, spelled as DynamoDB sends them (see
// docs/compatibility/dynamodb.md and tests/integration/test_dynamodb_*.py).
#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "common/api_error.hpp"

namespace stratus::dynamodb::errors {

inline api_error resource_not_found(std::string message = "Requested resource not found") {
  return {"ResourceNotFoundException", std::move(message), 400, true, {}};
}
inline api_error table_not_found(std::string_view table) {
  return resource_not_found("Requested resource not found: Table: " + std::string(table) +
                            " not found");
}
inline api_error resource_in_use(std::string message) {
  return {"ResourceInUseException", std::move(message), 400, true, {}};
}
// Names as Java prints a list in DynamoDB's messages: "[a, b]".
inline std::string java_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "]";
}

inline api_error invalid_parameter(std::string_view what) {
  return api_error::validation("One or more parameter values were invalid: " + std::string(what));
}
// TransactWriteItems / ExecuteTransaction cancelled: one reason per action,
// their codes listed in the message as DynamoDB lists them.
inline api_error transaction_cancelled(boost::json::array reasons) {
  std::string codes;
  for (const auto& r : reasons)
    codes += (codes.empty() ? "" : ", ") + std::string(r.at("Code").as_string());
  api_error e{"TransactionCanceledException",
              "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
                  codes + "]",
              400};
  e.extra["CancellationReasons"] = std::move(reasons);
  return e;
}
inline api_error internal(std::string message) {
  return {"InternalServerError", std::move(message), 500, false, {}};
}

}  // namespace stratus::dynamodb::errors
