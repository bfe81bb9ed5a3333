#include "lambda/mapping_poller.hpp"

// GCC 12 reports Asio's coroutine frame allocator as mismatched new/delete
// for coroutines that co_await inside try (a false positive; see
// async_queue.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <deque>
#include <mutex>
#include <set>

#include "common/escaped.hpp"
#include "common/uuid.hpp"
#include "lambda/async_queue.hpp"
#include "lambda/background.hpp"
#include "lambda/context.hpp"
#include "lambda/errors.hpp"
#include "lambda/event_filter.hpp"
#include "lambda/mappings.hpp"
#include "lambda/stream_reader.hpp"

namespace stratus::lambda {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr std::size_t max_event_bytes = 6291456 - 64 * 1024;  // Invoke's 6 MB, with room

struct entry {
  std::uint64_t sequence = 0;
  json::object record;
};

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t created_s(const json::object& record) {
  const auto* d = record.if_contains("dynamodb");
  const auto* t =
      d && d->is_object() ? d->get_object().if_contains("ApproximateCreationDateTime") : nullptr;
  return t && t->is_number() ? t->to_number<std::int64_t>() : now_s();
}

std::string sequence_of(const json::object& record) {
  const auto* d = record.if_contains("dynamodb");
  const auto* s = d && d->is_object() ? d->get_object().if_contains("SequenceNumber") : nullptr;
  return s && s->is_string() ? std::string(s->get_string()) : std::string();
}

std::string event_of(const std::deque<entry>& batch) {
  json::array records;
  for (const auto& e : batch) records.push_back(e.record);
  return json::serialize(json::object{{"Records", std::move(records)}});
}

// AWS's OnFailure record for a stream batch: where the batch was, not its
// records.
json::object failure_record(const mapping& m, const stream_info& stream,
                            const std::deque<entry>& batch, std::string_view condition,
                            const std::optional<invoke_result>& response, int invocations,
                            std::string_view version) {
  std::string fn = function_arn(m.region, m.account, m.function);
  if (!m.qualifier.empty()) fn += ":" + m.qualifier;
  json::object record{{"requestContext", json::object{{"requestId", random_uuid()},
                                                      {"functionArn", fn},
                                                      {"condition", condition},
                                                      {"approximateInvokeCount", invocations}}},
                      {"version", "1.0"},
                      {"timestamp", iso_timestamp(std::chrono::system_clock::now())},
                      {"DDBStreamBatchInfo",
                       json::object{{"shardId", stream.shard_id},
                                    {"startSequenceNumber", sequence_of(batch.front().record)},
                                    {"endSequenceNumber", sequence_of(batch.back().record)},
                                    {"approximateArrivalOfFirstRecord",
                                     iso_timestamp(std::chrono::system_clock::time_point(
                                         std::chrono::seconds(created_s(batch.front().record))))},
                                    {"approximateArrivalOfLastRecord",
                                     iso_timestamp(std::chrono::system_clock::time_point(
                                         std::chrono::seconds(created_s(batch.back().record))))},
                                    {"batchSize", batch.size()},
                                    {"streamArn", m.source_arn}}}};
  if (response) {
    json::object rc{{"statusCode", 200}, {"executedVersion", version}};
    if (response->function_error) rc["functionError"] = *response->function_error;
    record["responseContext"] = std::move(rc);
  }
  return record;
}

}  // namespace

struct mapping_poller::worker : background {
  using background::background;
  std::set<std::string> busy;  // mappings with a batch under way
};

