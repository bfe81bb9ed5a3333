#include "vtl/template_cache.hpp"

namespace stratus::vtl {

result<template_ptr> template_cache::get(std::string_view text) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(text); it != entries_.end()) return it->second;
  }
  // Parse outside the lock: two threads may parse the same text once each,
  // which is cheaper than serialising every parse.
  auto parsed = parse(text, limits_);
  if (!parsed) return parsed;
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_.emplace(std::string(text), *parsed);
  return parsed;
}

std::size_t template_cache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace stratus::vtl
