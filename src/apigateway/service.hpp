#pragma once
// Amazon API Gateway (REST APIs): the control plane's operations over the
// API documents of apis.hpp. So far: RestApis (create, get, list, delete),
// Resources (create, get, list, delete), Methods, MethodResponses,
// Integrations and IntegrationResponses (put, get, delete), Deployments,
// Stages, Models and RequestValidators (create, get, list, delete), and
// their update-* operations, for the paths docs/compatibility/apigateway.md
// lists; tags of APIs and stages. The other operations answer
// NotImplementedException.
//
// Thread-safety: handlers may run concurrently on any thread.
#include "apigateway/apis.hpp"
#include "common/request_context.hpp"

namespace stratus::apigateway {

class service {
 public:
  explicit service(storage::store& store) : apis_(store) {}
  [[nodiscard]] handler_table handlers();

 private:
  api_store apis_;
};

}  // namespace stratus::apigateway
