#pragma once
// Reading a stream's records from C++ rather than through the
// dynamodbstreams API: for Lambda's event source mappings, which the server
// wires to these functions (Lambda does not link against this module).
// The account and region come from the stream ARN.
//
// Thread-safety: safe for concurrent use (reads of the store only).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/api_error.hpp"
#include "storage/store.hpp"

namespace stratus::dynamodb {

struct stream_summary {
  std::string shard_id;
  bool enabled = true;
  std::uint64_t last_sequence = 0;  // 0 when the stream has no records
};

struct stream_record_entry {
  std::uint64_t sequence = 0;
  std::string record;  // JSON
};

// The stream, or nullopt when the ARN names none.
[[nodiscard]] result<std::optional<stream_summary>> describe_stream_summary(storage::store& store,
                                                                            std::string_view arn);
// Up to `limit` records after sequence number `after`, oldest first.
[[nodiscard]] result<std::vector<stream_record_entry>> read_stream(storage::store& store,
                                                                   std::string_view arn,
                                                                   std::uint64_t after,
                                                                   std::size_t limit);

}  // namespace stratus::dynamodb
