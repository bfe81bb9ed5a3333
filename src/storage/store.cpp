#include "storage/store.hpp"

#include <boost/throw_exception.hpp>
#include <stdexcept>

namespace stratus::storage {
namespace {

std::string_view name(errc code) {
  switch (code) {
    case errc::conflict:
      return "conflict";
    case errc::try_again:
      return "try_again";
    case errc::io_error:
      return "io_error";
    case errc::corruption:
      return "corruption";
    case errc::closed:
      return "closed";
  }
  return "unknown";
}

}  // namespace

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  // A trailing 0xff cannot be incremented; every key with the prefix is below
  // the shorter prefix with its last non-0xff byte incremented instead.
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

void throw_exception_from_error(const error& e, const boost::source_location& loc) {
  boost::throw_exception(
      std::runtime_error("storage " + std::string(name(e.code)) + ": " + e.message), loc);
}

}  // namespace stratus::storage
