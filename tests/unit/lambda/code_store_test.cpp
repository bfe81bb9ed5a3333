// Deployment packages: AWS's checks, content addressing, read-only
// unpacking that keeps executables executable, and signed downloads.
#include "lambda/code_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <random>
#include <set>

#include "support.hpp"

namespace stratus::lambda {
namespace {
namespace fs = std::filesystem;

constexpr std::string_view unzip_error =
    "Could not unzip uploaded file. Please check your file, then try to upload again.";

TEST(code_store, unpacks_once_read_only_and_content_addressed) {
  test::temp_dir dir;
  code_store store(dir.path);
  const std::string zip = test::make_zip(
      {{"index.js", "exports.handler = 1;"}, {"lib/util.js", "module.exports = 2;"}});
  auto info = store.put(zip);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->size, zip.size());
  EXPECT_EQ(info->hex.size(), 64u);
  EXPECT_EQ(sha256_hex_of(info->sha256), info->hex);
  fs::path code = store.code_dir(info->hex);
  std::ifstream in(code / "lib" / "util.js");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "module.exports = 2;");
  struct stat st {};
  ASSERT_EQ(::stat((code / "index.js").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  ASSERT_EQ(::stat(code.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0555u);
  // The same bytes again: the same name, nothing to do.
  auto again = store.put(zip);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->hex, info->hex);
  EXPECT_EQ(store.read_zip(info->hex).value_or(""), zip);
}

TEST(code_store, a_lost_unpacked_copy_is_unpacked_again) {
  test::temp_dir dir;
  auto info = code_store(dir.path).put(test::hello_zip());
  ASSERT_TRUE(info);
  fs::path code = dir.path / info->hex;
  fs::permissions(code, fs::perms::owner_all, fs::perm_options::add);
  fs::remove_all(code);
  code_store reopened(dir.path);
  EXPECT_EQ(reopened.ready_code_dir(info->hex), code);
  EXPECT_TRUE(fs::exists(code / "index.js"));
}

TEST(code_store, executables_stay_executable) {
  test::temp_dir dir;
  code_store store(dir.path);
  auto info = store.put(test::make_zip({{"bootstrap", "#!/bin/sh\n", 0100755}}));
  ASSERT_TRUE(info);
  struct stat st {};
  ASSERT_EQ(::stat((store.code_dir(info->hex) / "bootstrap").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0555u);
}

TEST(code_store, refuses_what_is_not_a_zip) {
  test::temp_dir dir;
  code_store store(dir.path);
  for (std::string bad :
       {std::string("not a zip"), std::string(), test::hello_zip().substr(0, 40)}) {
    auto info = store.put(bad);
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error().code, "InvalidParameterValueException");
    EXPECT_EQ(info.error().message, unzip_error);
  }
}

TEST(code_store, refuses_entries_that_leave_the_package) {
  test::temp_dir dir;
  code_store store(dir.path);
  for (std::string name : {"../evil.js", "/etc/evil", "a/../../evil"}) {
    auto info = store.put(test::make_zip({{name, "x"}}));
    ASSERT_FALSE(info) << name;
    EXPECT_EQ(info.error().message, unzip_error);
  }
  EXPECT_FALSE(fs::exists(dir.path.parent_path() / "evil.js"));
}

// The zip with the uncompressed size of its first entry rewritten in both
// headers, as a zip bomb would declare it.
std::string declaring_size(std::string zip, std::uint32_t size) {
  auto patch = [&](std::string_view signature, std::size_t offset) {
    auto at = zip.find(signature);
    ASSERT_NE(at, std::string::npos);
    for (int i = 0; i < 4; ++i) zip[at + offset + i] = static_cast<char>((size >> (8 * i)) & 0xff);
  };
  patch(std::string_view("PK\x03\x04", 4), 22);
  patch(std::string_view("PK\x01\x02", 4), 24);
  return zip;
}

TEST(code_store, counts_the_bytes_inflated_not_the_sizes_declared) {
  test::temp_dir dir;
  code_store store(dir.path, 100000);
  const std::string lying =
      declaring_size(test::make_zip({{"big.bin", std::string(150000, 'x')}}), 10);
  auto refused = store.put(lying);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "InvalidParameterValueException");
  EXPECT_EQ(refused.error().message, "Unzipped size must be smaller than 100000 bytes");
  // Nothing unpacked is left behind.
  for (const auto& e : fs::directory_iterator(dir.path)) EXPECT_FALSE(e.is_directory()) << e.path();
  // Within the limit, a lie about the size is harmless.
  auto small = declaring_size(test::make_zip({{"small.bin", std::string(5000, 'y')}}), 10);
  EXPECT_TRUE(store.put(small));
}

TEST(code_store, a_declared_size_past_the_limit_is_refused_before_unpacking) {
  test::temp_dir dir;
  code_store store(dir.path, 100000);
  auto zip = declaring_size(test::make_zip({{"a", "1"}, {"b", "2"}}), 0xfffffff0u);
  auto refused = store.put(zip);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "Unzipped size must be smaller than 100000 bytes");
}

