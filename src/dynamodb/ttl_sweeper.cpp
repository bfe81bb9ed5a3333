#include "dynamodb/ttl_sweeper.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "dynamodb/item_changes.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/keys.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr double five_years_seconds = 5.0 * 365 * 24 * 3600;

// The expiry of an item, when its TTL attribute is a Number.
std::optional<double> expiry_of(const json::object& item, const std::string& attribute) {
  auto* v = item.if_contains(attribute);
  if (!v || !v->is_object()) return std::nullopt;
  auto* n = v->get_object().if_contains("N");
  if (!n || !n->is_string()) return std::nullopt;
  try {
    return std::stod(std::string(n->get_string()));
  } catch (const std::exception&) {
    return std::nullopt;  // beyond a double's range: never expires
  }
}

}  // namespace

std::size_t ttl_sweeper::sweep_once(std::chrono::system_clock::time_point now) {
  const double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
  auto tables = tables_.all();
  if (!tables) {
    spdlog::warn("ttl: cannot list tables: {}", tables.error().message);
    return 0;
  }
  std::size_t deleted = 0;
  auto& store = tables_.store();
  for (const auto& t : *tables) {
    if (t->ttl_attribute.empty()) continue;
    const std::string prefix = table_data_prefix(t->id);
    auto it = store.scan({prefix, storage::prefix_end(prefix)});
    for (; it->valid(); it->next()) {
      auto item = parse_stored_item(it->value());
      if (!item) continue;
      auto expiry = expiry_of(*item, t->ttl_attribute);
      if (!expiry || *expiry > now_s || *expiry < now_s - five_years_seconds) continue;
      // The deletion writes with the table's current definition (an index
      // or a stream may have been added since the sweep began), under a
      // pass of the write gate like every item write.
      auto pass = tables_.item_writes().enter();
      auto now_t = tables_.find(t->account, t->region, t->name);
      if (!now_t || !*now_t || (*now_t)->id != t->id) break;  // deleted or re-created
      // Delete only what we saw: an item rewritten since the scan stays.
      auto txn = store.begin();
      std::string key(it->key());
      auto current = txn->get(key);
      if (!current || !*current || **current != it->value()) continue;
      change_set writes;
      item_change_writes(**now_t, key, &*item, nullptr, {}, writes, change_origin::ttl);
      if (commit_changes(tables_, *txn, writes)) ++deleted;
    }
  }
  return deleted;
}

}  // namespace stratus::dynamodb
