#include "dynamodb/stream_reader.hpp"

#include <boost/json.hpp>

#include "dynamodb/streams.hpp"
#include "dynamodb/table.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

struct located {
  json::object doc;
  std::uint64_t id = 0;
};

// arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
result<std::optional<located>> locate(storage::store& store, std::string_view arn) {
  constexpr std::string_view head = "arn:aws:dynamodb:";
  if (!arn.starts_with(head) || arn.find("/stream/") == std::string_view::npos)
    return std::optional<located>{};
  std::string_view rest = arn.substr(head.size());
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return std::optional<located>{};
  const std::string_view region = rest.substr(0, colon);
  rest.remove_prefix(colon + 1);
  const std::string_view account = rest.substr(0, rest.find(':'));
  auto stored = store.get(stream_meta_prefix(account, region) + std::string(arn));
  if (!stored) return storage_failure(stored.error());
  if (!*stored) return std::optional<located>{};
  boost::system::error_code ec;
  auto v = json::parse(**stored, ec);
  if (ec || !v.is_object()) return std::optional<located>{};
  located l;
  l.doc = std::move(v.get_object());
  l.id = l.doc.at("id").to_number<std::uint64_t>();
  return std::optional<located>(std::move(l));
}

}  // namespace

result<std::optional<stream_summary>> describe_stream_summary(storage::store& store,
                                                              std::string_view arn) {
  auto l = locate(store, arn);
  if (!l) return l.error();
  if (!*l) return std::optional<stream_summary>{};
  stream_summary s;
  s.shard_id = shard_id((*l)->doc);
  s.enabled = (*l)->doc.at("status").as_string() != "DISABLED";
  auto last = last_sequence(store, (*l)->id);
  if (!last) return storage_failure(last.error());
  s.last_sequence = *last;
  return std::optional<stream_summary>(std::move(s));
}

result<std::vector<stream_record_entry>> read_stream(storage::store& store, std::string_view arn,
                                                     std::uint64_t after, std::size_t limit) {
  auto l = locate(store, arn);
  if (!l) return l.error();
  std::vector<stream_record_entry> out;
  if (!*l) return out;
  const std::string prefix = stream_records_prefix((*l)->id);
  auto it = store.scan({stream_record_key((*l)->id, after + 1), storage::prefix_end(prefix)});
  for (; it->valid() && out.size() < limit; it->next())
    out.push_back({record_sequence(it->key()), std::string(it->value())});
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return out;
}

}  // namespace stratus::dynamodb
