#pragma once
// CloudWatch Logs' quotas on events, as AWS documents them for PutLogEvents,
// GetLogEvents and FilterLogEvents. Sizes count a message's UTF-8 bytes plus
// 26 bytes of overhead per event; times are milliseconds.
#include <cstddef>
#include <cstdint>

namespace stratus::logs::limits {

inline constexpr std::size_t event_overhead = 26;
inline constexpr std::size_t max_event_bytes = 262'144;    // 256 KB, overhead included
inline constexpr std::size_t max_batch_bytes = 1'048'576;  // per PutLogEvents call
inline constexpr std::int64_t max_batch_span = 24LL * 3600 * 1000;
inline constexpr std::int64_t max_event_age = 14LL * 24 * 3600 * 1000;  // older: tooOld
inline constexpr std::int64_t max_event_lead = 2LL * 3600 * 1000;       // newer: tooNew
inline constexpr std::size_t max_events_per_page = 10'000;  // Get/FilterLogEvents default limit
inline constexpr std::size_t max_response_bytes = 1'048'576;

}  // namespace stratus::logs::limits
