// Iterative destruction of nested containers.
//
// A template can build a list nested a million levels deep
// (`#foreach(...)#set($l = [$l])#end`); destroying it by plain recursion of
// shared_ptr destructors would overflow the stack. The outermost container
// being destroyed on a thread collects the children of every container that
// dies while it runs and releases them one at a time.
#include "vtl/value.hpp"

namespace stratus::vtl {
namespace {

thread_local std::vector<value>* graveyard = nullptr;

template <class Range, class Project>
void dismantle(Range& children, Project project) {
  if (graveyard != nullptr) {
    for (auto& child : children) {
      value& v = project(child);
      if (v.is_container()) graveyard->push_back(std::move(v));
    }
    return;
  }
  std::vector<value> pending;
  for (auto& child : children) {
    value& v = project(child);
    if (v.is_container()) pending.push_back(std::move(v));
  }
  if (pending.empty()) return;
  graveyard = &pending;
  while (!pending.empty()) {
    value last = std::move(pending.back());
    pending.pop_back();
    // `last` dies here; if it owned its container, that destructor appends
    // the container's children to `pending` instead of recursing.
  }
  graveyard = nullptr;
}

}  // namespace

list_data::~list_data() {
  dismantle(items, [](value& v) -> value& { return v; });
}

map_data::~map_data() {
  dismantle(entries_, [](std::pair<std::string, value>& e) -> value& { return e.second; });
}

}  // namespace stratus::vtl
