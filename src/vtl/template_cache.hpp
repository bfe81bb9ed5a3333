// A cache of parsed templates keyed by their text.
//
// API Gateway renders the same few mapping templates on every request; the
// cache makes the parse a one-time cost so a render costs microseconds.
// Entries are immutable and shared; when the cache is full it starts over
// (mapping templates are few, so this is rare and cheap).
//
// Thread-safety: all members may be called concurrently.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vtl/error.hpp"
#include "vtl/limits.hpp"
#include "vtl/parser.hpp"

namespace stratus::vtl {

class template_cache {
 public:
  explicit template_cache(std::size_t max_entries = 1024, limits lim = {})
      : max_entries_(max_entries), limits_(lim) {}

  // The parsed template for `text`, parsing it on first use. Parse errors
  // are not cached.
  [[nodiscard]] result<template_ptr> get(std::string_view text);

  [[nodiscard]] std::size_t size() const;

 private:
  struct hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const std::size_t max_entries_;
  const limits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, template_ptr, hash, std::equal_to<>> entries_;
};

}  // namespace stratus::vtl
