#pragma once
// Amazon API Gateway (REST APIs): the control plane's operations over the
// API documents of apis.hpp — RestApis, Resources, Methods,
// MethodResponses, Integrations, IntegrationResponses, Deployments,
// Stages, Models, RequestValidators and their update-* operations, for the
// paths docs/compatibility/apigateway.md lists; tags of APIs and stages —
// and the data plane (data_plane.hpp): the invoke URLs and
// TestInvokeMethod. The other operations answer NotImplementedException.
//
// Thread-safety: handlers may run concurrently on any thread.
#include "apigateway/apis.hpp"
#include "apigateway/data_plane.hpp"
#include "common/raw_route.hpp"
#include "common/request_context.hpp"
#include "common/service_call.hpp"

namespace stratus::apigateway {

class service {
 public:
  // `services` is how integrations reach Lambda and the other services; it
  // must outlive the service.
  service(storage::store& store, const service_caller& services)
      : store_(store), apis_(store), data_plane_(apis_, services) {}
  [[nodiscard]] handler_table handlers();
  [[nodiscard]] async_handler_table async_handlers();
  // The invoke URLs, for the edge.
  [[nodiscard]] web_endpoint invoke_endpoint() { return data_plane_.endpoint(); }

 private:
  storage::store& store_;
  api_store apis_;
  data_plane data_plane_;
};

}  // namespace stratus::apigateway
