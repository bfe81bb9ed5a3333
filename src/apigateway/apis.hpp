#pragma once
// REST APIs as documents in the shared store, one per API under
// c/apigateway/restapi/<account>/<region>/<id>: the API's own settings
// (as AWS renders RestApi), its resource tree, its deployments (each with
// a copy of the tree as it was) and its stages. One document keeps every
// change to an API one transaction.
//
// Thread-safety: safe for concurrent use; changes are optimistic
// transactions retried on conflicts.
#include <atomic>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/api_error.hpp"
#include "storage/store.hpp"

namespace stratus::apigateway {

struct resource {
  std::string id;
  std::string parent_id;  // "" for the root
  std::string path_part;  // "" for the root
  std::string path;       // "/" for the root
  // Method objects as AWS renders them, by HTTP method (GET, ..., ANY),
  // with their methodResponses and methodIntegration.
  boost::json::object methods;
};

struct rest_api {
  std::string account;
  std::string region;
  boost::json::object settings;               // RestApi as AWS renders it, id included
  std::map<std::string, resource> resources;  // by id
  std::string root_id;
  // By id: {"deployment": Deployment as AWS renders it, "resources": the
  // resource tree (as resources_json) when it was made}. Immutable.
  boost::json::object deployments;
  boost::json::object stages;      // Stage as AWS renders it, by name
  boost::json::object models;      // Model as AWS renders it, by name
  boost::json::object validators;  // RequestValidator as AWS renders it, by id
};

// The resource tree as the document keeps it, and back.
[[nodiscard]] boost::json::array resources_json(const rest_api& api);
[[nodiscard]] std::optional<std::map<std::string, resource>> resources_from(
    const boost::json::array& tree);

[[nodiscard]] std::string serialize(const rest_api& api);
[[nodiscard]] std::optional<rest_api> deserialize_api(std::string_view text);

// A new identifier as API Gateway makes them: lower-case letters and
// digits, ten for APIs and resources, six for deployments.
[[nodiscard]] std::string new_id(std::size_t length = 10);

class api_store {
 public:
  explicit api_store(storage::store& store) : store_(store) {}

  // NotFoundException "Invalid API identifier specified <account>:<id>"
  // when absent.
  [[nodiscard]] result<rest_api> find(const std::string& account, const std::string& region,
                                      const std::string& id);
  [[nodiscard]] result<void> create(const rest_api& api);
  // Applies `change` to the stored API and commits it (retried on
  // conflicts); an error from `change` is answered as is.
  using change_fn = std::function<std::optional<api_error>(rest_api&)>;
  [[nodiscard]] result<rest_api> update(const std::string& account, const std::string& region,
                                        const std::string& id, const change_fn& change);
  [[nodiscard]] result<void> remove(const std::string& account, const std::string& region,
                                    const std::string& id);
  // The APIs of an account and region in id order, after `after` (exclusive).
  [[nodiscard]] result<std::vector<rest_api>> list(const std::string& account,
                                                   const std::string& region,
                                                   const std::string& after, std::size_t limit);
  // The API with this id in whichever account and region holds it (invoke
  // URLs name no account); nullopt when there is none.
  [[nodiscard]] result<std::optional<rest_api>> locate(std::string_view id);

  // Grows with every committed change to any API: what was read at one
  // generation is current while the generation stays (read it before
  // reading the API).
  [[nodiscard]] std::uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }

 private:
  // Reads the API (nullopt when absent), lets `change` edit, create or
  // erase it, and commits, retrying conflicts; answers what was stored.
  using mutation = std::function<std::optional<api_error>(std::optional<rest_api>&)>;
  [[nodiscard]] result<rest_api> commit(const std::string& account, const std::string& region,
                                        const std::string& id, const mutation& change);

  storage::store& store_;
  std::atomic<std::uint64_t> generation_{1};
};

[[nodiscard]] api_error api_not_found(const std::string& account, const std::string& id);

}  // namespace stratus::apigateway
