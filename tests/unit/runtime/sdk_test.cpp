// The AWS SDKs inside functions (aws-sdk v2 and @aws-sdk v3 in Node.js,
// Debian's boto3 in Python) send their calls to the endpoint Stratus gives,
// signed with the function's credentials, without any code change.
#include "http/server.hpp"
#include "support.hpp"

namespace stratus::runtime::testing {
namespace {

// Stands in for Stratus: answers every DynamoDB call with {} and records it.
class fake_endpoint : public http::application {
 public:
  http::admission admit(const http::request_header&) override { return std::uint64_t{1 << 20}; }
  boost::asio::awaitable<http::response> handle(http::request& req,
                                                const http::connection_info&) override {
    {
      std::lock_guard lock(mutex_);
      calls_.push_back(std::string(req["X-Amz-Target"]) + " " +
                       std::string(req[http::field::authorization]));
    }
    http::response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/x-amz-json-1.0");
    res.body() = "{}";
    co_return res;
  }
  http::response bad_request(http::status code, std::string_view) override {
    return http::response{code, 11};
  }
  std::vector<std::string> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> calls_;
};

class sdk : public runtime_test {
 protected:
  void SetUp() override {
    runtime_test::SetUp();
    server_ = std::make_unique<http::server>(io_, endpoint_, http::limits{});
    port_ = server_->listen("127.0.0.1", 0);
  }
  void TearDown() override {
    pool_.reset();
    std::promise<void> drained;
    server_->stop([&] { drained.set_value(); });
    drained.get_future().wait_for(std::chrono::seconds(5));
    runtime_test::TearDown();
  }
  options make_options() override {
    auto o = runtime_test::make_options();
    o.endpoint_url = [port = port_] { return "http://127.0.0.1:" + std::to_string(port); };
    return o;
  }
  // Whether a call with this target, signed with the account's key, arrived.
  bool arrived(const std::string& target) const {
    for (const auto& c : endpoint_.calls())
      if (c.starts_with(target + " ") && c.find("Credential=123456789012/") != std::string::npos)
        return true;
    return false;
  }

  fake_endpoint endpoint_;
  std::unique_ptr<http::server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(sdk, aws_sdk_v2_as_the_seed_tutorial_uses_it) {
  if (!fs::exists(default_node_modules_dir() / "aws-sdk"))
    GTEST_SKIP() << "run scripts/install-deps";
  temp_dir code;
  code.write("index.js", R"(
var AWS = require('aws-sdk');
var dynamo = new AWS.DynamoDB.DocumentClient();
exports.handler = function(event, context, callback) {
  dynamo.get({ TableName: 'v2table', Key: { id: '1' } }, callback);
};)");
  auto r = ok(spec("nodejs8.10", "index.handler", code));
  EXPECT_TRUE(r.is_object()) << r;
  EXPECT_TRUE(arrived("DynamoDB_20120810.GetItem"));
}

TEST_F(sdk, aws_sdk_v2_imported_by_an_es_module_and_by_subpath) {
  if (!fs::exists(default_node_modules_dir() / "aws-sdk"))
    GTEST_SKIP() << "run scripts/install-deps";
  temp_dir code;
  code.write("index.mjs", R"(
import AWS from 'aws-sdk';
import { createRequire } from 'node:module';
const DynamoDB = createRequire(import.meta.url)('aws-sdk/clients/dynamodb');
export const handler = async () => {
  await new AWS.DynamoDB().listTables({}).promise();
  await new DynamoDB().describeLimits({}).promise();
  return 'v2 esm';
};)");
  EXPECT_EQ(ok(spec("nodejs20.x", "index.handler", code)), "v2 esm");
  EXPECT_TRUE(arrived("DynamoDB_20120810.ListTables"));
  EXPECT_TRUE(arrived("DynamoDB_20120810.DescribeLimits"));
  EXPECT_EQ(sink_.all_text().find("end-of-support"), std::string::npos) << sink_.all_text();
}

TEST_F(sdk, aws_sdk_v3_from_an_es_module) {
  if (!fs::exists(default_node_modules_dir() / "@aws-sdk/lib-dynamodb"))
    GTEST_SKIP() << "run scripts/install-deps";
  temp_dir code;
  code.write("index.mjs", R"(
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
const client = new DynamoDBClient({});
const doc = DynamoDBDocumentClient.from(client);
export const handler = async () => {
  await client.send(new ListTablesCommand({}));
  await doc.send(new PutCommand({ TableName: 'v3table', Item: { id: '1', n: 2 } }));
  return 'v3';
};)");
  EXPECT_EQ(ok(spec("nodejs20.x", "index.handler", code)), "v3");
  EXPECT_TRUE(arrived("DynamoDB_20120810.ListTables"));
  EXPECT_TRUE(arrived("DynamoDB_20120810.PutItem"));
}

TEST_F(sdk, debian_boto3_predating_aws_endpoint_url) {
  temp_dir code;
  code.write("app.py", R"(
import boto3
def handler(event, context):
    boto3.client('dynamodb').list_tables()
    boto3.resource('dynamodb').Table('pytable').get_item(Key={'id': '1'})
    return 'boto3'
)");
  EXPECT_EQ(ok(spec("python3.12", "app.handler", code)), "boto3");
  EXPECT_TRUE(arrived("DynamoDB_20120810.ListTables"));
  EXPECT_TRUE(arrived("DynamoDB_20120810.GetItem"));
}

}  // namespace
}  // namespace stratus::runtime::testing
