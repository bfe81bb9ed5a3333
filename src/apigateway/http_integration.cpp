// HTTP and HTTP_PROXY integrations: a real outgoing request (Boost.Beast,
// TLS for https URIs with the system's trust store), bounded by the
// integration's timeout. HTTP sends the mapped request (its headers, query
// string and transformed body); HTTP_PROXY passes the client's request on
// and its answer back as they are, but for the hop-by-hop headers.
#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "apigateway/pipeline.hpp"
#include "apigateway/within.hpp"
#include "common/ascii.hpp"
#include "common/uri.hpp"

namespace stratus::apigateway {
namespace json = boost::json;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::size_t max_response_bytes = 10 * 1024 * 1024;

bool hop_by_hop(std::string_view name) {
  for (std::string_view h :
       {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length"})
    if (ascii::iequals(name, h)) return true;
  return false;
}

struct http_result {
  unsigned status = 0;
  param_list headers;
  std::string body;
  std::string error;  // when the request could not be made
};

template <class Stream>
asio::awaitable<http_result> exchange(Stream& stream, bhttp::request<bhttp::string_body> request) {
  http_result out;
  co_await bhttp::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(max_response_bytes);
  co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
  auto& res = parser.get();
  out.status = res.result_int();
  for (const auto& f : res) out.headers.emplace_back(f.name_string(), f.value());
  out.body = std::move(res.body());
  co_return out;
}

asio::awaitable<http_result> send(std::string scheme, std::string host, std::string port,
                                  bhttp::request<bhttp::string_body> request) {
  http_result out;
  try {
    auto ex = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(ex);
    auto endpoints = co_await resolver.async_resolve(host, port, asio::use_awaitable);
    if (scheme == "https") {
      asio::ssl::context tls(asio::ssl::context::tls_client);
      tls.set_default_verify_paths();
      tls.set_verify_mode(asio::ssl::verify_peer);
      beast::ssl_stream<beast::tcp_stream> stream(ex, tls);
      if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()))
        throw std::runtime_error("cannot set the TLS server name");
      stream.set_verify_callback(asio::ssl::host_name_verification(host));
      co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
      co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
      out = co_await exchange(stream, std::move(request));
    } else {
      beast::tcp_stream stream(ex);
      co_await stream.async_connect(endpoints, asio::use_awaitable);
      out = co_await exchange(stream, std::move(request));
    }
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  co_return out;
}

}  // namespace

asio::awaitable<std::variant<integration_outcome, gateway_answer>> call_http(
    const deployed_stage& stage, const method_request& req, const json::object& integration,
    std::string uri, integration_request call, bool proxy, std::chrono::milliseconds timeout,
    execution_log& log) {
  (void)stage;
  // {name} in the URI: the mapped path parameters.
  for (const auto& [name, value] : call.path) {
    const std::string braced = "{" + name + "}";
    const std::string greedy = "{" + name + "+}";
    for (const std::string& token : {greedy, braced})
      for (auto at = uri.find(token); at != std::string::npos; at = uri.find(token, at))
        uri.replace(at, token.size(), uri_encode(value, true));
  }
  auto parsed = boost::urls::parse_uri(uri);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https")) {
    if (log.enabled())
      log.add("Execution failed due to configuration error: Invalid endpoint address " + uri);
    co_return default_response(gateway_error::integration_failure);
  }
  const std::string scheme = parsed->scheme();
  const std::string host = parsed->host();
  const std::string port =
      parsed->has_port() ? std::string(parsed->port()) : (scheme == "https" ? "443" : "80");
  std::string target = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  std::string query = parsed->has_query() ? std::string(parsed->encoded_query()) : std::string();
  auto add_query = [&](std::string_view k, std::string_view v) {
    if (!query.empty()) query += '&';
    query += uri_encode(k, false) + "=" + uri_encode(v, false);
  };
  if (proxy && !req.query.empty()) query += (query.empty() ? "" : "&") + req.query;
  for (const auto& [k, v] : call.query) add_query(k, v);
  if (!query.empty()) target += "?" + query;

  std::string method =
      integration.contains("httpMethod") && integration.at("httpMethod").is_string()
          ? std::string(integration.at("httpMethod").get_string())
          : req.http_method;
  if (method == "ANY") method = req.http_method;
  bhttp::request<bhttp::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(bhttp::field::host, parsed->has_port() ? host + ":" + port : host);
  if (proxy) {
    for (const auto& [k, v] : req.headers)
      if (!hop_by_hop(k)) request.insert(k, v);
  } else if (auto ct = header_of(req.headers, "Content-Type")) {
    request.set(bhttp::field::content_type, *ct);
  }
  for (const auto& [k, v] : call.headers) request.set(k, v);
  request.set(bhttp::field::connection, "close");
  request.body() = proxy ? req.body : call.body;
  if (!request.body().empty() || method == "POST" || method == "PUT" || method == "PATCH")
    request.prepare_payload();

  if (log.enabled())
    log.add(fmt::format("Endpoint request URI: {}://{}{}", scheme, request[bhttp::field::host],
                        target));
  if (log.enabled()) log.add("Endpoint request body after transformations: " + request.body());
  if (log.enabled()) log.add("Sending request to " + uri);
  const auto started = std::chrono::steady_clock::now();
  auto answered = co_await within(send(scheme, host, port, std::move(request)), timeout);
  if (!answered) {
    log.add("Execution failed due to a timeout error");
    co_return default_response(gateway_error::integration_timeout);
  }
  if (!answered->error.empty()) {
    if (log.enabled()) log.add("Execution failed due to configuration error: " + answered->error);
    co_return default_response(gateway_error::integration_failure);
  }
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  if (log.enabled())
    log.add(fmt::format("Received response. Status: {}, Integration latency: {} ms",
                        answered->status, latency));
  if (log.enabled()) log.add("Endpoint response body before transformations: " + answered->body);
  integration_outcome out;
  out.status = answered->status;
  out.headers = std::move(answered->headers);
  out.body = std::move(answered->body);
  co_return out;
}

}  // namespace stratus::apigateway
