// Functions calling the real Stratus server through the SDKs, with no
// endpoint in their code: the seed tutorial's aws-sdk v2 DocumentClient and
// Debian's boto3 (STS and DynamoDB). Skipped when build/stratus is not built.
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>

#include "support.hpp"

namespace stratus::runtime::testing {
namespace {

class stratus_server : public runtime_test {
 protected:
  void SetUp() override {
    if (!fs::exists(STRATUS_BINARY)) GTEST_SKIP() << STRATUS_BINARY << " is not built";
    runtime_test::SetUp();
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    const std::string data = (data_.path() / "data").string();
    server_ = fork();
    if (server_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      execl(STRATUS_BINARY, STRATUS_BINARY, "serve", "--port", "0", "--data-dir", data.c_str(),
            "--log-level", "warn", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[256] = {};
    ASSERT_NE(fgets(line, sizeof line, f), nullptr);  // "... listening on http://127.0.0.1:PORT"
    fclose(f);
    const std::string text(line);
    ASSERT_NE(text.find("listening on "), std::string::npos) << text;
    url_ = text.substr(text.find("http://"));
    url_.erase(url_.find_last_not_of("\r\n") + 1);
  }
  void TearDown() override {
    runtime_test::TearDown();
    if (server_ > 0) {
      kill(server_, SIGTERM);
      int st;
      waitpid(server_, &st, 0);
    }
  }
  options make_options() override {
    auto o = runtime_test::make_options();
    o.endpoint_url = [this] { return url_; };
    return o;
  }

  temp_dir data_;
  pid_t server_ = -1;
  std::string url_;
};

TEST_F(stratus_server, seed_tutorial_function_with_aws_sdk_v2) {
  if (!fs::exists(default_node_modules_dir() / "aws-sdk"))
    GTEST_SKIP() << "run scripts/install-deps";
  temp_dir code;
  code.write("index.js", R"(
console.log('Loading function');
var AWS = require('aws-sdk');
var dynamo = new AWS.DynamoDB.DocumentClient();
exports.handler = function(event, context, callback) {
  var operation = event.operation;
  if (event.tableName) {
    event.payload.TableName = event.tableName;
  }
  switch (operation) {
    case 'setup':
      new AWS.DynamoDB().createTable({ TableName: 'lambda-apigateway',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST' }, callback);
      break;
    case 'create': dynamo.put(event.payload, callback); break;
    case 'read': dynamo.get(event.payload, callback); break;
    case 'echo': callback(null, "Success"); break;
    default: callback('Unknown operation: ${operation}');
  }
};)");
  auto f = spec("nodejs8.10", "index.handler", code, "LambdaFunctionOverHttps");
  ok(f, R"({"operation":"setup"})");
  ok(f,
     R"({"operation":"create","tableName":"lambda-apigateway","payload":{"Item":{"id":"1","name":"Bob"}}})");
  auto read =
      ok(f, R"({"operation":"read","tableName":"lambda-apigateway","payload":{"Key":{"id":"1"}}})");
  EXPECT_EQ(read.at("Item").at("name"), "Bob") << read;
  EXPECT_EQ(ok(f, R"({"operation":"echo"})"), "Success");
}

TEST_F(stratus_server, boto3_reaches_sts_and_dynamodb_in_the_functions_account) {
  temp_dir code;
  code.write("lambda_function.py", R"(
import boto3
def lambda_handler(event, context):
    identity = boto3.client('sts').get_caller_identity()
    tables = boto3.client('dynamodb').list_tables()['TableNames']
    return {'account': identity['Account'], 'tables': tables}
)");
  auto r = ok(spec("python3.12", "lambda_function.lambda_handler", code)).as_object();
  EXPECT_EQ(r["account"], "123456789012");
  EXPECT_TRUE(r["tables"].is_array());
}

}  // namespace
}  // namespace stratus::runtime::testing
