#include "logs/catalog.hpp"

#include <boost/json.hpp>
#include <functional>

#include "logs/errors.hpp"
#include "logs/keys.hpp"

namespace stratus::logs {
namespace json = boost::json;

namespace {

api_error storage_failure(const storage::error& e) {
  return errors::storage(e.message);
}

template <class T>
std::optional<T> optional_number(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<T>();
}

// A stored document read by `read`; nullopt when it is damaged.
template <class T, class F>
std::optional<T> parse_document(std::string_view text, const F& read) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  try {
    T out;
    read(v.get_object(), out);
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string serialize(const group_info& g) {
  json::object o;
  o["id"] = g.id;
  o["account"] = g.account;
  o["region"] = g.region;
  o["name"] = g.name;
  o["creationTime"] = g.creation_time;
  if (g.retention_days) o["retentionInDays"] = *g.retention_days;
  if (!g.kms_key_id.empty()) o["kmsKeyId"] = g.kms_key_id;
  json::object tags;
  for (const auto& [k, v] : g.tags) tags[k] = v;
  o["tags"] = std::move(tags);
  return json::serialize(o);
}

std::optional<group_info> parse_group(std::string_view text) {
  return parse_document<group_info>(text, [](const json::object& o, group_info& g) {
    g.id = o.at("id").to_number<std::uint64_t>();
    g.account = o.at("account").as_string();
    g.region = o.at("region").as_string();
    g.name = o.at("name").as_string();
    g.creation_time = o.at("creationTime").to_number<std::int64_t>();
    g.retention_days = optional_number<int>(o, "retentionInDays");
    if (auto* k = o.if_contains("kmsKeyId")) g.kms_key_id = k->as_string();
    if (auto* tags = o.if_contains("tags"))
      for (const auto& [k, tv] : tags->as_object()) g.tags[std::string(k)] = tv.as_string();
  });
}

std::string serialize(const stream_info& s) {
  json::object o;
  o["id"] = s.id;
  o["name"] = s.name;
  o["creationTime"] = s.creation_time;
  if (s.first_event) o["firstEventTimestamp"] = *s.first_event;
  if (s.last_event) o["lastEventTimestamp"] = *s.last_event;
  if (s.last_ingestion) o["lastIngestionTime"] = *s.last_ingestion;
  o["storedBytes"] = s.stored_bytes;
  o["uploadSequence"] = s.upload_sequence;
  return json::serialize(o);
}

std::optional<stream_info> parse_stream(std::string_view text) {
  return parse_document<stream_info>(text, [](const json::object& o, stream_info& s) {
    s.id = o.at("id").to_number<std::uint64_t>();
    s.name = o.at("name").as_string();
    s.creation_time = o.at("creationTime").to_number<std::int64_t>();
    s.first_event = optional_number<std::int64_t>(o, "firstEventTimestamp");
    s.last_event = optional_number<std::int64_t>(o, "lastEventTimestamp");
    s.last_ingestion = optional_number<std::int64_t>(o, "lastIngestionTime");
    s.stored_bytes = optional_number<std::uint64_t>(o, "storedBytes").value_or(0);
    s.upload_sequence = optional_number<std::uint64_t>(o, "uploadSequence").value_or(0);
  });
}

std::string catalog::cache_key(const group_ref& ref) {
  std::string k;
  k.reserve(ref.account.size() + ref.region.size() + ref.name.size() + 2);
  k.append(ref.account).push_back('\0');
  k.append(ref.region).push_back('\0');
  k.append(ref.name);
  return k;
}

catalog::stripe& catalog::stripe_of(const group_ref& ref) {
  return stripes_[std::hash<std::string>{}(cache_key(ref)) % stripes_.size()];
}

result<catalog::cached_group*> catalog::load_group(stripe& s, const group_ref& ref) {
  const std::string key = cache_key(ref);
  if (auto it = s.groups.find(key); it != s.groups.end()) return it->second.get();
  auto stored = store_.get(keys::group(ref.account, ref.region, ref.name));
  if (!stored) return storage_failure(stored.error());
  if (!*stored) return static_cast<cached_group*>(nullptr);
  auto info = parse_group(**stored);
  if (!info) return errors::storage("corrupt log group document");
  auto entry = std::make_shared<cached_group>();
  entry->info = std::move(*info);
  auto* raw = entry.get();
  s.groups.emplace(key, std::move(entry));
  return raw;
}

result<stream_info*> catalog::load_stream(cached_group& g, std::string_view name) {
  if (auto it = g.streams.find(std::string(name)); it != g.streams.end()) return &it->second;
  auto stored = store_.get(keys::stream(g.info.id, name));
  if (!stored) return storage_failure(stored.error());
  if (!*stored) return static_cast<stream_info*>(nullptr);
  auto info = parse_stream(**stored);
  if (!info) return errors::storage("corrupt log stream document");
  return &g.streams.emplace(std::string(name), std::move(*info)).first->second;
}

result<std::uint64_t> catalog::write_with_new_ids(storage::write_batch& batch, std::uint64_t count,
                                                  const std::function<void(std::uint64_t)>& fill) {
  std::lock_guard lock(id_mutex_);
  if (next_id_ == 0) {
    auto stored = store_.get(keys::id_counter);
    if (!stored) return storage_failure(stored.error());
    next_id_ = 1;
    if (*stored) next_id_ = std::max<std::uint64_t>(1, std::stoull(**stored));
  }
  const std::uint64_t id = next_id_;
  fill(id);
  batch.put(keys::id_counter, std::to_string(id + count));
  if (auto w = store_.write(batch); !w) return storage_failure(w.error());
  next_id_ = id + count;
  return id;
}

std::uint64_t catalog::next_sequence() {
  // Unique and increasing within the process; seeded from the clock so a
  // restart continues above what the previous run handed out.
  const auto now_ns =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  std::uint64_t last = last_sequence_.load(std::memory_order_relaxed);
  std::uint64_t next;
  do {
    next = std::max(last + 1, now_ns);
  } while (!last_sequence_.compare_exchange_weak(last, next, std::memory_order_relaxed));
  return next;
}

result<group_info> catalog::create_group(const group_ref& ref, std::int64_t now,
                                         std::string kms_key_id,
                                         std::map<std::string, std::string> tags) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  auto existing = load_group(s, ref);
  if (!existing) return existing.error();
  if (*existing) return errors::group_exists();
  group_info g;
  g.account = ref.account;
  g.region = ref.region;
  g.name = ref.name;
  g.creation_time = now;
  g.kms_key_id = std::move(kms_key_id);
  g.tags = std::move(tags);
  storage::write_batch batch;
  auto id = write_with_new_ids(batch, 1, [&](std::uint64_t id) {
    g.id = id;
    batch.put(keys::group(ref.account, ref.region, ref.name), serialize(g));
  });
  if (!id) return id.error();
  auto entry = std::make_shared<cached_group>();
  entry->info = g;
  s.groups[cache_key(ref)] = std::move(entry);
  return g;
}

result<void> catalog::delete_group(const group_ref& ref) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  auto g = load_group(s, ref);
  if (!g) return g.error();
  if (!*g) return errors::group_not_found();
  const std::uint64_t id = (*g)->info.id;
  // The document first: once it is gone the group is gone, and what a crash
  // leaves of its streams and events sits under an id nobody reuses.
  storage::write_batch batch;
  batch.erase(keys::group(ref.account, ref.region, ref.name));
  if (auto w = store_.write(batch); !w) return storage_failure(w.error());
  s.groups.erase(cache_key(ref));
  const std::string streams = keys::stream_list(id);
  if (auto e = store_.erase_range(streams, storage::prefix_end(streams)); !e)
    return storage_failure(e.error());
  const std::string events = keys::group_events(id);
  if (auto e = store_.erase_range(events, storage::prefix_end(events)); !e)
    return storage_failure(e.error());
  return {};
}

result<std::optional<group_info>> catalog::find_group(const group_ref& ref) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  auto g = load_group(s, ref);
  if (!g) return g.error();
  if (!*g) return std::optional<group_info>{};
  return std::optional<group_info>((*g)->info);
}

