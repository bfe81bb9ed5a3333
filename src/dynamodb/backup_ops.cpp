// On-demand backups: CreateBackup copies a table's items, read from one
// storage snapshot, under a backup prefix; RestoreTableFromBackup creates a
// new table from them. Also DescribeBackup, ListBackups, DeleteBackup and
// DescribeContinuousBackups (point-in-time recovery is not offered).
//
// Keys (docs/architecture/storage.md):
//   c/dynamodb/backup/<account>/<region>/<backup arn>  -> metadata JSON
//   "b" <backup id: 8 bytes BE> <item key after the table prefix> -> item
#include <fmt/format.h>

#include <boost/json.hpp>
#include <chrono>
#include <random>

#include "common/uuid.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/keys.hpp"
#include "dynamodb/service.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::string_view backup_meta_prefix = "c/dynamodb/backup/";
constexpr std::string_view backup_id_counter = "c/dynamodb/next-backup-id";
constexpr std::size_t copy_batch = 1000;
constexpr std::size_t table_prefix_size = 9;  // "d" + table id

std::string meta_prefix(const request_context& ctx) {
  return std::string(backup_meta_prefix) + ctx.account_id + "/" + ctx.region + "/";
}

std::string backup_data_prefix(std::uint64_t id) {
  std::string out = "b";
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((id >> shift) & 0xff));
  return out;
}

api_error backup_not_found(std::string_view arn) {
  return {"BackupNotFoundException", "Backup not found: " + std::string(arn), 400};
}

