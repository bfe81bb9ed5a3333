#include "lambda/code_store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <fstream>
#include <memory>
#include <random>
#include <system_error>
#include <vector>

#include "auth/sigv4.hpp"
#include "common/base64.hpp"
#include "lambda/errors.hpp"

namespace stratus::lambda {
namespace fs = std::filesystem;

namespace {

api_error too_large_unzipped(std::uint64_t limit) {
  return errors::invalid_parameter(
      fmt::format("Unzipped size must be smaller than {} bytes", limit));
}

api_error unreadable_zip() {
  return errors::invalid_parameter(
      "Could not unzip uploaded file. Please check your file, then try to upload again.");
}

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::random_device rd;
  std::string raw;
  for (std::size_t i = 0; i < bytes; ++i) raw.push_back(static_cast<char>(rd() & 0xff));
  return auth::hex(raw);
}

// Writes `data` to `path` through a temporary file, fsynced before the
// rename and the directory after it, so that an acknowledged upload
// survives a crash.
bool write_durably(const fs::path& path, std::string_view data, mode_t mode) {
  fs::path tmp = path;
  tmp += ".tmp-" + random_hex(8);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return false;
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  bool ok = ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

// An entry name that stays inside the package: relative, no "..".
bool safe_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos)
    return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    auto end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

struct zip_closer {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct zip_file_closer {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

struct entry {
  zip_uint64_t index;
  std::string name;
  std::uint64_t size;
  mode_t unix_mode;  // 0 when the archive does not say
};

void make_read_only(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> dirs{dir};
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec))
    if (it->is_directory(ec) && !it->is_symlink(ec)) dirs.push_back(it->path());
  for (auto d = dirs.rbegin(); d != dirs.rend(); ++d) ::chmod(d->c_str(), 0555);
}

}  // namespace

std::string sha256_hex_of(std::string_view base64_sha) {
  auto raw = base64_decode(base64_sha);
  return raw ? auth::hex(*raw) : std::string();
}

code_store::code_store(fs::path root, std::uint64_t unzipped_limit)
    : root_(std::move(root)), unzipped_limit_(unzipped_limit) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  fs::path key_file = root_ / "download-key";
  std::ifstream in(key_file);
  std::getline(in, key_);
  if (key_.size() != 64) {
    key_ = random_hex(32);
    write_durably(key_file, key_, 0600);
  }
}

fs::path code_store::code_dir(std::string_view hex) const {
  return root_ / std::string(hex);
}

fs::path code_store::ready_code_dir(std::string_view hex) {
  fs::path dir = code_dir(hex);
  {
    std::lock_guard lock(ready_mutex_);
    if (ready_.contains(std::string(hex))) return dir;
  }
  std::error_code ec;
  if (!fs::exists(dir, ec))
    if (auto zip = read_zip(hex)) (void)put(*zip);
  if (fs::exists(dir, ec)) {
    std::lock_guard lock(ready_mutex_);
    ready_.insert(std::string(hex));
  }
  return dir;
}

