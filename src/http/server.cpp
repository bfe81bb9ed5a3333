#include "http/server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <charconv>
#include <ctime>
#include <limits>
#include <list>
#include <mutex>
#include <optional>

#include "common/escaped.hpp"

namespace stratus::http {
namespace {

using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

// One live connection, registered so that stop() and the sweeper can reach it.
//
// Timeouts are a deadline the connection moves as it goes, checked by one
// sweeper per server (see server::state::sweep) rather than a timer armed
// around every read and write: that costs a clock read per request instead
// of two timer-queue operations per socket operation.
struct connection {
  explicit connection(tcp::socket s) : socket(std::move(s)) {}
  tcp::socket socket;
  std::atomic<clock::rep> deadline{0};  // steady-clock ticks; 0: none
  bool busy = false;                    // touched only on the connection's executor

  void expire_after(std::chrono::milliseconds d) {
    deadline.store((clock::now() + d).time_since_epoch().count(), std::memory_order_relaxed);
  }
  void expire_never() { deadline.store(0, std::memory_order_relaxed); }
  [[nodiscard]] bool expired(clock::time_point now) const {
    const auto d = deadline.load(std::memory_order_relaxed);
    return d != 0 && d <= now.time_since_epoch().count();
  }
};

// RFC 9110 wants a Date on every response; formatted once a second per thread.
const std::string& http_date() {
  thread_local std::time_t cached_at = 0;
  thread_local std::string text;
  const std::time_t now = std::time(nullptr);
  if (now != cached_at) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    text = buf;
    cached_at = now;
  }
  return text;
}

// The status line and header block of a prepared response. Written by hand
// rather than by Beast's serializer, whose buffer-sequence machinery cost
// more than the rest of the response path put together; the body follows in
// the same gathered write.
std::string serialize_head(const response& res) {
  std::string out;
  out.reserve(256);
  out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char code[4];
  auto [end, ec] = std::to_chars(code, code + sizeof code, res.result_int());
  out.append(code, end);
  out += ' ';
  out += res.reason();
  out += "\r\n";
  for (const auto& f : res) {
    out += f.name_string();
    out += ": ";
    out += f.value();
    out += "\r\n";
  }
  if (res.find(field::date) == res.end()) {
    out += "Date: ";
    out += http_date();
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

// How long a connection closed after an early answer keeps reading.
constexpr std::chrono::seconds linger_time{5};

// Writes `res` after whatever answers were held (`held`, emptied).
asio::awaitable<beast::error_code> write_response(tcp::socket& socket, const response& res,
                                                  std::string& held) {
  const std::string head = serialize_head(res);
  // Send after the handlers already queued on this thread: the requests one
  // epoll_wait found ready are all answered, then all sent. Sent one by one,
  // each answer woke its client's thread (an inter-processor interrupt on a
  // VM) only for it to go back to sleep before the next; sent together, the
  // client is awake for most of them. GetItem under 32 connections: about a
  // quarter less kernel CPU per request on the server.
  co_await asio::post(socket.get_executor(), asio::use_awaitable);
  const std::array<asio::const_buffer, 3> buffers{asio::buffer(held), asio::buffer(head),
                                                  asio::buffer(res.body())};
  auto [ec, n] = co_await asio::async_write(socket, buffers, use_nothrow);
  held.clear();
  co_return ec;
}

// Whether the buffer already holds the whole header of another request.
bool holds_next_header(const beast::flat_buffer& buffer) {
  const auto data = buffer.data();
  const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
  return bytes.find("\r\n\r\n") != std::string_view::npos;
}

}  // namespace

struct server::state : std::enable_shared_from_this<server::state> {
  state(asio::io_context& io, application& app, limits lim,
        std::vector<asio::any_io_executor> executors)
      : io(io),
        app(app),
        lim(lim),
        control(asio::make_strand(io)),
        acceptor(control),
        sweeper(control),
        executors(std::move(executors)) {}

  asio::io_context& io;
  application& app;
  limits lim;
  // The acceptor, the sweeper and stop() run here, one at a time.
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;
  asio::steady_timer sweeper;
  std::vector<asio::any_io_executor> executors;  // touched only by accept_loop
  std::size_t next_executor = 0;

  asio::any_io_executor connection_executor() {
    if (executors.empty()) return asio::make_strand(io);
    return executors[next_executor++ % executors.size()];
  }

  mutable std::mutex mutex;  // guards everything below
  std::list<std::shared_ptr<connection>> connections;
  // Set under `mutex`; read without it on every request.
  std::atomic<bool> stopping = false;
  std::function<void()> on_drained;
  std::uint64_t next_id = 1;

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> sweep_loop();
  asio::awaitable<void> serve(std::shared_ptr<connection> conn, std::uint64_t id);
  // Reads and answers requests until the connection should close.
  asio::awaitable<void> converse(connection& conn, std::uint64_t id);
  void forget(const std::shared_ptr<connection>& conn);

  // How often deadlines are checked: a quarter of the shortest timeout,
  // between 10 ms and a second, so a connection lives at most that much
  // past its deadline.
  [[nodiscard]] std::chrono::milliseconds sweep_period() const {
    auto shortest = std::min(lim.idle_timeout, lim.read_timeout);
    return std::clamp<std::chrono::milliseconds>(shortest / 4, std::chrono::milliseconds(10),
                                                 std::chrono::seconds(1));
  }
};

asio::awaitable<void> server::state::accept_loop() {
  auto self = shared_from_this();
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(connection_executor(), use_nothrow);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) continue;  // EMFILE and friends: keep serving the others
    std::shared_ptr<connection> conn;
    std::uint64_t id = 0;
    {
      std::lock_guard lock(mutex);
      if (stopping) co_return;
      if (connections.size() >= lim.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);  // over the cap: refuse rather than queue
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      conn = std::make_shared<connection>(std::move(socket));
      connections.push_back(conn);
      id = next_id++;
    }
    auto executor = conn->socket.get_executor();
    // serve() forgets its connection however it ends; what escapes it is a
    // bug, reported here rather than swallowed.
    asio::co_spawn(executor, serve(std::move(conn), id), log_if_thrown("an HTTP connection"));
  }
}

