#pragma once
// Event source mappings (DynamoDB Streams → a function): the mapping
// documents in the store, their rendering as AWS answers them, and the
// decisions the poller takes after a failed batch (pure, unit-tested).
//
// Storage: c/lambda/esm/m/<uuid> holds the mapping (JSON); the checkpoint,
// the sequence number of the last record done with, lives apart under
// c/lambda/esm/p/<uuid> so that the poller and the API never overwrite each
// other's writes.
//
// Thread-safety: pure functions and value types; mapping_store is safe for
// concurrent use (the store is).
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/api_error.hpp"
#include "storage/store.hpp"

namespace stratus::lambda {

struct mapping {
  std::string uuid;
  std::string account;
  std::string region;
  std::string function;   // name
  std::string qualifier;  // "" when the mapping names the unqualified function
  std::string source_arn;
  std::string starting_position;  // TRIM_HORIZON | LATEST
  bool enabled = true;
  int batch_size = 100;
  int batching_window = 0;  // MaximumBatchingWindowInSeconds
  int max_retries = -1;     // -1: until the record expires
  int max_record_age = -1;  // seconds; -1: until the record expires
  bool bisect = false;
  boost::json::value filter_criteria;                // null when none
  std::string on_failure;                            // destination ARN, "" when none
  double last_modified = 0;                          // epoch seconds
  std::string last_result = "No records processed";  // from the progress, not stored here
};

[[nodiscard]] std::string mapping_key(std::string_view uuid);
[[nodiscard]] std::string checkpoint_key(std::string_view uuid);
[[nodiscard]] std::string_view mappings_prefix();

[[nodiscard]] std::string serialize(const mapping& m);
[[nodiscard]] std::optional<mapping> deserialize_mapping(std::string_view text);

// The mapping as the API answers it; `state` is the transitional state a
// write answers ("Creating", "Updating", "Disabling", "Deleting"...), or
// empty for reads (Enabled / Disabled).
[[nodiscard]] boost::json::object render(const mapping& m, std::string_view state = {});

struct progress {
  std::uint64_t after = 0;
  std::string result = "No records processed";
};

class mapping_store {
 public:
  explicit mapping_store(storage::store& store) : store_(store) {}
  [[nodiscard]] result<std::optional<mapping>> find(std::string_view uuid) const;
  // Every mapping (of every account), ordered by UUID, after `after`.
  [[nodiscard]] result<std::vector<mapping>> list(std::string_view after = {},
                                                  std::size_t limit = SIZE_MAX) const;
  [[nodiscard]] result<void> put(const mapping& m, std::optional<progress> checkpoint = {});
  [[nodiscard]] result<void> erase(std::string_view uuid);
  // Where the poller is: the last sequence number done with, and
  // LastProcessingResult. The API's writes never touch it.
  [[nodiscard]] result<std::optional<progress>> checkpoint(std::string_view uuid) const;
  // Ignored when the mapping was deleted meanwhile.
  [[nodiscard]] result<void> set_checkpoint(std::string_view uuid, const progress& p);

 private:
  storage::store& store_;
};

// What the poller does after a batch failed.
enum class after_failure {
  retry,    // the same batch again, after backoff()
  bisect,   // split the batch in two halves and try each
  give_up,  // send the OnFailure record and move past the batch
};

struct failure_state {
  int attempts = 0;                      // failed invocations of this batch so far
  std::size_t batch_records = 0;         // records in the batch
  std::int64_t oldest_record_age_s = 0;  // age of the batch's oldest record
};

// Retries count per batch; bisecting does not count against them, as on
// AWS. -1 limits mean "until the record expires" (24 hours in the stream).
[[nodiscard]] after_failure decide(const mapping& m, const failure_state& s);
// Exponential backoff between retries: base * 2^(attempts-1), at most cap.
[[nodiscard]] std::chrono::milliseconds backoff(int attempts, std::chrono::milliseconds base,
                                                std::chrono::milliseconds cap);

}  // namespace stratus::lambda
