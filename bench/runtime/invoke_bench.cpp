// Cold starts and warm invocations of no-op Node.js and Python functions
// through the runtime pool (no HTTP in front): what Stratus itself adds.
//   runtime_invoke_bench [warm invocations per runtime, default 2000] [plain]
// "plain": no uid/mount-namespace isolation and no cgroups, to see their cost.
// Prints cold-start times (spawn to response) and warm-invoke percentiles:
// each warm invoke is timed on the thread it runs on, from the pool's
// invoke() to its result, which is all a warm invoke costs but the HTTP
// request in front of it.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "runtime/pool.hpp"

namespace {

namespace fs = std::filesystem;
using namespace stratus;

struct null_sink : lambda::log_sink {
  void write(const std::string&, const std::string&, const std::string&, const std::string&,
             std::vector<lambda::log_event>) override {}
};

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int warm = argc > 1 ? std::atoi(argv[1]) : 2000;
  // As in stratus serve: a shared io_context for background work, and a
  // single-threaded one where the invocations (and so their environments)
  // run.
  boost::asio::io_context io;
  boost::asio::io_context connection_io(1);
  auto guard = boost::asio::make_work_guard(io);
  auto connection_guard = boost::asio::make_work_guard(connection_io);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&] { io.run(); });
  threads.emplace_back([&] { connection_io.run(); });

  const fs::path code = fs::temp_directory_path() / "stratus-invoke-bench";
  fs::create_directories(code);
  std::ofstream(code / "index.js") << "exports.handler = async () => 'ok';\n";
  std::ofstream(code / "app.py") << "def handler(event, context):\n    return 'ok'\n";

  null_sink sink;
  {
    runtime::options opts;
    if (argc > 2 && std::string_view(argv[2]) == "plain") opts.isolate = opts.use_cgroups = false;
    runtime::pool pool(io, opts, sink, {connection_io.get_executor()});
    int n = 0;
    const auto request = [&] {
      lambda::invoke_request req;
      req.request_id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + ++n);
      req.payload = "{}";
      return req;
    };
    const auto run = [&](const lambda::function_spec& f) {
      return boost::asio::co_spawn(connection_io, pool.invoke(f, request()),
                                   boost::asio::use_future)
          .get();
    };
    // Warm invocations one after another on the connection thread, each
    // timed there (no hand-over to this thread in between).
    const auto run_warm = [&](const lambda::function_spec& f) {
      return boost::asio::co_spawn(
                 connection_io,
                 [&]() -> boost::asio::awaitable<std::vector<double>> {
                   std::vector<double> times;
                   for (int i = 0; i < warm; ++i) {
                     const auto t = std::chrono::steady_clock::now();
                     auto r = co_await pool.invoke(f, request());
                     times.push_back(ms_since(t));
                     if (!r) std::printf("invoke failed: %s\n", r.error().message.c_str());
                   }
                   co_return times;
                 },
                 boost::asio::use_future)
          .get();
    };
    for (const auto& [runtime, handler] :
         {std::pair{"nodejs20.x", "index.handler"}, std::pair{"python3.12", "app.handler"}}) {
      lambda::function_spec f;
      f.account = "123456789012";
      f.region = "us-east-1";
      f.name = std::string("bench-") + runtime;
      f.version = "$LATEST";
      f.arn = "arn:aws:lambda:us-east-1:123456789012:function:" + f.name;
      f.runtime = runtime;
      f.handler = handler;
      f.code_dir = code;
      f.code_sha256 = "bench";
      for (int cold = 0; cold < 5; ++cold) {
        pool.retire(f.account, f.region, f.name);
        // Lets the retired environment's teardown finish: a cold start on
        // an idle machine, not one racing the previous teardown.
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        const auto t = std::chrono::steady_clock::now();
        auto r = run(f);
        std::printf("%-11s cold start %7.2f ms  %s\n", runtime, ms_since(t),
                    r ? r->payload.c_str() : r.error().message.c_str());
      }
      std::vector<double> times = run_warm(f);
      std::sort(times.begin(), times.end());
      std::printf("%-11s warm invoke p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  (%d invocations)\n",
                  runtime, times[times.size() / 2], times[times.size() * 9 / 10],
                  times[times.size() * 99 / 100], warm);
    }
    pool.shutdown();
  }
  guard.reset();
  connection_guard.reset();
  io.stop();
  connection_io.stop();
  for (auto& t : threads) t.join();
  fs::remove_all(code);
}