asio::awaitable<void> server::state::sweep_loop() {
  auto self = shared_from_this();
  for (;;) {
    sweeper.expires_after(sweep_period());
    auto [ec] = co_await sweeper.async_wait(use_nothrow);
    std::vector<std::shared_ptr<connection>> late;
    {
      std::lock_guard lock(mutex);
      // Deadlines still hold while stopping: a stuck connection must not
      // keep the server from draining.
      if (ec || (stopping && connections.empty())) co_return;
      const auto now = clock::now();
      for (const auto& conn : connections)
        if (conn->expired(now)) late.push_back(conn);
    }
    // A socket is only touched on its own executor, where the deadline is
    // checked again: the connection may have moved on in the meantime.
    for (auto& conn : late)
      asio::post(conn->socket.get_executor(), [conn] {
        if (conn->expired(clock::now())) {
          beast::error_code ignored;
          conn->socket.cancel(ignored);
        }
      });
  }
}

asio::awaitable<void> server::state::serve(std::shared_ptr<connection> conn, std::uint64_t id) {
  auto self = shared_from_this();
  // However the conversation ends, normally or by an exception, the
  // connection leaves the list: one left there would hold its slot for ever
  // and keep stop() from ever draining (its deadline is off while a handler
  // runs, so the sweeper would not end it either).
  try {
    co_await converse(*conn, id);
  } catch (...) {
    log_escaped("a connection", std::current_exception());
  }
  beast::error_code ignored;
  conn->expire_never();
  conn->socket.close(ignored);
  forget(conn);
}

