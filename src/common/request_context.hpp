#pragma once
// What a service handler knows about the call it is serving, besides its
// input: who is calling, where, and under which request id. Filled in by the
// edge; services never see HTTP.

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/api_error.hpp"

namespace stratus {

struct request_context {
  std::string request_id;
  std::string account_id;  // 12 digits
  std::string region;      // from the SigV4 credential scope
  std::string access_key;
  std::string caller_arn;  // arn:aws:iam::<account>:root in developer mode
  std::string caller_user_id;
  std::string endpoint;  // "http://127.0.0.1:4566": for URLs the service hands out
  // A service calling on its own behalf (API Gateway invoking a function
  // without a credentials role): its principal ("apigateway.amazonaws.com")
  // and what it calls for, which resource policies are checked against.
  std::string service_principal;
  std::string source_arn;
  std::string source_account;
  std::chrono::system_clock::time_point now;
  // Members of a json-protocol output given as JSON text, which the edge
  // appends to the encoded output object as they are: a stored item goes out
  // without being parsed and serialized again. A handler that sets one
  // leaves that member out of the document it returns.
  std::vector<std::pair<std::string, std::string>> raw_output;
};

// A service operation: a plain function of the request context and the
// validated input document, returning the output document or an AWS error.
using handler = std::function<result<boost::json::object>(request_context&, boost::json::object&)>;

// A service's operations by name, as the model names them.
using handler_table = std::unordered_map<std::string, handler>;

// An operation that waits on something other than storage (a Lambda
// invocation): a coroutine, so that the io thread serves other connections
// meanwhile. The edge keeps the context and the input alive until it ends.
using async_handler = std::function<boost::asio::awaitable<result<boost::json::object>>(
    request_context&, boost::json::object&)>;
using async_handler_table = std::unordered_map<std::string, async_handler>;

}  // namespace stratus
