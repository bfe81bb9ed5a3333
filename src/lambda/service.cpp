#include "lambda/service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/escaped.hpp"
#include "lambda/async_queue.hpp"
#include "lambda/background.hpp"
#include "lambda/context.hpp"
#include "lambda/mapping_poller.hpp"

namespace stratus::lambda {

namespace {

std::string_view query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
  }
  return {};
}

// Code.Location stands for an S3 presigned URL: its errors look like S3's.
raw_response s3_error(unsigned status, std::string_view code, std::string_view message) {
  raw_response res;
  res.status = status;
  res.headers.emplace_back("Content-Type", "application/xml");
  res.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + std::string(code) +
             "</Code><Message>" + std::string(message) + "</Message></Error>";
  return res;
}

// Removes packages no function uses, now and then.
boost::asio::awaitable<void> sweep_code(std::shared_ptr<background> w, context& c) {
  while (!w->stopped()) {
    const auto scanned_at = std::chrono::steady_clock::now();
    if (auto in_use = c.functions.code_in_use()) {
      std::set<std::string> hex;
      for (const auto& sha : *in_use) hex.insert(sha256_hex_of(sha));
      c.code.collect(hex, scanned_at, c.options.code_grace);
    } else {
      spdlog::warn("lambda: could not list the packages in use: {}", in_use.error().message);
    }
    w->timer.expires_after(c.options.code_sweep_interval);
    co_await w->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
}

}  // namespace

service::service(storage::store& store, const std::filesystem::path& data_dir, invoker& runner,
                 service_options options)
    : context_(new context{store,
                           registry(store),
                           code_store(data_dir / "lambda" / "code"),
                           runner,
                           std::move(options),
                           nullptr,
                           nullptr,
                           nullptr,
                           {}}) {
  context_->queue = std::make_unique<async_queue>(*context_);
  context_->poller = std::make_unique<mapping_poller>(*context_);
}

void service::attach_caller(const service_caller& services) {
  context_->services = &services;
}

service::~service() {
  stop_background();
}

handler_table service::handlers() {
  handler_table table;
  add_function_operations(*context_, table);
  add_version_operations(*context_, table);
  add_policy_operations(*context_, table);
  add_settings_operations(*context_, table);
  add_mapping_operations(*context_, table);
  return table;
}

async_handler_table service::async_handlers() {
  async_handler_table table;
  add_invoke_operations(*context_, table);
  return table;
}

std::string service::code_download_prefix() {
  return std::string(code_store::download_prefix);
}

raw_handler service::code_download() {
  return [c = context_.get()](const raw_request& req) {
    // <prefix><64 hex>.zip?expires=...&signature=...
    std::string_view name = req.path.substr(code_store::download_prefix.size());
    std::string_view hex = name.substr(0, name.find('.'));
    const bool well_formed = name.size() == 68 && name.ends_with(".zip");
    if (req.method != "GET" || !well_formed ||
        !c->code.download_allowed(hex, query_value(req.query, "expires"),
                                  query_value(req.query, "signature"),
                                  std::chrono::system_clock::now())) {
      return s3_error(403, "AccessDenied", "Request has expired or its signature does not match");
    }
    auto zip = c->code.read_zip(hex);
    if (!zip) {
      return s3_error(404, "NoSuchKey", "The specified key does not exist.");
    }
    raw_response res;
    res.headers.emplace_back("Content-Type", "application/zip");
    res.body = std::move(*zip);
    return res;
  };
}

void service::attach_streams(stream_reader& streams) {
  context_->streams = &streams;
}

void service::start_background(boost::asio::any_io_executor executor) {
  context_->queue->start(executor);
  context_->poller->start(executor);
  if (!sweeper_) {
    sweeper_ = std::make_shared<background>(executor);
    boost::asio::co_spawn(sweeper_->strand, sweep_code(sweeper_, *context_),
                          log_if_thrown("the Lambda package sweeper"));
  }
}

void service::stop_background() {
  if (context_ && context_->poller) context_->poller->stop();
  if (context_ && context_->queue) context_->queue->stop();
  if (sweeper_) sweeper_->stop();
}

}  // namespace stratus::lambda
