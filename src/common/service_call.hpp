#pragma once
// One service calling another's operation in-process (API Gateway's
// integrations calling Lambda's Invoke or DynamoDB's PutItem): the same path
// an AWS API request takes after its HTTP decoding and authentication — the
// operation's input checked against the service's model, then its handler —
// from a caller's context, a service, an operation and an input, without
// HTTP.
//
// Thread-safety: implementations are safe for concurrent use.

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string_view>

#include "common/api_error.hpp"
#include "common/request_context.hpp"

namespace stratus {

class service_caller {
 public:
  virtual ~service_caller() = default;
  // `ctx` names the caller (account, region, principal) and the request id;
  // `service` is the model's name ("lambda", "dynamodb"); `operation` the
  // model's operation name. Answers the output document (members a handler
  // hands out as raw JSON text parsed into it) or the operation's error.
  [[nodiscard]] virtual boost::asio::awaitable<result<boost::json::object>> call(
      request_context ctx, std::string_view service, std::string_view operation,
      boost::json::object input) const = 0;
};

}  // namespace stratus
