// Node.js functions through our bootstrap: module kinds, handler styles, the
// context object, console lines and AWS's error documents.
#include "support.hpp"

namespace stratus::runtime::testing {
namespace {

using node = runtime_test;

TEST_F(node, callback_handler_as_in_the_seed_tutorial) {
  temp_dir code;
  code.write("index.js", R"(
console.log('Loading function');
exports.handler = function(event, context, callback) {
  switch (event.operation) {
    case 'echo': callback(null, "Success"); break;
    case 'ping': callback(null, "pong"); break;
    default: callback(`Unknown operation: ${event.operation}`);
  }
};)");
  auto f = spec("nodejs8.10", "index.handler", code);
  EXPECT_EQ(ok(f, R"({"operation":"echo","payload":{"a":1}})"), "Success");
  EXPECT_EQ(ok(f, R"({"operation":"ping"})"), "pong");
  auto err = failed(f, R"({"operation":"nope"})");
  EXPECT_EQ(err["errorType"], "string");
  EXPECT_EQ(err["errorMessage"], "Unknown operation: nope");
  EXPECT_TRUE(err["trace"].as_array().empty());
}

TEST_F(node, async_promise_and_commonjs_nested_handlers) {
  temp_dir code;
  code.write("app.js", R"(
exports.a = async (event) => ({ doubled: event.n * 2 });
exports.p = (event) => new Promise((resolve) => setTimeout(() => resolve(event.n + 1), 5));
exports.nested = { deeper: { fn: async () => 'deep' } };
exports.undef = async () => undefined;)");
  EXPECT_EQ(ok(spec("nodejs20.x", "app.a", code), R"({"n":21})").at("doubled"), 42);
  EXPECT_EQ(ok(spec("nodejs20.x", "app.p", code), R"({"n":1})"), 2);
  EXPECT_EQ(ok(spec("nodejs20.x", "app.nested.deeper.fn", code)), "deep");
  EXPECT_TRUE(ok(spec("nodejs20.x", "app.undef", code)).is_null());
}

TEST_F(node, es_modules_by_extension_and_by_package_type) {
  temp_dir mjs;
  mjs.write("index.mjs", "export const handler = async (e) => ({ kind: 'mjs', got: e.x });");
  EXPECT_EQ(ok(spec("nodejs20.x", "index.handler", mjs), R"({"x":7})").at("got"), 7);

  temp_dir typed;
  typed.write("package.json", R"({"type":"module"})");
  typed.write("src/handlers/main.js",
              "import os from 'node:os';\nexport async function go() { return typeof os.cpus; }");
  EXPECT_EQ(ok(spec("nodejs20.x", "src/handlers/main.go", typed)), "function");
}

TEST_F(node, callback_waits_for_an_empty_event_loop_unless_told_not_to) {
  temp_dir code;
  code.write("index.js", R"(
let later = 'not yet';
exports.wait = (event, context, callback) => {
  setTimeout(() => { later = 'done'; }, 50);
  callback(null, 'answered');
};
exports.check = async () => later;
exports.nowait = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = false;
  setTimeout(() => {}, 60000);
  callback(null, context.callbackWaitsForEmptyEventLoop);
};
exports.succeed = (event, context) => { context.succeed({ via: 'succeed' }); };
exports.fail = (event, context) => { context.fail(new Error('via fail')); };
exports.done = (event, context) => { context.done(null, 'via done'); };
exports.noanswer = (event, context) => {};)");
  EXPECT_EQ(ok(spec("nodejs20.x", "index.wait", code)), "answered");
  EXPECT_EQ(ok(spec("nodejs20.x", "index.nowait", code)), false);
  EXPECT_EQ(ok(spec("nodejs20.x", "index.succeed", code)).at("via"), "succeed");
  EXPECT_EQ(failed(spec("nodejs20.x", "index.fail", code))["errorMessage"], "via fail");
  EXPECT_EQ(ok(spec("nodejs20.x", "index.done", code)), "via done");
  EXPECT_TRUE(ok(spec("nodejs20.x", "index.noanswer", code)).is_null());
}

TEST_F(node, context_object_and_environment) {
  temp_dir code;
  code.write("index.js", R"(
exports.handler = async (event, context) => ({
  functionName: context.functionName, functionVersion: context.functionVersion,
  invokedFunctionArn: context.invokedFunctionArn, memoryLimitInMB: context.memoryLimitInMB,
  awsRequestId: context.awsRequestId, logGroupName: context.logGroupName,
  logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis(),
  waits: context.callbackWaitsForEmptyEventLoop, trace: process.env._X_AMZN_TRACE_ID,
  region: process.env.AWS_REGION, tz: process.env.TZ, task: process.env.LAMBDA_TASK_ROOT,
  cwd: process.cwd(), mine: process.env.MY_SETTING, key: process.env.AWS_ACCESS_KEY_ID,
  exec: process.env.AWS_EXECUTION_ENV, handler: process.env._HANDLER,
});)");
  auto f = spec("nodejs20.x", "index.handler", code);
  f.environment["MY_SETTING"] = "on";
  f.environment["AWS_REGION"] = "eu-west-1";  // reserved: Lambda's value wins
  auto r = ok(f).as_object();
  EXPECT_EQ(r["functionName"], "fn");
  EXPECT_EQ(r["functionVersion"], "$LATEST");
  EXPECT_EQ(str(r["invokedFunctionArn"]), f.arn);
  EXPECT_EQ(r["memoryLimitInMB"], "256");
  EXPECT_EQ(r["logGroupName"], "/aws/lambda/fn");
  EXPECT_TRUE(str(r["logStreamName"]).find("/[$LATEST]") != std::string::npos);
  EXPECT_GT(r["remaining"].to_number<double>(), 1000);
  EXPECT_LE(r["remaining"].to_number<double>(), 10000);
  EXPECT_EQ(r["waits"], true);
  EXPECT_TRUE(str(r["trace"]).starts_with("Root=1-"));
  EXPECT_EQ(r["region"], "us-east-1");
  EXPECT_EQ(r["tz"], ":UTC");
  EXPECT_EQ(r["task"], r["cwd"]);
  EXPECT_EQ(r["mine"], "on");
  EXPECT_EQ(r["key"], "123456789012");
  EXPECT_EQ(r["exec"], "AWS_Lambda_nodejs20.x");
  EXPECT_EQ(r["handler"], "index.handler");
}

// The bootstrap reads the Runtime API into one 64 KiB buffer: an event of
// many reads, with two-byte characters split across them, arrives whole,
// and the environment serves the next invocation after it.
TEST_F(node, events_larger_than_one_read_arrive_whole) {
  temp_dir code;
  code.write("index.js", R"(
exports.handler = async (e) => ({ n: e.s.length, ok: /^é*$/.test(e.s.slice(0, -3)), end: e.s.slice(-3) });)");
  auto f = spec("nodejs20.x", "index.handler", code);
  std::string s;
  for (int i = 0; i < 300'001; ++i) s += "é";  // 600 KB: ten reads, some splitting a character
  const std::string payload = R"({"s":")" + s + R"(end"})";
  for (int round = 0; round < 2; ++round) {
    auto r = ok(f, payload).as_object();
    EXPECT_EQ(r["n"], 300'004);
    EXPECT_EQ(r["ok"], true);
    EXPECT_EQ(r["end"], "end");
    EXPECT_EQ(ok(f, R"({"s":"small"})").at("end"), "all");
  }
  EXPECT_EQ(the_pool().environment_count(), 1U);
}

TEST_F(node, client_context_reaches_the_function_decoded) {
  temp_dir code;
  code.write("index.js", "exports.handler = async (e, c) => c.clientContext;");
  auto f = spec("nodejs20.x", "index.handler", code);
  lambda::invoke_request req;
  req.request_id = next_request_id();
  req.payload = "{}";
  req.client_context = "eyJjdXN0b20iOnsiYSI6ImIifX0=";  // {"custom":{"a":"b"}}
  auto fut = boost::asio::co_spawn(
      io_, [&]() { return the_pool().invoke(f, req); }, boost::asio::use_future);
  auto r = fut.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->payload, R"({"custom":{"a":"b"}})");
}

TEST_F(node, console_lines_and_start_end_report) {
  temp_dir code;
  code.write("index.js", R"(
console.log('loading');
exports.handler = async () => { console.log('hello %s', 'world'); console.error('oops'); console.warn('a\nb'); return 1; };)");
  auto f = spec("nodejs20.x", "index.handler", code);
  auto r = invoke(f, "{}", true);
  ASSERT_TRUE(r);
  const auto lines = sink_.lines();
  ASSERT_FALSE(lines.empty());
  std::vector<std::string> text;
  for (const auto& l : lines) {
    EXPECT_EQ(l.group, "/aws/lambda/fn");
    EXPECT_EQ(l.stream, lines.front().stream);
    text.push_back(l.message);
  }
  const auto find = [&](std::string_view needle) {
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i].find(needle) != std::string::npos) return static_cast<int>(i);
    return -1;
  };
  const int loading = find("\tundefined\tINFO\tloading");
  const int start = find("START RequestId: ");
  const int hello = find("\tINFO\thello world");
  const int oops = find("\tERROR\toops");
  const int warn = find("\tWARN\ta\rb");
  const int end = find("END RequestId: ");
  const int report = find("REPORT RequestId: ");
  EXPECT_GE(loading, 0);
  EXPECT_LT(loading, start);
  EXPECT_LT(start, hello);
  EXPECT_LT(hello, oops);
  EXPECT_LT(oops, warn);
  EXPECT_LT(warn, end);
  EXPECT_LT(end, report);
  EXPECT_EQ(text[start].find("Version: $LATEST"), text[start].size() - 16);
  EXPECT_NE(text[report].find("\tInit Duration: "), std::string::npos);
  EXPECT_NE(text[report].find("\tMemory Size: 256 MB\tMax Memory Used: "), std::string::npos);
  // Never 0: a cgroup's peak (pages charged to it, a few MB for Node.js) or
  // the process's peak RSS.
  const auto used_at = text[report].find("Max Memory Used: ");
  ASSERT_NE(used_at, std::string::npos);
  EXPECT_GT(std::stoi(text[report].substr(used_at + 17)), 0) << text[report];
  // 2024-01-01T00:00:00.000Z<TAB><request id><TAB>INFO<TAB>...
  EXPECT_EQ(text[hello][10], 'T');
  EXPECT_EQ(text[hello][23], 'Z');
  EXPECT_EQ(text[hello][24], '\t');
  EXPECT_NE(r->log_tail.find("START RequestId:"), std::string::npos);
  EXPECT_NE(r->log_tail.find("hello world"), std::string::npos);
  EXPECT_NE(r->log_tail.find("REPORT RequestId:"), std::string::npos);

