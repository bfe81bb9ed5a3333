// The Lambda Runtime API (2018-06-01) of one environment, as AWS serves it
// to runtimes: /runtime/invocation/next (long poll), /invocation/{id}/response,
// /invocation/{id}/error, /init/error, with AWS's status codes and error
// bodies ({"errorMessage", "errorType"}; 202 {"status":"OK"}).
#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include "runtime/environment.hpp"
#include "runtime/process.hpp"

namespace stratus::runtime {
namespace json = boost::json;

namespace {

constexpr std::string_view prefix = "/2018-06-01/runtime/";
// What the server reads of a body before refusing it; larger responses are
// still answered (413) and reported as Function.ResponseSizeTooLarge.
constexpr std::uint64_t body_read_limit = 64ull * 1024 * 1024;

// 202 {"status":"OK"}: how the Runtime API accepts a result or an error.
http::response accepted() {
  http::response res{http::status::accepted, 11};
  res.set(http::field::content_type, "application/json");
  res.body() = "{\"status\":\"OK\"}\n";
  return res;
}

std::string transition_refused(const char* from, std::string_view to) {
  return fmt::format(
      "State transition from {} to {} failed for runtime. Error: State transition "
      "is not allowed",
      from, to);
}

const char* phase_name(int p) {
  static const char* names[] = {"Initializing", "Ready", "Invoking", "InvocationResponse",
                                "Failed"};
  return names[p];
}

}  // namespace

http::response environment::runtime_error(http::status code, std::string_view type,
                                          std::string_view message) const {
  http::response res{code, 11};
  res.set(http::field::content_type, "application/json");
  res.body() = json::serialize(json::object{{"errorMessage", message}, {"errorType", type}}) + "\n";
  return res;
}

http::admission environment::admit(const http::request_header& header) {
  const auto length = header.find(http::field::content_length);
  if (length != header.end() && header.method() == http::verb::post) {
    const std::string_view target = header.target();
    std::uint64_t size = 0;
    try {
      size = std::stoull(std::string(length->value()));
    } catch (...) {
      return runtime_error(http::status::bad_request, "InvalidRequest", "Invalid Content-Length");
    }
    if (size > body_read_limit && target.ends_with("/response")) {
      // Not read at all: the invocation fails now, as AWS fails it.
      std::lock_guard lock(state_mutex_);
      if (phase_ == phase::invoking) {
        phase_ = phase::responded;
        post_event({event_kind::too_large, {}, {}, static_cast<std::size_t>(size), 0, 0});
      }
      return runtime_error(http::status::payload_too_large, "RequestEntityTooLarge",
                           fmt::format("Exceeded maximum allowed payload size ({} bytes).",
                                       opts_.max_response_bytes));
    }
  }
  return body_read_limit;
}

http::response environment::bad_request(http::status code, std::string_view why) {
  return runtime_error(
      code, code == http::status::payload_too_large ? "RequestEntityTooLarge" : "InvalidRequest",
      why);
}

bool environment::from_our_runtime(const http::connection_info& conn) {
  if (!setup_.uid) return true;  // every function runs as Stratus: nothing to tell apart
  {
    std::lock_guard lock(state_mutex_);
    if (trusted_connections_.contains(conn.id)) return true;
  }
  // Loopback ports are open to every local process: another function must
  // not take this one's events or answer for it. The client socket belongs
  // to this environment's uid or it is refused.
  const auto owner = loopback_socket_owner(conn.remote.port(), port_);
  if (!owner || *owner != *setup_.uid) return false;
  std::lock_guard lock(state_mutex_);
  if (trusted_connections_.size() >= 64) trusted_connections_.clear();  // curl: one per call
  trusted_connections_.insert(conn.id);
  return true;
}

asio::awaitable<http::response> environment::handle(http::request& req,
                                                    const http::connection_info& conn) {
  auto self = shared_from_this();  // alive while the runtime waits on /next
  if (!from_our_runtime(conn)) {
    co_return runtime_error(http::status::forbidden, "AccessDeniedException",
                            "The Runtime API serves only its own environment.");
  }
  const std::string target(req.target());
  if (!target.starts_with(prefix)) {
    co_return runtime_error(http::status::not_found, "InvalidRequest", "404 page not found");
  }
  const std::string_view rest = std::string_view(target).substr(prefix.size());
  const auto wrong_method = [&] {
    return runtime_error(http::status::method_not_allowed, "InvalidRequest", "Method Not Allowed");
  };
  if (rest == "invocation/next") {
    if (req.method() != http::verb::get) co_return wrong_method();
    co_return co_await next_invocation();
  }
  if (rest == "init/error") {
    if (req.method() != http::verb::post) co_return wrong_method();
    co_return post_init_error(req);
  }
  if (rest.starts_with("invocation/")) {
    const auto tail = rest.substr(std::string_view("invocation/").size());
    const auto slash = tail.rfind('/');
    if (slash != std::string_view::npos && slash > 0) {
      const std::string id(tail.substr(0, slash));
      const auto what = tail.substr(slash + 1);
      if (what == "response" || what == "error") {
        if (req.method() != http::verb::post) co_return wrong_method();
        co_return post_result(req, id, what == "error");
      }
    }
  }
  co_return runtime_error(http::status::not_found, "InvalidRequest", "404 page not found");
}

asio::awaitable<http::response> environment::next_invocation() {
  {
    std::lock_guard lock(state_mutex_);
    if (phase_ == phase::invoking || phase_ == phase::waiting || phase_ == phase::failed) {
      co_return runtime_error(
          http::status::forbidden, "InvalidStateTransition",
          fmt::format("State transition from {} to Ready failed for runtime. Error: State "
                      "transition is not allowed",
                      phase_name(static_cast<int>(phase_))));
    }
    if (phase_ == phase::initializing) post_event({event_kind::ready, {}, {}, 0, 0, 0});
    phase_ = phase::waiting;
  }
  auto [ec, inv] = co_await work_.async_receive(asio::as_tuple(asio::use_awaitable));
  if (ec) {
    // The environment is being stopped.
    co_return runtime_error(http::status::gone, "EnvironmentStopped",
                            "The environment is stopping");
  }
  {
    std::lock_guard lock(state_mutex_);
    phase_ = phase::invoking;
    current_id_ = inv.request_id;
  }
  http::response res{http::status::ok, 11};
  res.set(http::field::content_type, "application/json");
  res.set("Lambda-Runtime-Aws-Request-Id", inv.request_id);
  res.set("Lambda-Runtime-Deadline-Ms", inv.deadline_ms);
  res.set("Lambda-Runtime-Invoked-Function-Arn", inv.function_arn);
  res.set("Lambda-Runtime-Trace-Id", inv.trace_id);
  if (!inv.client_context.empty()) res.set("Lambda-Runtime-Client-Context", inv.client_context);
  res.body() = std::move(inv.payload);
  co_return res;
}

http::response environment::post_result(const http::request& req, const std::string& id,
                                        bool is_error) {
  std::lock_guard lock(state_mutex_);
  if (phase_ != phase::invoking) {
    return runtime_error(
        http::status::forbidden, "InvalidStateTransition",
        transition_refused(phase_name(static_cast<int>(phase_)),
                           is_error ? "InvocationErrorResponse" : "InvocationResponse"));
  }
  if (id != current_id_)
    return runtime_error(http::status::bad_request, "InvalidRequestID", "Invalid request ID");
  phase_ = phase::responded;
  if (!is_error && req.body().size() > opts_.max_response_bytes) {
    post_event({event_kind::too_large, {}, {}, req.body().size(), 0, 0});
    return runtime_error(
        http::status::payload_too_large, "RequestEntityTooLarge",
        fmt::format("Exceeded maximum allowed payload size ({} bytes).", opts_.max_response_bytes));
  }
  if (is_error) {
    std::string type(req["Lambda-Runtime-Function-Error-Type"]);
    post_event(
        {event_kind::function_error, req.body(), type.empty() ? "Runtime.Unknown" : type, 0, 0, 0});
  } else {
    post_event({event_kind::response, req.body(), {}, 0, 0, 0});
  }
  return accepted();
}

http::response environment::post_init_error(const http::request& req) {
  std::lock_guard lock(state_mutex_);
  if (phase_ != phase::initializing) {
    return runtime_error(http::status::forbidden, "InvalidStateTransition",
                         transition_refused(phase_name(static_cast<int>(phase_)), "InitError"));
  }
  phase_ = phase::failed;
  std::string type(req["Lambda-Runtime-Function-Error-Type"]);
  post_event(
      {event_kind::init_error, req.body(), type.empty() ? "Runtime.Unknown" : type, 0, 0, 0});
  return accepted();
}

}  // namespace stratus::runtime
