#include "dynamodb/service.hpp"

#include <fmt/format.h>

#include "dynamodb/streams.hpp"

namespace stratus::dynamodb {

handler_table service::handlers() {
  handler_table table;
  add_table_operations(table, catalog_);
  add_item_operations(table, catalog_);
  add_batch_operations(table, catalog_);
  add_query_scan_operations(table, catalog_);
  add_table_feature_operations(table, catalog_);
  add_backup_operations(table, catalog_);
  add_transact_operations(table, catalog_, tokens_);
  add_partiql_operations(table, catalog_, tokens_);
  // Operations that may write items hold a pass of the catalog's write gate
  // from before they look their tables up until they have committed.
  for (const char* name :
       {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
        "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"}) {
    auto it = table.find(name);
    if (it == table.end()) continue;
    it->second = [&gate = catalog_.item_writes(), inner = std::move(it->second)](
                     request_context& ctx, boost::json::object& input) {
      auto pass = gate.enter();
      return inner(ctx, input);
    };
  }
  return table;
}

handler_table service::stream_handlers() {
  handler_table table;
  add_stream_operations(table, catalog_);
  return table;
}

api_error unsupported_parameter(std::string_view operation, std::string_view member) {
  return {"NotImplementedException",
          fmt::format("Stratus does not support {} in {} yet; see docs/compatibility/dynamodb.md",
                      member, operation),
          501,
          false,
          {}};
}

}  // namespace stratus::dynamodb