  // A warm invocation has no Init Duration.
  ASSERT_TRUE(invoke(f));
  const auto all = sink_.lines();
  EXPECT_EQ(all.back().message.find("Init Duration"), std::string::npos);
}

TEST_F(node, thrown_errors_become_aws_error_documents) {
  temp_dir code;
  code.write("index.js", R"(
exports.sync = () => { throw new TypeError('bad type'); };
exports.async = async () => { throw new Error('async boom'); };
exports.custom = async () => { const e = new Error('mine'); e.name = 'MyError'; throw e; };)");
  auto sync = failed(spec("nodejs20.x", "index.sync", code));
  EXPECT_EQ(sync["errorType"], "TypeError");
  EXPECT_EQ(sync["errorMessage"], "bad type");
  ASSERT_TRUE(sync["trace"].is_array());
  EXPECT_EQ(sync["trace"].as_array()[0], "TypeError: bad type");
  auto async = failed(spec("nodejs20.x", "index.async", code));
  EXPECT_EQ(async["errorType"], "Error");
  EXPECT_EQ(async["errorMessage"], "async boom");
  EXPECT_EQ(failed(spec("nodejs20.x", "index.custom", code))["errorType"], "MyError");
  EXPECT_NE(sink_.all_text().find(
                "\tERROR\tInvoke Error \t{\"errorType\":\"Error\",\"errorMessage\":\"async boom\""),
            std::string::npos)
      << sink_.all_text();
}

