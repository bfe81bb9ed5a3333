// TransactGetItems and TransactWriteItems: all-or-nothing over up to 100
// items in one optimistic storage transaction, DynamoDB's cancellation
// reasons, and idempotency through ClientRequestToken for ten minutes.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <set>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/item_changes.hpp"
#include "dynamodb/item_expressions.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/keys.hpp"
#include "dynamodb/service.hpp"
#include "storage/retry.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr int max_attempts = 16;
constexpr std::string_view token_prefix = "c/dynamodb/token/";
constexpr std::int64_t lifetime_ms =
    std::chrono::duration_cast<std::chrono::milliseconds>(transaction_tokens::lifetime).count();

std::int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

struct token_record {
  std::string fingerprint;
  json::object response;
  std::int64_t at_ms = 0;
};

std::optional<token_record> read_token(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  auto* fingerprint = o.if_contains("fingerprint");
  auto* response = o.if_contains("response");
  auto* at = o.if_contains("at");
  if (!fingerprint || !fingerprint->is_string() || !response || !response->is_object() || !at ||
      !at->is_int64())
    return std::nullopt;
  return token_record{std::string(fingerprint->get_string()), response->get_object(),
                      at->get_int64()};
}

enum class action_kind { put, update, erase, check };

struct action {
  action_kind kind;
  const json::object* request = nullptr;  // the Put/Update/Delete/ConditionCheck member
  table_ptr table;
  json::object key;
  std::string storage_key;
  std::string put_value;  // Put: the serialized item
  item_expressions exprs;
};

// An action whose key does not fit its table: DynamoDB cancels the
// transaction with a ValidationError reason for it instead of failing the
// request (test_transact_write_cancellation_reasons_validationerror).
constexpr std::string_view invalid_key_code = "ValidationError";

api_error invalid_key(const api_error& e) {
  return {std::string(invalid_key_code), e.message, 400};
}

result<action> plan_action(catalog& tables, request_context& ctx, json::object& wrapper) {
  const char* kinds[] = {"Put", "Update", "Delete", "ConditionCheck"};
  int present = 0;
  const char* which = nullptr;
  for (const char* k : kinds)
    if (wrapper.contains(k)) {
      ++present;
      which = k;
    }
  if (present != 1)
    return api_error::validation(
        "TransactItems can only contain one of Check, Put, Update or Delete");
  auto& in = wrapper.at(which).as_object();
  action a;
  a.request = &in;
  a.kind = std::string_view(which) == "Put"      ? action_kind::put
           : std::string_view(which) == "Update" ? action_kind::update
           : std::string_view(which) == "Delete" ? action_kind::erase
                                                 : action_kind::check;
  auto exprs =
      resolve_item_expressions(in, {.condition = true, .update = a.kind == action_kind::update});
  if (!exprs) return exprs.error();
  a.exprs = std::move(*exprs);
  if (a.kind == action_kind::put) {
    auto& item = in.at("Item").as_object();
    if (auto r = normalize_item(item); !r) return r.error();
    if (item_size(item) > max_item_bytes)
      return api_error::validation("Item size has exceeded the maximum allowed size");
  }
  auto t = find_table(tables, ctx, in.at("TableName").as_string());
  if (!t) return t.error();
  a.table = *t;
  if (a.kind == action_kind::put) {
    auto& item = in.at("Item").as_object();
    if (auto r = check_item_key(**t, item); !r) return invalid_key(r.error());
    a.key = key_of(**t, item);
    a.put_value = json::serialize(item);
  } else {
    a.key = in.at("Key").as_object();
    if (auto r = check_key(**t, a.key); !r) return invalid_key(r.error());
  }
  a.storage_key = item_storage_key(**t, a.key);
  return a;
}

json::object reason(std::string_view code, std::string_view message = {}) {
  json::object r{{"Code", code}};
  if (!message.empty()) r["Message"] = message;
  return r;
}

void add_consumed(json::object& out, const json::object& in, const std::vector<action>& plan,
                  double per_item) {
  auto mode = capacity_mode(in);
  if (mode == "NONE") return;
  std::vector<table_ptr> used;
  for (const auto& a : plan) used.push_back(a.table);
  out["ConsumedCapacity"] = consumed_per_table(mode, used, per_item);
}