result<group_info> catalog::update_group(const group_ref& ref,
                                         const std::function<void(group_info&)>& change) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  auto g = load_group(s, ref);
  if (!g) return g.error();
  if (!*g) return errors::group_not_found();
  group_info updated = (*g)->info;
  change(updated);
  storage::write_batch batch;
  batch.put(keys::group(ref.account, ref.region, ref.name), serialize(updated));
  if (auto w = store_.write(batch); !w) return storage_failure(w.error());
  (*g)->info = updated;
  return updated;
}

result<std::vector<group_info>> catalog::list_groups(std::string_view account,
                                                     std::string_view region,
                                                     std::string_view prefix,
                                                     std::string_view contains,
                                                     std::string_view after, std::size_t limit) {
  const std::string base = keys::group_list(account, region);
  const std::string begin_prefix = base + std::string(prefix);
  storage::key_range range{begin_prefix, storage::prefix_end(begin_prefix)};
  if (!after.empty() && base + std::string(after) >= range.begin)
    range.begin = base + std::string(after) + std::string(1, '\0');
  std::vector<group_info> out;
  auto it = store_.scan(range);
  for (; it->valid() && out.size() <= limit; it->next()) {
    auto g = parse_group(it->value());
    if (!g) return errors::storage("corrupt log group document");
    if (g->name.find(contains) == std::string::npos) continue;
    out.push_back(std::move(*g));
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return out;
}

result<std::vector<group_info>> catalog::groups_with_retention() {
  std::vector<group_info> out;
  auto it = store_.scan({std::string(keys::all_groups), storage::prefix_end(keys::all_groups)});
  for (; it->valid(); it->next()) {
    auto g = parse_group(it->value());
    if (g && g->retention_days) out.push_back(std::move(*g));
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return out;
}

result<stream_info> catalog::create_stream(const group_ref& ref, std::string_view stream,
                                           std::int64_t now) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  auto g = load_group(s, ref);
  if (!g) return g.error();
  if (!*g) return errors::group_not_found();
  auto existing = load_stream(**g, stream);
  if (!existing) return existing.error();
  if (*existing) return errors::stream_exists();
  stream_info info;
  info.name = stream;
  info.creation_time = now;
  storage::write_batch batch;
  auto id = write_with_new_ids(batch, 1, [&](std::uint64_t id) {
    info.id = id;
    batch.put(keys::stream((*g)->info.id, stream), serialize(info));
  });
  if (!id) return id.error();
  (*g)->streams[std::string(stream)] = info;
  return info;
}

result<void> catalog::delete_stream(const group_ref& ref, std::string_view stream) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  auto g = load_group(s, ref);
  if (!g) return g.error();
  if (!*g) return errors::group_not_found();
  auto existing = load_stream(**g, stream);
  if (!existing) return existing.error();
  if (!*existing) return errors::stream_not_found();
  const std::uint64_t gid = (*g)->info.id;
  const std::uint64_t sid = (*existing)->id;
  storage::write_batch batch;
  batch.erase(keys::stream(gid, stream));
  if (auto w = store_.write(batch); !w) return storage_failure(w.error());
  (*g)->streams.erase(std::string(stream));
  const std::string events = keys::stream_events(gid, sid);
  if (auto e = store_.erase_range(events, storage::prefix_end(events)); !e)
    return storage_failure(e.error());
  return {};
}

