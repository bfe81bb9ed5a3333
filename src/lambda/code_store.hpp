#pragma once
// Deployment packages, content-addressed: each distinct zip is kept once as
// <root>/<hex sha256>.zip and unpacked once into <root>/<hex sha256>/
// (read-only: files 0444, or 0555 when the zip marks them executable, such
// as a provided runtime's bootstrap; directories 0555). Functions and
// versions refer to code by its hash, so publishing a version or updating
// configuration never copies code.
//
// Code downloads (GetFunction's Code.Location) are URLs signed with a key
// kept in <root>/download-key, valid for ten minutes as AWS's presigned
// URLs are.
//
// Packages no function uses any more are removed by collect(), which the
// service calls from time to time with what its functions use.
//
// Thread-safety: safe for concurrent use; two uploads of the same zip
// unpack into private directories and the first rename wins.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>

#include "common/api_error.hpp"

namespace stratus::lambda {

struct code_info {
  std::string sha256;  // base64, as CodeSha256
  std::string hex;     // lower-case hex, the storage name
  std::uint64_t size = 0;
  std::uint64_t unzipped_size = 0;
};

class code_store {
 public:
  // AWS's limits for a direct upload.
  static constexpr std::uint64_t max_zipped = 52428800;
  static constexpr std::uint64_t max_unzipped = 262144000;

  // `unzipped_limit` is AWS's unless a test makes it smaller.
  explicit code_store(std::filesystem::path root, std::uint64_t unzipped_limit = max_unzipped);

  // Checks the zip as AWS does (a readable archive, entries that stay inside
  // the package, the unzipped limit counted in bytes actually inflated),
  // keeps it durably and unpacks it.
  [[nodiscard]] result<code_info> put(std::string_view zip);

  // Removes the packages that were missing from `in_use` (lower-case hex)
  // at two calls at least `grace` apart and not put since before the first
  // call's `scanned_at` (when `in_use` was read). The grace outlasts any
  // invocation still running removed code. Answers how many were removed.
  std::size_t collect(const std::set<std::string>& in_use,
                      std::chrono::steady_clock::time_point scanned_at,
                      std::chrono::steady_clock::duration grace);

  [[nodiscard]] std::filesystem::path code_dir(std::string_view hex) const;
  // code_dir(), unpacked again from the kept zip if a crash lost the
  // unpacked copy (its rename is not fsynced; the zip is). Checked once per
  // package per process.
  [[nodiscard]] std::filesystem::path ready_code_dir(std::string_view hex);
  [[nodiscard]] std::optional<std::string> read_zip(std::string_view hex) const;

  // The path and query of a download URL for the package, and its check.
  [[nodiscard]] std::string download_path(std::string_view hex,
                                          std::chrono::system_clock::time_point now) const;
  [[nodiscard]] bool download_allowed(std::string_view hex, std::string_view expires,
                                      std::string_view signature,
                                      std::chrono::system_clock::time_point now) const;

  static constexpr std::string_view download_prefix = "/_stratus/lambda/code/";

 private:
  [[nodiscard]] std::string sign(std::string_view hex, std::string_view expires) const;

  std::filesystem::path root_;
  std::uint64_t unzipped_limit_;
  std::string key_;
  void remove_package(const std::string& hex);

  std::mutex ready_mutex_;  // guards the three below
  std::unordered_set<std::string> ready_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_put_;
  std::map<std::string, std::chrono::steady_clock::time_point> unused_since_;
};

// "<base64>" → lower-case hex of the same bytes ("" when not base64).
[[nodiscard]] std::string sha256_hex_of(std::string_view base64_sha);

}  // namespace stratus::lambda
