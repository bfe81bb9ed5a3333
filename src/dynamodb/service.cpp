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
