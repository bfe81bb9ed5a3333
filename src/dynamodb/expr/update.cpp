#include "dynamodb/expr/update.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>

#include "dynamodb/expr/values.hpp"
#include "dynamodb/number.hpp"

namespace stratus::dynamodb::expr {
namespace json = boost::json;

namespace {

api_error missing_attribute() {
  return api_error::validation(
      "The provided expression refers to an attribute that does not exist in the item");
}
api_error wrong_type() {
  return api_error::validation("An operand in the update expression has an incorrect data type");
}
api_error bad_path() {
  return api_error::validation(std::string(invalid_update_path_message));
}

bool is_set(std::string_view tag) {
  return tag == "SS" || tag == "NS" || tag == "BS";
}

// The value of a SET right-hand side, computed from the old item.
result<json::value> evaluate(const operand& o, const json::object* item) {
  switch (o.kind) {
    case operand_kind::value:
      return o.value;
    case operand_kind::path: {
      const json::value* v = item ? find_path(*item, o.path) : nullptr;
      if (!v) return missing_attribute();
      return *v;
    }
    case operand_kind::if_not_exists: {
      const json::value* v = item ? find_path(*item, o.args[0].path) : nullptr;
      if (v) return *v;
      return evaluate(o.args[1], item);
    }
    case operand_kind::list_append: {
      auto a = evaluate(o.args[0], item);
      if (!a) return a;
      auto b = evaluate(o.args[1], item);
      if (!b) return b;
      if (tag_of(*a) != "L" || tag_of(*b) != "L") return wrong_type();
      json::array joined = payload_of(*a).get_array();
      for (const auto& e : payload_of(*b).get_array()) joined.push_back(e);
      return json::value(json::object{{"L", std::move(joined)}});
    }
    case operand_kind::plus:
    case operand_kind::minus: {
      auto a = evaluate(o.args[0], item);
      if (!a) return a;
      auto b = evaluate(o.args[1], item);
      if (!b) return b;
      if (tag_of(*a) != "N" || tag_of(*b) != "N") return wrong_type();
      auto x = parse_number(payload_of(*a).get_string());
      auto y = parse_number(payload_of(*b).get_string());
      if (!x) return x.error();
      if (!y) return y.error();
      auto r = o.kind == operand_kind::plus ? add(*x, *y) : subtract(*x, *y);
      if (!r) return r.error();
      return json::value(json::object{{"N", r->to_string()}});
    }
    default:  // size() cannot appear in an update
      return wrong_type();
  }
}

// Where a path's last step lives in the new item: the object or array that
// holds it. nullptr when an intermediate step is missing or of another type.
json::value* parent_of(json::object& item, const path& p, json::object** as_map) {
  *as_map = nullptr;
  if (p.steps.size() == 1) {
    *as_map = &item;
    return nullptr;
  }
  auto it = item.find(p.steps[0].name);
  if (it == item.end()) return nullptr;
  json::value* v = &it->value();
  for (std::size_t i = 1; i + 1 < p.steps.size(); ++i) {
    const auto& step = p.steps[i];
    const std::string_view tag = tag_of(*v);
    json::value& payload = v->get_object().begin()->value();
    if (step.is_index) {
      if (tag != "L" || step.index >= payload.get_array().size()) return nullptr;
      v = &payload.get_array()[step.index];
    } else {
      if (tag != "M") return nullptr;
      auto m = payload.get_object().find(step.name);
      if (m == payload.get_object().end()) return nullptr;
      v = &m->value();
    }
  }
  return v;
}

// Writes `value` at `p`: a map key is created or replaced; a list index
// replaces, or appends when past the end.
result<void> put(json::object& item, const path& p, json::value value) {
  json::object* top = nullptr;
  json::value* parent = parent_of(item, p, &top);
  if (top) {
    (*top)[p.steps[0].name] = std::move(value);
    return {};
  }
  if (!parent) return bad_path();
  const auto& last = p.steps.back();
  const std::string_view tag = tag_of(*parent);
  json::value& payload = parent->get_object().begin()->value();
  if (last.is_index) {
    if (tag != "L") return bad_path();
    auto& list = payload.get_array();
    if (last.index < list.size())
      list[last.index] = std::move(value);
    else
      list.push_back(std::move(value));
  } else {
    if (tag != "M") return bad_path();
    payload.get_object()[last.name] = std::move(value);
  }
  return {};
}

// Removes `p`; a missing leaf is no error, a missing or mistyped parent is.
result<void> erase(json::object& item, const path& p) {
  json::object* top = nullptr;
  json::value* parent = parent_of(item, p, &top);
  if (top) {
    top->erase(p.steps[0].name);
    return {};
  }
  if (!parent) return bad_path();
  const auto& last = p.steps.back();
  const std::string_view tag = tag_of(*parent);
  json::value& payload = parent->get_object().begin()->value();
  if (last.is_index) {
    if (tag != "L") return bad_path();
    auto& list = payload.get_array();
    if (last.index < list.size())
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(last.index));
  } else {
    if (tag != "M") return bad_path();
    payload.get_object().erase(last.name);
  }
  return {};
}

// Whether two members of a set of type `set_tag` are equal (numbers by value).
bool same_member(std::string_view set_tag, const json::value& a, const json::value& b) {
  const std::string scalar(set_tag.substr(0, 1));  // SS -> S, NS -> N, BS -> B
  return values_equal(json::object{{scalar, a}}, json::object{{scalar, b}});
}

// Set members as a tag's payload, without duplicates.
result<json::value> set_union(const json::value& existing, const json::value& added) {
  const std::string tag(tag_of(existing));
  json::array members = payload_of(existing).get_array();
  for (const auto& m : payload_of(added).get_array()) {
    bool present = false;
    for (const auto& e : members)
      if (same_member(tag, e, m)) present = true;
    if (!present) members.push_back(m);
  }
  return json::value(json::object{{tag, std::move(members)}});
}

std::optional<json::value> set_difference(const json::value& existing, const json::value& removed) {
  const std::string tag(tag_of(existing));
  json::array kept;
  for (const auto& e : payload_of(existing).get_array()) {
    bool drop = false;
    for (const auto& m : payload_of(removed).get_array())
      if (same_member(tag, e, m)) drop = true;
    if (!drop) kept.push_back(e);
  }
  if (kept.empty()) return std::nullopt;  // DynamoDB has no empty sets: the attribute goes
  return json::value(json::object{{tag, std::move(kept)}});
}

// Whether the container a nested path writes into exists in `item` and has
// the right type (a map for a name, a list for an index).
bool parent_accepts(const json::object& item, const path& p) {
  if (p.steps.size() == 1) return true;
  path prefix = p;
  prefix.steps.pop_back();
  const json::value* parent = find_path(item, prefix);
  return parent && tag_of(*parent) == (p.steps.back().is_index ? "L" : "M");
}

}  // namespace

