#pragma once
// One suite, every backend: the tests in store_test.cpp and
// transaction_test.cpp run against the memory store and the RocksDB store
// (with and without sync_every_commit), so the two cannot drift apart.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "storage/store.hpp"

namespace stratus::storage::test {

// A fresh directory under the system temp dir, removed with its contents.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

enum class backend { memory, rocksdb, rocksdb_sync };

class store_test : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override;
  std::unique_ptr<store> open();
  void put(std::string_view key, std::string_view value);
  std::optional<std::string> get(std::string_view key, const read_options& opts = {});
  void put_abcd();  // keys a, b, c, d with values va, vb, vc, vd
  std::vector<std::string> scan_keys(std::string begin, std::string end, bool reverse = false);

  temp_dir dir_;
  std::unique_ptr<store> store_;
};

using pairs = std::vector<std::pair<std::string, std::string>>;

// Everything the iterator has left; fails the test if it stops on an error.
pairs drain(iterator& it);
std::vector<std::string> keys(iterator& it);

}  // namespace stratus::storage::test
