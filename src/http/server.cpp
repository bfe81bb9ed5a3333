#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <ctime>
#include <limits>
#include <list>
#include <mutex>

namespace stratus::http {
namespace {

using tcp = asio::ip::tcp;
constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

// One live connection, registered so that stop() can close it when idle.
struct connection {
  explicit connection(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool busy = false;  // touched only on the connection's executor
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

template <class Response>
void stamp(Response& res) {
  if (res.find(field::date) == res.end()) res.set(field::date, http_date());
}

}  // namespace

struct server::state : std::enable_shared_from_this<server::state> {
  state(asio::io_context& io, application& app, limits lim)
      : io(io), app(app), lim(lim), acceptor(io) {}

  asio::io_context& io;
  application& app;
  limits lim;
  tcp::acceptor acceptor;

  mutable std::mutex mutex;  // guards everything below
  std::list<std::shared_ptr<connection>> connections;
  bool stopping = false;
  std::function<void()> on_drained;
  std::uint64_t next_id = 1;

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(std::shared_ptr<connection> conn, std::uint64_t id);
  void forget(const std::shared_ptr<connection>& conn);
};

asio::awaitable<void> server::state::accept_loop() {
  auto self = shared_from_this();
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), use_nothrow);
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
    auto executor = conn->stream.get_executor();
    asio::co_spawn(executor, serve(std::move(conn), id), asio::detached);
  }
}

asio::awaitable<void> server::state::serve(std::shared_ptr<connection> conn, std::uint64_t id) {
  namespace bhttp = beast::http;
  auto self = shared_from_this();
  beast::flat_buffer buffer;
  connection_info info{};
  info.id = id;
  beast::error_code ec;
  info.remote = conn->stream.socket().remote_endpoint(ec);
  auto& stream = conn->stream;

  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(lim.max_header_bytes));
    // The application sets the real limit once it has seen the header (and
    // checks Content-Length itself, since Beast checks it while parsing it).
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    stream.expires_after(lim.idle_timeout);
    auto [rec, n1] = co_await bhttp::async_read_header(stream, buffer, parser, use_nothrow);
    if (rec) {
      if (rec == bhttp::error::header_limit) {
        // AWS's front ends answer 400 (not 431) to oversized headers.
        auto res = app.bad_request(status::bad_request, "header too large");
        res.keep_alive(false);
        stamp(res);
        co_await bhttp::async_write(stream, res, use_nothrow);
      } else if (rec != bhttp::error::end_of_stream && rec != asio::error::operation_aborted &&
                 rec != beast::error::timeout && rec != asio::error::eof &&
                 rec != asio::error::connection_reset && rec != asio::error::bad_descriptor) {
        auto res = app.bad_request(status::bad_request, rec.message());
        res.keep_alive(false);
        stamp(res);
        co_await bhttp::async_write(stream, res, use_nothrow);
      }
      break;
    }
    conn->busy = true;

    auto decision = app.admit(parser.get().base());
    if (auto* refusal = std::get_if<response>(&decision)) {
      // The body may still be on its way; answering and closing is what AWS
      // front ends do for an oversized request too.
      refusal->keep_alive(false);
      refusal->prepare_payload();
      stamp(*refusal);
      co_await bhttp::async_write(stream, *refusal, use_nothrow);
      break;
    }
    parser.body_limit(std::get<std::uint64_t>(decision));

    if (beast::iequals(parser.get()[field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> cont{status::continue_, parser.get().version()};
      co_await bhttp::async_write(stream, cont, use_nothrow);
    }
    stream.expires_after(lim.read_timeout);
    auto [bec, n2] = co_await bhttp::async_read(stream, buffer, parser, use_nothrow);
    if (bec) {
      if (bec == bhttp::error::body_limit) {
        auto res = app.bad_request(status::payload_too_large, "body too large");
        res.keep_alive(false);
        stamp(res);
        co_await bhttp::async_write(stream, res, use_nothrow);
      } else if (bec != beast::error::timeout && bec != asio::error::operation_aborted &&
                 bec != bhttp::error::end_of_stream && bec != asio::error::eof) {
        auto res = app.bad_request(status::bad_request, bec.message());
        res.keep_alive(false);
        stamp(res);
        co_await bhttp::async_write(stream, res, use_nothrow);
      }
      break;
    }

    request req = parser.release();
    const bool keep_alive = req.keep_alive();
    stream.expires_never();  // a handler may legitimately take long (Lambda)
    response res = co_await app.handle(req, info);
    res.version(req.version());
    bool stopping_now;
    {
      std::lock_guard lock(mutex);
      stopping_now = stopping;
    }
    res.keep_alive(keep_alive && !stopping_now);
    res.prepare_payload();
    stamp(res);
    stream.expires_after(lim.read_timeout);
    auto [wec, n3] = co_await bhttp::async_write(stream, res, use_nothrow);
    conn->busy = false;
    if (wec || !res.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
  forget(conn);
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

server::server(asio::io_context& io, application& app, limits lim)
    : state_(std::make_shared<state>(io, app, lim)) {}

server::~server() = default;

std::uint16_t server::listen(const std::string& host, std::uint16_t port) {
  auto& acceptor = state_->acceptor;
  tcp::endpoint endpoint{asio::ip::make_address(host), port};
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(state_->io, state_->accept_loop(), asio::detached);
  return acceptor.local_endpoint().port();
}

void server::stop(std::function<void()> on_drained) {
  auto s = state_;
  asio::post(s->io, [s, on_drained = std::move(on_drained)]() mutable {
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
      asio::post(conn->stream.get_executor(), [conn] {
        if (!conn->busy) conn->stream.socket().cancel();
      });
    }
  });
}

std::size_t server::connection_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->connections.size();
}

}  // namespace stratus::http
