#pragma once
// What the item-level operation families (item_ops, batch_ops, and later
// query/scan and transactions) share: table lookup, reading stored items,
// consumed-capacity arithmetic and the errors for parameters not supported yet.
//
// Thread-safety: free functions over thread-safe catalog/store.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/request_context.hpp"
#include "dynamodb/table.hpp"

namespace stratus::dynamodb {

// The table named by `TableName` in `in`; ResourceNotFoundException
// ("Requested resource not found", as item operations say) when absent.
[[nodiscard]] result<table_ptr> find_table(catalog& tables, const request_context& ctx,
                                           std::string_view name);

// `storage` is where the document's memory comes from (the default
// allocator unless given).
[[nodiscard]] result<boost::json::object> parse_stored_item(std::string_view text,
                                                            boost::json::storage_ptr storage = {});

// Parameters this build does not evaluate yet: an honest error, never a
// silently ignored condition.
[[nodiscard]] std::optional<api_error> reject_unsupported(
    std::string_view operation, const boost::json::object& in,
    std::initializer_list<const char*> members);

// ExpressionAttributeNames/Values given without any expression.
[[nodiscard]] std::optional<api_error> check_unused_expression_maps(const boost::json::object& in);

// AttributesToGet: the names, with DynamoDB's duplicate check.
[[nodiscard]] result<std::vector<std::string>> attributes_to_get(const boost::json::object& in);
// Keeps only `names` (all of the item when `names` is empty).
void project(boost::json::object& item, const std::vector<std::string>& names);

// Capacity units: writes in 1 KB units, reads in 4 KB units, eventually
// consistent reads at half price.
[[nodiscard]] double write_units(std::size_t bytes);
[[nodiscard]] double read_units(std::size_t bytes, bool consistent);

// The ReturnConsumedCapacity mode of a request: "NONE", "TOTAL" or "INDEXES".
[[nodiscard]] std::string_view capacity_mode(const boost::json::object& in);
// {"TableName": ..., "CapacityUnits": u} (+ "Table" for INDEXES).
[[nodiscard]] boost::json::object consumed_capacity(std::string_view mode, const table& t,
                                                    double units);

// Capacity that secondary indexes consumed, by index.
using index_units = std::vector<std::pair<const secondary_index*, double>>;

// The same with index capacity: the total counts it, and INDEXES lists it
// under GlobalSecondaryIndexes/LocalSecondaryIndexes. `table_units` may be
// nullopt for a read of an index alone (no "Table" member then).
[[nodiscard]] boost::json::object consumed_capacity(std::string_view mode, const table& t,
                                                    std::optional<double> table_units,
                                                    const index_units& indexes);

// Multi-item operations (transactions, PartiQL batches): one entry per
// table, in first-use order, charged `per_item` units for each item in
// `used` (a table once per item it served).
[[nodiscard]] boost::json::array consumed_per_table(std::string_view mode,
                                                    const std::vector<table_ptr>& used,
                                                    double per_item);

// What a conditional write decides after seeing the current item.
struct write_decision {
  enum class action { keep, put, erase } what = action::keep;
  std::string value;                        // the serialized item, for put
  std::optional<boost::json::object> item;  // the item, when the decider has it at hand
};

// The item a put decision writes: its `item`, or `value` parsed.
[[nodiscard]] result<boost::json::object> decided_item(const write_decision& d);

// Reads the item at `key` in an optimistic transaction, lets `decide` look
// at it (null when absent) and applies the decision atomically, retrying
// when a concurrent write got in between (so `decide` must be pure). Returns
// the item as it was before the write.
[[nodiscard]] result<std::optional<boost::json::object>> read_modify_write(
    catalog& tables, const table& t, const std::string& key,
    const std::function<result<write_decision>(const boost::json::object* old)>& decide);

// ConditionalCheckFailedException, carrying the old item when the request
// asked for it with ReturnValuesOnConditionCheckFailure=ALL_OLD.
[[nodiscard]] api_error condition_failed(const boost::json::object& in,
                                         const boost::json::object* old);

// Names the parameters that cannot be mixed: "Can not use both expression
// and non-expression parameters in the same request: ...".
[[nodiscard]] std::optional<api_error> check_parameter_mix(const boost::json::object& in);

}  // namespace stratus::dynamodb