// `record` (when the request has a token) adds the token's record to the
// commit.
result<json::object> execute(catalog& tables, json::object& in, std::vector<action>& plan,
                             const transaction_tokens::record_fn* record) {
  for (storage::occ_retry retry(max_attempts); retry.next();) {
    auto txn = tables.store().begin();
    json::array reasons;
    bool failed = false;
    std::vector<std::optional<std::string>> writes(plan.size());
    std::vector<std::optional<json::object>> currents(plan.size()), afters(plan.size());
    for (std::size_t i = 0; i < plan.size(); ++i) {
      auto& a = plan[i];
      auto stored = txn->get(a.storage_key);
      if (!stored) return storage_failure(stored.error());
      auto& current = currents[i];
      if (*stored) {
        auto parsed = parse_stored_item(**stored);
        if (!parsed) return parsed.error();
        current = std::move(*parsed);
      }
      const json::object* cur = current ? &*current : nullptr;
      auto holds = condition_holds(a.exprs, cur);
      if (!holds) return holds.error();
      if (!*holds) {
        failed = true;
        json::object r = reason("ConditionalCheckFailed", "The conditional request failed");
        auto* mode = a.request->if_contains("ReturnValuesOnConditionCheckFailure");
        if (cur && mode && mode->is_string() && mode->get_string() == "ALL_OLD") r["Item"] = *cur;
        reasons.push_back(std::move(r));
        continue;
      }
      if (a.kind == action_kind::update) {
        auto updated = updated_item(*a.table, a.exprs, cur, a.key);
        if (!updated) {
          failed = true;
          reasons.push_back(reason("ValidationError", updated.error().message));
          continue;
        }
        writes[i] = json::serialize(updated->item);
        afters[i] = std::move(updated->item);
      } else if (a.kind == action_kind::put) {
        writes[i] = a.put_value;
      }
      reasons.push_back(reason("None"));
    }
    if (failed) return errors::transaction_cancelled(std::move(reasons));
    change_set ops;
    for (std::size_t i = 0; i < plan.size(); ++i) {
      const json::object* before = currents[i] ? &*currents[i] : nullptr;
      if (plan[i].kind == action_kind::erase) {
        item_change_writes(*plan[i].table, plan[i].storage_key, before, nullptr, {}, ops);
      } else if (writes[i]) {
        if (!afters[i]) {
          auto parsed = parse_stored_item(*writes[i]);
          if (!parsed) return parsed.error();
          afters[i] = std::move(*parsed);
        }
        item_change_writes(*plan[i].table, plan[i].storage_key, before, &*afters[i], *writes[i],
                           ops);
      }
    }
    json::object out;
    add_consumed(out, in, plan, 2.0);  // transactional writes cost twice
    if (record) (*record)(ops.writes, out);
    auto committed = commit_changes(tables, *txn, ops);
    if (committed) return out;
    if (!retry.retryable(committed.error())) return storage_failure(committed.error());
  }
  return api_error{"TransactionConflictException",
                   "Transaction is ongoing for the item; too much contention on these items", 400};
}

}  // namespace

result<json::object> transaction_tokens::remember(
    const std::string& scope, const std::string& token, const std::string& fingerprint,
    std::chrono::system_clock::time_point now,
    const std::function<result<json::object>(const record_fn&)>& run) {
  const std::string key = std::string(token_prefix) + scope + "/" + token;
  const std::int64_t now_ms = epoch_ms(now);
  {
    std::lock_guard lock(mutex_);
    sweep(now);
    if (in_progress_.contains(key))
      return api_error{"TransactionInProgressException",
                       "The transaction with the given request token is already in progress.", 400};
    auto stored = store_.get(key);
    if (!stored) return storage_failure(stored.error());
    if (*stored) {
      auto seen = read_token(**stored);
      if (!seen) return errors::internal("unreadable client request token record");
      if (now_ms - seen->at_ms < lifetime_ms) {
        if (seen->fingerprint != fingerprint)
          return api_error{"IdempotentParameterMismatchException",
                           "The request with the same client token was already processed with "
                           "different parameters",
                           400};
        return std::move(seen->response);
      }
    }
    in_progress_.insert(key);
  }
  struct finished {
    transaction_tokens& tokens;
    const std::string& key;
    ~finished() {
      std::lock_guard lock(tokens.mutex_);
      tokens.in_progress_.erase(key);
    }
  } guard{*this, key};
  const record_fn record = [&](storage::write_batch& into, const json::object& response) {
    into.put(key, json::serialize(json::object{
                      {"fingerprint", fingerprint}, {"response", response}, {"at", now_ms}}));
  };
  return run(record);
}

