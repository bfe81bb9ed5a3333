// Query and Scan: range scans over a table's items with DynamoDB's paging
// (Limit, the 1 MB page, ExclusiveStartKey/LastEvaluatedKey), Select,
// ScanIndexForward, parallel scan segments, KeyConditionExpression (or the
// legacy KeyConditions), FilterExpression applied after the Limit as
// DynamoDB does (or the legacy QueryFilter/ScanFilter), and
// ProjectionExpression.
#include <boost/json.hpp>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/errors.hpp"
#include "dynamodb/expr/expr.hpp"
#include "dynamodb/indexes.hpp"
#include "dynamodb/item_support.hpp"
#include "dynamodb/key_range.hpp"
#include "dynamodb/keys.hpp"
#include "dynamodb/legacy.hpp"
#include "dynamodb/number.hpp"
#include "dynamodb/service.hpp"

namespace stratus::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::size_t page_bytes = 1024 * 1024;  // DynamoDB's 1 MB page
constexpr std::int64_t max_total_segments = 1000000;

struct page_request {
  storage::key_range range;
  std::size_t limit = 0;  // 0: no limit
  std::vector<std::string> wanted;
  bool count_only = false;
  bool consistent = false;
  std::optional<expr::request_expressions> maps;
  std::optional<expr::condition> key_condition;
  std::optional<expr::condition> filter;
  std::optional<expr::projection> projection;
  const secondary_index* index = nullptr;  // reading an index rather than the table
  bool fetch_items = false;                // LSI with Select=ALL_ATTRIBUTES: read the table's items
};

