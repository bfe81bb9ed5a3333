#include "store_fixture.hpp"

#include <stdlib.h>

#include "storage/memory_store.hpp"
#include "storage/rocksdb_store.hpp"

namespace stratus::storage::test {

temp_dir::temp_dir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "stratus-storage-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void store_test::SetUp() {
  store_ = open();
}

std::unique_ptr<store> store_test::open() {
  switch (GetParam()) {
    case backend::memory:
      return make_memory_store();
    case backend::rocksdb:
    case backend::rocksdb_sync: {
      auto opened = open_rocksdb({dir_.path(), GetParam() == backend::rocksdb_sync});
      EXPECT_TRUE(opened) << opened.error().message;
      return opened ? std::move(*opened) : nullptr;
    }
  }
  return nullptr;
}

void store_test::put(std::string_view key, std::string_view value) {
  write_batch batch;
  batch.put(key, value);
  auto written = store_->write(batch);
  ASSERT_TRUE(written) << written.error().message;
}

std::optional<std::string> store_test::get(std::string_view key, const read_options& opts) {
  auto value = store_->get(key, opts);
  EXPECT_TRUE(value) << value.error().message;
  return value ? *value : std::nullopt;
}

void store_test::put_abcd() {
  for (const char* key : {"a", "b", "c", "d"}) put(key, std::string("v") + key);
}

std::vector<std::string> store_test::scan_keys(std::string begin, std::string end, bool reverse) {
  auto it = store_->scan({std::move(begin), std::move(end), reverse});
  return keys(*it);
}

pairs drain(iterator& it) {
  pairs out;
  for (; it.valid(); it.next()) out.emplace_back(it.key(), it.value());
  auto status = it.status();
  EXPECT_TRUE(status) << status.error().message;
  return out;
}

std::vector<std::string> keys(iterator& it) {
  std::vector<std::string> out;
  for (auto& [key, value] : drain(it)) out.push_back(key);
  return out;
}

INSTANTIATE_TEST_SUITE_P(all_backends, store_test,
                         ::testing::Values(backend::memory, backend::rocksdb,
                                           backend::rocksdb_sync),
                         [](const auto& info) -> std::string {
                           switch (info.param) {
                             case backend::memory:
                               return "memory";
                             case backend::rocksdb:
                               return "rocksdb";
                             case backend::rocksdb_sync:
                               return "rocksdb_sync";
                           }
                           return "unknown";
                         });

}  // namespace stratus::storage::test