result<std::pair<group_info, stream_info>> catalog::find_stream(const group_ref& ref,
                                                                std::string_view stream) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  auto g = load_group(s, ref);
  if (!g) return g.error();
  if (!*g) return errors::group_not_found();
  auto st = load_stream(**g, stream);
  if (!st) return st.error();
  if (!*st) return errors::stream_not_found();
  return std::pair<group_info, stream_info>((*g)->info, **st);
}

result<std::vector<stream_info>> catalog::list_streams(std::uint64_t group_id,
                                                       std::string_view prefix) {
  const std::string base = keys::stream_list(group_id);
  const std::string begin = base + std::string(prefix);
  std::vector<stream_info> out;
  auto it = store_.scan({begin, storage::prefix_end(begin)});
  for (; it->valid(); it->next()) {
    auto s = parse_stream(it->value());
    if (!s) return errors::storage("corrupt log stream document");
    out.push_back(std::move(*s));
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  return out;
}

namespace {

// The stream's document once events[first, last) are in it.
stream_info with_events(stream_info s, std::span<const new_event> events, std::size_t first,
                        std::size_t last, std::int64_t now) {
  for (std::size_t i = first; i < last; ++i) {
    const auto& e = events[i];
    if (!s.first_event || e.timestamp < *s.first_event) s.first_event = e.timestamp;
    if (!s.last_event || e.timestamp > *s.last_event) s.last_event = e.timestamp;
    s.stored_bytes += e.message.size();
  }
  if (first < last) s.last_ingestion = now;
  ++s.upload_sequence;
  return s;
}

}  // namespace

void catalog::put_events(storage::write_batch& batch, std::uint64_t group_id,
                         const stream_info& stream, std::span<const new_event> events,
                         std::size_t first, std::size_t last, std::int64_t now) {
  for (std::size_t i = first; i < last; ++i) {
    const auto& e = events[i];
    batch.put(keys::event(group_id, stream.id, e.timestamp, next_sequence()),
              keys::event_value(now, e.message));
  }
  batch.put(keys::stream(group_id, stream.name), serialize(stream));
}

result<stream_info> catalog::append(const group_ref& ref, std::string_view stream,
                                    std::span<const new_event> events, std::int64_t now,
                                    bool create_missing, const admit_fn& admit) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  return append_locked(s, ref, stream, events, now, create_missing, admit);
}

