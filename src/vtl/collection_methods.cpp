// java.util.ArrayList and java.util.LinkedHashMap methods.
#include "vtl/methods.hpp"

namespace stratus::vtl {

namespace {

std::string index_error(std::int64_t i, std::size_t size) {
  return "java.lang.IndexOutOfBoundsException: Index " + std::to_string(i) +
         " out of bounds for length " + std::to_string(size);
}

std::string cycle_error() {
  return "java.lang.IllegalArgumentException: a list or map cannot contain itself";
}

// The key a map stores for a template value (keys are strings here).
std::string key_of(const value& v) {
  return java_string(v);
}

std::int64_t find_index(const std::vector<value>& items, const value& needle, bool last) {
  std::int64_t found = -1;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (java_equals(items[i], needle)) {
      found = static_cast<std::int64_t>(i);
      if (!last) break;
    }
  }
  return found;
}

}  // namespace

call_result call_list_method(const list_ptr& l, std::string_view name, std::vector<value>& args) {
  auto& items = l->items;
  const std::size_t n = args.size();
  const value self(l);
  auto in_range = [&](const value& i, bool inclusive_end) {
    if (!i.is_int()) return false;
    auto limit = static_cast<std::int64_t>(items.size()) + (inclusive_end ? 1 : 0);
    return i.as_int() >= 0 && i.as_int() < limit;
  };
  if (n == 0) {
    if (name == "size") return call_result::ok(static_cast<std::int64_t>(items.size()));
    if (name == "isEmpty") return call_result::ok(items.empty());
    if (name == "clear") {
      items.clear();
      return call_result::ok({});
    }
    if (name == "toString") {
      std::string s;
      if (!append_java_string(self, s, 256)) return call_result::thrown("list nests too deeply");
      return call_result::ok(std::move(s));
    }
    if (name == "hashCode") return call_result::ok(static_cast<std::int64_t>(items.size()));
    return call_result::missing();
  }
  if (n == 1) {
    const value& a = args[0];
    if (name == "get") {
      if (!a.is_int()) return call_result::missing();
      if (!in_range(a, false)) return call_result::thrown(index_error(a.as_int(), items.size()));
      return call_result::ok(items[static_cast<std::size_t>(a.as_int())]);
    }
    if (name == "add") {
      if (would_create_cycle(self, a)) return call_result::thrown(cycle_error());
      items.push_back(a);
      return call_result::ok(true);
    }
    if (name == "contains") return call_result::ok(find_index(items, a, false) >= 0);
    if (name == "indexOf") return call_result::ok(find_index(items, a, false));
    if (name == "lastIndexOf") return call_result::ok(find_index(items, a, true));
    if (name == "equals") return call_result::ok(java_equals(self, a));
    if (name == "remove") {
      // remove(int) removes at an index, remove(Object) the first equal item.
      if (a.is_int()) {
        if (!in_range(a, false)) return call_result::thrown(index_error(a.as_int(), items.size()));
        value removed = std::move(items[static_cast<std::size_t>(a.as_int())]);
        items.erase(items.begin() + a.as_int());
        return call_result::ok(std::move(removed));
      }
      auto i = find_index(items, a, false);
      if (i >= 0) items.erase(items.begin() + i);
      return call_result::ok(i >= 0);
    }
    if (name == "addAll" || name == "containsAll") {
      if (!a.is_list()) return call_result::missing();
      std::vector<value> other = a.as_list()->items;
      if (name == "containsAll") {
        for (const auto& v : other) {
          if (find_index(items, v, false) < 0) return call_result::ok(false);
        }
        return call_result::ok(true);
      }
      for (const auto& v : other) {
        if (would_create_cycle(self, v)) return call_result::thrown(cycle_error());
      }
      items.insert(items.end(), other.begin(), other.end());
      return call_result::ok(!other.empty());
    }
    return call_result::missing();
  }
  if (n == 2) {
    if (name == "set" || name == "add") {
      bool is_set = name == "set";
      if (!args[0].is_int()) return call_result::missing();
      if (!in_range(args[0], !is_set)) {
        return call_result::thrown(index_error(args[0].as_int(), items.size()));
      }
      if (would_create_cycle(self, args[1])) return call_result::thrown(cycle_error());
      auto i = static_cast<std::size_t>(args[0].as_int());
      if (is_set) {
        // List.set returns the element it replaced (test_array_set_item prints "two").
        value previous = std::move(items[i]);
        items[i] = args[1];
        return call_result::ok(std::move(previous));
      }
      items.insert(items.begin() + static_cast<std::ptrdiff_t>(i), args[1]);
      return call_result::ok({});
    }
    if (name == "subList") {
      if (!args[0].is_int() || !args[1].is_int()) return call_result::missing();
      auto b = args[0].as_int();
      auto e = args[1].as_int();
      if (b < 0 || e > static_cast<std::int64_t>(items.size()) || b > e) {
        return call_result::thrown(index_error(b < 0 ? b : e, items.size()));
      }
      auto out = make_list(l->style);
      out->items.assign(items.begin() + b, items.begin() + e);
      return call_result::ok(out);
    }
  }
  return call_result::missing();
}