TEST_F(node, runtime_errors_for_bad_handlers) {
  temp_dir code;
  code.write("index.js", "exports.handler = async () => 1; exports.notfn = 5;");
  code.write("broken.js", "exports.handler = async () => { return 1 +; };");

  auto missing = failed(spec("nodejs20.x", "index.nothere", code));
  EXPECT_EQ(missing["errorType"], "Runtime.HandlerNotFound");
  EXPECT_EQ(missing["errorMessage"], "index.nothere is undefined or not exported");
  EXPECT_EQ(failed(spec("nodejs20.x", "index.notfn", code))["errorMessage"],
            "index.notfn is not a function");

  auto import = failed(spec("nodejs20.x", "nomodule.handler", code));
  EXPECT_EQ(import["errorType"], "Runtime.ImportModuleError");
  EXPECT_TRUE(str(import["errorMessage"]).starts_with("Error: Cannot find module 'nomodule'"))
      << import["errorMessage"];

  auto syntax = failed(spec("nodejs20.x", "broken.handler", code));
  EXPECT_EQ(syntax["errorType"], "Runtime.UserCodeSyntaxError");
  EXPECT_TRUE(str(syntax["errorMessage"]).starts_with("SyntaxError: ")) << syntax["errorMessage"];

  auto malformed = failed(spec("nodejs20.x", "index", code));
  EXPECT_EQ(malformed["errorType"], "Runtime.MalformedHandlerName");
  EXPECT_EQ(malformed["errorMessage"], "Bad handler");
  EXPECT_EQ(failed(spec("nodejs20.x", "../x.handler", code))["errorType"],
            "Runtime.MalformedHandlerName");
}

TEST_F(node, uncaught_exception_fails_the_invocation_and_the_environment_is_replaced) {
  temp_dir code;
  code.write("index.js", R"(
exports.handler = async (event) => {
  if (event.crash) setImmediate(() => { throw new Error('later'); });
  else return process.pid;
  await new Promise((r) => setTimeout(r, 1000));
};)");
  auto f = spec("nodejs20.x", "index.handler", code);
  const auto pid = ok(f);
  auto err = failed(f, R"({"crash":true})");
  EXPECT_EQ(err["errorMessage"], "later");
  const auto replaced = ok(f);
  EXPECT_NE(pid, replaced);
}

}  // namespace
}  // namespace stratus::runtime::testing