asio::awaitable<void> server::state::converse(connection& connection, std::uint64_t id) {
  namespace bhttp = beast::http;
  auto* const conn = &connection;
  beast::flat_buffer buffer;
  // Room for a whole request at once: Beast reads no more than the buffer's
  // free capacity, and a signed SDK request outgrows the 512 bytes it starts
  // with, which costs a second recvmsg per request.
  buffer.reserve(16 * 1024);
  connection_info info{};
  info.id = id;
  beast::error_code ec;
  info.remote = conn->socket.remote_endpoint(ec);
  auto& socket = conn->socket;
  std::string held;      // answers held back for pipelined requests (lim.hold_pipelined_answers)
  bool refused = false;  // answered early: the client may still be sending

  // Answers before the request is all read, then the loop ends and the
  // connection closes (lingering: see the end).
  auto send_refusal = [&](response res) -> asio::awaitable<void> {
    res.keep_alive(false);
    res.prepare_payload();
    conn->expire_after(lim.read_timeout);
    refused = true;
    co_await write_response(socket, res, held);
  };
  // Answers a request that broke the protocol or a limit.
  auto refuse = [&](status code, std::string_view why) {
    return send_refusal(app.bad_request(code, why));
  };
  // What a request gets when the application failed on it.
  auto internal_error = [&] {
    return app.bad_request(status::internal_server_error, "internal error");
  };

  for (;;) {
    // stop() cancels the read of an idle connection; one that was busy when
    // it looked ends here instead, before waiting for another request.
    if (stopping) break;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(lim.max_header_bytes));
    // The application sets the real limit once it has seen the header (and
    // checks Content-Length itself, since Beast checks it while parsing it).
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    conn->expire_after(lim.idle_timeout);
    auto [rec, n1] = co_await bhttp::async_read_header(socket, buffer, parser, use_nothrow);
    // Beast applies its header limit to what one parse step sees, so a
    // header that arrives in pieces can outgrow it: the whole is checked too.
    if (!rec && n1 > lim.max_header_bytes) rec = bhttp::error::header_limit;
    if (rec) {
      // AWS's front ends answer 400 (not 431) to oversized headers. A peer
      // that went away or timed out gets nothing.
      if (rec == bhttp::error::header_limit) {
        co_await refuse(status::bad_request, "header too large");
      } else if (rec != bhttp::error::end_of_stream && rec != asio::error::operation_aborted &&
                 rec != asio::error::eof && rec != asio::error::connection_reset &&
                 rec != asio::error::bad_descriptor) {
        co_await refuse(status::bad_request, rec.message());
      }
      break;
    }
    conn->busy = true;

    // The application's own failures (a bug, an exhausted resource) answer
    // 500 and end the connection; they never leave it half-served.
    std::optional<admission> decision;
    try {
      decision = app.admit(parser.get().base());
    } catch (...) {
      log_escaped("the application's admit", std::current_exception());
    }
    if (!decision) {
      co_await send_refusal(internal_error());
      break;
    }
    if (auto* refusal = std::get_if<response>(&*decision)) {
      // The body may still be on its way; answering and closing is what AWS
      // front ends do for an oversized request too.
      co_await send_refusal(std::move(*refusal));
      break;
    }
    parser.body_limit(std::get<std::uint64_t>(*decision));

    conn->expire_after(lim.read_timeout);
    if (beast::iequals(parser.get()[field::expect], "100-continue")) {
      static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
      const std::array<asio::const_buffer, 2> buffers{asio::buffer(held), asio::buffer(cont)};
      auto [cec, cn] = co_await asio::async_write(socket, buffers, use_nothrow);
      held.clear();
      if (cec) break;
    }
    auto [bec, n2] = co_await bhttp::async_read(socket, buffer, parser, use_nothrow);
    if (bec) {
      if (bec == bhttp::error::body_limit) {
        co_await refuse(status::payload_too_large, "body too large");
      } else if (bec != asio::error::operation_aborted && bec != bhttp::error::end_of_stream &&
                 bec != asio::error::eof && bec != asio::error::connection_reset) {
        co_await refuse(status::bad_request, bec.message());
      }
      break;
    }

    request req = parser.release();
    const bool keep_alive = req.keep_alive();
    conn->expire_never();  // a handler may legitimately take long (Lambda)
    std::optional<response> answer;
    try {
      answer = co_await app.handle(req, info);
    } catch (...) {
      log_escaped("the application's handle", std::current_exception());
    }
    // After a failure the request was read whole, so the connection could
    // go on; it is closed all the same, since the application is in a state
    // it did not expect.
    const bool failed = !answer;
    if (failed) answer = internal_error();
    response& res = *answer;
    res.version(req.version());
    res.keep_alive(keep_alive && !stopping && !failed);
    res.prepare_payload();
    if (lim.hold_pipelined_answers && res.keep_alive() && holds_next_header(buffer)) {
      held += serialize_head(res);
      held += res.body();
      conn->busy = false;
      continue;
    }
    conn->expire_after(lim.read_timeout);
    auto wec = co_await write_response(socket, res, held);
    conn->busy = false;
    if (wec || !res.keep_alive()) break;
  }
  if (!held.empty()) {  // the loop ended before the request behind it was answered
    conn->expire_after(lim.read_timeout);
    co_await asio::async_write(socket, asio::buffer(held), use_nothrow);
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
  if (refused) {
    // A lingering close: closing with the rest of the request unread would
    // reset the connection, and a reset can destroy the answer before the
    // client reads it. What still comes is read and dropped until the client
    // closes, for at most linger_time.
    conn->expire_after(std::min<std::chrono::milliseconds>(lim.read_timeout, linger_time));
    std::array<char, 16 * 1024> scratch;
    for (;;) {
      auto [rec, n] = co_await socket.async_read_some(asio::buffer(scratch), use_nothrow);
      if (rec) break;
    }
  }
}

