#include "dynamodb/item_changes.hpp"

#include <boost/json.hpp>

#include "dynamodb/indexes.hpp"
#include "dynamodb/streams.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

bool needs_old_image(const table& t) {
  return !t.indexes.empty() || t.stream;
}

void item_change_writes(const table& t, std::string_view storage_key, const json::object* before,
                        const json::object* after, std::string_view after_text, change_set& out,
                        change_origin origin) {
  if (after)
    out.writes.put(storage_key, after_text);
  else if (before)
    out.writes.erase(storage_key);
  if (!t.indexes.empty()) index_changes(t, before, after, out.writes);
  if (t.stream)
    if (auto body = stream_record(t, before, after, origin))
      out.records.push_back({t.stream->id, std::move(*body)});
}

storage::result<void> commit_changes(catalog& tables, storage::transaction& txn,
                                     change_set& changes) {
  for (const auto& op : changes.writes.ops) {
    if (op.value)
      txn.put(op.key, *op.value);
    else
      txn.erase(op.key);
  }
  if (changes.records.empty()) return txn.commit();
  // Records of one commit may go to several streams (a transaction over
  // several tables): number them stream by stream, in order, under the lock.
  return commit_stream_records(tables, txn, changes.records);
}

}  // namespace stratus::dynamodb