TEST(code_store, removes_packages_unused_at_two_sweeps_a_grace_apart) {
  test::temp_dir dir;
  code_store store(dir.path);
  auto kept = store.put(test::make_zip({{"index.js", "1"}}));
  auto dropped = store.put(test::make_zip({{"index.js", "2"}}));
  ASSERT_TRUE(kept && dropped);
  const std::set<std::string> in_use{kept->hex};
  auto scanned = std::chrono::steady_clock::now();
  EXPECT_EQ(store.collect(in_use, scanned, std::chrono::hours(1)), 0u);  // first sight
  EXPECT_EQ(store.collect(in_use, scanned, std::chrono::hours(1)), 0u);  // within the grace
  EXPECT_EQ(store.collect(in_use, scanned, std::chrono::seconds(0)), 1u);
  EXPECT_FALSE(fs::exists(store.code_dir(dropped->hex)));
  EXPECT_FALSE(store.read_zip(dropped->hex));
  EXPECT_TRUE(fs::exists(store.code_dir(kept->hex)));
  EXPECT_TRUE(store.read_zip(kept->hex));
}

TEST(code_store, a_package_put_after_the_scan_is_kept) {
  test::temp_dir dir;
  code_store store(dir.path);
  auto scanned = std::chrono::steady_clock::now();
  auto fresh = store.put(test::make_zip({{"index.js", "1"}}));
  ASSERT_TRUE(fresh);
  // The scan did not see the function that is about to use it.
  EXPECT_EQ(store.collect({}, scanned, std::chrono::seconds(0)), 0u);
  EXPECT_EQ(store.collect({}, scanned, std::chrono::seconds(0)), 0u);
  EXPECT_TRUE(fs::exists(store.code_dir(fresh->hex)));
}

TEST(code_store, download_urls_are_signed_and_expire) {
  test::temp_dir dir;
  code_store store(dir.path);
  auto info = store.put(test::hello_zip());
  ASSERT_TRUE(info);
  auto now = std::chrono::system_clock::now();
  std::string path = store.download_path(info->hex, now);
  auto q = path.find('?');
  auto amp = path.find('&');
  std::string expires = path.substr(q + 9, amp - q - 9);
  std::string signature = path.substr(path.find("signature=") + 10);
  EXPECT_TRUE(path.starts_with(std::string(code_store::download_prefix) + info->hex + ".zip?"));
  EXPECT_TRUE(store.download_allowed(info->hex, expires, signature, now));
  EXPECT_FALSE(store.download_allowed(info->hex, expires, std::string(64, '0'), now));
  EXPECT_FALSE(store.download_allowed(info->hex, expires, signature, now + std::chrono::hours(1)));
  // A new store on the same directory keeps the key: URLs survive restarts.
  code_store reopened(dir.path);
  EXPECT_TRUE(reopened.download_allowed(info->hex, expires, signature, now));
}

}  // namespace
}  // namespace stratus::lambda

namespace stratus::lambda {
namespace {

// Corrupted packages answer an error or unpack inside the store, never crash.
TEST(code_store, survives_corrupted_zips) {
  test::temp_dir dir;
  code_store store(dir.path);
  const std::string zip = test::make_zip({{"index.js", std::string(300, 'a')},
                                          {"lib/b.js", "module.exports = 1;"},
                                          {"bootstrap", "#!/bin/sh\n", 0100755}});
  std::mt19937 rng(42);
  int accepted = 0;
  for (int round = 0; round < 300; ++round) {
    std::string bad = zip;
    for (int flips = 1 + round % 4; flips > 0; --flips)
      bad[rng() % bad.size()] = static_cast<char>(rng() & 0xff);
    if (round % 7 == 0) bad.resize(rng() % bad.size());
    auto info = store.put(bad);
    if (info) {
      ++accepted;
      EXPECT_TRUE(std::filesystem::exists(store.code_dir(info->hex)));
    } else {
      EXPECT_FALSE(info.error().code.empty());
    }
  }
  // Whatever was unpacked resolves inside the store, links included.
  const std::string root = std::filesystem::canonical(dir.path).string();
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path))
    EXPECT_TRUE(std::filesystem::weakly_canonical(e.path()).string().starts_with(root)) << e.path();
  EXPECT_LT(accepted, 300);
}

}  // namespace
}  // namespace stratus::lambda