void server::state::forget(const std::shared_ptr<connection>& conn) {
  std::function<void()> drained;
  {
    std::lock_guard lock(mutex);
    connections.remove(conn);
    if (stopping && connections.empty() && on_drained) drained = std::exchange(on_drained, {});
  }
  if (drained) drained();
}

server::server(asio::io_context& io, application& app, limits lim,
               std::vector<asio::any_io_executor> connection_executors)
    : state_(std::make_shared<state>(io, app, lim, std::move(connection_executors))) {}

server::~server() {
  // Stops accepting even if stop() was never called; connections still
  // running keep the state alive until they end.
  asio::post(state_->control, [s = state_] {
    beast::error_code ec;
    s->acceptor.close(ec);
    s->sweeper.cancel();
  });
}

std::uint16_t server::listen(const std::string& host, std::uint16_t port) {
  auto& acceptor = state_->acceptor;
  tcp::endpoint endpoint{asio::ip::make_address(host), port};
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(state_->control, state_->accept_loop(), log_if_thrown("the HTTP accept loop"));
  asio::co_spawn(state_->control, state_->sweep_loop(), log_if_thrown("the HTTP sweeper"));
  return acceptor.local_endpoint().port();
}

void server::stop(std::function<void()> on_drained) {
  auto s = state_;
  asio::post(s->control, [s, on_drained = std::move(on_drained)]() mutable {
    beast::error_code ec;
    s->acceptor.close(ec);
    std::list<std::shared_ptr<connection>> snapshot;
    bool drained_now;
    {
      std::lock_guard lock(s->mutex);
      s->stopping = true;
      snapshot = s->connections;
      drained_now = s->connections.empty();
      if (!drained_now) s->on_drained = std::move(on_drained);
    }
    if (drained_now) {
      if (on_drained) on_drained();
      return;
    }
    // Idle connections are waiting for a request that may never come: close
    // them. Busy ones finish their request and see `stopping` afterwards.
    for (auto& conn : snapshot) {
      asio::post(conn->socket.get_executor(), [conn] {
        beast::error_code ignored;
        if (!conn->busy) conn->socket.cancel(ignored);
      });
    }
  });
}

std::size_t server::connection_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->connections.size();
}

}  // namespace stratus::http
