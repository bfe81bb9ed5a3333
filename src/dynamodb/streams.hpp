#pragma once
// DynamoDB Streams: the records a table's changes leave in its stream, and
// how they are stored and numbered.
//
// A stream's records live under "s" <stream id: 8> <sequence number: 8>,
// one JSON record each, written in the same commit as the change (see
// item_changes.hpp). Sequence numbers are given at commit time under the
// catalog's stream_sequencer lock, so they follow commit order. Each stream
// has one shard. Stream documents (for ListStreams and DescribeStream, kept
// after the stream is disabled or its table deleted) live under
// "c/dynamodb/stream/<account>/<region>/<stream arn>".
//
// Thread-safety: pure functions, except where a catalog is passed (safe for
// concurrent use).

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/request_context.hpp"
#include "dynamodb/item_changes.hpp"
#include "dynamodb/table.hpp"

namespace stratus::dynamodb {

[[nodiscard]] std::string stream_records_prefix(std::uint64_t stream_id);
[[nodiscard]] std::string stream_record_key(std::uint64_t stream_id, std::uint64_t sequence);
// The sequence number in a record key.
[[nodiscard]] std::uint64_t record_sequence(std::string_view record_key);
// The last sequence number of a stream's records (0 when it has none).
[[nodiscard]] storage::result<std::uint64_t> last_sequence(storage::store& store,
                                                           std::uint64_t stream_id);
// The id of a stream's one shard, from its stream document.
[[nodiscard]] std::string shard_id(const boost::json::object& stream_doc);
// Sequence numbers as DynamoDB Streams shows them: decimal digits, and
// ordered as strings like as numbers.
[[nodiscard]] std::string sequence_text(std::uint64_t sequence);
[[nodiscard]] std::string stream_meta_prefix(std::string_view account, std::string_view region);

// The record a change leaves in `t`'s stream (without its SequenceNumber),
// or nullopt when the change changes nothing.
[[nodiscard]] std::optional<boost::json::object> stream_record(const table& t,
                                                               const boost::json::object* before,
                                                               const boost::json::object* after,
                                                               change_origin origin);

// Numbers `records`, adds them to `txn` and commits it.
[[nodiscard]] storage::result<void> commit_stream_records(catalog& tables,
                                                          storage::transaction& txn,
                                                          std::vector<change_set::record>& records);

// StreamSpecification at CreateTable/UpdateTable: checks it; when it
// enables a stream, `settings` gets a new stream for table `t`.
[[nodiscard]] std::optional<api_error> check_stream_specification(const boost::json::object& spec);
[[nodiscard]] result<stream_settings> new_stream(catalog& tables, const table& t,
                                                 std::chrono::system_clock::time_point now,
                                                 std::string view_type);
// Sets the description members of the table's current stream.
void describe_stream_settings(table& t);
// Records a stream in the stream documents (when enabled) or marks it
// disabled (when the table's stream was disabled or the table deleted).
[[nodiscard]] std::optional<api_error> stream_enabled(catalog& tables, const table& t,
                                                      std::chrono::system_clock::time_point now);
[[nodiscard]] std::optional<api_error> stream_disabled(catalog& tables, const table& t,
                                                       const stream_settings& stream);

// Deletes stream records older than 24 hours, as DynamoDB Streams keeps
// them; returns how many it deleted. Run by the TTL sweeper.
std::size_t trim_stream_records(catalog& tables, std::chrono::system_clock::time_point now);

// The dynamodbstreams API: ListStreams, DescribeStream, GetShardIterator,
// GetRecords.
void add_stream_operations(handler_table& table, catalog& tables);

}  // namespace stratus::dynamodb
