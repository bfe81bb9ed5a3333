#include "storage/failed.hpp"

#include <utility>

namespace stratus::storage {
namespace {

class failed_iterator final : public iterator {
 public:
  explicit failed_iterator(error e) : error_(std::move(e)) {}
  bool valid() const override { return false; }
  std::string_view key() const override { return {}; }
  std::string_view value() const override { return {}; }
  void next() override {}
  result<void> status() const override { return error_; }

 private:
  error error_;
};

class failed_transaction final : public transaction {
 public:
  explicit failed_transaction(error e) : error_(std::move(e)) {}
  result<std::optional<std::string>> get(std::string_view) override { return error_; }
  std::unique_ptr<iterator> scan(const key_range&) override { return make_failed_iterator(error_); }
  void put(std::string_view, std::string_view) override {}
  void erase(std::string_view) override {}
  result<void> commit() override { return error_; }

 private:
  error error_;
};

}  // namespace

error closed_error() {
  return {errc::closed, "the store is closed"};
}

std::unique_ptr<iterator> make_failed_iterator(error e) {
  return std::make_unique<failed_iterator>(std::move(e));
}

std::unique_ptr<transaction> make_failed_transaction(error e) {
  return std::make_unique<failed_transaction>(std::move(e));
}

}  // namespace stratus::storage
