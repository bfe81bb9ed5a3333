// The HTTP server on its own, with a small application, spoken to through raw
// sockets so that framing, limits and timeouts are seen byte for byte.
#include "http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace stratus::http {
namespace {

using tcp = asio::ip::tcp;

// Echoes the method, target and body; refuses bodies over 64 bytes.
class echo_app : public application {
 public:
  admission admit(const request_header& header) override {
    if (header.target() == "/refuse") return bad_request(status::forbidden, "no");
    if (header.target() == "/throw-in-admit") throw std::runtime_error("admit failed");
    return std::uint64_t{64};
  }
  asio::awaitable<response> handle(request& req, const connection_info&) override {
    ++handled;
    if (req.target() == "/wait") co_await gate.async_receive(asio::use_awaitable);
    // As an encoder or a compressor that fails after the handler would.
    if (req.target() == "/throw") throw std::runtime_error("encoding failed");
    response res{status::ok, req.version()};
    res.set(field::content_type, "text/plain");
    res.body() =
        std::string(req.method_string()) + " " + std::string(req.target()) + " " + req.body();
    co_return res;
  }
  response bad_request(status code, std::string_view why) override {
    response res{code, 11};
    res.body() = std::string(why);
    res.prepare_payload();
    return res;
  }
  std::atomic<int> handled{0};
  // A request for /wait is answered once the test sends here.
  asio::io_context gate_io;
  asio::experimental::concurrent_channel<void(boost::system::error_code)> gate{gate_io, 1};
};

// A server on 127.0.0.1 with its io_context run by two threads; with
// `per_thread`, connections live on two single-threaded contexts as in
// stratus serve.
class running_server {
 public:
  explicit running_server(limits lim = {}, bool per_thread = false) {
    std::vector<asio::any_io_executor> executors;
    if (per_thread)
      for (int i = 0; i < 2; ++i) {
        contexts_.push_back(std::make_unique<asio::io_context>(1));
        executors.push_back(contexts_.back()->get_executor());
      }
    server_ = std::make_unique<server>(io_, app, lim, executors);
    port = server_->listen("127.0.0.1", 0);
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
    for (auto& c : contexts_)
      threads_.emplace_back([&c] {
        auto guard = asio::make_work_guard(*c);
        c->run();
      });
  }
  ~running_server() {
    std::promise<void> drained;
    server_->stop([&drained] { drained.set_value(); });
    drained.get_future().wait();
    io_.stop();
    for (auto& c : contexts_) c->stop();
    for (auto& t : threads_) t.join();
  }
  void stop(std::function<void()> on_drained) { server_->stop(std::move(on_drained)); }
  std::size_t connections() const { return server_->connection_count(); }

  echo_app app;
  std::uint16_t port = 0;

 private:
  asio::io_context io_{2};
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::unique_ptr<server> server_;
  std::vector<std::thread> threads_;
};

// A blocking client connection.
struct client {
  explicit client(std::uint16_t port) : socket(io) {
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
  }
  void send(std::string_view bytes) { asio::write(socket, asio::buffer(bytes)); }
  // Everything until the server closes the connection.
  std::string read_all() {
    std::string out;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(out), ec);
    return out;
  }
  // One response, framed by its Content-Length.
  std::string read_response() {
    for (;;) {
      auto end = pending.find("\r\n\r\n");
      if (end != std::string::npos) {
        auto at = pending.find("Content-Length: ");
        std::size_t length = at < end ? std::stoul(pending.substr(at + 16)) : 0;
        if (pending.size() >= end + 4 + length) {
          std::string out = pending.substr(0, end + 4 + length);
          pending.erase(0, out.size());
          return out;
        }
      }
      char chunk[4096];
      boost::system::error_code ec;
      std::size_t n = socket.read_some(asio::buffer(chunk), ec);
      if (ec) return std::exchange(pending, {});
      pending.append(chunk, n);
    }
  }
  asio::io_context io;
  tcp::socket socket;
  std::string pending;
};

