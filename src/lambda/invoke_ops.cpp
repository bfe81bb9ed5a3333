// Invoke (RequestResponse, Event, DryRun) and the legacy InvokeAsync. The
// only operations that wait on something other than storage: coroutines,
// so that a running function does not hold an io thread.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "lambda/async_queue.hpp"
#include "lambda/context.hpp"
#include "lambda/errors.hpp"
#include "lambda/resource_policy.hpp"

namespace stratus::lambda {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr std::size_t max_sync_payload = 6291456;
constexpr std::size_t max_async_payload = 262144;
constexpr std::size_t max_log_tail = 4096;

std::optional<api_error> check_json(const std::string& payload) {
  if (payload.empty()) return std::nullopt;
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 1024;
  (void)json::parse(payload, ec, {}, opts);
  if (!ec) return std::nullopt;
  return api_error(
      "InvalidRequestContentException",
      "Could not parse request body into json: Could not parse payload into json: " + ec.message(),
      400);
}

result<json::object> enqueue(context& c, const request_context& ctx, const function_ref& ref,
                             std::string payload, std::string client_context) {
  if (payload.size() > max_async_payload)
    return errors::too_large(
        fmt::format("{} byte payload is too large for the Event invocation type (limit {} bytes)",
                    payload.size(), max_async_payload));
  if (auto e = check_json(payload)) return *e;
  queued_event event;
  event.id = ctx.request_id;
  event.account = ref.account;
  event.region = ref.region;
  event.function = ref.name;
  event.qualifier = ref.qualifier.value_or("");
  event.payload = std::move(payload);
  event.client_context = std::move(client_context);
  event.enqueued_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(ctx.now.time_since_epoch()).count();
  if (auto queued = c.queue->enqueue(event); !queued) return queued.error();
  return json::object{};
}

// A service calling on its own behalf needs the resource policy of what it
// invokes (the function's, or the alias's or version's it names).
std::optional<api_error> check_service_caller(const request_context& ctx, const resolved& target) {
  if (ctx.service_principal.empty()) return std::nullopt;
  auto it = target.function->policies.find(target.qualifier);
  if (it != target.function->policies.end() &&
      policy_allows(it->second, {ctx.service_principal, "lambda:InvokeFunction", ctx.source_arn,
                                 ctx.source_account}))
    return std::nullopt;
  return api_error(
      "AccessDeniedException",
      "The principal " + ctx.service_principal + " is not authorized to invoke this function", 403);
}

asio::awaitable<result<json::object>> invoke(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) co_return ref.error();
  std::string payload = string_member(in, "Payload").value_or("");
  const std::string type = string_member(in, "InvocationType").value_or("RequestResponse");
  if (type == "RequestResponse" && payload.size() > max_sync_payload)
    co_return errors::too_large(
        fmt::format("Request must be smaller than {} bytes for the InvokeFunction operation",
                    max_sync_payload));
  auto target = resolve(c, *ref, true);
  if (!target) co_return target.error();
  if (auto denied = check_service_caller(ctx, *target)) co_return *denied;
  if (type == "DryRun") co_return json::object{{"StatusCode", 204}};
  if (type == "Event") {
    auto queued =
        enqueue(c, ctx, *ref, std::move(payload), string_member(in, "ClientContext").value_or(""));
    if (!queued) co_return queued.error();
    co_return json::object{{"StatusCode", 202}};
  }
  if (auto e = check_json(payload)) co_return *e;
  invoke_request request;
  request.payload = std::move(payload);
  request.request_id = ctx.request_id;
  request.client_context = string_member(in, "ClientContext").value_or("");
  request.tail_log = string_member(in, "LogType").value_or("None") == "Tail";
  auto outcome = co_await c.runner.invoke(spec_of(c, *target, *ref), std::move(request));
  if (!outcome) co_return outcome.error();
  json::object out{{"StatusCode", 200},
                   {"ExecutedVersion", target->version},
                   {"Payload", std::move(outcome->payload)}};
  if (outcome->function_error) out["FunctionError"] = *outcome->function_error;
  if (string_member(in, "LogType").value_or("None") == "Tail") {
    // AWS sends the last 4 KB of the invocation's log.
    std::string_view tail = outcome->log_tail;
    if (tail.size() > max_log_tail) tail.remove_prefix(tail.size() - max_log_tail);
    out["LogResult"] = base64_encode(tail);
  }
  co_return out;
}

asio::awaitable<result<json::object>> invoke_async(context& c, request_context& ctx,
                                                   json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) co_return ref.error();
  auto target = resolve(c, *ref);
  if (!target) co_return target.error();
  auto queued = enqueue(c, ctx, *ref, string_member(in, "InvokeArgs").value_or(""), "");
  if (!queued) co_return queued.error();
  co_return json::object{{"Status", 202}};
}

}  // namespace

asio::awaitable<result<internal_outcome>> invoke_internally(context& c, const function_ref& ref,
                                                            std::string payload,
                                                            std::string request_id,
                                                            std::string client_context) {
  if (!c.services) co_return errors::internal("Lambda has no call path to Invoke");
  request_context ctx;
  ctx.request_id = std::move(request_id);
  ctx.account_id = ref.account;
  ctx.region = ref.region;
  ctx.caller_arn = "lambda.amazonaws.com";
  ctx.caller_user_id = ctx.caller_arn;
  ctx.now = std::chrono::system_clock::now();
  json::object input;
  input["FunctionName"] = ref.name;
  if (ref.qualifier && !ref.qualifier->empty()) input["Qualifier"] = *ref.qualifier;
  input["Payload"] = std::move(payload);
  input["InvocationType"] = "RequestResponse";
  if (!client_context.empty()) input["ClientContext"] = std::move(client_context);
  auto out = co_await c.services->call(std::move(ctx), "lambda", "Invoke", std::move(input));
  if (!out) co_return out.error();
  internal_outcome done;
  if (auto p = string_member(*out, "Payload")) done.result.payload = std::move(*p);
  done.result.function_error = string_member(*out, "FunctionError");
  done.executed_version = string_member(*out, "ExecutedVersion").value_or("$LATEST");
  co_return done;
}

void add_invoke_operations(context& c, async_handler_table& table) {
  table["Invoke"] = [&c](request_context& ctx, json::object& in) { return invoke(c, ctx, in); };
  table["InvokeAsync"] = [&c](request_context& ctx, json::object& in) {
    return invoke_async(c, ctx, in);
  };
}

}  // namespace stratus::lambda
