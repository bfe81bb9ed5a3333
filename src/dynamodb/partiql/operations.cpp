// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: the
// request shapes around the PartiQL parser and executor.
#include <boost/json.hpp>
#include <set>

#include "dynamodb/errors.hpp"
#include "dynamodb/expr/evaluate.hpp"
#include "dynamodb/item_changes.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/partiql/executor.hpp"
#include "dynamodb/partiql/parser.hpp"
#include "dynamodb/service.hpp"
#include "storage/retry.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::size_t max_batch_statements = 25;
constexpr std::size_t max_transaction_statements = 100;
constexpr int max_attempts = 16;

const json::array no_parameters;

result<partiql::statement> parse_member(const json::object& s) {
  auto* text = s.if_contains("Statement");
  if (!text || !text->is_string())
    return api_error::validation(
        "1 validation error detected: Value null at 'statement' failed to satisfy constraint: "
        "Member must not be null");
  auto* params = s.if_contains("Parameters");
  if (params && !params->is_array())
    return api_error::serialization("Unexpected value type in payload");
  if (params && params->get_array().empty())
    return api_error::validation(
        "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  return partiql::parse(text->get_string(), params ? params->get_array() : no_parameters);
}

// The Statements / TransactStatements list, with AWS's length constraint.
result<const json::array*> statement_list(const json::object& in, const char* member,
                                          const char* field, std::size_t max) {
  auto* list = in.if_contains(member);
  if (!list || !list->is_array())
    return api_error::validation(std::string("1 validation error detected: Value null at '") +
                                 field + "' failed to satisfy constraint: Member must not be null");
  const auto& a = list->get_array();
  if (a.empty() || a.size() > max)
    return api_error::validation(std::string("1 validation error detected: Value at '") + field +
                                 "' failed to satisfy constraint: Member must have length " +
                                 (a.empty() ? "greater than or equal to 1"
                                            : "less than or equal to " + std::to_string(max)));
  for (const auto& s : a)
    if (!s.is_object()) return api_error::serialization("Unexpected value type in payload");
  return &a;
}

json::object error_entry(const api_error& e) {
  json::object entry{{"Code", partiql::statement_error_code(e)}, {"Message", e.message}};
  if (auto* item = e.extra.if_contains("Item")) entry["Item"] = *item;
  return entry;
}

// {"Item": ...} when the item a full-key SELECT names exists and the rest of
// its WHERE holds; {} otherwise.
result<json::object> read_item(catalog& tables, const partiql::item_target& target,
                               const partiql::statement& st, const storage::read_options& at) {
  auto stored = tables.store().get(target.storage_key, at);
  if (!stored) return storage_failure(stored.error());
  json::object response;
  if (!*stored) return response;
  auto item = parse_stored_item(**stored);
  if (!item) return item.error();
  if (target.condition) {
    auto holds = expr::evaluate_condition(*target.condition, &*item);
    if (!holds) return holds.error();
    if (!*holds) return response;
  }
  response["Item"] = partiql::select_list(st, std::move(*item));
  return response;
}

result<json::object> execute_statement(catalog& tables, request_context& ctx, json::object& in) {
  auto st = parse_member(in);
  if (!st) return st.error();
  return partiql::execute_single(tables, ctx, *st, in);
}

// Each statement runs on its own; failures are reported per statement.
result<json::object> batch_execute(catalog& tables, request_context& ctx, json::object& in) {
  auto list = statement_list(in, "Statements", "statements", max_batch_statements);
  if (!list) return list.error();
  std::vector<result<partiql::statement>> parsed;
  bool reads = false, writes = false;
  for (const auto& s : **list) {
    parsed.push_back(parse_member(s.get_object()));
    if (parsed.back()) (parsed.back()->is_read() ? reads : writes) = true;
  }
  if (reads && writes)
    return api_error::validation("Batch statements must be all reads or all writes");
  json::array responses;
  std::vector<table_ptr> used;  // for ConsumedCapacity
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    auto& st = parsed[i];
    json::object response;
    if (!st) {
      response["Error"] = error_entry(st.error());
      responses.push_back(std::move(response));
      continue;
    }
    response["TableName"] = st->table;
    if (st->is_read()) {
      // A batch read is a GetItem: the WHERE must name the whole key.
      auto target = partiql::plan_get(tables, ctx, *st);
      auto got =
          target ? read_item(tables, *target, *st, {}) : result<json::object>(target.error());
      if (!got)
        response["Error"] = error_entry(got.error());
      else
        for (auto& [name, value] : *got) response[name] = std::move(value);
    } else if (auto r = partiql::execute_single(tables, ctx, *st, (**list)[i].get_object()); !r) {
      response["Error"] = error_entry(r.error());
    }
    if (!response.contains("Error"))
      if (auto t = find_table(tables, ctx, st->table); t) used.push_back(*t);
    responses.push_back(std::move(response));
  }
  json::object out{{"Responses", std::move(responses)}};
  // As BatchGetItem / BatchWriteItem: a unit per write, half a unit per
  // (eventually consistent) read of a small item.
  if (auto mode = capacity_mode(in); mode != "NONE")
    out["ConsumedCapacity"] = consumed_per_table(mode, used, reads ? 0.5 : 1.0);
  return out;
}

// Transactional reads and writes cost two units per item, as in
// TransactGetItems / TransactWriteItems.
void add_consumed(json::object& out, const json::object& in, const std::vector<table_ptr>& used) {
  auto mode = capacity_mode(in);
  if (mode != "NONE") out["ConsumedCapacity"] = consumed_per_table(mode, used, 2.0);
}