std::string body_of(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

TEST(http_server, answers_with_length_date_and_body) {
  running_server s;
  client c(s.port);
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string res = c.read_response();
  EXPECT_TRUE(res.starts_with("HTTP/1.1 200 OK\r\n")) << res;
  EXPECT_NE(res.find("Content-Length: 11\r\n"), std::string::npos) << res;
  EXPECT_NE(res.find("Date: "), std::string::npos) << res;
  EXPECT_EQ(body_of(res), "GET /hello ");
}

// Polls for a condition another thread makes true; the test's own timeout
// bounds the wait.
template <class Predicate>
bool eventually(Predicate done) {
  for (int i = 0; i < 2000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST(http_server, an_application_that_throws_answers_500_and_leaves_no_connection_behind) {
  running_server s;
  for (const std::string_view target : {"/throw", "/throw-in-admit"}) {
    SCOPED_TRACE(target);
    client c(s.port);
    c.send("POST " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    c.socket.shutdown(tcp::socket::shutdown_send);  // nothing more comes: no lingering
    const std::string res = c.read_all();           // answered, then closed
    EXPECT_TRUE(res.starts_with("HTTP/1.1 500 ")) << res;
    EXPECT_EQ(body_of(res), "internal error");
    EXPECT_TRUE(eventually([&] { return s.connections() == 0; }));
  }
  // The server goes on serving, and stops (the destructor drains) at once.
  client c(s.port);
  c.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(body_of(c.read_response()), "GET /after ");
}

TEST(http_server, pipelined_requests_are_answered_in_order_on_one_connection) {
  for (bool per_thread : {false, true}) {
    running_server s({}, per_thread);
    client c(s.port);
    std::string burst;
    for (int i = 0; i < 20; ++i)
      burst +=
          "POST /n" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab";
    c.send(burst);
    for (int i = 0; i < 20; ++i)
      EXPECT_EQ(body_of(c.read_response()), "POST /n" + std::to_string(i) + " ab");
  }
}

// The first request's answer is written before the second is handled, or,
// with hold_pipelined_answers, held and written with the second's.
TEST(http_server, answers_to_pipelined_requests_are_held_only_when_asked) {
  for (bool hold : {false, true}) {
    limits lim;
    lim.hold_pipelined_answers = hold;
    running_server s(lim, true);
    client c(s.port);
    c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
    for (int i = 0; i < 1000 && s.app.handled < 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(s.app.handled.load(), 2);
    // Loopback delivers a write at once: the first answer is here unless held.
    EXPECT_EQ(c.socket.available() > 0, !hold) << "hold=" << hold;
    s.app.gate.try_send(boost::system::error_code{});
    EXPECT_EQ(body_of(c.read_response()), "GET /a ");
    EXPECT_EQ(body_of(c.read_response()), "GET /wait ");
  }
}

TEST(http_server, many_connections_spread_over_per_thread_contexts) {
  running_server s({}, true);
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<client>(s.port));
  for (int round = 0; round < 3; ++round)
    for (auto& c : clients) {
      c->send("GET /r HTTP/1.1\r\nHost: x\r\n\r\n");
      EXPECT_EQ(body_of(c->read_response()), "GET /r ");
    }
  EXPECT_EQ(s.app.handled.load(), 24);
}

TEST(http_server, chunked_bodies_are_decoded) {
  running_server s;
  client c(s.port);
  c.send(
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  EXPECT_EQ(body_of(c.read_response()), "POST /c abcde");
}

TEST(http_server, expect_continue_gets_an_interim_response) {
  running_server s;
  client c(s.port);
  c.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  EXPECT_EQ(c.read_response(), "HTTP/1.1 100 Continue\r\n\r\n");
  c.send("xyz");
  EXPECT_EQ(body_of(c.read_response()), "POST /e xyz");
}

// The client is still sending its body when the refusal goes out: the server
// reads and drops the rest rather than resetting the connection under the
// answer.
TEST(http_server, early_answer_survives_a_client_still_sending) {
  running_server s;
  client c(s.port);
  const std::string chunk(64 * 1024, 'a');
  c.send("POST /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: " +
         std::to_string(chunk.size() * 120) + "\r\n\r\n");
  for (int i = 0; i < 120; ++i) c.send(chunk);  // far more than the socket buffers hold
  std::string res = c.read_all();
  EXPECT_TRUE(res.starts_with("HTTP/1.1 403 ")) << res;
}

TEST(http_server, body_over_the_admitted_limit_is_413_and_closes) {
  running_server s;
  client c(s.port);
  c.send("POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n" +
         std::string(80, 'a') + "\r\n0\r\n\r\n");
  std::string res = c.read_all();
  EXPECT_TRUE(res.starts_with("HTTP/1.1 413 ")) << res;
  EXPECT_NE(res.find("Connection: close"), std::string::npos) << res;
}

TEST(http_server, refusal_at_admission_is_sent_without_reading_the_body) {
  running_server s;
  client c(s.port);
  c.send("POST /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  std::string res = c.read_all();
  EXPECT_TRUE(res.starts_with("HTTP/1.1 403 ")) << res;
  EXPECT_EQ(s.app.handled.load(), 0);
}

TEST(http_server, oversized_header_is_400) {
  limits lim;
  lim.max_header_bytes = 1024;
  running_server s(lim);
  client c(s.port);
  c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'b') + "\r\n\r\n");
  EXPECT_TRUE(c.read_all().starts_with("HTTP/1.1 400 "));
}

// Fields that each fit but together do not: the limit is on the whole
// header, however it arrives.
TEST(http_server, header_of_many_fields_over_the_limit_is_400) {
  running_server s({}, true);
  for (std::size_t size : {std::size_t{8000}, std::size_t{8300}}) {
    client c(s.port);
    c.send("GET / HTTP/1.1\r\nHost: x\r\nX-One: " + std::string(size, 'a') +
           "\r\nX-Two: " + std::string(size, 'b') + "\r\n\r\n");
    const bool over = 2 * size > 16 * 1024;
    const std::string res = over ? c.read_all() : c.read_response();
    EXPECT_TRUE(res.starts_with(over ? "HTTP/1.1 400 " : "HTTP/1.1 200 ")) << size;
  }
}

TEST(http_server, garbage_is_400) {
  running_server s;
  client c(s.port);
  c.send("this is not http\r\n\r\n");
  EXPECT_TRUE(c.read_all().starts_with("HTTP/1.1 400 "));
}

TEST(http_server, http_10_gets_a_10_response_and_the_connection_closes) {
  running_server s;
  client c(s.port);
  c.send("GET /old HTTP/1.0\r\n\r\n");
  std::string res = c.read_all();
  EXPECT_TRUE(res.starts_with("HTTP/1.0 200 OK\r\n")) << res;
  EXPECT_EQ(body_of(res), "GET /old ");
}

TEST(http_server, idle_connection_is_closed_after_the_idle_timeout) {
  limits lim;
  lim.idle_timeout = std::chrono::milliseconds(100);
  running_server s(lim);
  client c(s.port);
  c.send("GET /once HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(body_of(c.read_response()), "GET /once ");
  // Nothing more is sent: the server ends the connection by itself.
  EXPECT_EQ(c.read_all(), "");
}

TEST(http_server, request_whose_body_never_comes_is_dropped_after_the_read_timeout) {
  limits lim;
  lim.read_timeout = std::chrono::milliseconds(100);
  running_server s(lim);
  client c(s.port);
  c.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_EQ(c.read_all(), "");
  EXPECT_EQ(s.app.handled.load(), 0);
}

TEST(http_server, stop_closes_idle_connections_and_reports_drained) {
  auto s = std::make_unique<running_server>();
  client c(s->port);
  c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(body_of(c.read_response()), "GET /a ");
  std::promise<void> drained;
  s->stop([&drained] { drained.set_value(); });
  drained.get_future().wait();
  EXPECT_EQ(c.read_all(), "");
  EXPECT_EQ(s->connections(), 0u);
}

}  // namespace
}  // namespace stratus::http
