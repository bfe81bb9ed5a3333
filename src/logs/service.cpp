#include "logs/service.hpp"

#include <algorithm>

#include "logs/limits.hpp"
#include "logs/ops_support.hpp"

namespace stratus::logs {

handler_table service::handlers() {
  handler_table table;
  add_group_operations(table, catalog_);
  add_stream_operations(table, catalog_);
  add_event_operations(table, catalog_);
  add_filter_operations(table, catalog_);
  add_tag_operations(table, catalog_);
  for (auto& [name, op] : table) {
    op = [this, op = std::move(op)](request_context& ctx, boost::json::object& input) {
      queue_.flush();
      return op(ctx, input);
    };
  }
  return table;
}

void service::append(const std::string& account, const std::string& region,
                     const std::string& group, const std::string& stream,
                     std::vector<log_event> events) {
  constexpr std::size_t max_message = limits::max_event_bytes - limits::event_overhead;
  std::vector<new_event> batch;
  batch.reserve(events.size());
  for (auto& e : events) {
    if (e.message.empty()) continue;
    if (e.message.size() > max_message) {
      // Cut at a UTF-8 character boundary, never inside a sequence.
      std::size_t cut = max_message;
      while (cut > 0 && (static_cast<unsigned char>(e.message[cut]) & 0xc0) == 0x80) --cut;
      e.message.resize(cut);
    }
    batch.push_back({std::max<std::int64_t>(0, epoch_ms(e.at)), std::move(e.message)});
  }
  if (batch.empty()) return;
  std::stable_sort(batch.begin(), batch.end(), [](const new_event& a, const new_event& b) {
    return a.timestamp < b.timestamp;
  });
  queue_.append({account, region, group}, stream, std::move(batch));
}

}  // namespace stratus::logs
