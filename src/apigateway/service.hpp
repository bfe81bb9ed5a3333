#pragma once
// Amazon API Gateway (REST APIs): the control plane's operations over the
// API documents of apis.hpp. So far: RestApis (create, get, list, delete),
// Resources (create, get, list, delete), Methods, MethodResponses,
// Integrations and IntegrationResponses (put, get, delete), Deployments,
// Stages, Models and RequestValidators (create, get, list, delete), and
// the update-* operations of all of them but models, validators and
// deployments, for the paths docs/compatibility/apigateway.md lists. The
// other operations answer NotImplementedException.
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