std::optional<std::string> code_store::read_zip(std::string_view hex) const {
  std::ifstream in(root_ / (std::string(hex) + ".zip"), std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

result<code_info> code_store::put(std::string_view zip) {
  if (zip.size() > max_zipped)
    return errors::too_large(fmt::format("Zipped size must be smaller than {} bytes", max_zipped));
  // libzip reads zero bytes as an empty archive; AWS does not.
  if (zip.empty()) return unreadable_zip();
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip.data(), zip.size(), 0, &error);
  if (!source) return unreadable_zip();
  std::unique_ptr<zip_t, zip_closer> archive(
      zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  zip_error_fini(&error);
  if (!archive) {
    zip_source_free(source);
    return unreadable_zip();
  }

  // Check every entry before writing anything.
  std::vector<entry> entries;
  std::uint64_t unzipped = 0;
  zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 ||
        !(st.valid & ZIP_STAT_NAME) || !(st.valid & ZIP_STAT_SIZE))
      return unreadable_zip();
    if (!safe_name(st.name)) return unreadable_zip();
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    mode_t mode = 0;
    if (zip_file_get_external_attributes(archive.get(), static_cast<zip_uint64_t>(i), 0, &opsys,
                                         &attributes) == 0 &&
        opsys == ZIP_OPSYS_UNIX)
      mode = static_cast<mode_t>(attributes >> 16);
    // Declared sizes only screen: the bytes inflated are counted below.
    if (st.size > unzipped_limit_ - unzipped) return too_large_unzipped(unzipped_limit_);
    unzipped += st.size;
    entries.push_back({static_cast<zip_uint64_t>(i), st.name, st.size, mode});
  }
  code_info info;
  info.hex = auth::sha256_hex(zip);
  {
    std::lock_guard lock(ready_mutex_);
    last_put_[info.hex] = std::chrono::steady_clock::now();
    unused_since_.erase(info.hex);
  }
  info.sha256 = base64_encode(from_hex(info.hex));
  info.size = zip.size();
  info.unzipped_size = unzipped;

  std::error_code ec;
  fs::path zip_file = root_ / (info.hex + ".zip");
  if (!fs::exists(zip_file, ec) && !write_durably(zip_file, zip, 0444))
    return errors::internal("could not store the deployment package");
  fs::path target = code_dir(info.hex);
  if (fs::exists(target, ec)) return info;

  fs::path tmp = root_ / (".unpack-" + random_hex(8));
  fs::create_directories(tmp, ec);
  if (ec) return errors::internal("could not unpack the deployment package");
  auto fail = [&](api_error e) -> result<code_info> {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    return e;
  };
  std::vector<char> buffer(64 * 1024);
  std::uint64_t inflated = 0;
  for (const auto& e : entries) {
    fs::path out = tmp / e.name;
    if (e.name.back() == '/' || S_ISDIR(e.unix_mode)) {
      fs::create_directories(out, ec);
      continue;
    }
    fs::create_directories(out.parent_path(), ec);
    std::unique_ptr<zip_file_t, zip_file_closer> file(zip_fopen_index(archive.get(), e.index, 0));
    if (!file) return fail(unreadable_zip());
    std::string content;
    while (true) {
      zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
      if (n < 0) return fail(unreadable_zip());  // a CRC or inflate error
      if (n == 0) break;
      inflated += static_cast<std::uint64_t>(n);
      if (inflated > unzipped_limit_) return fail(too_large_unzipped(unzipped_limit_));
      content.append(buffer.data(), static_cast<std::size_t>(n));
    }
    if (S_ISLNK(e.unix_mode)) {
      // A link must point inside the package, like an entry name.
      if (!safe_name(content)) return fail(unreadable_zip());
      fs::create_symlink(content, out, ec);
      if (ec) return fail(unreadable_zip());
      continue;
    }
    const mode_t mode = (e.unix_mode & 0111) ? 0555 : 0444;
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fail(errors::internal("could not unpack the deployment package"));
    bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ok = ::close(fd) == 0 && ok;
    if (!ok) return fail(errors::internal("could not unpack the deployment package"));
    ::chmod(out.c_str(), mode);
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    // Another upload of the same zip won the race; its copy is identical.
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    if (!fs::exists(target, ignored))
      return errors::internal("could not unpack the deployment package");
    return info;
  }
  make_read_only(target);
  return info;
}

std::size_t code_store::collect(const std::set<std::string>& in_use,
                                std::chrono::steady_clock::time_point scanned_at,
                                std::chrono::steady_clock::duration grace) {
  std::set<std::string> stored;
  std::error_code ec;
  for (auto it = fs::directory_iterator(root_, ec); !ec && it != fs::end(it); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.ends_with(".zip")) name.resize(name.size() - 4);
    if (name.size() == 64 && name.find_first_not_of("0123456789abcdef") == std::string::npos)
      stored.insert(name);
  }
  const auto now = std::chrono::steady_clock::now();
  std::size_t removed = 0;
  std::lock_guard lock(ready_mutex_);
  for (const auto& hex : stored) {
    auto put = last_put_.find(hex);
    if (in_use.contains(hex) || (put != last_put_.end() && put->second >= scanned_at)) {
      unused_since_.erase(hex);
      continue;
    }
    auto [since, first] = unused_since_.emplace(hex, now);
    if (first || now - since->second < grace) continue;
    remove_package(hex);
    unused_since_.erase(since);
    if (put != last_put_.end()) last_put_.erase(put);
    ready_.erase(hex);
    ++removed;
  }
  return removed;
}

void code_store::remove_package(const std::string& hex) {
  // Unpacked directories are read-only: make them writable to empty them.
  fs::path dir = code_dir(hex);
  std::error_code ec;
  if (fs::is_directory(dir, ec) && !fs::is_symlink(dir, ec)) {
    ::chmod(dir.c_str(), 0755);
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec))
      if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0755);
  }
  fs::remove_all(dir, ec);
  if (ec) spdlog::warn("lambda: could not remove unused package {}: {}", hex, ec.message());
  fs::remove(root_ / (hex + ".zip"), ec);
  spdlog::info("lambda: removed package {}, which no function uses", hex);
}

std::string code_store::sign(std::string_view hex, std::string_view expires) const {
  return auth::hex(auth::hmac_sha256(key_, std::string(hex) + ":" + std::string(expires)));
}

std::string code_store::download_path(std::string_view hex,
                                      std::chrono::system_clock::time_point now) const {
  auto expires = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() + 600);
  return fmt::format("{}{}.zip?expires={}&signature={}", download_prefix, hex, expires,
                     sign(hex, expires));
}

bool code_store::download_allowed(std::string_view hex, std::string_view expires,
                                  std::string_view signature,
                                  std::chrono::system_clock::time_point now) const {
  if (hex.size() != 64 || expires.empty() || expires.size() > 18) return false;
  for (char c : expires)
    if (c < '0' || c > '9') return false;
  const long long deadline = std::stoll(std::string(expires));
  const long long seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (seconds > deadline) return false;
  const std::string expected = sign(hex, expires);
  if (signature.size() != expected.size()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < expected.size(); ++i)
    diff |= static_cast<unsigned>(expected[i] ^ signature[i]);
  return diff == 0;
}

}  // namespace stratus::lambda
