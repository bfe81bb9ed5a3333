// Functions cannot read Stratus's data or each other's files, have their
// own /tmp, and a fork bomb in one does not stop the others (as root; the
// tests skip otherwise).
#include <sys/stat.h>

#include "support.hpp"

namespace stratus::runtime::testing {
namespace {

class isolation : public runtime_test {
 protected:
  options make_options() override {
    auto o = runtime_test::make_options();
    o.max_processes = 64;
    return o;
  }
  void SetUp() override {
    runtime_test::SetUp();
    if (!the_pool().isolating()) GTEST_SKIP() << "isolation needs root";
  }
};

constexpr const char* reader = R"(
import os
def handler(event, context):
    out = {'uid': os.getuid(), 'task': os.environ['LAMBDA_TASK_ROOT']}
    for key, path in event.items():
        try:
            with open(path) as f:
                out[key] = 'read:' + f.read()
        except OSError as e:
            out[key] = type(e).__name__
    try:
        with open('/tmp/mine', 'a') as f:
            f.write(context.function_name)
        with open('/tmp/mine') as f:
            out['tmp'] = f.read()
    except OSError as e:
        out['tmp'] = type(e).__name__
    try:
        with open(os.path.join(os.environ['LAMBDA_TASK_ROOT'], 'app.py'), 'a') as f:
            f.write('# changed')
        out['write_code'] = 'written'
    except OSError as e:
        out['write_code'] = type(e).__name__
    return out
)";

TEST_F(isolation, no_access_to_private_directories_or_other_functions) {
  // Not under /tmp or /var/tmp (functions have their own), nor under the
  // checkout, which may itself be under /tmp.
  temp_dir secret(fs::path("/var/lib"));
  fs::permissions(secret.path(), fs::perms(0700));
  secret.write("data", "top secret");

  temp_dir code_a, code_b;
  code_a.write("app.py", reader);
  code_b.write("app.py", reader);
  auto a = spec("python3.12", "app.handler", code_a, "a");
  auto b = spec("python3.12", "app.handler", code_b, "b");

  auto ra = ok(a, "{}").as_object();
  EXPECT_NE(ra["uid"], 0);
  EXPECT_EQ(ra["tmp"], "a");
  EXPECT_EQ(ra["write_code"], "PermissionError");

  const std::string a_code = str(ra["task"]) + "/app.py";
  auto rb = ok(b, boost::json::serialize(
                      boost::json::object{{"secret", (secret.path() / "data").string()},
                                          {"other", a_code},
                                          {"own", str(ra["task"]).empty() ? "" : "app.py"}}))
                .as_object();
  EXPECT_NE(rb["uid"], ra["uid"]);
  EXPECT_EQ(rb["secret"], "PermissionError");
  EXPECT_EQ(rb["other"], "PermissionError");
  EXPECT_TRUE(str(rb["own"]).starts_with("read:"));
  EXPECT_EQ(rb["tmp"], "b");  // b's /tmp is not a's
}

TEST_F(isolation, another_functions_runtime_api_is_refused) {
  temp_dir victim_code, thief_code;
  victim_code.write("app.py", R"(
import os
def handler(event, context):
    return os.environ['AWS_LAMBDA_RUNTIME_API']
)");
  thief_code.write("app.py", R"(
import socket
def handler(event, context):
    host, port = event['api'].split(':')
    try:
        s = socket.create_connection((host, int(port)), timeout=5)
    except OSError as e:
        return 'refused: ' + type(e).__name__
    s.sendall(b'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n')
    return s.recv(4096).decode()
)");
  const auto api = ok(spec("python3.12", "app.handler", victim_code, "victim"));
  const auto answer = ok(spec("python3.12", "app.handler", thief_code, "thief"),
                         boost::json::serialize(boost::json::object{{"api", api}}));
  if (the_pool().egress_filtered()) {
    // Another environment's port is not one this one may reach.
    EXPECT_EQ(str(answer), "refused: PermissionError");
  } else {
    // Refused for who it is, not for the state the victim is in.
    EXPECT_TRUE(str(answer).starts_with("HTTP/1.1 403 Forbidden\r\n")) << answer;
    EXPECT_NE(str(answer).find("AccessDeniedException"), std::string::npos) << answer;
  }
  // The victim still gets its own events.
  EXPECT_EQ(ok(spec("python3.12", "app.handler", victim_code, "victim")), api);
}

class private_data_dir : public isolation {
 protected:
  options make_options() override {
    auto o = isolation::make_options();
    fs::create_directories(data_.path() / "data");
    fs::permissions(data_.path(), fs::perms(0755));
    fs::permissions(data_.path() / "data", fs::perms(0755));  // as a umask leaves it
    std::ofstream(data_.path() / "data" / "CURRENT") << "MANIFEST-000001\n";
    o.private_dirs = {data_.path() / "data"};
    return o;
  }
  temp_dir data_{fs::path("/var/lib")};  // not where the sandbox mounts its own
};

TEST_F(private_data_dir, the_data_directory_is_made_private) {
  temp_dir code;
  code.write("app.py", reader);
  const auto current = (data_.path() / "data" / "CURRENT").string();
  auto r = ok(spec("python3.12", "app.handler", code),
              boost::json::serialize(boost::json::object{{"current", current}}))
               .as_object();
  EXPECT_EQ(r["current"], "PermissionError");
}

TEST_F(isolation, fork_bomb_stays_inside_its_environment) {
  temp_dir bomb_code, calm_code;
  bomb_code.write("app.py", R"(
import os, time
def handler(event, context):
    while True:
        try:
            os.fork()
        except OSError:
            time.sleep(30)
)");
  calm_code.write("app.py", "def handler(event, context):\n    return 'still here'\n");
  auto bomb = spec("python3.12", "app.handler", bomb_code, "bomb");
  bomb.timeout_seconds = 3;
  auto calm = spec("python3.12", "app.handler", calm_code, "calm");

  auto exploded = invoke_async(bomb, "{}");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(ok(calm), "still here");
  auto r = exploded.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(boost::json::parse(r->payload).at("errorType"), "Sandbox.Timedout");
  EXPECT_EQ(ok(calm), "still here");
}

}  // namespace
}  // namespace stratus::runtime::testing
