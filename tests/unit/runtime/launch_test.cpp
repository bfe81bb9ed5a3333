// The command line and variables each runtime family starts with.
#include "runtime/launch.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace stratus::runtime {
namespace {

lambda::function_spec sample() {
  lambda::function_spec f;
  f.account = "123456789012";
  f.region = "eu-west-1";
  f.name = "calc";
  f.version = "3";
  f.runtime = "nodejs6.10";
  f.handler = "index.handler";
  f.memory_mb = 512;
  f.environment = {{"TABLE", "t"}, {"AWS_LAMBDA_FUNCTION_NAME", "spoofed"}, {"TZ", "Europe/Paris"}};
  return f;
}

launch_facts facts() {
  launch_facts x;
  x.task_root = "/env/task";
  x.runtime_api = "127.0.0.1:9999";
  x.log_stream = "2024/01/01/[3]abc";
  x.tmp_dir = "/tmp";
  x.endpoint_url = "http://127.0.0.1:4566";
  x.credentials = {"AKID", "SECRET", "TOKEN", nullptr};
  return x;
}

std::string var(const launch_command& c, const std::string& name) {
  for (const auto& e : c.env)
    if (e.starts_with(name + "=")) return e.substr(name.size() + 1);
  return "<unset>";
}

TEST(launch, families) {
  EXPECT_EQ(family_of("nodejs8.10"), runtime_family::node);
  EXPECT_EQ(family_of("python3.12"), runtime_family::python);
  EXPECT_EQ(family_of("provided.al2023"), runtime_family::provided);
  EXPECT_EQ(family_of("java21"), std::nullopt);
}

TEST(launch, variables_as_aws_sets_them) {
  options o;
  o.bootstrap_dir = "/rt";
  o.node_modules_dir = "/sdk/node_modules";
  const auto c = make_launch_command(sample(), runtime_family::node, facts(), o);
  EXPECT_EQ(var(c, "AWS_LAMBDA_FUNCTION_NAME"), "calc");  // reserved beats the user's
  EXPECT_EQ(var(c, "TZ"), "Europe/Paris");                // unreserved: the user's wins
  EXPECT_EQ(var(c, "TABLE"), "t");
  EXPECT_EQ(var(c, "AWS_LAMBDA_FUNCTION_VERSION"), "3");
  EXPECT_EQ(var(c, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), "512");
  EXPECT_EQ(var(c, "AWS_LAMBDA_LOG_GROUP_NAME"), "/aws/lambda/calc");
  EXPECT_EQ(var(c, "AWS_LAMBDA_LOG_STREAM_NAME"), "2024/01/01/[3]abc");
  EXPECT_EQ(var(c, "AWS_REGION"), "eu-west-1");
  EXPECT_EQ(var(c, "AWS_DEFAULT_REGION"), "eu-west-1");
  EXPECT_EQ(var(c, "AWS_EXECUTION_ENV"), "AWS_Lambda_nodejs6.10");
  EXPECT_EQ(var(c, "AWS_LAMBDA_RUNTIME_API"), "127.0.0.1:9999");
  EXPECT_EQ(var(c, "AWS_ACCESS_KEY_ID"), "AKID");
  EXPECT_EQ(var(c, "AWS_SECRET_ACCESS_KEY"), "SECRET");
  EXPECT_EQ(var(c, "AWS_SESSION_TOKEN"), "TOKEN");
  EXPECT_EQ(var(c, "AWS_ENDPOINT_URL"), "http://127.0.0.1:4566");
  EXPECT_EQ(var(c, "LAMBDA_TASK_ROOT"), "/env/task");
  EXPECT_EQ(var(c, "LAMBDA_RUNTIME_DIR"), "/rt/node");
  EXPECT_EQ(var(c, "_HANDLER"), "index.handler");
  EXPECT_EQ(var(c, "LANG"), "en_US.UTF-8");
  EXPECT_EQ(var(c, "HOME"), "/tmp");
  EXPECT_EQ(var(c, "TMPDIR"), "/tmp");
  EXPECT_EQ(var(c, "NODE_PATH"), "/sdk/node_modules:/env/task");
  EXPECT_NE(var(c, "PATH"), "<unset>");
  EXPECT_NE(var(c, "LD_LIBRARY_PATH").find("/env/task/lib"), std::string::npos);
  EXPECT_EQ(c.program, "/usr/bin/node");
  EXPECT_EQ(c.argv.back(), "/rt/node/bootstrap.cjs");
  EXPECT_NE(std::find(c.argv.begin(), c.argv.end(), "/rt/node/sdk-endpoint.cjs"), c.argv.end());
}

TEST(launch, python_and_provided_commands) {
  options o;
  o.bootstrap_dir = "/rt";
  auto f = sample();
  f.runtime = "python3.12";
  const auto py = make_launch_command(f, runtime_family::python, facts(), o);
  EXPECT_EQ(py.program, "/usr/bin/python3");
  EXPECT_EQ(py.argv.back(), "/rt/python/bootstrap.py");
  EXPECT_EQ(var(py, "PYTHONPATH"), "/rt/python");
  f.runtime = "provided.al2";
  const auto custom = make_launch_command(f, runtime_family::provided, facts(), o);
  EXPECT_EQ(custom.program, "/env/task/bootstrap");
  auto long_term = facts();
  long_term.credentials.session_token.clear();
  EXPECT_EQ(
      var(make_launch_command(f, runtime_family::provided, long_term, o), "AWS_SESSION_TOKEN"),
      "<unset>");
  EXPECT_EQ(var(custom, "AWS_EXECUTION_ENV"), "<unset>");
  EXPECT_EQ(var(custom, "LAMBDA_RUNTIME_DIR"), "/env/task");
}

}  // namespace
}  // namespace stratus::runtime
