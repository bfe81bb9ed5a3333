#pragma once
// Stage 2: parsed expressions cached by text, so that a hot request shape is
// parsed once. Only successful parses are cached (an error is cheap to
// recompute, and caching errors would let junk evict useful entries). The
// cache is an LRU bounded both in entries and in expression text bytes (a
// tree's size follows its text's, so hostile 4 KB expressions cannot pin
// hundreds of megabytes); entries are immutable trees shared by pointer.
//
// Thread-safety: every member is safe to call concurrently (one mutex; the
// parse itself runs outside it).

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "dynamodb/expr/parser.hpp"

namespace stratus::dynamodb::expr {

class expression_cache {
 public:
  explicit expression_cache(std::size_t max_entries = 4096, std::size_t max_text_bytes = 1 << 20)
      : max_entries_(max_entries), max_text_bytes_(max_text_bytes) {}

  [[nodiscard]] result<std::shared_ptr<const condition>> get_condition(std::string_view text,
                                                                       expression_kind kind);
  [[nodiscard]] result<std::shared_ptr<const projection>> get_projection(std::string_view text);
  [[nodiscard]] result<std::shared_ptr<const update>> get_update(std::string_view text);

  [[nodiscard]] std::size_t size() const;

  // The process-wide cache the operations use.
  static expression_cache& shared();

 private:
  using entry = std::variant<std::shared_ptr<const condition>, std::shared_ptr<const projection>,
                             std::shared_ptr<const update>>;
  std::optional<entry> find(const std::string& key);
  void insert(const std::string& key, entry value);

  std::size_t max_entries_;
  std::size_t max_text_bytes_;
  mutable std::mutex mutex_;
  std::size_t text_bytes_ = 0;                    // sum of the keys' sizes
  std::list<std::pair<std::string, entry>> lru_;  // most recent first
  std::unordered_map<std::string_view, std::list<std::pair<std::string, entry>>::iterator> index_;
};

}  // namespace stratus::dynamodb::expr