result<update_outcome> apply_update(const update& u, const json::object* old_item) {
  update_outcome out;
  if (old_item) out.item = *old_item;
  // Every target's container first: DynamoDB reports an invalid document
  // path before a missing right-hand side ("SET b.a = a" on a missing item:
  // dynalite's updateItem tests). Overlapping targets are refused at
  // resolve, so no action creates another's container.
  for (const auto& action : u.actions) {
    // DynamoDB ignores a REMOVE of any path when the item does not exist
    // (test_nested_attribute_remove_from_missing_item).
    if (action.kind == update_action_kind::remove && !old_item) continue;
    if (!parent_accepts(out.item, action.target)) return bad_path();
  }
  // Every right-hand side first, against the old item.
  std::vector<std::pair<const update_action*, json::value>> sets, adds, deletes;
  std::vector<const update_action*> removes;
  for (const auto& action : u.actions) {
    out.updated_paths.push_back(action.target);
    out.modified_attributes.insert(action.target.steps[0].name);
    switch (action.kind) {
      case update_action_kind::set: {
        auto v = evaluate(action.value, old_item);
        if (!v) return v.error();
        sets.emplace_back(&action, std::move(*v));
        break;
      }
      case update_action_kind::add:
        adds.emplace_back(&action, action.value.value);
        break;
      case update_action_kind::delete_:
        deletes.emplace_back(&action, action.value.value);
        break;
      case update_action_kind::remove:
        removes.push_back(&action);
        break;
    }
  }
  // Appends past a list's end land in index order.
  std::stable_sort(sets.begin(), sets.end(), [](const auto& a, const auto& b) {
    return path_less(a.first->target, b.first->target);
  });
  // An append past a list's end stays reported at the index written in the
  // expression, where nothing is: UPDATED_NEW then returns nothing for it,
  // as DynamoDB does (ScyllaDB's test_update_item_returnvalues_nested).
  for (auto& [action, value] : sets)
    if (auto r = put(out.item, action->target, std::move(value)); !r) return r.error();

  for (auto& [action, value] : adds) {
    const json::value* existing = find_path(out.item, action->target);
    if (!existing) {
      if (auto r = put(out.item, action->target, value); !r) return r.error();
      continue;
    }
    const std::string_view tag = tag_of(*existing);
    if (tag != tag_of(value)) return wrong_type();
    json::value sum;
    if (tag == "N") {
      auto x = parse_number(payload_of(*existing).get_string());
      auto y = parse_number(payload_of(value).get_string());
      if (!x) return x.error();
      if (!y) return y.error();
      auto r = add(*x, *y);
      if (!r) return r.error();
      sum = json::object{{"N", r->to_string()}};
    } else {
      auto r = set_union(*existing, value);
      if (!r) return r.error();
      sum = std::move(*r);
    }
    if (auto r = put(out.item, action->target, std::move(sum)); !r) return r.error();
  }

  for (auto& [action, value] : deletes) {
    const json::value* existing = find_path(out.item, action->target);
    if (!existing) continue;  // nothing to delete from; the container was checked above
    if (!is_set(tag_of(*existing)) || tag_of(*existing) != tag_of(value)) return wrong_type();
    if (auto rest = set_difference(*existing, value)) {
      if (auto r = put(out.item, action->target, std::move(*rest)); !r) return r.error();
    } else if (auto r = erase(out.item, action->target); !r) {
      return r.error();
    }
  }

  // Highest paths first, so a removed list element does not shift the
  // indexes of the others.
  std::stable_sort(removes.begin(), removes.end(),
                   [](const auto* a, const auto* b) { return path_less(b->target, a->target); });
  for (const auto* action : removes) {
    if (!old_item) continue;
    if (auto r = erase(out.item, action->target); !r) return r.error();
  }
  return out;
}

}  // namespace stratus::dynamodb::expr
