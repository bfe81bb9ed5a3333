// 7. Logging: the execution log of a request to
// API-Gateway-Execution-Logs_{apiId}/{stage} at the method's logging level
// (ERROR: the failures; INFO: every step; data trace: bodies and headers
// too), and the access log line in the stage's format to its destination
// log group. Written through the Logs service's own operations, after the
// answer has gone, in the background.
#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <mutex>
#include <random>
#include <set>

#include "apigateway/ops.hpp"
#include "apigateway/pipeline.hpp"
#include "common/escaped.hpp"
#include "common/uuid.hpp"

namespace stratus::apigateway {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

// The setting of `stage` for this method ("~1pets~1{id}/GET"), else "*/*";
// null when there is none.
const json::object* method_setting(const deployed_stage& stage, const route_match& route) {
  auto* all = stage.stage.if_contains("methodSettings");
  if (!all || !all->is_object() || all->get_object().empty()) return nullptr;
  std::string key;
  for (char c : route.res->path) key += c == '/' ? std::string("~1") : std::string(1, c);
  auto* method = route.method->if_contains("httpMethod");
  key += "/" + (method && method->is_string() ? std::string(method->get_string()) : "ANY");
  if (auto* s = all->get_object().if_contains(key); s && s->is_object()) return &s->get_object();
  if (auto* s = all->get_object().if_contains("*/*"); s && s->is_object()) return &s->get_object();
  return nullptr;
}

// The access log format with its $context variables filled in; what the
// request does not have prints as "-".
std::string access_line(std::string_view format, const json::object& context) {
  std::string out;
  std::size_t i = 0;
  constexpr std::string_view prefix = "$context.";
  while (i < format.size()) {
    if (format.substr(i, prefix.size()) != prefix) {
      out += format[i++];
      continue;
    }
    std::size_t end = i + prefix.size();
    while (end < format.size() && (std::isalnum(static_cast<unsigned char>(format[end])) ||
                                   format[end] == '.' || format[end] == '_'))
      ++end;
    while (end > i + prefix.size() && format[end - 1] == '.') --end;
    std::string_view path = format.substr(i + prefix.size(), end - i - prefix.size());
    const json::value* at = value_at(context, path);
    if (!at || at->is_null() || at->is_object())
      out += '-';
    else
      out += value_text(*at);
    i = end;
  }
  return out;
}

// The groups and streams this server made already (so a request does not
// create them again).
struct made_sinks {
  std::mutex mutex;
  std::set<std::string> streams;
};

made_sinks& sinks() {
  static made_sinks s;
  return s;
}

asio::awaitable<void> put_events(const service_caller& services, request_context ctx,
                                 std::string group, std::string stream,
                                 std::vector<std::string> messages, std::int64_t at_ms) {
  const std::string key = ctx.account_id + "/" + ctx.region + "/" + group + "/" + stream;
  bool known = false;
  {
    std::lock_guard lock(sinks().mutex);
    known = sinks().streams.contains(key);
  }
  if (!known) {
    json::object g;
    g["logGroupName"] = group;
    (void)co_await services.call(ctx, "logs", "CreateLogGroup", std::move(g));
    json::object s;
    s["logGroupName"] = group;
    s["logStreamName"] = stream;
    (void)co_await services.call(ctx, "logs", "CreateLogStream", std::move(s));
    std::lock_guard lock(sinks().mutex);
    sinks().streams.insert(key);
  }
  json::array events;
  for (auto& m : messages) {
    json::object e;
    e["timestamp"] = at_ms;
    e["message"] = std::move(m);
    events.push_back(std::move(e));
  }
  json::object put;
  put["logGroupName"] = group;
  put["logStreamName"] = stream;
  put["logEvents"] = std::move(events);
  auto done = co_await services.call(ctx, "logs", "PutLogEvents", std::move(put));
  if (!done && done.error().code == "ResourceNotFoundException") {
    // Deleted since: made again on the next request.
    std::lock_guard lock(sinks().mutex);
    sinks().streams.erase(key);
  }
}

// A stream name as API Gateway makes them: 32 hex digits.
std::string stream_name() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}{:016x}", rng(), rng());
}

asio::awaitable<void> write_logs(const service_caller& services, request_context ctx,
                                 std::string group, std::vector<std::string> execution,
                                 std::optional<std::pair<std::string, std::string>> access,
                                 std::int64_t at_ms) {
  static const std::string execution_stream = stream_name();
  static const std::string access_stream = stream_name();
  if (!execution.empty())
    co_await put_events(services, ctx, group, execution_stream, std::move(execution), at_ms);
  if (access) {
    std::vector<std::string> line;
    line.push_back(std::move(access->second));
    co_await put_events(services, ctx, access->first, access_stream, std::move(line), at_ms);
  }
}

}  // namespace

bool logs_execution(const deployed_stage& stage, const route_match& route) {
  const json::object* setting = method_setting(stage, route);
  if (!setting) return false;
  const std::string level = text(*setting, "loggingLevel");
  return level == "INFO" || level == "ERROR";
}

void write_stage_logs(const asio::any_io_executor& executor, const pipeline_deps& deps,
                      const deployed_stage& stage, const route_match& route,
                      const method_request& req, const gateway_answer& answer,
                      const execution_log& log, std::chrono::milliseconds latency) {
  const json::object* setting = log.enabled() ? method_setting(stage, route) : nullptr;
  auto* settings = stage.stage.if_contains("accessLogSettings");
  const bool access_logged = settings && settings->is_object();
  if (!setting && !access_logged) return;
  const std::string level = setting ? text(*setting, "loggingLevel") : std::string();
  auto* trace = setting ? setting->if_contains("dataTraceEnabled") : nullptr;
  const bool data = trace && trace->is_bool() && trace->get_bool();
  const std::int64_t at_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(req.at.time_since_epoch()).count();
  request_context ctx;
  ctx.account_id = stage.account;
  ctx.region = stage.region;
  ctx.caller_arn = "apigateway.amazonaws.com";
  ctx.now = std::chrono::system_clock::now();

  std::vector<std::string> execution;
  if (level == "INFO" || level == "ERROR")
    for (const auto& e : log.entries()) {
      if (e.what == execution_log::kind::data && !data) continue;
      if (level == "ERROR" && e.what != execution_log::kind::error) continue;
      execution.push_back("(" + req.request_id + ") " + e.message);
    }

  std::optional<std::pair<std::string, std::string>> access;  // group, line
  if (access_logged) {
    const std::string arn = text(settings->get_object(), "destinationArn");
    const std::string format = text(settings->get_object(), "format");
    constexpr std::string_view marker = ":log-group:";
    if (auto at = arn.find(marker); at != std::string::npos && !format.empty()) {
      std::string group = arn.substr(at + marker.size());
      if (group.ends_with(":*")) group.resize(group.size() - 2);
      json::object context = context_of(stage, route, req);
      context["status"] = answer.status;
      context["responseLength"] = answer.body.size();
      context["responseLatency"] = latency.count();
      if (auto type = header_of(answer.headers, "x-amzn-ErrorType")) {
        json::object error;
        error["responseType"] = *type;
        context["error"] = std::move(error);
      }
      access.emplace(std::move(group), access_line(format, context));
    }
  }
  if (execution.empty() && !access) return;

  const std::string group = "API-Gateway-Execution-Logs_" + stage.api_id + "/" + stage.stage_name;
  asio::co_spawn(executor,
                 write_logs(deps.services, std::move(ctx), group, std::move(execution),
                            std::move(access), at_ms),
                 log_if_thrown("writing API Gateway logs"));
}

}  // namespace stratus::apigateway
