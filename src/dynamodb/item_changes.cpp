#include "dynamodb/item_changes.hpp"

#include "dynamodb/indexes.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

bool needs_old_image(const table& t) {
  return !t.indexes.empty();
}

void item_change_writes(const table& t, std::string_view storage_key, const json::object* before,
                        const json::object* after, std::string_view after_text,
                        storage::write_batch& out, change_origin) {
  if (after)
    out.put(storage_key, after_text);
  else if (before)
    out.erase(storage_key);
  if (!t.indexes.empty()) index_changes(t, before, after, out);
}

void apply_writes(storage::transaction& txn, const storage::write_batch& writes) {
  for (const auto& op : writes.ops) {
    if (op.value)
      txn.put(op.key, *op.value);
    else
      txn.erase(op.key);
  }
}

}  // namespace stratus::dynamodb
