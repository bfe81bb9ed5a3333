#include "dynamodb/partiql/executor.hpp"

#include <boost/json.hpp>
#include <vector>

#include "common/base64.hpp"
#include "dynamodb/attribute_value.hpp"
#include "dynamodb/expr/expr.hpp"
#include "dynamodb/item_expressions.hpp"
#include "dynamodb/key_range.hpp"
#include "dynamodb/keys.hpp"

namespace stratus::dynamodb::partiql {
namespace json = boost::json;

namespace {

constexpr std::size_t page_bytes = 1024 * 1024;  // DynamoDB's 1 MB page

api_error missing_key_equality() {
  return api_error::validation(
      "Where clause does not contain a mandatory equality on all key attributes");
}

// The top-level AND terms of a WHERE.
void conjuncts(const expr::condition& c, std::vector<const expr::condition*>& out) {
  if (c.kind == expr::condition_kind::and_) {
    for (const auto& child : c.children) conjuncts(child, out);
    return;
  }
  out.push_back(&c);
}

// `attr = value` (either way round) on a top-level attribute: its name and value.
std::optional<std::pair<std::string, const json::value*>> equality(const expr::condition& c) {
  if (c.kind != expr::condition_kind::compare || c.op != expr::comparator::eq) return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const auto& p = c.operands[side];
    const auto& v = c.operands[1 - side];
    if (p.kind == expr::operand_kind::path && p.path.steps.size() == 1 &&
        v.kind == expr::operand_kind::value)
      return std::pair{p.path.steps[0].name, &v.value};
  }
  return std::nullopt;
}

// Splits a WHERE into equalities on the key attributes and the rest.
struct split_where {
  std::optional<json::value> hash, range;
  std::optional<expr::condition> rest;
};

split_where split(const table& t, const std::optional<expr::condition>& where) {
  split_where out;
  if (!where) return out;
  std::vector<const expr::condition*> terms;
  conjuncts(*where, terms);
  for (const auto* term : terms) {
    auto eq = equality(*term);
    if (eq && eq->first == t.hash.name && !out.hash) {
      out.hash = *eq->second;
      continue;
    }
    if (eq && t.range && eq->first == t.range->name && !out.range) {
      out.range = *eq->second;
      continue;
    }
    if (!out.rest) {
      out.rest = *term;
      continue;
    }
    expr::condition both;
    both.kind = expr::condition_kind::and_;
    both.children = {std::move(*out.rest), *term};
    out.rest = std::move(both);
  }
  return out;
}

result<table_ptr> target_table(catalog& tables, const request_context& ctx, const statement& st) {
  auto t = find_table(tables, ctx, st.table);
  if (!t) return t.error();
  if (!st.index.empty())
    return api_error::validation("The table does not have the specified index: " + st.index);
  return t;
}

result<item_target> target_item(catalog& tables, const request_context& ctx, const statement& st) {
  auto t = target_table(tables, ctx, st);
  if (!t) return t.error();
  auto parts = split(**t, st.where);
  if (!parts.hash || (bool((*t)->range) != bool(parts.range))) return missing_key_equality();
  item_target target;
  target.table = *t;
  target.key[(*t)->hash.name] = *parts.hash;
  if (parts.range) target.key[(*t)->range->name] = *parts.range;
  if (auto r = check_key(**t, target.key); !r) return r.error();
  target.storage_key = item_storage_key(**t, target.key);
  target.condition = std::move(parts.rest);
  return target;
}

const json::value* value_at(const json::object& item, const expr::path& p) {
  const json::value* v = item.if_contains(p.steps[0].name);
  for (std::size_t i = 1; v && i < p.steps.size(); ++i) {
    const auto& step = p.steps[i];
    const auto& typed = v->as_object();
    if (step.is_index) {
      auto* list = typed.if_contains("L");
      v = list && step.index < list->as_array().size() ? &list->as_array()[step.index] : nullptr;
    } else {
      auto* map = typed.if_contains("M");
      v = map ? map->as_object().if_contains(step.name) : nullptr;
    }
  }
  return v;
}

// Whether a WHERE term mentions only the sort key (on its left) and values.
bool on_sort_key(const table& t, const expr::condition& c) {
  if (!t.range || c.operands.empty()) return false;
  const auto& first = c.operands[0];
  if (first.kind != expr::operand_kind::path || first.path.steps.size() != 1 ||
      first.path.steps[0].name != t.range->name)
    return false;
  for (std::size_t i = 1; i < c.operands.size(); ++i)
    if (c.operands[i].kind != expr::operand_kind::value) return false;
  return c.kind == expr::condition_kind::between || c.kind == expr::condition_kind::begins_with ||
         (c.kind == expr::condition_kind::compare && c.op != expr::comparator::ne);
}

// The storage range a SELECT reads: with an equality on the partition key,
// a Query of that partition narrowed by one sort-key condition; otherwise
// the whole table. The WHERE still filters every item read, so this only
// decides how much is read (and what Limit counts).
storage::key_range select_range(const table& t, const std::optional<expr::condition>& where) {
  storage::key_range range;
  range.begin = table_data_prefix(t.id);
  range.end = storage::prefix_end(range.begin);
  if (!where) return range;
  std::vector<const expr::condition*> terms;
  conjuncts(*where, terms);
  const expr::condition* hash_term = nullptr;
  for (const auto* term : terms)
    if (auto eq = equality(*term);
        eq && eq->first == t.hash.name && type_of(*eq->second) == t.hash.type && !hash_term)
      hash_term = term;
  if (!hash_term) return range;
  expr::key_condition kc;
  kc.hash_value = *equality(*hash_term)->second;
  for (const auto* term : terms) {
    if (term == hash_term || !on_sort_key(t, *term)) continue;
    expr::condition both;
    both.kind = expr::condition_kind::and_;
    both.children = {*hash_term, *term};
    if (auto parsed = expr::parse_key_condition(both, t.hash, t.range); parsed) {
      kc = std::move(*parsed);
      break;
    }
  }
  // A reversed BETWEEN selects nothing; the filter then answers no items.
  if (key_range_of(table_space(t), kc, range)) range.end = range.begin;
  return range;
}

api_error conditional_failed() {
  return {"ConditionalCheckFailedException", "The conditional request failed", 400};
}

result<json::object> select_page(catalog& tables, const request_context& ctx, const statement& st,
                                 const json::object& in) {
  auto t = target_table(tables, ctx, st);
  if (!t) return t.error();
  const table& tab = **t;
  storage::key_range range = select_range(tab, st.where);
  if (!st.order_by.empty()) {
    // ORDER BY orders one partition by its sort key: a Query, backwards
    // for DESC.
    if (!st.where)
      return api_error::validation(
          "Must have WHERE clause in the statement when using ORDER BY clause.");
    if (st.order_by != tab.hash.name && (!tab.range || st.order_by != tab.range->name))
      return api_error::validation("Variable reference [" + st.order_by +
                                   "] used in ORDER BY clause must be part of the primary key");
    if (range.begin == table_data_prefix(tab.id))
      return api_error::validation(
          "Must have at least one non-optional hash key condition in WHERE clause when using "
          "ORDER BY clause.");
    range.reverse = st.descending;
  }
  if (auto* token = in.if_contains("NextToken")) {
    auto after = token->is_string() ? base64_decode(token->get_string()) : std::nullopt;
    if (!after || *after < range.begin || *after >= range.end)
      return api_error::validation("Invalid NextToken");
    if (range.reverse)
      range.end = *after;
    else
      range.begin = *after + '\0';
  }
  std::size_t limit = 0;
  if (auto* l = in.if_contains("Limit")) limit = l->to_number<std::size_t>();
  const bool consistent = in.contains("ConsistentRead") && in.at("ConsistentRead").as_bool();

  json::array items;
  std::size_t scanned = 0, bytes = 0;
  std::string last_key;
  bool more = false;
  auto it = tables.store().scan(range);
  for (; it->valid(); it->next()) {
    if ((limit && scanned == limit) || bytes >= page_bytes) {
      more = true;
      break;
    }
    auto item = parse_stored_item(it->value());
    if (!item) return item.error();
    ++scanned;
    bytes += item_size(*item);
    last_key = it->key();
    if (st.where) {
      auto holds = expr::evaluate_condition(*st.where, &*item);
      if (!holds) return holds.error();
      if (!*holds) continue;
    }
    items.push_back(select_list(st, std::move(*item)));
  }
  if (auto s = it->status(); !s) return storage_failure(s.error());
  json::object out{{"Items", std::move(items)}};
  if (more) out["NextToken"] = base64_encode(last_key);
  auto mode = capacity_mode(in);
  if (mode != "NONE")
    out["ConsumedCapacity"] = consumed_capacity(mode, tab, read_units(bytes, consistent));
  return out;
}

// The Items a write with RETURNING answers. The update is pure, so applying
// it again to the old item gives exactly the image that was stored.
result<json::array> returned_items(const write_plan& plan, const std::optional<json::object>& old) {
  const auto& st = *plan.st;
  json::array items;
  if (st.returning == returning::none || !old) return items;
  if (st.returning == returning::all_old) {
    items.push_back(*old);
    return items;
  }
  item_expressions e;
  e.update = st.update;
  auto updated = updated_item(*plan.target.table, e, &*old, plan.target.key);
  if (!updated) return updated.error();
  switch (st.returning) {
    case returning::modified_old:
      items.push_back(expr::apply_projection(updated->updated_paths, *old));
      break;
    case returning::all_new:
      items.push_back(std::move(updated->item));
      break;
    case returning::modified_new:
      items.push_back(expr::apply_projection(updated->updated_paths, updated->item));
      break;
    default:
      break;
  }
  return items;
}

}  // namespace

