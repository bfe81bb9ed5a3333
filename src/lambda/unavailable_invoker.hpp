#pragma once
// The invoker of a build without execution environments: every invocation
// answers 501 NotImplementedException, honestly, while the control plane and
// the async queue work. Replaced by the runtime's invoker when it lands.
//
// Thread-safety: stateless.
#include "lambda/invoker.hpp"

namespace stratus::lambda {

class unavailable_invoker final : public invoker {
 public:
  boost::asio::awaitable<result<invoke_result>> invoke(const function_spec&,
                                                       invoke_request) override {
    co_return api_error("NotImplementedException",
                        "function execution is not available in this build", 501, false);
  }
  void retire(const std::string&, const std::string&, const std::string&) override {}
};

}  // namespace stratus::lambda