result<json::object> transaction_reads(catalog& tables, request_context& ctx,
                                       const std::vector<partiql::statement>& statements,
                                       const json::object& in) {
  std::vector<partiql::item_target> targets;
  for (const auto& st : statements) {
    auto t = partiql::plan_get(tables, ctx, st);
    if (!t) return t.error();
    targets.push_back(std::move(*t));
  }
  auto snapshot = tables.store().take_snapshot();
  json::array responses;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    auto response = read_item(tables, targets[i], statements[i], {snapshot.get()});
    if (!response) return response.error();
    responses.push_back(std::move(*response));
  }
  json::object out{{"Responses", std::move(responses)}};
  std::vector<table_ptr> used;
  for (const auto& t : targets) used.push_back(t.table);
  add_consumed(out, in, used);
  return out;
}

// All writes in one optimistic storage transaction, retried on conflict;
// any failing statement cancels all with per-statement reasons, as
// TransactWriteItems does.
result<json::object> transaction_writes(catalog& tables, request_context& ctx,
                                        const std::vector<partiql::statement>& statements,
                                        const json::object& in,
                                        const transaction_tokens::record_fn* record) {
  std::vector<partiql::write_plan> plans;
  std::set<std::string> keys;
  for (const auto& st : statements) {
    auto p = partiql::plan_write(tables, ctx, st);
    if (!p) return p.error();
    if (!keys.insert(p->target.storage_key).second)
      return api_error::validation(
          "Transaction request cannot include multiple operations on one item");
    plans.push_back(std::move(*p));
  }
  for (storage::occ_retry retry(max_attempts); retry.next();) {
    auto txn = tables.store().begin();
    json::array reasons;
    bool failed = false;
    std::vector<write_decision> decisions(plans.size());
    std::vector<std::optional<json::object>> currents(plans.size());
    for (std::size_t i = 0; i < plans.size(); ++i) {
      auto stored = txn->get(plans[i].target.storage_key);
      if (!stored) return storage_failure(stored.error());
      auto& current = currents[i];
      if (*stored) {
        auto parsed = parse_stored_item(**stored);
        if (!parsed) return parsed.error();
        current = std::move(*parsed);
      }
      auto d = partiql::decide_write(plans[i], current ? &*current : nullptr);
      if (!d) {
        failed = true;
        // DynamoDB Local reports a duplicate INSERT in a transaction as a
        // ValidationError reason; CancellationReasons have no DuplicateItem.
        json::object reason = error_entry(d.error());
        if (d.error().code == "DuplicateItemException") reason["Code"] = "ValidationError";
        reasons.push_back(std::move(reason));
        continue;
      }
      decisions[i] = std::move(*d);
      reasons.push_back(json::object{{"Code", "None"}});
    }
    if (failed) return errors::transaction_cancelled(std::move(reasons));
    change_set writes;
    for (std::size_t i = 0; i < plans.size(); ++i) {
      const auto& d = decisions[i];
      if (d.what == write_decision::action::keep) continue;
      const json::object* before = currents[i] ? &*currents[i] : nullptr;
      std::optional<json::object> after;
      if (d.what == write_decision::action::put) {
        auto item = decided_item(d);
        if (!item) return item.error();
        after = std::move(*item);
      }
      item_change_writes(*plans[i].target.table, plans[i].target.storage_key, before,
                         after ? &*after : nullptr, d.value, writes);
    }
    json::object out;
    std::vector<table_ptr> used;
    for (const auto& p : plans) used.push_back(p.target.table);
    add_consumed(out, in, used);
    if (record) (*record)(writes.writes, out);
    auto committed = commit_changes(tables, *txn, writes);
    if (committed) return out;
    if (!retry.retryable(committed.error())) return storage_failure(committed.error());
  }
  return api_error{"TransactionConflictException",
                   "Transaction is ongoing for the item; too much contention on these items", 400};
}

}  // namespace

void add_partiql_operations(handler_table& table, catalog& tables, transaction_tokens& tokens) {
  table["ExecuteStatement"] = with_catalog(tables, execute_statement);
  table["BatchExecuteStatement"] = with_catalog(tables, batch_execute);
  table["ExecuteTransaction"] = [&tables, &tokens](request_context& ctx,
                                                   json::object& in) -> result<json::object> {
    auto list =
        statement_list(in, "TransactStatements", "transactStatements", max_transaction_statements);
    if (!list) return list.error();
    std::vector<partiql::statement> statements;
    bool reads = false, writes = false;
    for (const auto& s : **list) {
      auto st = parse_member(s.get_object());
      if (!st) return st.error();
      (st->is_read() ? reads : writes) = true;
      statements.push_back(std::move(*st));
    }
    if (reads && writes)
      return api_error::validation("Transaction statements must be all reads or all writes");
    auto* token = in.if_contains("ClientRequestToken");
    if (reads) return transaction_reads(tables, ctx, statements, in);
    if (!token || !token->is_string())
      return transaction_writes(tables, ctx, statements, in, nullptr);
    json::object fingerprint_source = in;
    fingerprint_source.erase("ClientRequestToken");
    return tokens.remember(ctx.account_id + "/" + ctx.region + "/ExecuteTransaction",
                           std::string(token->get_string()), json::serialize(fingerprint_source),
                           ctx.now, [&](const transaction_tokens::record_fn& record) {
                             return transaction_writes(tables, ctx, statements, in, &record);
                           });
  };
}

}  // namespace stratus::dynamodb
