#pragma once
// What a coroutine started with co_spawn hands its completion handler when
// an exception escapes it. `asio::detached` swallows it, so a bug there
// (and whatever the coroutine held, a connection slot or a queue entry)
// would vanish unseen; these log it instead.
//
// Thread-safety: free functions; logging is thread-safe.

#include <exception>
#include <string>
#include <string_view>

namespace stratus {

// Logs the exception `e` (if any) as having escaped `where`.
void log_escaped(std::string_view where, const std::exception_ptr& e);

// A co_spawn completion token that logs an escaped exception.
inline auto log_if_thrown(std::string where) {
  return [where = std::move(where)](const std::exception_ptr& e) {
    if (e) log_escaped(where, e);
  };
}

}  // namespace stratus
