#include "dynamodb/expr/cache.hpp"

namespace stratus::dynamodb::expr {

namespace {
// The kind is part of the key: the same text parses differently (and has
// different messages) as a condition and as a filter.
std::string key_of(expression_kind kind, std::string_view text) {
  std::string key(1, static_cast<char>('0' + static_cast<int>(kind)));
  key += text;
  return key;
}
}  // namespace

std::optional<expression_cache::entry> expression_cache::find(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void expression_cache::insert(const std::string& key, entry value) {
  if (max_entries_ == 0 || key.size() > max_text_bytes_) return;
  std::lock_guard lock(mutex_);
  if (index_.count(key)) return;  // another thread parsed it meanwhile
  lru_.emplace_front(key, std::move(value));
  index_.emplace(lru_.front().first, lru_.begin());
  text_bytes_ += key.size();
  while (lru_.size() > max_entries_ || text_bytes_ > max_text_bytes_) {
    text_bytes_ -= lru_.back().first.size();
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

std::size_t expression_cache::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

result<std::shared_ptr<const condition>> expression_cache::get_condition(std::string_view text,
                                                                         expression_kind kind) {
  const std::string key = key_of(kind, text);
  if (auto hit = find(key)) return std::get<std::shared_ptr<const condition>>(*hit);
  auto parsed = parse_condition(text, kind);
  if (parsed) insert(key, *parsed);
  return parsed;
}

result<std::shared_ptr<const projection>> expression_cache::get_projection(std::string_view text) {
  const std::string key = key_of(expression_kind::projection, text);
  if (auto hit = find(key)) return std::get<std::shared_ptr<const projection>>(*hit);
  auto parsed = parse_projection(text);
  if (parsed) insert(key, *parsed);
  return parsed;
}

result<std::shared_ptr<const update>> expression_cache::get_update(std::string_view text) {
  const std::string key = key_of(expression_kind::update, text);
  if (auto hit = find(key)) return std::get<std::shared_ptr<const update>>(*hit);
  auto parsed = parse_update(text);
  if (parsed) insert(key, *parsed);
  return parsed;
}

expression_cache& expression_cache::shared() {
  static expression_cache cache;
  return cache;
}

}  // namespace stratus::dynamodb::expr
