#include "lambda/async_queue.hpp"

// GCC 12 reports Asio's coroutine frame allocator as mismatched new/delete
// for coroutines that co_await inside try, a false positive of that
// compiler: the frame is allocated and freed by the same class.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "common/escaped.hpp"
#include "common/uuid.hpp"
#include "lambda/background.hpp"
#include "lambda/context.hpp"
#include "lambda/errors.hpp"

namespace stratus::lambda {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr std::string_view queue_prefix = "c/lambda/async/";
constexpr int default_retries = 2;
constexpr std::int64_t default_max_age_seconds = 21600;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string due_key(std::int64_t due_ms) {
  return fmt::format("{}{:016}/", queue_prefix, std::max<std::int64_t>(due_ms, 0));
}

std::string serialize(const queued_event& e) {
  return json::serialize(json::object{{"id", e.id},
                                      {"account", e.account},
                                      {"region", e.region},
                                      {"function", e.function},
                                      {"qualifier", e.qualifier},
                                      {"payload", e.payload},
                                      {"client_context", e.client_context},
                                      {"enqueued_ms", e.enqueued_ms},
                                      {"attempts", e.attempts}});
}

std::optional<queued_event> deserialize(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  try {
    const auto& o = v.get_object();
    queued_event e;
    e.id = o.at("id").as_string();
    e.account = o.at("account").as_string();
    e.region = o.at("region").as_string();
    e.function = o.at("function").as_string();
    e.qualifier = o.at("qualifier").as_string();
    e.payload = o.at("payload").as_string();
    e.client_context = o.at("client_context").as_string();
    e.enqueued_ms = o.at("enqueued_ms").to_number<std::int64_t>();
    e.attempts = o.at("attempts").to_number<int>();
    return e;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The request payload as the destination record carries it: the JSON
// document when it is one, else the text.
json::value as_json(const std::string& payload) {
  boost::system::error_code ec;
  auto v = json::parse(payload, ec);
  if (ec) return json::string(payload);
  return v;
}

}  // namespace

struct async_queue::worker : background {
  using background::background;
  std::set<std::string> in_flight;  // keys being delivered
};

async_queue::async_queue(context& c) : c_(c) {}

async_queue::~async_queue() {
  stop();
}

result<void> async_queue::enqueue(const queued_event& e) {
  storage::write_batch batch;
  batch.put(due_key(now_ms()) + e.id, serialize(e));
  if (auto written = c_.store.write(batch); !written)
    return errors::internal(written.error().message);
  wake();
  return {};
}

std::size_t async_queue::pending() const {
  std::size_t n = 0;
  auto it = c_.store.scan({std::string(queue_prefix), storage::prefix_end(queue_prefix)});
  for (; it->valid(); it->next()) ++n;
  return n;
}

void async_queue::start(asio::any_io_executor executor) {
  if (worker_) return;
  worker_ = std::make_shared<worker>(executor);
  asio::co_spawn(worker_->strand, run(), log_if_thrown("the Lambda async queue"));
}

void async_queue::stop() {
  if (auto w = worker_) w->stop();
}

void async_queue::wake() {
  if (auto w = worker_) w->wake();
}

asio::awaitable<void> async_queue::run() {
  auto w = worker_;
  while (true) {
    {
      std::lock_guard lock(w->mutex);
      if (w->stopping) co_return;
    }
    const std::int64_t now = now_ms();
    const std::string horizon = due_key(now + 1);
    auto it = c_.store.scan({std::string(queue_prefix), horizon});
    for (; it->valid(); it->next()) {
      std::string key(it->key());
      {
        std::lock_guard lock(w->mutex);
        if (w->in_flight.size() >= c_.options.max_deliveries_in_flight) break;
        if (!w->in_flight.insert(key).second) continue;
      }
      auto e = deserialize(it->value());
      if (!e) {
        spdlog::error("lambda: dropping an unreadable queued invocation {}", key);
        storage::write_batch drop;
        drop.erase(key);
        // Left in flight when the erase never lands: not tried again here.
        if (!co_await commit(drop, key)) continue;
        std::lock_guard lock(w->mutex);
        w->in_flight.erase(key);
        continue;
      }
      asio::co_spawn(w->executor, deliver(std::move(*e), key),
                     log_if_thrown("a delivery of the Lambda async queue"));
    }
    // Sleep until the next event falls due, a poll interval at most.
    auto wait = c_.options.queue_poll;
    auto later = c_.store.scan({horizon, storage::prefix_end(queue_prefix)});
    if (later->valid()) {
      auto digits = later->key().substr(queue_prefix.size(), 16);
      std::int64_t due = 0;
      for (char ch : digits) due = due * 10 + (ch - '0');
      wait = std::min(wait, std::chrono::milliseconds(std::max<std::int64_t>(due - now, 1)));
    }
    w->timer.expires_after(wait);
    co_await w->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> async_queue::deliver(queued_event e, std::string key) {
  auto w = worker_;
  struct release {
    std::shared_ptr<worker> w;
    std::string key;
    bool settled = true;  // false: the outcome was not recorded
    ~release() {
      if (!settled) return;  // stays in flight: never delivered twice by this process
      {
        std::lock_guard lock(w->mutex);
        w->in_flight.erase(key);
      }
      if (!w->stopped()) w->wake();
    }
  } guard{w, key};

  storage::write_batch batch;
  batch.erase(key);
  function_ref ref{e.account, e.region, e.function,
                   e.qualifier.empty() ? std::nullopt : std::optional<std::string>(e.qualifier)};
  auto target = resolve(c_, ref, true);
  if (!target) {
    // The function (or its alias or version) is gone: so is the event.
    spdlog::info("lambda: dropping queued invocation {} of {}: {}", e.id, e.function,
                 target.error().message);
    guard.settled = co_await commit(batch, key);
    co_return;
  }
  const function_record& fn = *target->function;
  json::object config;
  if (auto it = fn.event_invoke.find(e.qualifier.empty() ? "$LATEST" : e.qualifier);
      it != fn.event_invoke.end())
    config = it->second;
  const int max_retries =
      static_cast<int>(int_member(config, "MaximumRetryAttempts").value_or(default_retries));
  const std::int64_t max_age_ms =
      int_member(config, "MaximumEventAgeInSeconds").value_or(default_max_age_seconds) * 1000;
  // The version the records name: the one that ran, once one has.
  std::string version = target->version;

  // The destination record, sent when the event is done with.
  auto finish = [&](std::string_view condition, std::string_view side,
                    const std::optional<invoke_result>& response, int invocations) {
    auto* dc = config.if_contains("DestinationConfig");
    auto* d = dc ? dc->as_object().if_contains(side) : nullptr;
    auto arn = d ? string_member(d->as_object(), "Destination") : std::nullopt;
    if (!arn || arn->empty()) return;
    request_context rc;
    rc.account_id = e.account;
    rc.region = e.region;
    auto dest = parse_function_ref(rc, *arn, std::nullopt);
    if (!dest || !arn->starts_with("arn:aws:lambda:")) {
      spdlog::warn("lambda: destination {} of {} is not a Lambda function; record not sent", *arn,
                   e.function);
      return;
    }
    json::object record{{"version", "1.0"},
                        {"timestamp", iso_timestamp(std::chrono::system_clock::now())},
                        {"requestContext", json::object{{"requestId", e.id},
                                                        {"functionArn", function_arn(ref, version)},
                                                        {"condition", condition},
                                                        {"approximateInvokeCount", invocations}}},
                        {"requestPayload", as_json(e.payload)}};
    if (response) {
      json::object rctx{{"statusCode", 200}, {"executedVersion", version}};
      if (response->function_error) rctx["functionError"] = *response->function_error;
      record["responseContext"] = std::move(rctx);
      record["responsePayload"] = as_json(response->payload);
    }
    queued_event next;
    next.id = random_uuid();
    next.account = dest->account;
    next.region = dest->region;
    next.function = dest->name;
    next.qualifier = dest->qualifier.value_or("");
    next.payload = json::serialize(record);
    next.enqueued_ms = now_ms();
    batch.put(due_key(now_ms()) + next.id, serialize(next));
  };

  if (now_ms() - e.enqueued_ms > max_age_ms) {
    finish("EventAgeExceeded", "OnFailure", std::nullopt, e.attempts);
    guard.settled = co_await commit(batch, key);
    co_return;
  }

  result<invoke_result> outcome = errors::internal("not invoked");
  try {
    auto ran = co_await invoke_internally(c_, ref, e.payload, e.id, e.client_context);
    if (ran) {
      version = ran->executed_version;
      outcome = std::move(ran->result);
    } else {
      outcome = ran.error();
    }
  } catch (const std::exception& ex) {
    outcome = errors::internal(ex.what());
  }
  const bool throttled = !outcome && outcome.error().code == "TooManyRequestsException";
  if (outcome && !outcome->function_error) {
    finish("Success", "OnSuccess", *outcome, e.attempts + 1);
    guard.settled = co_await commit(batch, key);
    co_return;
  }
  queued_event again = e;
  if (!throttled) ++again.attempts;
  if (again.attempts > max_retries) {
    std::optional<invoke_result> response;
    if (outcome) {
      response = *outcome;
    } else {
      invoke_result failed;
      failed.function_error = "Unhandled";
      failed.payload = json::serialize(json::object{{"errorType", outcome.error().code},
                                                    {"errorMessage", outcome.error().message}});
      response = failed;
    }
    finish("RetriesExhausted", "OnFailure", response, again.attempts);
    guard.settled = co_await commit(batch, key);
    co_return;
  }
  const auto& delays = c_.options.retry_delays;
  const auto delay =
      delays.empty()
          ? std::chrono::milliseconds(0)
          : delays[std::min<std::size_t>(std::max(again.attempts, 1) - 1, delays.size() - 1)];
  batch.put(due_key(now_ms() + delay.count()) + again.id, serialize(again));
  guard.settled = co_await commit(batch, key);
}

asio::awaitable<bool> async_queue::commit(const storage::write_batch& batch,
                                          const std::string& key) {
  // A write that fails (a full disk, a busy engine) is tried again with a
  // growing pause for as long as the queue runs: giving up would leave the
  // event due, and delivering it again would run the function twice.
  auto w = worker_;
  asio::steady_timer pause(co_await asio::this_coro::executor);
  auto delay = std::chrono::milliseconds(10);
  for (int failures = 0;; ++failures) {
    auto written = c_.store.write(batch);
    if (written) {
      if (failures > 0)
        spdlog::info("lambda: recorded queued invocation {} after {} failed writes", key, failures);
      co_return true;
    }
    if (failures % 20 == 0)
      spdlog::error("lambda: could not record queued invocation {}: {}; trying again", key,
                    written.error().message);
    if (w->stopped()) {
      spdlog::error(
          "lambda: stopping with queued invocation {} unrecorded; it is delivered again "
          "after a restart",
          key);
      co_return false;
    }
    pause.expires_after(delay);
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    delay = std::min(delay * 2, std::chrono::milliseconds(2000));
  }
}

}  // namespace stratus::lambda
