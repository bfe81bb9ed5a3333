#pragma once
// Functions as documents in the shared store, one document per function
// under c/lambda/function/<account>/<region>/<name>: its $LATEST
// configuration, published versions, aliases, resource policies, reserved
// concurrency, event-invoke configurations and tags. One document keeps
// every change to a function a single transaction. Documents are cached in
// memory after the first read, as DynamoDB's catalog caches tables.
//
// Thread-safety: safe for concurrent use. Records are immutable once
// published (shared_ptr<const>); a change copies, commits, then publishes.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/api_error.hpp"
#include "storage/store.hpp"

namespace stratus::lambda {

// A resource policy: its statements (AWS's JSON) and revision.
struct policy {
  std::vector<boost::json::object> statements;
  std::string revision_id;
};

struct function_record {
  std::string account;
  std::string region;
  std::string name;
  // Configurations as AWS renders FunctionConfiguration, State Active and
  // LastUpdateStatus Successful; responses that AWS answers mid-transition
  // (CreateFunction, Update*) adjust a copy.
  boost::json::object latest;
  std::map<std::uint64_t, boost::json::object> versions;
  std::uint64_t last_version = 0;  // version numbers are never reused
  // $LATEST's RevisionId when the last version was published: PublishVersion
  // makes no new version while it is unchanged, as AWS does.
  std::string published_revision;
  std::map<std::string, boost::json::object> aliases;  // AliasConfiguration by name
  std::map<std::string, policy> policies;              // by qualifier; "" is the function's
  std::optional<int> reserved_concurrency;
  // FunctionEventInvokeConfig by qualifier ("$LATEST", "3", an alias).
  std::map<std::string, boost::json::object> event_invoke;
  boost::json::object tags;
};

using function_ptr = std::shared_ptr<const function_record>;

[[nodiscard]] std::string serialize(const function_record& f);
[[nodiscard]] result<function_record> deserialize_function(std::string_view text);

class registry {
 public:
  explicit registry(storage::store& store) : store_(store) {}

  // Null when there is no such function.
  [[nodiscard]] result<function_ptr> find(const std::string& account, const std::string& region,
                                          const std::string& name);
  // ResourceConflictException when the name is taken.
  [[nodiscard]] result<function_ptr> create(function_record f);
  // Applies `change` to a copy of the stored record and commits it (retried
  // on conflicts). `not_found` is answered when there is no such function.
  using change_fn = std::function<std::optional<api_error>(function_record&)>;
  [[nodiscard]] result<function_ptr> update(const std::string& account, const std::string& region,
                                            const std::string& name, const api_error& not_found,
                                            const change_fn& change);
  // The removed record, or null when there was none.
  [[nodiscard]] result<function_ptr> remove(const std::string& account, const std::string& region,
                                            const std::string& name);
  // Up to `limit` functions of an account and region in name order, after
  // `after` (exclusive; "" from the start).
  [[nodiscard]] result<std::vector<function_ptr>> list(const std::string& account,
                                                       const std::string& region,
                                                       const std::string& after, std::size_t limit);
  // The packages (CodeSha256, base64) that $LATEST or a version of any
  // function in any account and region uses.
  [[nodiscard]] result<std::set<std::string>> code_in_use();

 private:
  // Reads the record (nullopt when absent), lets `change` edit, create or
  // erase it, commits (retrying conflicts) and publishes the result.
  using mutation = std::function<std::optional<api_error>(std::optional<function_record>&)>;
  [[nodiscard]] result<function_ptr> commit(const std::string& key, const mutation& change);

  storage::store& store_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, function_ptr> cache_;
  std::uint64_t generation_ = 0;  // bumped by every committed change
};

}  // namespace stratus::lambda