result<item_target> plan_get(catalog& tables, const request_context& ctx, const statement& st) {
  return target_item(tables, ctx, st);
}

result<write_plan> plan_write(catalog& tables, const request_context& ctx, const statement& st) {
  write_plan plan;
  plan.st = &st;
  if (st.kind == statement_kind::insert) {
    json::object item = st.item;
    if (auto r = normalize_item(item); !r) return r.error();
    if (item_size(item) > max_item_bytes)
      return api_error::validation("Item size has exceeded the maximum allowed size");
    auto t = target_table(tables, ctx, st);
    if (!t) return t.error();
    if (auto r = check_item_key(**t, item); !r) return r.error();
    plan.target.table = *t;
    plan.target.key = key_of(**t, item);
    plan.target.storage_key = item_storage_key(**t, plan.target.key);
    plan.put_value = json::serialize(item);
    return plan;
  }
  auto target = target_item(tables, ctx, st);
  if (!target) return target.error();
  plan.target = std::move(*target);
  return plan;
}

result<write_decision> decide_write(const write_plan& plan, const json::object* current) {
  const auto& st = *plan.st;
  if (st.kind == statement_kind::insert) {
    if (current)
      return api_error{"DuplicateItemException", "Duplicate primary key exists in table", 400};
    return write_decision{write_decision::action::put, plan.put_value, {}};
  }
  // DELETE of an absent item is a no-op unless the WHERE asks more of it;
  // UPDATE never creates an item; EXISTS needs the item.
  if (!current) {
    if (st.kind != statement_kind::delete_ || plan.target.condition) return conditional_failed();
    return write_decision{};
  }
  if (plan.target.condition) {
    auto holds = expr::evaluate_condition(*plan.target.condition, current);
    if (!holds) return holds.error();
    if (!*holds) return conditional_failed();
  }
  switch (st.kind) {
    case statement_kind::delete_:
      return write_decision{write_decision::action::erase, {}, {}};
    case statement_kind::update: {
      item_expressions e;
      e.update = st.update;
      auto updated = updated_item(*plan.target.table, e, current, plan.target.key);
      if (!updated) return updated.error();
      return write_decision{write_decision::action::put, json::serialize(updated->item),
                            updated->item};
    }
    case statement_kind::exists:
      return write_decision{};  // a check: nothing is written
    default:
      return api_error::internal("decide_write called with a SELECT");
  }
}

