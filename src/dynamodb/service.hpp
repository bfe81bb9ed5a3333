#pragma once
// The DynamoDB service: the table of operation handlers over a catalog of
// tables kept in the KV store. Operations are split by family
// (table_ops.cpp, item_ops.cpp); each validates its whole input before it
// touches storage.
//
// Thread-safety: handlers may run concurrently on any thread.

#include <memory>

#include "common/request_context.hpp"
#include "dynamodb/table.hpp"
#include "storage/store.hpp"

namespace stratus::dynamodb {

class service {
 public:
  explicit service(storage::store& store) : catalog_(store) {}
  [[nodiscard]] handler_table handlers();

 private:
  catalog catalog_;
};

// The operation families, each adding its handlers to the table.
void add_table_operations(handler_table& table, catalog& tables);
void add_item_operations(handler_table& table, catalog& tables);
void add_batch_operations(handler_table& table, catalog& tables);
void add_query_scan_operations(handler_table& table, catalog& tables);

// A feature of an operation that a later milestone brings; an honest error
// that names it (listed in docs/compatibility/dynamodb.md).
[[nodiscard]] api_error unsupported_parameter(std::string_view operation, std::string_view member);

}  // namespace stratus::dynamodb
