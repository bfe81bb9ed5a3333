#pragma once
// The data plane: the invoke URLs the edge hands over, each request routed
// over its stage's deployment and run through the pipeline (pipeline.hpp);
// and test-invoke-method, which runs the same pipeline over the API as it is
// now. Invoke URLs, for a server at 127.0.0.1:4566:
//   http://{api}.execute-api.localhost:4566/{stage}/{path}  (any Host
//       "{api}.execute-api.{anything}")
//   http://127.0.0.1:4566/restapis/{api}/{stage}/_user_request_/{path}
//   http://127.0.0.1:4566/_aws/execute-api/{api}/{stage}/{path}
//
// Thread-safety: safe for concurrent use.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "apigateway/deployed.hpp"
#include "apigateway/pipeline.hpp"
#include "common/raw_route.hpp"
#include "common/request_context.hpp"
#include "common/service_call.hpp"
#include "vtl/template_cache.hpp"

namespace stratus::apigateway {

struct invoke_target {
  std::string api_id;
  std::string stage;
  std::string path;  // "/" at least, undecoded
};

// Whether a request is for an invoke URL, and which.
[[nodiscard]] bool is_invoke_request(std::string_view host, std::string_view path);
[[nodiscard]] std::optional<invoke_target> parse_invoke_target(std::string_view host,
                                                               std::string_view path);

class data_plane {
 public:
  data_plane(api_store& apis, const service_caller& services)
      : apis_(apis), services_(services), stages_(apis) {}

  // What the edge serves invoke URLs with.
  [[nodiscard]] web_endpoint endpoint();
  [[nodiscard]] boost::asio::awaitable<raw_response> handle(web_request req);
  // TestInvokeMethod.
  [[nodiscard]] boost::asio::awaitable<result<boost::json::object>> test_invoke(
      request_context& ctx, boost::json::object& in);

 private:
  [[nodiscard]] pipeline_deps deps() { return {services_, templates_}; }

  api_store& apis_;
  const service_caller& services_;
  stage_cache stages_;
  vtl::template_cache templates_;
};

}  // namespace stratus::apigateway