void transaction_tokens::sweep(std::chrono::system_clock::time_point now) {
  // At most once a minute: expired tokens only take room.
  if (now - last_sweep_ < std::chrono::minutes(1)) return;
  last_sweep_ = now;
  storage::write_batch expired;
  auto it = store_.scan({std::string(token_prefix), storage::prefix_end(token_prefix)});
  for (; it->valid(); it->next()) {
    auto seen = read_token(it->value());
    if (!seen || epoch_ms(now) - seen->at_ms >= lifetime_ms) expired.erase(it->key());
  }
  if (expired.ops.empty()) return;
  if (auto written = store_.write(expired); !written)
    spdlog::warn("dynamodb: could not erase expired client request tokens: {}",
                 written.error().message);
}

void add_transact_operations(handler_table& table, catalog& tables, transaction_tokens& tokens) {
  table["TransactWriteItems"] = [&tables, &tokens](request_context& ctx,
                                                   json::object& in) -> result<json::object> {
    std::string token;
    if (auto* t = in.if_contains("ClientRequestToken")) token = t->as_string();
    json::object fingerprint_source = in;
    fingerprint_source.erase("ClientRequestToken");
    const std::string fingerprint = json::serialize(fingerprint_source);

    std::vector<action> plan;
    std::set<std::string> keys;
    const auto& items = in.at("TransactItems").as_array();
    for (auto& wrapper : in.at("TransactItems").as_array()) {
      if (!wrapper.is_object()) return api_error::serialization("Unexpected value type in payload");
      auto a = plan_action(tables, ctx, wrapper.get_object());
      if (!a && a.error().code == invalid_key_code) {
        // The first such action is reported; the others were not reached.
        json::array reasons;
        for (std::size_t i = 0; i < items.size(); ++i)
          reasons.push_back(i == plan.size() ? reason("ValidationError", a.error().message)
                                             : reason("None"));
        return errors::transaction_cancelled(std::move(reasons));
      }
      if (!a) return a.error();
      if (!keys.insert(a->storage_key).second)
        return api_error::validation(
            "Transaction request cannot include multiple operations on one item");
      plan.push_back(std::move(*a));
    }
    // DynamoDB's 4 MB bound on the items a transaction writes.
    constexpr std::size_t max_transaction_bytes = 4 * 1024 * 1024;
    std::size_t written = 0;
    for (const auto& a : plan)
      if (a.kind == action_kind::put) written += a.put_value.size();
    if (written > max_transaction_bytes)
      return api_error::validation("Transaction request size cannot exceed 4 MB");
    if (token.empty()) return execute(tables, in, plan, nullptr);
    return tokens.remember(ctx.account_id + "/" + ctx.region + "/TransactWriteItems", token,
                           fingerprint, ctx.now, [&](const transaction_tokens::record_fn& record) {
                             return execute(tables, in, plan, &record);
                           });
  };

  table["TransactGetItems"] = [&tables](request_context& ctx,
                                        json::object& in) -> result<json::object> {
    struct get_plan {
      table_ptr table;
      std::string storage_key;
      item_expressions exprs;
    };
    std::vector<get_plan> plan;
    for (auto& wrapper : in.at("TransactItems").as_array()) {
      auto& get = wrapper.as_object().at("Get").as_object();
      auto exprs = resolve_item_expressions(get, {.projection = true});
      if (!exprs) return exprs.error();
      auto t = find_table(tables, ctx, get.at("TableName").as_string());
      if (!t) return t.error();
      auto& key = get.at("Key").as_object();
      if (auto r = check_key(**t, key); !r) return r.error();
      plan.push_back({*t, item_storage_key(**t, key), std::move(*exprs)});
    }
    auto snapshot = tables.store().take_snapshot();
    json::array responses;
    for (auto& p : plan) {
      auto stored = tables.store().get(p.storage_key, {snapshot.get()});
      if (!stored) return storage_failure(stored.error());
      json::object response;
      if (*stored) {
        auto item = parse_stored_item(**stored);
        if (!item) return item.error();
        response["Item"] =
            p.exprs.projection ? expr::apply_projection(*p.exprs.projection, *item) : *item;
      }
      responses.push_back(std::move(response));
    }
    json::object out{{"Responses", std::move(responses)}};
    auto mode = capacity_mode(in);
    if (mode != "NONE") {
      json::array list;
      for (const auto& p : plan) list.push_back(consumed_capacity(mode, *p.table, 2.0));
      out["ConsumedCapacity"] = std::move(list);
    }
    return out;
  };
}

}  // namespace stratus::dynamodb
