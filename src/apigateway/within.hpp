#pragma once
// An integration call bounded in time: past the limit the caller goes on
// (API Gateway answers 504) while the call runs to its own end in the
// background, holding no thread; what it owns is freed when it ends.
//
// Thread-safety: the call and the wait run on the caller's executor.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "common/escaped.hpp"

namespace stratus::apigateway {

// `op`'s result, or nullopt when `limit` passed first. `op` must own
// everything it uses (it may outlive the caller).
template <class T>
boost::asio::awaitable<std::optional<T>> within(boost::asio::awaitable<T> op,
                                                std::chrono::milliseconds limit) {
  namespace asio = boost::asio;
  struct shared {
    explicit shared(const asio::any_io_executor& ex) : done(ex) {}
    std::optional<T> value;
    asio::steady_timer done;
  };
  auto ex = co_await asio::this_coro::executor;
  auto state = std::make_shared<shared>(ex);
  state->done.expires_after(limit);
  asio::co_spawn(
      ex,
      [](std::shared_ptr<shared> s, asio::awaitable<T> work) -> asio::awaitable<void> {
        s->value.emplace(co_await std::move(work));
        s->done.cancel();
      }(state, std::move(op)),
      // A call that throws is a bug: logged, and the caller answers as
      // for a timeout rather than waiting for one.
      [state, log = log_if_thrown("an API Gateway integration call")](std::exception_ptr e) {
        if (e) state->done.cancel();
        log(e);
      });
  if (!state->value) {
    boost::system::error_code ec;
    co_await state->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return std::move(state->value);
}

}  // namespace stratus::apigateway