call_result call_map_method(const map_ptr& m, std::string_view name, std::vector<value>& args) {
  const std::size_t n = args.size();
  const value self(m);
  if (n == 0) {
    if (name == "size") return call_result::ok(static_cast<std::int64_t>(m->size()));
    if (name == "isEmpty") return call_result::ok(m->empty());
    if (name == "clear") {
      m->clear();
      return call_result::ok({});
    }
    if (name == "keySet" || name == "values" || name == "entrySet") {
      // Java returns live views; a snapshot list prints the same "[a, b]".
      auto out = make_list();
      for (const auto& [k, v] : m->entries()) {
        if (name == "keySet") {
          out->items.emplace_back(k);
        } else if (name == "values") {
          out->items.push_back(v);
        } else {
          out->items.emplace_back(make_map_entry(k, v));
        }
      }
      return call_result::ok(out);
    }
    if (name == "toString") {
      std::string s;
      if (!append_java_string(self, s, 256)) return call_result::thrown("map nests too deeply");
      return call_result::ok(std::move(s));
    }
    return call_result::missing();
  }
  if (n == 1) {
    const value& a = args[0];
    if (name == "get") {
      const value* v = m->find(key_of(a));
      return call_result::ok(v ? *v : value());
    }
    if (name == "containsKey") return call_result::ok(m->find(key_of(a)) != nullptr);
    if (name == "containsValue") {
      for (const auto& entry : m->entries()) {
        if (java_equals(entry.second, a)) return call_result::ok(true);
      }
      return call_result::ok(false);
    }
    if (name == "remove") return call_result::ok(m->remove(key_of(a)));
    if (name == "equals") return call_result::ok(java_equals(self, a));
    if (name == "putAll") {
      if (!a.is_map()) return call_result::missing();
      auto entries = a.as_map()->entries();
      for (const auto& entry : entries) {
        if (would_create_cycle(self, entry.second)) return call_result::thrown(cycle_error());
      }
      for (auto& [k, v] : entries) m->put(k, v);
      return call_result::ok({});
    }
    return call_result::missing();
  }
  if (n == 2) {
    if (name == "put" || name == "putIfAbsent") {
      if (would_create_cycle(self, args[1])) return call_result::thrown(cycle_error());
      std::string key = key_of(args[0]);
      if (name == "putIfAbsent") {
        if (const value* existing = m->find(key); existing && !existing->is_null()) {
          return call_result::ok(*existing);
        }
      }
      // Map.put returns the previous value (test_dict_put_item).
      return call_result::ok(m->put(std::move(key), args[1]));
    }
    if (name == "getOrDefault") {
      const value* v = m->find(key_of(args[0]));
      return call_result::ok(v ? *v : args[1]);
    }
  }
  return call_result::missing();
}

}  // namespace stratus::vtl