json::object select_list(const statement& st, json::object item) {
  if (!st.projection) return item;
  json::object out;
  for (const auto& p : st.projection->paths) {
    if (p.steps.size() == 1 || p.steps.back().is_index) {
      auto part = expr::apply_projection(std::vector<expr::path>{p}, item);
      for (auto& [name, value] : part) out[name] = std::move(value);
      continue;
    }
    if (auto* v = value_at(item, p)) out[p.steps.back().name] = *v;
  }
  return out;
}

result<json::object> execute_single(catalog& tables, const request_context& ctx,
                                    const statement& st, const json::object& in) {
  if (st.is_read()) return select_page(tables, ctx, st, in);
  if (st.kind == statement_kind::exists)
    return api_error::validation("EXISTS can only be used in transactions");
  auto plan = plan_write(tables, ctx, st);
  if (!plan) return plan.error();
  std::size_t bytes = 0;
  std::optional<json::object> seen;  // for ReturnValuesOnConditionCheckFailure
  auto old = read_modify_write(tables, *plan->target.table, plan->target.storage_key,
                               [&](const json::object* cur) {
                                 auto d = decide_write(*plan, cur);
                                 if (d)
                                   bytes = std::max(d->value.size(), cur ? item_size(*cur) : 0);
                                 seen = cur ? std::optional<json::object>(*cur) : std::nullopt;
                                 return d;
                               });
  if (!old && old.error().code == "ConditionalCheckFailedException")
    return condition_failed(in, seen ? &*seen : nullptr);
  if (!old) return old.error();
  auto returned = returned_items(*plan, *old);
  if (!returned) return returned.error();
  json::object out{{"Items", std::move(*returned)}};
  auto mode = capacity_mode(in);
  if (mode != "NONE")
    out["ConsumedCapacity"] = consumed_capacity(mode, *plan->target.table, write_units(bytes));
  return out;
}

std::string statement_error_code(const api_error& e) {
  if (e.code == "ValidationException") return "ValidationError";
  constexpr std::string_view suffix = "Exception";
  std::string code = e.code;
  if (code.size() > suffix.size() && code.ends_with(suffix))
    code.resize(code.size() - suffix.size());
  return code;
}

}  // namespace stratus::dynamodb::partiql
