// The stratus binary: command-line parsing and wiring, nothing else.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "apigateway/service.hpp"
#include "auth/session_keys.hpp"
#include "common/version.hpp"
#include "dynamodb/service.hpp"
#include "dynamodb/stream_reader.hpp"
#include "edge/gateway.hpp"
#include "http/server.hpp"
#include "lambda/names.hpp"
#include "lambda/service.hpp"
#include "lambda/stream_reader.hpp"
#include "logs/service.hpp"
#include "runtime/pool.hpp"
#include "storage/rocksdb_store.hpp"
#include "sts/sts.hpp"
#include "vtl/apigw/render_command.hpp"

namespace {

struct serve_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4566;
  std::string data_dir = ".stratus";
  std::string log_level = "info";
  std::string access_key;
  std::string secret_key;  // from STRATUS_SECRET_KEY or --secret-key-file, never argv
  std::string secret_key_file;
  std::string secret_key_argument;  // --secret-key: refused, see serve()
  bool fsync = false;
  bool allow_open_network = false;
  bool functions_reach_local_network = false;
  double ttl_interval = 5;              // seconds between TTL sweeps
  double logs_retention_interval = 60;  // seconds between log retention sweeps
  // Seconds before the first and second retry of a failed asynchronous
  // Lambda invocation (AWS: about 60 and 120).
  std::vector<double> lambda_retry_delays{60, 120};
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
};

// Function output goes to CloudWatch Logs.
struct logs_sink final : stratus::lambda::log_sink {
  explicit logs_sink(stratus::logs::service& logs) : logs(logs) {}
  void write(const std::string& account, const std::string& region, const std::string& group,
             const std::string& stream, std::vector<stratus::lambda::log_event> events) override {
    std::vector<stratus::logs::log_event> out;
    out.reserve(events.size());
    for (auto& e : events) out.push_back({e.at, std::move(e.message)});
    logs.append(account, region, group, stream, std::move(out));
  }
  stratus::logs::service& logs;
};

// Event source mappings read DynamoDB streams straight from the store.
struct dynamodb_streams final : stratus::lambda::stream_reader {
  explicit dynamodb_streams(stratus::storage::store& store) : store(store) {}
  stratus::result<std::optional<stratus::lambda::stream_info>> describe(
      std::string_view arn) override {
    auto s = stratus::dynamodb::describe_stream_summary(store, arn);
    if (!s) return s.error();
    if (!*s) return std::optional<stratus::lambda::stream_info>{};
    return std::optional<stratus::lambda::stream_info>(
        stratus::lambda::stream_info{(*s)->shard_id, (*s)->enabled, (*s)->last_sequence});
  }
  stratus::result<std::vector<stratus::lambda::stream_entry>> read(std::string_view arn,
                                                                   std::uint64_t after,
                                                                   std::size_t limit) override {
    auto records = stratus::dynamodb::read_stream(store, arn, after, limit);
    if (!records) return records.error();
    std::vector<stratus::lambda::stream_entry> out;
    out.reserve(records->size());
    for (auto& r : *records) out.push_back({r.sequence, std::move(r.record)});
    return out;
  }
  stratus::storage::store& store;
};

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : fallback;
}