// Copies every key under `from` to the same suffix under `to`, reading from
// one snapshot; returns how many items and bytes were copied.
result<std::pair<std::size_t, std::size_t>> copy_prefix(storage::store& store,
                                                        const std::string& from,
                                                        const std::string& to) {
  auto snapshot = store.take_snapshot();
  auto it = store.scan({from, storage::prefix_end(from)}, {snapshot.get()});
  storage::write_batch batch;
  std::size_t items = 0, bytes = 0;
  for (; it->valid(); it->next()) {
    batch.put(to + std::string(it->key().substr(from.size())), it->value());
    ++items;
    bytes += it->value().size();
    if (batch.ops.size() >= copy_batch) {
      if (auto w = store.write(batch); !w) return storage_failure(w.error());
      batch.ops.clear();
    }
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  if (!batch.ops.empty())
    if (auto w = store.write(batch); !w) return storage_failure(w.error());
  return std::make_pair(items, bytes);
}

result<json::object> load_backup(catalog& tables, const request_context& ctx,
                                 std::string_view arn) {
  auto stored = tables.store().get(meta_prefix(ctx) + std::string(arn));
  if (!stored) return storage_failure(stored.error());
  if (!*stored) return backup_not_found(arn);
  return parse_stored_item(**stored);
}

json::object description_of(const json::object& meta) {
  json::object features;
  if (auto* f = meta.if_contains("features")) features = f->as_object();
  return json::object{{"BackupDetails", meta.at("details")},
                      {"SourceTableDetails", meta.at("source")},
                      {"SourceTableFeatureDetails", std::move(features)}};
}

result<json::object> create_backup(catalog& tables, request_context& ctx, json::object& in) {
  std::string name(in.at("TableName").as_string());
  auto t = tables.find(ctx.account_id, ctx.region, name);
  if (!t) return t.error();
  if (!*t) return api_error{"TableNotFoundException", "Table not found: " + name, 400};
  auto& store = tables.store();

  auto allocated = allocate_id(store, backup_id_counter);
  if (!allocated) return allocated.error();
  const std::uint64_t id = *allocated;
  auto copied = copy_prefix(store, table_data_prefix((*t)->id), backup_data_prefix(id));
  if (!copied) return copied.error();

  const auto now = ctx.now;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  thread_local std::mt19937 rng{std::random_device{}()};
  const std::string arn =
      fmt::format("{}/backup/{:013d}-{:08x}", (*t)->description.at("TableArn").as_string().c_str(),
                  ms.count(), rng());
  const auto& d = (*t)->description;
  json::object details{{"BackupArn", arn},
                       {"BackupName", in.at("BackupName")},
                       {"BackupSizeBytes", copied->second},
                       {"BackupStatus", "AVAILABLE"},
                       {"BackupType", "USER"},
                       {"BackupCreationDateTime", epoch_seconds(now)}};
  json::object source{
      {"TableName", name},
      {"TableId", d.at("TableId")},
      {"TableArn", d.at("TableArn")},
      {"TableSizeBytes", copied->second},
      {"KeySchema", d.at("KeySchema")},
      {"TableCreationDateTime", d.at("CreationDateTime")},
      {"ProvisionedThroughput",
       {{"ReadCapacityUnits", d.at("ProvisionedThroughput").at("ReadCapacityUnits")},
        {"WriteCapacityUnits", d.at("ProvisionedThroughput").at("WriteCapacityUnits")}}},
      {"ItemCount", copied->first},
      {"BillingMode", d.contains("BillingModeSummary")
                          ? d.at("BillingModeSummary").at("BillingMode")
                          : json::value("PROVISIONED")}};
  // What the indexes were, as CreateTable takes them, to restore them.
  json::object features;
  for (const char* kind : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    auto* list = d.if_contains(kind);
    if (!list) continue;
    json::array defs;
    for (const auto& ix : list->as_array()) {
      json::object def{{"IndexName", ix.at("IndexName")},
                       {"KeySchema", ix.at("KeySchema")},
                       {"Projection", ix.at("Projection")}};
      if (auto* pt = ix.as_object().if_contains("ProvisionedThroughput"))
        def["ProvisionedThroughput"] = {{"ReadCapacityUnits", pt->at("ReadCapacityUnits")},
                                        {"WriteCapacityUnits", pt->at("WriteCapacityUnits")}};
      defs.push_back(std::move(def));
    }
    features[kind] = std::move(defs);
  }
  json::object meta{{"id", id},
                    {"details", details},
                    {"source", std::move(source)},
                    {"features", std::move(features)},
                    {"attribute_definitions", d.at("AttributeDefinitions")},
                    {"hash", {{"name", (*t)->hash.name}, {"type", (*t)->hash.type}}}};
  if ((*t)->range) meta["range"] = {{"name", (*t)->range->name}, {"type", (*t)->range->type}};
  storage::write_batch batch;
  batch.put(meta_prefix(ctx) + arn, json::serialize(meta));
  if (auto w = store.write(batch); !w) return storage_failure(w.error());
  return json::object{{"BackupDetails", std::move(details)}};
}

result<json::object> describe_backup(catalog& tables, request_context& ctx, json::object& in) {
  auto meta = load_backup(tables, ctx, in.at("BackupArn").as_string());
  if (!meta) return meta.error();
  return json::object{{"BackupDescription", description_of(*meta)}};
}

result<json::object> delete_backup(catalog& tables, request_context& ctx, json::object& in) {
  std::string arn(in.at("BackupArn").as_string());
  auto meta = load_backup(tables, ctx, arn);
  if (!meta) return meta.error();
  auto& store = tables.store();
  const std::string prefix = backup_data_prefix(meta->at("id").to_number<std::uint64_t>());
  storage::write_batch batch;
  batch.erase(meta_prefix(ctx) + arn);
  if (auto w = store.write(batch); !w) return storage_failure(w.error());
  if (auto e = store.erase_range(prefix, storage::prefix_end(prefix)); !e)
    return storage_failure(e.error());
  json::object description = description_of(*meta);
  description["BackupDetails"].as_object()["BackupStatus"] = "DELETED";
  return json::object{{"BackupDescription", std::move(description)}};
}

result<json::object> list_backups(catalog& tables, request_context& ctx, json::object& in) {
  const std::string prefix = meta_prefix(ctx);
  std::size_t limit = in.contains("Limit") ? in.at("Limit").to_number<std::size_t>() : 100;
  std::string start = prefix;
  if (auto* s = in.if_contains("ExclusiveStartBackupArn"))
    start += std::string(s->as_string()) + '\0';
  auto it = tables.store().scan({start, storage::prefix_end(prefix)});
  json::array summaries;
  std::string last;
  bool more = false;
  for (; it->valid(); it->next()) {
    auto meta = parse_stored_item(it->value());
    if (!meta) return meta.error();
    const auto& details = meta->at("details").as_object();
    const auto& source = meta->at("source").as_object();
    if (auto* name = in.if_contains("TableName"); name && source.at("TableName") != *name) continue;
    const double created = details.at("BackupCreationDateTime").to_number<double>();
    if (auto* lo = in.if_contains("TimeRangeLowerBound"); lo && created < lo->to_number<double>())
      continue;
    if (auto* hi = in.if_contains("TimeRangeUpperBound"); hi && created > hi->to_number<double>())
      continue;
    if (summaries.size() == limit) {
      more = true;
      break;
    }
    json::object summary{{"TableName", source.at("TableName")},
                         {"TableId", source.at("TableId")},
                         {"TableArn", source.at("TableArn")}};
    for (const auto& [k, v] : details) summary[k] = v;
    last = details.at("BackupArn").as_string();
    summaries.push_back(std::move(summary));
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());
  json::object out{{"BackupSummaries", std::move(summaries)}};
  if (more) out["LastEvaluatedBackupArn"] = last;
  return out;
}

result<json::object> restore_table_from_backup(catalog& tables, request_context& ctx,
                                               json::object& in) {
  for (const char* m :
       {"GlobalSecondaryIndexOverride", "LocalSecondaryIndexOverride", "SSESpecificationOverride"})
    if (in.contains(m)) return unsupported_parameter("RestoreTableFromBackup", m);
  std::string arn(in.at("BackupArn").as_string());
  auto meta = load_backup(tables, ctx, arn);
  if (!meta) return meta.error();
  std::string target(in.at("TargetTableName").as_string());
  auto existing = tables.find(ctx.account_id, ctx.region, target);
  if (!existing) return existing.error();
  if (*existing)
    return api_error{"TableAlreadyExistsException", "Table already exists: " + target, 400};

  const auto& source = meta->at("source").as_object();
  table t;
  t.account = ctx.account_id;
  t.region = ctx.region;
  t.name = target;
  t.hash = {std::string(meta->at("hash").at("name").as_string()),
            std::string(meta->at("hash").at("type").as_string())};
  if (auto* r = meta->if_contains("range"))
    t.range = key_attribute{std::string(r->at("name").as_string()),
                            std::string(r->at("type").as_string())};
  const double now = epoch_seconds(ctx.now);
  std::string mode = in.contains("BillingModeOverride")
                         ? std::string(in.at("BillingModeOverride").as_string())
                         : std::string(source.at("BillingMode").as_string());
  json::object throughput{
      {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  if (mode == "PROVISIONED") {
    const json::value& pt = in.contains("ProvisionedThroughputOverride")
                                ? in.at("ProvisionedThroughputOverride")
                                : source.at("ProvisionedThroughput");
    throughput["ReadCapacityUnits"] = pt.at("ReadCapacityUnits");
    throughput["WriteCapacityUnits"] = pt.at("WriteCapacityUnits");
  }
  json::object d{
      {"AttributeDefinitions", meta->at("attribute_definitions")},
      {"TableName", target},
      {"KeySchema", source.at("KeySchema")},
      {"TableStatus", "ACTIVE"},
      {"CreationDateTime", now},
      {"ProvisionedThroughput", std::move(throughput)},
      {"TableSizeBytes", 0},
      {"ItemCount", 0},
      {"TableArn", "arn:aws:dynamodb:" + t.region + ":" + t.account + ":table/" + target},
      {"TableId", random_uuid()},
      {"RestoreSummary",
       {{"SourceBackupArn", arn},
        {"SourceTableArn", source.at("TableArn")},
        {"RestoreDateTime", now},
        {"RestoreInProgress", false}}},
      {"DeletionProtectionEnabled", false}};
  if (mode == "PAY_PER_REQUEST")
    d["BillingModeSummary"] = {{"BillingMode", mode}, {"LastUpdateToPayPerRequestDateTime", now}};
  t.description = std::move(d);
  // The backup's indexes come back as they were (their throughput follows
  // the restored billing mode).
  json::object index_input{{"AttributeDefinitions", meta->at("attribute_definitions")}};
  if (auto* f = meta->if_contains("features"))
    for (const auto& [kind, list] : f->as_object()) {
      json::array defs = list.as_array();
      for (auto& def : defs)
        if (mode == "PAY_PER_REQUEST")
          def.as_object().erase("ProvisionedThroughput");
        else if (!def.as_object().contains("ProvisionedThroughput") &&
                 kind == "GlobalSecondaryIndexes")
          def.as_object()["ProvisionedThroughput"] = {{"ReadCapacityUnits", 1},
                                                      {"WriteCapacityUnits", 1}};
      index_input[kind] = std::move(defs);
    }
  if (auto e = parse_create_indexes(index_input, mode == "PAY_PER_REQUEST", t)) return *e;
  describe_created_indexes(t, index_input);
  auto created = tables.create(std::move(t));
  if (!created) {
    if (created.error().code == "ResourceInUseException")
      return api_error{"TableAlreadyExistsException", "Table already exists: " + target, 400};
    return created.error();
  }
  auto copied =
      copy_prefix(tables.store(), backup_data_prefix(meta->at("id").to_number<std::uint64_t>()),
                  table_data_prefix((*created)->id));
  if (!copied) return copied.error();
  for (const auto& ix : (*created)->indexes)
    if (auto e = backfill_index(tables.store(), **created, ix)) return *e;
  json::object description = (*created)->description;
  description["TableStatus"] = "CREATING";
  return json::object{{"TableDescription", std::move(description)}};
}

result<json::object> describe_continuous_backups(catalog& tables, request_context& ctx,
                                                 json::object& in) {
  std::string name(in.at("TableName").as_string());
  auto t = tables.find(ctx.account_id, ctx.region, name);
  if (!t) return t.error();
  if (!*t) return api_error{"TableNotFoundException", "Table not found: " + name, 400};
  // Point-in-time recovery is not offered; on-demand backups need no setting.
  return json::object{
      {"ContinuousBackupsDescription",
       {{"ContinuousBackupsStatus", "DISABLED"},
        {"PointInTimeRecoveryDescription", {{"PointInTimeRecoveryStatus", "DISABLED"}}}}}};
}

}  // namespace

void add_backup_operations(handler_table& table, catalog& tables) {
  table["CreateBackup"] = with_catalog(tables, create_backup);
  table["DescribeBackup"] = with_catalog(tables, describe_backup);
  table["DeleteBackup"] = with_catalog(tables, delete_backup);
  table["ListBackups"] = with_catalog(tables, list_backups);
  table["RestoreTableFromBackup"] = with_catalog(tables, restore_table_from_backup);
  table["DescribeContinuousBackups"] = with_catalog(tables, describe_continuous_backups);
}

}  // namespace stratus::dynamodb