result<void> catalog::append_many(const group_ref& ref, std::span<const stream_events> streams,
                                  std::int64_t now) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  storage::write_batch batch;
  std::vector<stream_info> updated;
  for (const auto& [stream, events] : streams) {
    auto g = load_group(s, ref);
    if (!g) return g.error();
    stream_info* existing = nullptr;
    if (*g) {
      auto st = load_stream(**g, stream);
      if (!st) return st.error();
      existing = *st;
    }
    if (!existing) {
      // A new group or stream needs ids: it takes a write of its own.
      if (auto created = append_locked(s, ref, stream, events, now, true, nullptr); !created)
        return created.error();
      continue;
    }
    updated.push_back(with_events(*existing, events, 0, events.size(), now));
    put_events(batch, (*g)->info.id, updated.back(), events, 0, events.size(), now);
  }
  if (updated.empty()) return {};
  if (auto w = store_.write(batch); !w) return storage_failure(w.error());
  // The group is cached and still this one: nothing else changes it while
  // the stripe is locked.
  auto g = load_group(s, ref);
  if (!g) return g.error();
  for (auto& u : updated) (*g)->streams[u.name] = std::move(u);
  return {};
}

result<stream_info> catalog::append_locked(stripe& s, const group_ref& ref, std::string_view stream,
                                           std::span<const new_event> events, std::int64_t now,
                                           bool create_missing, const admit_fn& admit) {
  auto g = load_group(s, ref);
  if (!g) return g.error();
  storage::write_batch batch;
  cached_group* group = *g;
  std::optional<cached_group> created_group;
  if (!group) {
    if (!create_missing) return errors::group_not_found();
    created_group.emplace();
    created_group->info = {0, ref.account, ref.region, ref.name, now, {}, {}, {}};
    group = &*created_group;
  }
  stream_info* existing = nullptr;
  if (!created_group) {
    auto st = load_stream(*group, stream);
    if (!st) return st.error();
    existing = *st;
  }
  if (!existing && !create_missing) return errors::stream_not_found();

  stream_info before;
  if (existing) {
    before = *existing;
  } else {
    before.name = stream;
    before.creation_time = now;
  }
  // Plain variables, not a structured binding: the lambdas below capture them.
  const auto admitted =
      admit ? admit(group->info) : std::pair<std::size_t, std::size_t>{0, events.size()};
  const std::size_t first = admitted.first;
  const std::size_t last = std::min(admitted.second, events.size());
  stream_info updated = with_events(std::move(before), events, first, last, now);

  // Events need the group's and the stream's ids: new ones are allocated
  // with the batch that writes everything.
  if (created_group) {
    // One counter write for both new ids: the group's and the stream's.
    auto id = write_with_new_ids(batch, 2, [&](std::uint64_t id) {
      created_group->info.id = id;
      updated.id = id + 1;
      batch.put(keys::group(ref.account, ref.region, ref.name), serialize(created_group->info));
      put_events(batch, id, updated, events, first, last, now);
    });
    if (!id) return id.error();
    auto entry = std::make_shared<cached_group>(std::move(*created_group));
    entry->streams[std::string(stream)] = updated;
    s.groups[cache_key(ref)] = std::move(entry);
    return updated;
  }
  if (!existing) {
    auto id = write_with_new_ids(batch, 1, [&](std::uint64_t id) {
      updated.id = id;
      put_events(batch, group->info.id, updated, events, first, last, now);
    });
    if (!id) return id.error();
  } else {
    put_events(batch, group->info.id, updated, events, first, last, now);
    if (auto w = store_.write(batch); !w) return storage_failure(w.error());
  }
  group->streams[std::string(stream)] = updated;
  return updated;
}

result<std::size_t> catalog::expire(const group_ref& ref, std::uint64_t group_id,
                                    std::int64_t cutoff) {
  auto& s = stripe_of(ref);
  std::lock_guard lock(s.mutex);
  auto g = load_group(s, ref);
  if (!g) return g.error();
  if (!*g || (*g)->info.id != group_id) return std::size_t{0};  // deleted or re-created
  auto streams = list_streams(group_id);
  if (!streams) return streams.error();
  std::size_t deleted = 0;
  for (const auto& listed : *streams) {
    const std::string begin = keys::stream_events(group_id, listed.id);
    const std::string end = keys::events_from(group_id, listed.id, cutoff);
    std::uint64_t bytes = 0;
    std::size_t count = 0;
    auto it = store_.scan({begin, end});
    for (; it->valid(); it->next()) {
      ++count;
      if (auto v = keys::parse_event_value(it->value())) bytes += v->message.size();
    }
    if (count == 0) continue;
    if (auto e = store_.erase_range(begin, end); !e) return storage_failure(e.error());
    deleted += count;
    auto st = load_stream(**g, listed.name);
    if (!st) return st.error();
    if (!*st) continue;
    stream_info updated = **st;
    updated.stored_bytes = updated.stored_bytes > bytes ? updated.stored_bytes - bytes : 0;
    storage::write_batch batch;
    batch.put(keys::stream(group_id, listed.name), serialize(updated));
    if (auto w = store_.write(batch); !w) return storage_failure(w.error());
    **st = updated;
  }
  return deleted;
}

}  // namespace stratus::logs
