#pragma once
// What a stage serves: the frozen copy of the API its deployment made
// (resources with their methods, models, validators), the stage's variables
// and settings, and the route table over those resources. Built once per
// deployment and shared by every request to the stage; test-invoke-method
// builds one from the API as it is now.
//
// Thread-safety: a deployed_stage is immutable; stage_cache is safe for
// concurrent use.
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "apigateway/apis.hpp"

namespace stratus::apigateway {

using param_list = std::vector<std::pair<std::string, std::string>>;

// A path's segments, empty ones ("//", a trailing "/") skipped.
[[nodiscard]] std::vector<std::string_view> path_segments(std::string_view path);

struct route_match {
  const resource* res = nullptr;
  const boost::json::object* method = nullptr;  // Method as AWS renders it (GET, ..., or ANY)
  param_list path_params;                       // by name, values as sent (not decoded)
};

// Matches request paths to resources as API Gateway does: a static part
// before a {param} before a greedy {proxy+}, which takes one segment or
// more; then the method, or ANY.
class route_table {
 public:
  route_table() = default;
  route_table(const std::map<std::string, resource>& resources, const std::string& root_id);

  // `path` is the request path after the stage ("/" at least), undecoded.
  // Null res: no resource; null method: no method there.
  [[nodiscard]] route_match match(std::string_view http_method, std::string_view path) const;

 private:
  struct node {
    const resource* res = nullptr;
    std::vector<std::pair<std::string, std::size_t>> statics;  // part → node
    std::optional<std::size_t> param;
    std::optional<std::size_t> greedy;
    std::string param_name;  // of this node when it is a {param} or {param+}
  };
  [[nodiscard]] std::optional<std::size_t> descend(std::size_t at,
                                                   const std::vector<std::string_view>& segments,
                                                   std::size_t i, param_list& params) const;
  std::vector<node> nodes_;  // nodes_[0] is the root
};

struct deployed_stage {
  std::string account;
  std::string region;
  std::string api_id;
  std::string stage_name;
  std::string deployment_id;
  boost::json::object settings;   // RestApi as AWS renders it
  boost::json::object variables;  // the stage's
  boost::json::object stage;      // Stage as AWS renders it (method and access log settings)
  std::map<std::string, resource> resources;
  boost::json::object models;
  boost::json::object validators;
  route_table routes;
};

// The stage `stage_name` of `api` as it serves (null when the API has no
// such stage or its deployment is gone).
[[nodiscard]] std::shared_ptr<const deployed_stage> deployed_view(const rest_api& api,
                                                                  const std::string& stage_name);
// The API as it is now, as test-invoke-method runs it (stage
// "test-invoke-stage", no variables unless given).
[[nodiscard]] std::shared_ptr<const deployed_stage> live_view(const rest_api& api,
                                                              boost::json::object variables);

class stage_cache {
 public:
  explicit stage_cache(api_store& apis) : apis_(apis) {}
  // Null when there is no such API or stage.
  [[nodiscard]] result<std::shared_ptr<const deployed_stage>> find(const std::string& api_id,
                                                                   const std::string& stage);

 private:
  struct entry {
    std::uint64_t generation = 0;
    std::shared_ptr<const deployed_stage> stage;
  };
  api_store& apis_;
  std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;  // by "<api>/<stage>"
};

}  // namespace stratus::apigateway
