// Deployment packages from hostile bytes: code_store::put must answer an
// error or a package that stays inside its directory, never crash. Each
// run unpacks into a fresh temporary directory.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "lambda/code_store.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path root =
      fs::temp_directory_path() / ("stratus-zip-fuzz-" + std::to_string(::getpid()));
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec))
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(root, ec);
  stratus::lambda::code_store store(root);
  (void)store.put(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
