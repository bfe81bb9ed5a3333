#pragma once
// The HTTP/1.1 server: Boost.Beast over Asio with C++20 coroutines. One
// coroutine per connection, keep-alive, pipelined requests answered in order,
// limits on header and body size, timeouts, a cap on connections, graceful
// stop. It knows nothing about AWS: an `application` (the edge) decides what
// a request may send and what to answer.
//
// Threading: the acceptor runs on `io`. Each accepted connection lives on one
// of `connection_executors`, round-robin; give one single-threaded io_context
// per core there, so a request is read, handled and answered on one thread
// with no hand-over between threads. Without them, every connection gets a
// strand of `io`, which any number of threads may run. `stop()` may be called
// from any thread.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace stratus::http {

namespace beast = boost::beast;
namespace asio = boost::asio;

using request = beast::http::request<beast::http::string_body>;
using request_header = beast::http::request_header<>;
using response = beast::http::response<beast::http::string_body>;
using status = beast::http::status;
using field = beast::http::field;
using verb = beast::http::verb;

struct limits {
  std::size_t max_header_bytes = 16 * 1024;  // AWS front ends refuse larger headers (400)
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(2)};   // between requests
  std::chrono::milliseconds read_timeout{std::chrono::seconds(60)};  // one request's body
  std::size_t max_connections = 4096;
  // When the next request is already buffered (pipelined), hold an answer
  // and send it with the next one. Fit for clients that pipeline on purpose
  // behind a long poll (the Runtime API); an ordinary client would wait for
  // its first answer as long as the second request takes.
  bool hold_pipelined_answers = false;
};

struct connection_info {
  asio::ip::tcp::endpoint remote;
  std::uint64_t id = 0;
};

// What the application answers once a request's header has been read: the
// largest body it accepts, or a response to send at once without reading the
// body (the connection is then closed, since the body is still in flight).
using admission = std::variant<std::uint64_t, response>;

class application {
 public:
  virtual ~application() = default;
  [[nodiscard]] virtual admission admit(const request_header& header) = 0;
  [[nodiscard]] virtual asio::awaitable<response> handle(request& req,
                                                         const connection_info& conn) = 0;
  // The answer to a request that was not valid HTTP or broke a limit.
  [[nodiscard]] virtual response bad_request(status code, std::string_view why) = 0;
};

class server {
 public:
  server(asio::io_context& io, application& app, limits lim,
         std::vector<asio::any_io_executor> connection_executors = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and starts accepting; returns the bound port (useful with port 0).
  [[nodiscard]] std::uint16_t listen(const std::string& host, std::uint16_t port);
  // Stops accepting, closes idle connections and lets busy ones finish their
  // current request. `on_drained` runs once no connection is left.
  void stop(std::function<void()> on_drained);
  [[nodiscard]] std::size_t connection_count() const;

 private:
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace stratus::http
