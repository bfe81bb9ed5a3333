#pragma once
// The seam between Lambda's event source mappings and the streams they read
// (DynamoDB Streams). Lambda holds a `stream_reader&`; it does not link
// against the DynamoDB module, whose records the server's wiring reads
// through dynamodb/stream_reader.hpp (see docs/architecture/lambda.md).
//
// Thread-safety: implementations are safe for concurrent use from any
// thread. Calls read local storage only: they do not wait on the network.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/api_error.hpp"

namespace stratus::lambda {

struct stream_info {
  std::string shard_id;
  bool enabled = true;              // false once the table's stream is disabled
  std::uint64_t last_sequence = 0;  // of the newest record (0: none yet)
};

struct stream_entry {
  std::uint64_t sequence = 0;
  std::string record;  // the stream record, JSON, as GetRecords returns it
};

class stream_reader {
 public:
  virtual ~stream_reader() = default;
  // The stream named by its ARN, or nullopt when there is no such stream.
  [[nodiscard]] virtual result<std::optional<stream_info>> describe(std::string_view arn) = 0;
  // Up to `limit` records with sequence numbers after `after`, oldest first.
  [[nodiscard]] virtual result<std::vector<stream_entry>> read(std::string_view arn,
                                                               std::uint64_t after,
                                                               std::size_t limit) = 0;
};

}  // namespace stratus::lambda