// The secret key from --secret-key-file: the file's first line.
std::optional<std::string> read_secret_file(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  if (!f || !std::getline(f, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int serve(serve_options opts) {
  // Logs go to stderr; stdout carries only the "listening on" line.
  spdlog::set_default_logger(spdlog::stderr_color_mt("stratus"));
  spdlog::set_level(spdlog::level::from_str(opts.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);

  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(opts.host, ec);
  if (ec) {
    std::cerr << "stratus: not an IP address: " << opts.host << "\n";
    return 2;
  }
  if (!opts.secret_key_argument.empty()) {
    // Every local user, and every function, can read a process's arguments
    // in /proc/<pid>/cmdline.
    std::cerr << "stratus: --secret-key would show the secret to every local user in "
                 "/proc/<pid>/cmdline; put it in STRATUS_SECRET_KEY or a file named by "
                 "--secret-key-file\n";
    return 2;
  }
  if (!opts.secret_key_file.empty()) {
    auto secret = read_secret_file(opts.secret_key_file);
    if (!secret || secret->empty()) {
      std::cerr << "stratus: cannot read a secret key from " << opts.secret_key_file << "\n";
      return 2;
    }
    opts.secret_key = std::move(*secret);
  }
  const bool strict = !opts.access_key.empty() || !opts.secret_key.empty();
  if (strict && (opts.access_key.empty() || opts.secret_key.empty())) {
    std::cerr << "stratus: --access-key needs a secret key (STRATUS_SECRET_KEY or "
                 "--secret-key-file), and a secret key needs --access-key\n";
    return 2;
  }
  if (!address.is_loopback() && !strict && !opts.allow_open_network) {
    std::cerr << "stratus: refusing to listen on " << opts.host
              << " without verified credentials: anyone on the network could use it. Give "
                 "--access-key with a secret key (STRATUS_SECRET_KEY or --secret-key-file), or "
                 "--allow-unauthenticated-network-access.\n";
    return 2;
  }

  auto store = stratus::storage::open_rocksdb({opts.data_dir, opts.fsync});
  if (!store) {
    std::cerr << "stratus: cannot open the data directory " << opts.data_dir << ": "
              << store.error().message << "\n";
    return 1;
  }

  // Keys issued to execution environments, valid while each lives.
  stratus::auth::session_keys sessions;
  stratus::edge::gateway_options gw_opts;
  if (strict)
    gw_opts.strict_credentials = stratus::edge::credentials{opts.access_key, opts.secret_key};
  gw_opts.sessions = &sessions;
  stratus::edge::gateway gateway(gw_opts);
  stratus::dynamodb::service dynamodb(**store);
  gateway.add_service("dynamodb", dynamodb.handlers());
  gateway.add_service("dynamodbstreams", dynamodb.stream_handlers());
  dynamodb.start_background(std::chrono::milliseconds(static_cast<long>(opts.ttl_interval * 1000)));
  gateway.add_service("sts", stratus::sts::handlers());
  stratus::apigateway::service apigateway(**store, gateway);
  gateway.add_service("apigateway", apigateway.handlers());
  gateway.add_async_operations("apigateway", apigateway.async_handlers());
  gateway.add_web_endpoint(apigateway.invoke_endpoint());
  stratus::logs::service logs(**store);
  gateway.add_service("logs", logs.handlers());
  logs.start_background(
      std::chrono::milliseconds(static_cast<long>(opts.logs_retention_interval * 1000)));

  stratus::lambda::service_options lambda_opts;
  lambda_opts.retry_delays.clear();
  for (double s : opts.lambda_retry_delays)
    lambda_opts.retry_delays.emplace_back(static_cast<long>(s * 1000));
  // Functions run in execution environments (src/runtime); they call back
  // into Stratus through its own endpoint.
  boost::asio::io_context io(static_cast<int>(opts.threads));
  // Connections live on one single-threaded io_context per thread, so a
  // request never changes threads between its read and its answer; so do
  // environments' Runtime API connections, timers and pipes.
  std::vector<std::unique_ptr<boost::asio::io_context>> connection_contexts;
  std::vector<boost::asio::any_io_executor> connection_executors;
  for (unsigned i = 0; i < opts.threads; ++i) {
    connection_contexts.push_back(std::make_unique<boost::asio::io_context>(1));
    connection_executors.push_back(connection_contexts.back()->get_executor());
  }
  std::uint16_t port = 0;
  logs_sink function_logs(logs);
  stratus::runtime::options runtime_opts;
  runtime_opts.endpoint_url = [&port] { return "http://127.0.0.1:" + std::to_string(port); };
  if (strict)  // each environment signs with a key of its own, never the server's
    runtime_opts.credentials = [&sessions](const stratus::lambda::function_spec& f) {
      auto who = stratus::lambda::execution_role_identity(f.account, f.role_arn, f.name);
      auto issued = sessions.issue({who.account, std::move(who.arn), std::move(who.user_id)});
      return stratus::runtime::role_credentials{
          std::move(issued.key.access_key_id), std::move(issued.key.secret_access_key),
          std::move(issued.key.session_token), std::move(issued.hold)};
    };
  runtime_opts.private_dirs = {opts.data_dir};
  runtime_opts.filter_egress = !opts.functions_reach_local_network;
  stratus::runtime::pool functions(io, runtime_opts, function_logs, connection_executors);
  stratus::lambda::service lambda(**store, opts.data_dir, functions, lambda_opts);
  gateway.add_service("lambda", lambda.handlers());
  gateway.add_async_operations("lambda", lambda.async_handlers());
  lambda.attach_caller(gateway);
  gateway.add_raw_route(stratus::lambda::service::code_download_prefix(), lambda.code_download());
  dynamodb_streams streams(**store);
  lambda.attach_streams(streams);

  lambda.start_background(io.get_executor());
  auto stop_all = [&] {
    io.stop();
    for (auto& c : connection_contexts) c->stop();
  };
  stratus::http::server server(io, gateway, {}, connection_executors);
  try {
    port = server.listen(opts.host, opts.port);
  } catch (const std::exception& e) {
    std::cerr << "stratus: cannot listen on " << opts.host << ":" << opts.port << ": " << e.what()
              << "\n";
    return 1;
  }
  // Tests and scripts read this line to learn the port (--port 0).
  std::cout << "stratus " << stratus::version() << " listening on http://" << opts.host << ":"
            << port << std::endl;
  spdlog::info("data directory {}, {} threads, {} credentials", opts.data_dir, opts.threads,
               strict ? "verified" : "any well-formed");

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  boost::asio::steady_timer deadline(io);
  signals.async_wait([&](const boost::system::error_code& err, int sig) {
    if (err) return;
    spdlog::info("signal {}: finishing in-flight requests", sig);
    functions.shutdown();  // ends running invocations, so their requests finish
    server.stop(stop_all);
    // Requests that outlive the grace period are abandoned.
    deadline.expires_after(std::chrono::seconds(30));
    deadline.async_wait([&stop_all](const boost::system::error_code& e) {
      if (!e) stop_all();
    });
  });

  std::vector<std::thread> workers;
  for (unsigned i = 1; i < opts.threads; ++i) workers.emplace_back([&io] { io.run(); });
  for (auto& c : connection_contexts)
    workers.emplace_back([&c] {
      auto guard = boost::asio::make_work_guard(*c);
      c->run();
    });
  io.run();
  for (auto& w : workers) w.join();
  // Completions that stop() left queued (an accept cancelled by closing its
  // acceptor, say) run now, while every context they touch is alive:
  // destroying them unrun would free a connection context's socket before
  // the main context's handler that holds it.
  io.restart();
  io.poll();
  for (auto& c : connection_contexts) {
    c->restart();
    c->poll();
  }
  dynamodb.stop_background();
  logs.stop_background();
  lambda.stop_background();
  (*store)->close();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Stratus: API Gateway, Lambda and DynamoDB on one machine"};
  app.require_subcommand(1);

  serve_options opts;
  opts.access_key = env_or("STRATUS_ACCESS_KEY", "");
  opts.secret_key = env_or("STRATUS_SECRET_KEY", "");
  // Read once; nothing started later needs to see it.
  unsetenv("STRATUS_SECRET_KEY");
  auto* serve_cmd = app.add_subcommand("serve", "Run the server");
  serve_cmd->add_option("--host", opts.host, "Address to listen on")->capture_default_str();
  serve_cmd->add_option("--port", opts.port, "Port (0 picks a free one)")->capture_default_str();
  serve_cmd->add_option("--data-dir", opts.data_dir, "Where data is kept")->capture_default_str();
  serve_cmd->add_option("--log-level", opts.log_level, "trace, debug, info, warn, error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  serve_cmd->add_option("--access-key", opts.access_key,
                        "Verify SigV4 with this key pair (or STRATUS_ACCESS_KEY)");
  serve_cmd->add_option("--secret-key-file", opts.secret_key_file,
                        "The secret key of --access-key, on the file's first line (or "
                        "STRATUS_SECRET_KEY)");
  serve_cmd->add_option("--secret-key", opts.secret_key_argument)->group("");
  serve_cmd->add_flag("--fsync", opts.fsync, "fsync every commit (survives power loss)");
  serve_cmd->add_option("--threads", opts.threads, "I/O threads")->capture_default_str();
  serve_cmd
      ->add_option("--ttl-interval", opts.ttl_interval,
                   "Seconds between sweeps deleting expired DynamoDB items")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 86400.0));
  serve_cmd
      ->add_option("--logs-retention-interval", opts.logs_retention_interval,
                   "Seconds between sweeps deleting log events older than their group's retention")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 86400.0));
  serve_cmd
      ->add_option("--lambda-retry-delays", opts.lambda_retry_delays,
                   "Seconds before the retries of a failed asynchronous invocation")
      ->capture_default_str()
      ->delimiter(',')
      ->check(CLI::Range(0.0, 86400.0));
  serve_cmd->add_flag("--allow-unauthenticated-network-access", opts.allow_open_network,
                      "Listen on a non-loopback address without verifying credentials");
  serve_cmd->add_flag("--functions-reach-local-network", opts.functions_reach_local_network,
                      "Let functions connect to every port of this machine and to cloud metadata "
                      "addresses (by default only Stratus's API, their Runtime API and DNS)");

  auto* version_cmd = app.add_subcommand("version", "Print the version");

  stratus::vtl::apigw::render_command_options render_opts;
  auto* template_cmd = app.add_subcommand("template", "API Gateway mapping templates");
  template_cmd->require_subcommand(1);
  auto* render_cmd =
      template_cmd->add_subcommand("render", "Render a mapping template as API Gateway would");
  render_cmd->add_option("--template", render_opts.template_file, "Template file")->required();
  render_cmd->add_option("--body", render_opts.body_file, "Payload file ($input.body)");
  render_cmd->add_option("--params", render_opts.params_json,
                         R"(JSON {"path":{...},"querystring":{...},"header":{...}})");
  render_cmd->add_option("--context", render_opts.context_json, "$context as a JSON object");
  render_cmd->add_option("--stage-variables", render_opts.stage_variables_json,
                         "$stageVariables as a JSON object");

  CLI11_PARSE(app, argc, argv);
  if (*version_cmd) {
    std::cout << "stratus " << stratus::version() << "\n";
    return 0;
  }
  if (*serve_cmd) return serve(opts);
  if (*render_cmd)
    return stratus::vtl::apigw::run_render_command(render_opts, std::cout, std::cerr);
  return 0;
}