// Select and its interplay with AttributesToGet, as DynamoDB checks them.
std::optional<api_error> check_select(const json::object& in, bool& count_only) {
  std::string_view select =
      in.contains("Select") ? std::string_view(in.at("Select").as_string()) : std::string_view();
  count_only = select == "COUNT";
  const bool has_attributes = in.contains("AttributesToGet");
  if (select == "ALL_PROJECTED_ATTRIBUTES" && !in.contains("IndexName"))
    return api_error::validation(
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  if (select == "SPECIFIC_ATTRIBUTES" && !has_attributes && !in.contains("ProjectionExpression"))
    return api_error::validation(
        "Select type SPECIFIC_ATTRIBUTES requires AttributesToGet or ProjectionExpression");
  if (has_attributes && !select.empty() && select != "SPECIFIC_ATTRIBUTES")
    return api_error::validation("Cannot specify the AttributesToGet when choosing to get " +
                                 std::string(select));
  if (in.contains("ProjectionExpression") && !select.empty() && select != "SPECIFIC_ATTRIBUTES")
    return api_error::validation("Cannot specify the ProjectionExpression when choosing to get " +
                                 std::string(select));
  return std::nullopt;
}

// IndexName: the index, and what reading it allows (consistency, Select,
// the attributes a GSI projects).
std::optional<api_error> check_index(const table& t, const json::object& in, page_request& req) {
  auto* name = in.if_contains("IndexName");
  if (!name) return std::nullopt;
  req.index = find_index(t, name->as_string());
  if (!req.index)
    return api_error::validation("The table does not have the specified index: " +
                                 std::string(name->as_string()));
  const secondary_index& ix = *req.index;
  if (ix.global && req.consistent)
    return api_error::validation("Consistent reads are not supported on global secondary indexes");
  const bool all_selected =
      in.contains("Select") && in.at("Select").as_string() == "ALL_ATTRIBUTES";
  if (all_selected && ix.projection != "ALL") {
    if (ix.global)
      return api_error::validation(
          "One or more parameter values were invalid: Select type "
          "ALL_ATTRIBUTES is not supported for global secondary index " +
          ix.name + " because its projection type is not ALL");
    req.fetch_items = true;
  }
  if (ix.projection == "ALL") return std::nullopt;
  // A GSI answers only what it projects; an LSI reads the rest from the table.
  std::vector<std::string> wanted = req.wanted;
  if (req.projection)
    for (const auto& p : req.projection->paths)
      if (!p.steps.empty()) wanted.push_back(p.steps[0].name);
  std::vector<std::string> missing;
  for (const auto& name : wanted) {
    bool projected = name == t.hash.name || (t.range && name == t.range->name) ||
                     is_index_key(ix, name) ||
                     std::find(ix.non_key.begin(), ix.non_key.end(), name) != ix.non_key.end();
    if (!projected && std::find(missing.begin(), missing.end(), name) == missing.end())
      missing.push_back(name);
  }
  if (missing.empty()) return std::nullopt;
  if (!ix.global) {
    req.fetch_items = true;
    return std::nullopt;
  }
  std::string list;
  for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
  return errors::invalid_parameter("Global secondary index " + ix.name + " does not project [" +
                                   list + "]");
}

// Where the request reads: the table's items or the index's entries.
key_space space_of(const table& t, const page_request& req) {
  return req.index ? index_space(t, *req.index) : table_space(t);
}

// The storage key just after ExclusiveStartKey, validated against the table.
result<std::string> start_after(const table& t, json::object& start) {
  const std::size_t expected = t.range ? 2 : 1;
  bool ok = start.size() == expected && start.contains(t.hash.name) &&
            (!t.range || start.contains(t.range->name));
  if (ok)
    for (auto& [name, value] : start)
      ok = ok && normalize_value(value) &&
           type_of(value) == (name == t.hash.name ? t.hash.type : t.range->type);
  if (!ok)
    return api_error::validation(
        "The provided starting key is invalid: The provided key element does not match the "
        "schema");
  return item_storage_key(t, start);
}

// A page of whole items (no projection, no LSI fetch) goes to
// ctx.raw_output as the JSON text of the Items array, built from the stored
// documents as they are, and the output leaves Items out; each item is then
// parsed (for its size, the filter and the resume key) into scratch memory
// that is dropped with it.
result<json::object> read_page(catalog& tables, request_context& ctx, const table& t,
                               const json::object& in, page_request& req) {
  json::array items;
  const bool raw = !req.count_only && !req.projection && req.wanted.empty() && !req.fetch_items;
  std::string raw_items;
  if (raw) raw_items = "[";
  unsigned char scratch[16 * 1024];
  std::size_t scanned = 0, matched = 0, bytes = 0;
  std::optional<json::object> last_key;
  auto it = tables.store().scan(req.range);
  for (; it->valid(); it->next()) {
    json::monotonic_resource scratch_memory(scratch, sizeof scratch);
    auto item =
        raw ? parse_stored_item(it->value(), &scratch_memory) : parse_stored_item(it->value());
    if (!item) return item.error();
    ++scanned;
    bytes += item_size(*item);
    const bool page_full = (req.limit && scanned == req.limit) || bytes >= page_bytes;
    if (page_full)
      last_key = req.index ? index_entry_key_of(t, *req.index, *item) : key_of(t, *item);
    if (req.fetch_items) {
      // An LSI entry that does not hold every attribute: the table has them.
      auto stored = tables.store().get(item_storage_key(t, *item));
      if (!stored) return storage_failure(stored.error());
      if (!*stored) continue;  // deleted since the scan began
      auto full = parse_stored_item(**stored);
      if (!full) return full.error();
      item = std::move(*full);
    }
    // The filter runs after the Limit: a filtered-out item still counts.
    bool keep = true;
    if (req.filter) {
      auto holds = expr::evaluate_condition(*req.filter, &*item);
      if (!holds) return holds.error();
      keep = *holds;
    }
    if (keep) {
      ++matched;
      if (raw) {
        if (matched > 1) raw_items += ',';
        raw_items += it->value();
      } else if (!req.count_only) {
        if (req.projection)
          *item = expr::apply_projection(*req.projection, *item);
        else
          project(*item, req.wanted);
        items.push_back(std::move(*item));
      }
    }
    if (page_full) {
      it->next();
      // DynamoDB names where to resume only when the page was cut short and
      // a Limit-cut page still gets a key even if nothing follows; a page cut
      // by size gets one only when more items follow.
      if (!(req.limit && scanned == req.limit) && !it->valid()) last_key.reset();
      break;
    }
  }
  if (auto st = it->status(); !st) return storage_failure(st.error());

  json::object out;
  if (raw) {
    raw_items += ']';
    ctx.raw_output.emplace_back("Items", std::move(raw_items));
  } else if (!req.count_only) {
    out["Items"] = std::move(items);
  }
  out["Count"] = matched;
  out["ScannedCount"] = scanned;
  if (last_key) out["LastEvaluatedKey"] = std::move(*last_key);
  auto mode = capacity_mode(in);
  if (mode != "NONE")
    out["ConsumedCapacity"] =
        req.index ? consumed_capacity(mode, t, std::nullopt,
                                      {{req.index, read_units(bytes, req.consistent)}})
                  : consumed_capacity(mode, t, read_units(bytes, req.consistent));
  return out;
}

// The expression members of a Query or Scan, resolved together so that
// unused ExpressionAttributeNames/Values are reported across all of them.
std::optional<api_error> resolve_expressions(json::object& in, page_request& req) {
  const bool any = in.contains("KeyConditionExpression") || in.contains("FilterExpression") ||
                   in.contains("ProjectionExpression");
  if (!any) return check_unused_expression_maps(in);
  auto* names = in.if_contains("ExpressionAttributeNames");
  auto* values = in.if_contains("ExpressionAttributeValues");
  auto maps = expr::request_expressions::create(names ? &names->as_object() : nullptr,
                                                values ? &values->as_object() : nullptr);
  if (!maps) return maps.error();
  req.maps = std::move(*maps);
  auto text = [&](const char* m) { return std::string_view(in.at(m).as_string()); };
  if (in.contains("KeyConditionExpression")) {
    auto c = req.maps->resolve_condition(text("KeyConditionExpression"),
                                         expr::expression_kind::key_condition);
    if (!c) return c.error();
    req.key_condition = std::move(*c);
  }
  if (in.contains("FilterExpression")) {
    auto c = req.maps->resolve_condition(text("FilterExpression"), expr::expression_kind::filter);
    if (!c) return c.error();
    req.filter = std::move(*c);
  }
  if (in.contains("ProjectionExpression")) {
    auto p = req.maps->resolve_projection(text("ProjectionExpression"));
    if (!p) return p.error();
    req.projection = std::move(*p);
  }
  if (auto ok = req.maps->check_unused(); !ok) return ok.error();
  return std::nullopt;
}

result<page_request> common_request(const table& t, json::object& in) {
  page_request req;
  if (auto e = check_parameter_mix(in)) return *e;
  if (auto e = resolve_expressions(in, req)) return *e;
  for (const char* member : {"QueryFilter", "ScanFilter"}) {
    auto* filter = in.if_contains(member);
    if (!filter) continue;
    if (std::string_view(member) == "QueryFilter")
      for (const auto& [name, spec] : filter->as_object())
        if (name == t.hash.name || (t.range && name == t.range->name))
          return api_error::validation(
              "QueryFilter can only contain non-primary key attributes: Primary key attribute: " +
              std::string(name));
    auto c = legacy_filter(filter->as_object(), in);
    if (!c) return c.error();
    req.filter = std::move(*c);
  }
  if (auto e = check_select(in, req.count_only)) return *e;
  auto wanted = attributes_to_get(in);
  if (!wanted) return wanted.error();
  req.wanted = std::move(*wanted);
  if (auto* l = in.if_contains("Limit")) req.limit = l->to_number<std::size_t>();
  req.consistent = in.contains("ConsistentRead") && in.at("ConsistentRead").as_bool();
  if (auto e = check_index(t, in, req)) return *e;
  return req;
}

result<json::object> scan(catalog& tables, request_context& ctx, json::object& in) {
  const bool has_segment = in.contains("Segment"), has_total = in.contains("TotalSegments");
  if (has_segment != has_total)
    return api_error::validation(
        has_segment ? "The TotalSegments parameter is required but was not present in the request "
                      "when Segment parameter is present"
                    : "The Segment parameter is required but was not present in the request when "
                      "parameter TotalSegments is present");
  std::int64_t segment = 0, total = 1;
  if (has_segment) {
    segment = in.at("Segment").to_number<std::int64_t>();
    total = in.at("TotalSegments").to_number<std::int64_t>();
    if (total > max_total_segments)
      return api_error::validation(
          "1 validation error detected: Value '" + std::to_string(total) +
          "' at 'totalSegments' failed to satisfy constraint: Member must have value less than or "
          "equal to 1000000");
    if (segment >= total)
      return api_error::validation(
          "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
          "Segment: " +
          std::to_string(segment) + " is not less than TotalSegments: " + std::to_string(total));
  }
  auto t = find_table(tables, ctx, in.at("TableName").as_string());
  if (!t) return t.error();
  auto req = common_request(**t, in);
  if (!req) return req.error();

  // A segment is a contiguous range of the 64-bit partition hash.
  const std::string prefix = space_of(**t, *req).prefix;
  auto bound = [&](std::int64_t s) {
    unsigned __int128 h = (static_cast<unsigned __int128>(1) << 64) *
                          static_cast<std::uint64_t>(s) / static_cast<std::uint64_t>(total);
    std::string key = prefix;
    for (int shift = 56; shift >= 0; shift -= 8)
      key.push_back(static_cast<char>((static_cast<std::uint64_t>(h) >> shift) & 0xff));
    return key;
  };
  req->range.begin = segment == 0 ? prefix : bound(segment);
  req->range.end = segment + 1 == total ? storage::prefix_end(prefix) : bound(segment + 1);
  if (auto* start = in.if_contains("ExclusiveStartKey")) {
    auto after = req->index ? index_start_after(**t, *req->index, start->as_object())
                            : start_after(**t, start->as_object());
    if (!after) return after.error();
    if (*after < req->range.begin || *after >= req->range.end)
      return api_error::validation(
          "The provided Exclusive start key does not map to the provided segment");
    req->range.begin = *after + '\0';
  }
  return read_page(tables, ctx, **t, in, *req);
}

// KeyConditions: {attr: {ComparisonOperator, AttributeValueList}}.
result<expr::key_condition> legacy_key_condition(const key_space& t, json::object& conditions) {
  if (conditions.size() > 2)
    return api_error::validation("Conditions can be of length 1 or 2 only");
  auto* hash = conditions.if_contains(t.hash.name);
  if (!hash)
    return api_error::validation("Query condition missed key schema element: " + t.hash.name);
  if (!t.range && conditions.size() == 2)
    return api_error::validation("Query key condition not supported");
  const std::size_t expected = t.range && conditions.size() == 2 ? 2 : 1;
  if (conditions.size() != expected || (expected == 2 && !conditions.contains(t.range->name)))
    return api_error::validation("Query condition missed key schema element: " +
                                 (t.range ? t.range->name : t.hash.name));

  auto operands = [](json::object& c, std::string_view op, std::size_t n,
                     const std::string& type) -> result<json::array*> {
    auto* list = c.if_contains("AttributeValueList");
    json::array empty;
    std::size_t count = list ? list->as_array().size() : 0;
    if (count != n)
      return errors::invalid_parameter("Invalid number of argument(s) for the " + std::string(op) +
                                       " ComparisonOperator");
    for (auto& v : list->as_array()) {
      if (auto r = normalize_value(v); !r) return r.error();
      if (type_of(v) != type)
        return errors::invalid_parameter("Condition parameter type does not match schema type");
    }
    return &list->as_array();
  };

  auto& hc = hash->as_object();
  std::string_view hop = hc.at("ComparisonOperator").as_string();
  if (hop != "EQ") {
    if (hop == "IN" || hop == "CONTAINS" || hop == "NOT_CONTAINS" || hop == "NE" || hop == "NULL" ||
        hop == "NOT_NULL")
      return errors::invalid_parameter(
          "Attempted conditional constraint is not an indexable operation");
    return api_error::validation("Query key condition not supported");
  }
  auto hv = operands(hc, "EQ", 1, t.hash.type);
  if (!hv) return hv.error();
  expr::key_condition kc;
  kc.hash_value = (**hv)[0];
  if (expected == 1) return kc;

  auto& rc = conditions.at(t.range->name).as_object();
  std::string_view op = rc.at("ComparisonOperator").as_string();
  if (op == "IN" || op == "CONTAINS" || op == "NOT_CONTAINS" || op == "NE" || op == "NULL" ||
      op == "NOT_NULL")
    return errors::invalid_parameter(
        "Attempted conditional constraint is not an indexable operation");
  if (op == "BEGINS_WITH" && t.range->type == "N")
    return errors::invalid_parameter(
        "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type");
  auto rv = operands(rc, op, op == "BETWEEN" ? 2 : 1, t.range->type);
  if (!rv) return rv.error();
  static const std::pair<std::string_view, expr::key_op> ops[] = {
      {"EQ", expr::key_op::EQ},
      {"LT", expr::key_op::LT},
      {"LE", expr::key_op::LE},
      {"GT", expr::key_op::GT},
      {"GE", expr::key_op::GE},
      {"BETWEEN", expr::key_op::BETWEEN},
      {"BEGINS_WITH", expr::key_op::BEGINS_WITH}};
  expr::range_condition range;
  for (const auto& [name, code] : ops)
    if (name == op) range.op = code;
  for (auto& v : **rv) range.values.push_back(v);
  kc.range = std::move(range);
  return kc;
}

// The range of a Query on an index with several HASH or RANGE attributes.
std::optional<api_error> composite_key_range(const table& t, const secondary_index& ix,
                                             page_request& req) {
  if (!req.key_condition)
    return api_error::validation(
        "KeyConditions cannot select from an index whose key has several HASH or RANGE "
        "attributes; use KeyConditionExpression");
  auto kc = expr::parse_composite_key_condition(*req.key_condition, ix.hash_keys, ix.range_keys);
  if (!kc) return kc.error();
  std::vector<const json::value*> hash_values;
  for (const auto& v : kc->hash_values) hash_values.push_back(&v);
  std::string prefix = index_partition_prefix(t, ix, hash_values);
  for (std::size_t i = 0; i < kc->range_equal.size(); ++i)
    prefix += encode_key_value(ix.range_keys[i].type, kc->range_equal[i]);
  req.range.begin = prefix;
  req.range.end = storage::prefix_end(prefix);
  if (!kc->last) return std::nullopt;
  return narrow_range(prefix, ix.range_keys[kc->range_equal.size()], *kc->last, req.range);
}

result<json::object> query(catalog& tables, request_context& ctx, json::object& in) {
  if (!in.contains("KeyConditions") && !in.contains("KeyConditionExpression"))
    return api_error::validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  auto t = find_table(tables, ctx, in.at("TableName").as_string());
  if (!t) return t.error();
  auto req = common_request(**t, in);
  if (!req) return req.error();
  const key_space space = space_of(**t, *req);
  if (req->index && composite(*req->index)) {
    if (auto e = composite_key_range(**t, *req->index, *req)) return *e;
  } else {
    auto kc = req->key_condition
                  ? expr::parse_key_condition(*req->key_condition, space.hash, space.range)
                  : legacy_key_condition(space, in.at("KeyConditions").as_object());
    if (!kc) return kc.error();
    if (auto e = key_range_of(space, *kc, req->range)) return *e;
  }
  // A FilterExpression may not read the key attributes the Query selects by.
  if (req->filter && in.contains("FilterExpression")) {
    std::vector<key_attribute> keys{space.hash};
    if (space.range) keys.push_back(*space.range);
    if (req->index) {
      keys = req->index->hash_keys;
      keys.insert(keys.end(), req->index->range_keys.begin(), req->index->range_keys.end());
    }
    for (const auto& k : keys)
      if (auto ok = expr::check_filter_keys(*req->filter, k, std::nullopt); !ok) return ok.error();
  }
  req->range.reverse = in.contains("ScanIndexForward") && !in.at("ScanIndexForward").as_bool();
  if (auto* start = in.if_contains("ExclusiveStartKey")) {
    if (!(*t)->range && !req->index)
      return api_error::validation(
          "The provided exclusive start key is invalid: ExclusiveStartKey");
    auto after = req->index ? index_start_after(**t, *req->index, start->as_object())
                            : start_after(**t, start->as_object());
    if (!after) return after.error();
    if (*after < req->range.begin || (!req->range.end.empty() && *after >= req->range.end))
      return api_error::validation(
          "The provided starting key is outside query boundaries based on provided conditions");
    if (req->range.reverse)
      req->range.end = std::min(req->range.end, *after);
    else
      req->range.begin = std::max(req->range.begin, *after + '\0');
  }
  return read_page(tables, ctx, **t, in, *req);
}

}  // namespace

void add_query_scan_operations(handler_table& table, catalog& tables) {
  table["Query"] = with_catalog(tables, query);
  table["Scan"] = with_catalog(tables, scan);
}

}  // namespace stratus::dynamodb
