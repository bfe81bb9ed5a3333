#pragma once
// The DynamoDB service: the table of operation handlers over a catalog of
// tables kept in the KV store. Operations are split by family
// (table_ops.cpp, item_ops.cpp); each validates its whole input before it
// touches storage.
//
// Thread-safety: handlers may run concurrently on any thread.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include "common/request_context.hpp"
#include "dynamodb/table.hpp"
#include "dynamodb/ttl_sweeper.hpp"
#include "storage/store.hpp"

namespace stratus::dynamodb {

// ClientRequestToken memory for TransactWriteItems and ExecuteTransaction:
// a token used in the last ten minutes answers the first response again
// (same parameters) or IdempotentParameterMismatchException (different
// ones); while the first request runs, the same token answers
// TransactionInProgressException. Tokens are kept in the store under
// c/dynamodb/token/<account>/<region>/<operation>/<token>, written in the
// transaction they answer for, so a retry after a restart is idempotent too.
//
// Thread-safety: safe for concurrent use.
class transaction_tokens {
 public:
  explicit transaction_tokens(storage::store& store) : store_(store) {}

  static constexpr std::chrono::minutes lifetime{10};

  // Adds the token's record, answering `response`, to the writes of the
  // transaction that run() commits.
  using record_fn =
      std::function<void(storage::write_batch& into, const boost::json::object& response)>;
  // `scope` is "<account>/<region>/<operation>".
  [[nodiscard]] result<boost::json::object> remember(
      const std::string& scope, const std::string& token, const std::string& fingerprint,
      std::chrono::system_clock::time_point now,
      const std::function<result<boost::json::object>(const record_fn&)>& run);

 private:
  void sweep(std::chrono::system_clock::time_point now);

  storage::store& store_;
  std::mutex mutex_;
  std::set<std::string> in_progress_;  // keys
  std::chrono::system_clock::time_point last_sweep_{};
};

class service {
 public:
  explicit service(storage::store& store) : catalog_(store), ttl_(catalog_), tokens_(store) {}
  [[nodiscard]] handler_table handlers();
  // The dynamodbstreams API over the same tables.
  [[nodiscard]] handler_table stream_handlers();

  // Background work (the TTL sweeper); stop it before the store closes.
  void start_background(std::chrono::milliseconds ttl_interval) { ttl_.start(ttl_interval); }
  void stop_background() { ttl_.stop(); }

 private:
  catalog catalog_;
  ttl_sweeper ttl_;
  transaction_tokens tokens_;
};

// A handler from a family function `fn(catalog&, request_context&, input)`.
template <class F>
[[nodiscard]] handler with_catalog(catalog& tables, F fn) {
  return
      [&tables, fn](request_context& ctx, boost::json::object& in) { return fn(tables, ctx, in); };
}

// The operation families, each adding its handlers to the table.
void add_table_operations(handler_table& table, catalog& tables);
void add_item_operations(handler_table& table, catalog& tables);
void add_batch_operations(handler_table& table, catalog& tables);
void add_query_scan_operations(handler_table& table, catalog& tables);
void add_table_feature_operations(handler_table& table, catalog& tables);
void add_backup_operations(handler_table& table, catalog& tables);
void add_transact_operations(handler_table& table, catalog& tables, transaction_tokens& tokens);
// ExecuteStatement, BatchExecuteStatement, ExecuteTransaction (partiql/).
void add_partiql_operations(handler_table& table, catalog& tables, transaction_tokens& tokens);

// Tag lists as TagResource and CreateTable take them: AWS's limits and
// alphabet; merging replaces the values of keys already present.
[[nodiscard]] std::optional<api_error> check_tags(const boost::json::array& tags);
void merge_tags(boost::json::array& existing, const boost::json::array& added);

// A feature of an operation that a later milestone brings; an honest error
// that names it (listed in docs/compatibility/dynamodb.md).
[[nodiscard]] api_error unsupported_parameter(std::string_view operation, std::string_view member);

}  // namespace stratus::dynamodb