namespace {

// One batch of one mapping, retries included.
asio::awaitable<void> process(context& c, std::shared_ptr<mapping_poller::worker> w,
                              std::string uuid) {
  struct release {
    std::shared_ptr<mapping_poller::worker> w;
    std::string uuid;
    ~release() {
      std::lock_guard lock(w->mutex);
      w->busy.erase(uuid);
    }
  } guard{w, uuid};

  mapping_store mappings(c.store);
  auto found = mappings.find(uuid);
  if (!found || !*found || !(*found)->enabled || !c.streams) co_return;
  mapping m = **found;
  auto stream = c.streams->describe(m.source_arn);
  if (!stream || !*stream) co_return;
  auto at = mappings.checkpoint(uuid);
  if (!at) co_return;
  progress done = at->value_or(progress{});
  auto read = c.streams->read(m.source_arn, done.after, static_cast<std::size_t>(m.batch_size));
  if (!read || read->empty()) co_return;
  std::uint64_t last_read = read->back().sequence;

  std::deque<entry> matched;
  std::int64_t oldest = now_s();
  std::size_t payload = 0;
  std::uint64_t previous = done.after;
  bool full = read->size() >= static_cast<std::size_t>(m.batch_size);
  auto filter = event_filter::compile(m.filter_criteria);
  for (auto& r : *read) {
    // A batch stays under the synchronous payload limit, as on AWS; the
    // rest comes in the next batch.
    payload += r.record.size() + m.source_arn.size() + 32;
    if (payload > max_event_bytes && !matched.empty()) {
      last_read = previous;
      full = true;
      break;
    }
    previous = r.sequence;
    boost::system::error_code ec;
    auto v = json::parse(r.record, ec);
    if (ec || !v.is_object()) continue;
    auto& record = v.get_object();
    record["eventSourceARN"] = m.source_arn;
    oldest = std::min(oldest, created_s(record));
    if (!filter || filter->matches(v)) matched.push_back({r.sequence, std::move(record)});
  }
  // MaximumBatchingWindowInSeconds: wait for a full batch that long.
  if (m.batching_window > 0 && !full && now_s() - oldest < m.batching_window) co_return;

  std::deque<std::deque<entry>> pending;
  if (!matched.empty()) pending.push_back(std::move(matched));
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!pending.empty()) {
    std::deque<entry> batch = std::move(pending.front());
    pending.pop_front();
    int attempts = 0;
    int invocations = 0;
    while (true) {
      if (w->stopped()) co_return;
      function_ref ref{
          m.account, m.region, m.function,
          m.qualifier.empty() ? std::nullopt : std::optional<std::string>(m.qualifier)};
      auto target = resolve(c, ref, true);
      if (!target) {
        done.result = "PROBLEM: Function not found";
        (void)mappings.set_checkpoint(uuid, done);
        co_return;  // the records wait for the function to come back
      }
      result<invoke_result> outcome = errors::internal("not invoked");
      std::string version = target->version;  // the one that ran, once one has
      try {
        auto ran = co_await invoke_internally(c, ref, event_of(batch), random_uuid(), "");
        if (ran) {
          version = ran->executed_version;
          outcome = std::move(ran->result);
        } else {
          outcome = ran.error();
        }
      } catch (const std::exception& ex) {
        outcome = errors::internal(ex.what());
      }
      ++invocations;
      if (outcome && !outcome->function_error) {
        done.after = batch.back().sequence;
        done.result = "OK";
        (void)mappings.set_checkpoint(uuid, done);
        break;
      }
      if (outcome || outcome.error().code != "TooManyRequestsException") ++attempts;
      failure_state s{attempts, batch.size(), now_s() - created_s(batch.front().record)};
      const auto next = decide(m, s);
      if (next == after_failure::bisect) {
        std::deque<entry> second(batch.begin() + static_cast<long>(batch.size() / 2), batch.end());
        batch.resize(batch.size() / 2);
        pending.push_front(std::move(second));
        pending.push_front(std::move(batch));
        break;
      }
      if (next == after_failure::give_up) {
        if (!m.on_failure.empty()) {
          std::optional<invoke_result> response;
          if (outcome) response = *outcome;
          request_context rc;
          rc.account_id = m.account;
          rc.region = m.region;
          auto dest = parse_function_ref(rc, m.on_failure, std::nullopt);
          if (dest && m.on_failure.starts_with("arn:aws:lambda:")) {
            queued_event e;
            e.id = random_uuid();
            e.account = dest->account;
            e.region = dest->region;
            e.function = dest->name;
            e.qualifier = dest->qualifier.value_or("");
            e.payload = json::serialize(failure_record(
                m, **stream, batch,
                s.oldest_record_age_s > (m.max_record_age < 0 ? 86400 : m.max_record_age)
                    ? "RecordAgeExceeded"
                    : "RetryAttemptsExhausted",
                response, invocations, version));
            e.enqueued_ms = now_s() * 1000;
            (void)c.queue->enqueue(e);
          } else {
            spdlog::warn("lambda: OnFailure destination {} of mapping {} is not a function",
                         m.on_failure, uuid);
          }
        }
        done.after = batch.back().sequence;
        done.result = "PROBLEM: Function call failed";
        (void)mappings.set_checkpoint(uuid, done);
        break;
      }
      done.result = "PROBLEM: Function call failed";
      (void)mappings.set_checkpoint(uuid, done);
      timer.expires_after(
          backoff(attempts, c.options.mapping_retry_base, c.options.mapping_retry_cap));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      // Disabled or deleted meanwhile: stop; the batch comes again later.
      auto again = mappings.find(uuid);
      if (!again || !*again || !(*again)->enabled) co_return;
      m = **again;
    }
  }
  // Records the filter dropped after the last delivered one.
  if (done.after < last_read) {
    done.after = last_read;
    (void)mappings.set_checkpoint(uuid, done);
  }
  w->wake();  // more may be waiting: look again at once
}

}  // namespace

mapping_poller::mapping_poller(context& c) : c_(c) {}

mapping_poller::~mapping_poller() {
  stop();
}

void mapping_poller::start(asio::any_io_executor executor) {
  if (worker_) return;
  worker_ = std::make_shared<worker>(executor);
  asio::co_spawn(worker_->strand, run(), log_if_thrown("the event source mapping poller"));
}

void mapping_poller::stop() {
  if (auto w = worker_) w->stop();
}

void mapping_poller::wake() {
  if (auto w = worker_) w->wake();
}

asio::awaitable<void> mapping_poller::run() {
  auto w = worker_;
  mapping_store mappings(c_.store);
  while (!w->stopped()) {
    auto all = mappings.list();
    if (all) {
      for (const auto& m : *all) {
        if (!m.enabled) continue;
        {
          std::lock_guard lock(w->mutex);
          if (!w->busy.insert(m.uuid).second) continue;
        }
        asio::co_spawn(w->executor, process(c_, w, m.uuid),
                       log_if_thrown("event source mapping " + m.uuid));
      }
    }
    w->timer.expires_after(c_.options.mapping_poll);
    co_await w->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace stratus::lambda
