// CreateTable, DescribeTable, ListTables, DeleteTable.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <chrono>
#include <random>
#include <set>

#include "common/uuid.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/service.hpp"
#include "dynamodb/streams.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::size_t list_tables_default_limit = 100;

// The semantic checks of CreateTable that the model cannot express, in the
// order DynamoDB applies them. Fills in the key attributes of `t`.
std::optional<api_error> check_schema(const json::object& in, table& t) {
  const auto& key_schema = in.at("KeySchema").as_array();
  const auto& definitions = in.at("AttributeDefinitions").as_array();
  // The model lets GSIs have up to 8 key elements; a table has 2 at most,
  // reported as the model used to report it.
  if (key_schema.size() > 2)
    return api_error::validation("1 validation error detected: Value '" +
                                 json::serialize(key_schema) +
                                 "' at 'keySchema' failed to satisfy constraint: Member must have "
                                 "length less than or equal to 2");

  std::vector<std::string> defined;
  std::set<std::string> seen;
  for (const auto& d : definitions) {
    std::string name(d.at("AttributeName").as_string());
    if (!seen.insert(name).second)
      return api_error::validation("Attribute Name is duplicated: " + name);
    defined.push_back(name);
  }
  auto type_of_def = [&](const std::string& name) -> std::optional<std::string> {
    for (const auto& d : definitions)
      if (d.at("AttributeName").as_string() == name)
        return std::string(d.at("AttributeType").as_string());
    return std::nullopt;
  };

  if (key_schema[0].at("KeyType").as_string() != "HASH")
    return api_error::validation(
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (key_schema.size() == 2 && key_schema[1].at("KeyType").as_string() != "RANGE")
    return api_error::validation(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  std::vector<std::string> keys;
  for (const auto& k : key_schema) keys.emplace_back(k.at("AttributeName").as_string());
  if (keys.size() == 2 && keys[0] == keys[1]) {
    if (definitions.size() < 2)
      return api_error::validation(
          "Invalid KeySchema: Some index key attribute have no definition");
    return api_error::validation(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  std::vector<std::string> undefined;
  for (const auto& k : keys)
    if (!type_of_def(k)) undefined.push_back(k);
  if (!undefined.empty())
    return errors::invalid_parameter(
        "Some index key attributes are not defined in AttributeDefinitions. Keys: " +
        errors::java_list(undefined) + ", AttributeDefinitions: " + errors::java_list(defined));
  const bool indexed =
      in.contains("LocalSecondaryIndexes") || in.contains("GlobalSecondaryIndexes");
  if (!indexed && definitions.size() != keys.size())
    return errors::invalid_parameter(
        "Number of attributes in KeySchema does not exactly match number of attributes defined in "
        "AttributeDefinitions");
  t.hash = {keys[0], *type_of_def(keys[0])};
  if (keys.size() == 2) t.range = key_attribute{keys[1], *type_of_def(keys[1])};
  return std::nullopt;
}

std::optional<api_error> check_billing(const json::object& in, json::object& throughput,
                                       std::string& billing_mode) {
  billing_mode = "PROVISIONED";  // DynamoDB's default
  if (auto* m = in.if_contains("BillingMode")) billing_mode = m->as_string();
  const json::value* pt = in.if_contains("ProvisionedThroughput");
  if (billing_mode == "PAY_PER_REQUEST") {
    if (pt)
      return errors::invalid_parameter(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
          "PAY_PER_REQUEST");
    throughput = {
        {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
    return std::nullopt;
  }
  if (!pt)
    return errors::invalid_parameter(
        "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
        "PROVISIONED");
  constexpr std::int64_t max_units = 1000000000000;
  for (const char* member : {"ReadCapacityUnits", "WriteCapacityUnits"}) {
    std::int64_t units = pt->at(member).to_number<std::int64_t>();
    if (units > max_units)
      return api_error::validation("Given value " + std::to_string(units) + " for " + member +
                                   " is out of bounds");
  }
  throughput = {{"NumberOfDecreasesToday", 0},
                {"ReadCapacityUnits", pt->at("ReadCapacityUnits")},
                {"WriteCapacityUnits", pt->at("WriteCapacityUnits")}};
  return std::nullopt;
}

result<json::object> create_table(catalog& tables, request_context& ctx, json::object& in) {
  table t;
  t.account = ctx.account_id;
  t.region = ctx.region;
  t.name = in.at("TableName").as_string();
  if (auto e = check_schema(in, t)) return *e;
  json::object throughput;
  std::string billing_mode;
  if (auto e = check_billing(in, throughput, billing_mode)) return *e;
  if (auto e = parse_create_indexes(in, billing_mode == "PAY_PER_REQUEST", t)) return *e;
  const json::object* stream_spec = nullptr;
  if (auto* s = in.if_contains("StreamSpecification")) {
    stream_spec = &s->as_object();
    if (auto e = check_stream_specification(*stream_spec)) return *e;
  }
  if (auto* s = in.if_contains("SSESpecification");
      s && s->as_object().contains("Enabled") && s->at("Enabled").as_bool())
    return unsupported_parameter("CreateTable", "SSESpecification");

  if (auto* tags = in.if_contains("Tags")) {
    if (auto e = check_tags(tags->as_array())) return *e;
    merge_tags(t.tags, tags->as_array());
  }

  const double created = epoch_seconds(ctx.now);
  json::object d;
  d["AttributeDefinitions"] = in.at("AttributeDefinitions");
  d["TableName"] = t.name;
  d["KeySchema"] = in.at("KeySchema");
  d["TableStatus"] = "ACTIVE";
  d["CreationDateTime"] = created;
  d["ProvisionedThroughput"] = throughput;
  d["TableSizeBytes"] = 0;
  d["ItemCount"] = 0;
  d["TableArn"] = "arn:aws:dynamodb:" + t.region + ":" + t.account + ":table/" + t.name;
  d["TableId"] = random_uuid();
  if (billing_mode == "PAY_PER_REQUEST")
    d["BillingModeSummary"] = {{"BillingMode", billing_mode},
                               {"LastUpdateToPayPerRequestDateTime", created}};
  if (auto* c = in.if_contains("TableClass")) d["TableClassSummary"] = {{"TableClass", *c}};
  d["DeletionProtectionEnabled"] =
      in.contains("DeletionProtectionEnabled") && in.at("DeletionProtectionEnabled").as_bool();
  t.description = std::move(d);
  describe_created_indexes(t, in);
  if (stream_spec && stream_spec->at("StreamEnabled").as_bool()) {
    auto stream =
        new_stream(tables, t, ctx.now, std::string(stream_spec->at("StreamViewType").as_string()));
    if (!stream) return stream.error();
    t.stream = std::move(*stream);
    describe_stream_settings(t);
  }

  auto created_table = tables.create(std::move(t));
  if (!created_table) return created_table.error();
  if ((*created_table)->stream)
    if (auto e = stream_enabled(tables, **created_table, ctx.now)) return *e;
  // AWS answers CREATING and turns the table ACTIVE moments later; Stratus
  // creates it at once, so DescribeTable already says ACTIVE.
  json::object description = (*created_table)->description;
  description["TableStatus"] = "CREATING";
  if (auto* globals = description.if_contains("GlobalSecondaryIndexes"))
    for (auto& g : globals->as_array()) g.as_object()["IndexStatus"] = "CREATING";
  return json::object{{"TableDescription", std::move(description)}};
}

result<json::object> describe_table(catalog& tables, request_context& ctx, json::object& in) {
  std::string name(in.at("TableName").as_string());
  auto t = tables.find(ctx.account_id, ctx.region, name);
  if (!t) return t.error();
  if (!*t) return errors::table_not_found(name);
  return json::object{{"Table", (*t)->description}};
}

result<json::object> delete_table(catalog& tables, request_context& ctx, json::object& in) {
  std::string name(in.at("TableName").as_string());
  auto existing = tables.find(ctx.account_id, ctx.region, name);
  if (!existing) return existing.error();
  if (!*existing) return errors::table_not_found(name);
  if (auto* p = (*existing)->description.if_contains("DeletionProtectionEnabled");
      p && p->as_bool())
    return api_error::validation(
        "Resource cannot be deleted as it is currently protected against deletion. Disable "
        "deletion protection first.");
  auto removed = tables.remove(ctx.account_id, ctx.region, name);
  if (!removed) return removed.error();
  if (!*removed) return errors::table_not_found(name);
  // The stream stays readable (its records are kept) but receives nothing more.
  if ((*removed)->stream)
    if (auto e = stream_disabled(tables, **removed, *(*removed)->stream)) return *e;
  json::object d = (*removed)->description;
  // DeleteTable describes what is going away, without its schema.
  for (const char* gone : {"CreationDateTime", "KeySchema", "AttributeDefinitions",
                           "GlobalSecondaryIndexes", "LocalSecondaryIndexes"})
    d.erase(gone);
  d["TableStatus"] = "DELETING";
  return json::object{{"TableDescription", std::move(d)}};
}

result<json::object> list_tables(catalog& tables, request_context& ctx, json::object& in) {
  std::size_t limit = list_tables_default_limit;
  if (auto* l = in.if_contains("Limit")) limit = l->to_number<std::size_t>();
  std::string start;
  if (auto* s = in.if_contains("ExclusiveStartTableName")) start = s->as_string();
  auto names = tables.list(ctx.account_id, ctx.region, start, limit + 1);
  if (!names) return names.error();
  json::object out;
  json::array list;
  for (std::size_t i = 0; i < names->size() && i < limit; ++i) list.emplace_back((*names)[i]);
  // A page cut by the limit names where to continue; a complete one does not.
  if (names->size() > limit) out["LastEvaluatedTableName"] = (*names)[limit - 1];
  out["TableNames"] = std::move(list);
  return out;
}

}  // namespace

void add_table_operations(handler_table& table, catalog& tables) {
  table["CreateTable"] = with_catalog(tables, create_table);
  table["DescribeTable"] = with_catalog(tables, describe_table);
  table["DeleteTable"] = with_catalog(tables, delete_table);
  table["ListTables"] = with_catalog(tables, list_tables);
}

}  // namespace stratus::dynamodb
