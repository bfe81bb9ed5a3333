// The control plane through the service's handlers over an in-memory store:
// state transitions, AWS's messages, versions, aliases, policies,
// concurrency, event-invoke configurations, tags and persistence.
#include <gtest/gtest.h>

#include "common/base64.hpp"
#include "lambda/code_store.hpp"
#include "storage/memory_store.hpp"
#include "support.hpp"

namespace stratus::lambda {
namespace {
namespace json = boost::json;

class control_plane : public ::testing::Test {
 protected:
  std::unique_ptr<storage::store> store_ = storage::make_memory_store();
  test::temp_dir dir_;
  test::fake_invoker invoker_;
  test::service_fixture lambda_{*store_, dir_.path, invoker_};
  const std::string arn_ = "arn:aws:lambda:us-east-1:123456789012:function:";
};

TEST_F(control_plane, create_answers_pending_then_reads_answer_active) {
  auto created = lambda_.create("f", test::hello_zip());
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->at("State"), "Pending");
  EXPECT_EQ(created->at("StateReasonCode"), "Creating");
  EXPECT_FALSE(created->contains("LastUpdateStatus"));
  EXPECT_EQ(created->at("Runtime"), "nodejs8.10");  // retired, accepted, reported as given
  EXPECT_EQ(created->at("FunctionArn"), json::value(arn_ + "f"));
  EXPECT_EQ(created->at("Version"), "$LATEST");
  const std::string modified(created->at("LastModified").as_string());
  EXPECT_EQ(modified.size(), 28u);
  EXPECT_TRUE(modified.ends_with("+0000"));

  auto got = lambda_.call("GetFunction", {{"FunctionName", "f"}});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->at("Configuration").at("State"), "Active");
  EXPECT_EQ(got->at("Configuration").at("LastUpdateStatus"), "Successful");
  EXPECT_EQ(got->at("Code").at("RepositoryType"), "S3");
  EXPECT_TRUE(std::string(got->at("Code").at("Location").as_string())
                  .starts_with("http://127.0.0.1:4566/_stratus/lambda/code/"));
}

TEST_F(control_plane, create_errors_as_aws_words_them) {
  ASSERT_TRUE(lambda_.create("f", test::hello_zip()));
  auto again = lambda_.create("f", test::hello_zip());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "ResourceConflictException");
  EXPECT_EQ(again.error().status, 409u);
  EXPECT_EQ(again.error().message, "Function already exist: f");

  auto runtime = lambda_.create("g", test::hello_zip(), {{"Runtime", "java8"}});
  ASSERT_FALSE(runtime);
  EXPECT_EQ(runtime.error().code, "InvalidParameterValueException");
  EXPECT_TRUE(runtime.error().message.starts_with(
      "Value java8 at 'runtime' failed to satisfy constraint: Member must satisfy enum value "
      "set: [nodejs, "));
  EXPECT_TRUE(runtime.error().message.ends_with("provided.al2023] or be a valid ARN"));

  auto reserved = lambda_.create(
      "g", test::hello_zip(),
      {{"Environment", json::object{{"Variables", {{"A", "1"}, {"AWS_REGION", "x"}}}}}});
  ASSERT_FALSE(reserved);
  EXPECT_TRUE(reserved.error().message.ends_with("Reserved keys used in this request: AWS_REGION"));

  auto big = lambda_.create(
      "g", test::hello_zip(),
      {{"Environment", json::object{{"Variables", {{"BIG", std::string(4100, 'x')}}}}}});
  ASSERT_FALSE(big);
  EXPECT_TRUE(big.error().message.starts_with(
      "Lambda was unable to configure your environment variables because the environment "
      "variables you have provided exceeded the 4KB limit. String measured: {\"BIG\":\"xxx"));

  auto timeout = lambda_.create("g", test::hello_zip(), {{"Timeout", 901}});
  ASSERT_FALSE(timeout);
  EXPECT_EQ(timeout.error().code, "ValidationException");

  auto bad_zip = lambda_.create("g", "not a zip");
  ASSERT_FALSE(bad_zip);
  EXPECT_EQ(bad_zip.error().message,
            "Could not unzip uploaded file. Please check your file, then try to upload again.");
  auto image = lambda_.create("g", test::hello_zip(), {{"PackageType", "Image"}});
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().status, 501u);
  // Nothing of the failed attempts was created.
  auto missing = lambda_.call("GetFunction", {{"FunctionName", "g"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "Function not found: " + arn_ + "g");
  EXPECT_EQ(missing.error().status, 404u);
}

TEST_F(control_plane, updates_change_revision_and_retire_environments) {
  auto created = lambda_.create("f", test::hello_zip());
  ASSERT_TRUE(created);
  const json::value first_revision = created->at("RevisionId");
  auto stale =
      lambda_.call("UpdateFunctionCode", {{"FunctionName", "f"},
                                          {"ZipFile", base64_encode(test::hello_zip("// v2"))},
                                          {"RevisionId", "00000000-0000-0000-0000-000000000000"}});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, "PreconditionFailedException");
  EXPECT_EQ(stale.error().status, 412u);

  auto updated =
      lambda_.call("UpdateFunctionCode", {{"FunctionName", "f"},
                                          {"ZipFile", base64_encode(test::hello_zip("// v2"))},
                                          {"RevisionId", first_revision}});
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->at("LastUpdateStatus"), "InProgress");
  EXPECT_NE(updated->at("CodeSha256"), created->at("CodeSha256"));
  EXPECT_NE(updated->at("RevisionId"), first_revision);
  auto configured =
      lambda_.call("UpdateFunctionConfiguration",
                   {{"FunctionName", "f"},
                    {"Timeout", 30},
                    {"Environment", json::object{{"Variables", {{"TABLE", "things"}}}}}});
  ASSERT_TRUE(configured);
  auto got = lambda_.call("GetFunctionConfiguration", {{"FunctionName", "f"}});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->at("Timeout"), 30);
  EXPECT_EQ(got->at("Environment").at("Variables").at("TABLE"), "things");
  EXPECT_EQ(got->at("LastUpdateStatus"), "Successful");
  EXPECT_EQ(got->at("CodeSha256"), updated->at("CodeSha256"));
  EXPECT_EQ(invoker_.retired(), (std::vector<std::string>{"f", "f"}));
}

TEST_F(control_plane, versions_are_published_only_when_something_changed) {
  auto created = lambda_.create("f", test::hello_zip());
  ASSERT_TRUE(created);
  auto v1 = lambda_.call("PublishVersion", {{"FunctionName", "f"}});
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->at("Version"), "1");
  EXPECT_EQ(v1->at("FunctionArn"), json::value(arn_ + "f:1"));
  // Publishing changes $LATEST's RevisionId, as on AWS, but is no change to
  // publish again.
  auto latest_revision = lambda_.call("GetFunctionConfiguration", {{"FunctionName", "f"}});
  ASSERT_TRUE(latest_revision);
  EXPECT_NE(latest_revision->at("RevisionId"), created->at("RevisionId"));
  auto same = lambda_.call("PublishVersion", {{"FunctionName", "f"}});
  ASSERT_TRUE(same);
  EXPECT_EQ(same->at("Version"), "1");
  EXPECT_NE(same->at("RevisionId"), latest_revision->at("RevisionId"));
  auto unchanged = lambda_.call("GetFunctionConfiguration", {{"FunctionName", "f"}});
  EXPECT_EQ(unchanged->at("RevisionId"), latest_revision->at("RevisionId"));
  auto wrong_sha = lambda_.call("PublishVersion", {{"FunctionName", "f"}, {"CodeSha256", "nope"}});
  ASSERT_FALSE(wrong_sha);
  EXPECT_TRUE(wrong_sha.error().message.starts_with(
      "CodeSHA256 (nope) is different from current CodeSHA256 in $LATEST ("));
  ASSERT_TRUE(lambda_.call("UpdateFunctionConfiguration",
                           {{"FunctionName", "f"}, {"Description", "second"}}));
  auto v2 = lambda_.call("PublishVersion", {{"FunctionName", "f"}});
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->at("Version"), "2");
  auto versions = lambda_.call("ListVersionsByFunction", {{"FunctionName", "f"}});
  ASSERT_TRUE(versions);
  const auto& list = versions->at("Versions").as_array();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].at("FunctionArn"), json::value(arn_ + "f:$LATEST"));
  EXPECT_EQ(list[2].at("Description"), "second");
  auto v1_config =
      lambda_.call("GetFunctionConfiguration", {{"FunctionName", "f"}, {"Qualifier", "1"}});
  ASSERT_TRUE(v1_config);
  EXPECT_EQ(v1_config->at("Description"), "");
  auto missing = lambda_.call("GetFunction", {{"FunctionName", "f:9"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "Function not found: " + arn_ + "f:9");
  auto latest = lambda_.call("DeleteFunction", {{"FunctionName", "f"}, {"Qualifier", "$LATEST"}});
  ASSERT_FALSE(latest);
  EXPECT_EQ(latest.error().message,
            "$LATEST version cannot be deleted without deleting the function.");
  ASSERT_TRUE(lambda_.call("DeleteFunction", {{"FunctionName", "f"}, {"Qualifier", "1"}}));
  EXPECT_FALSE(lambda_.call("GetFunction", {{"FunctionName", "f:1"}}));
  EXPECT_TRUE(lambda_.call("GetFunction", {{"FunctionName", "f:2"}}));
}

TEST_F(control_plane, aliases_resolve_and_validate) {
  ASSERT_TRUE(lambda_.create("f", test::hello_zip(), {{"Publish", true}}));
  ASSERT_TRUE(lambda_.call("UpdateFunctionConfiguration", {{"FunctionName", "f"}, {"Timeout", 9}}));
  ASSERT_TRUE(lambda_.call("PublishVersion", {{"FunctionName", "f"}}));
  auto alias = lambda_.call("CreateAlias",
                            {{"FunctionName", "f"}, {"Name", "live"}, {"FunctionVersion", "1"}});
  ASSERT_TRUE(alias);
  EXPECT_EQ(alias->at("AliasArn"), json::value(arn_ + "f:live"));
  auto dup = lambda_.call("CreateAlias",
                          {{"FunctionName", "f"}, {"Name", "live"}, {"FunctionVersion", "1"}});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().message, "Alias already exists: " + arn_ + "f:live");
  auto no_version =
      lambda_.call("CreateAlias", {{"FunctionName", "f"}, {"Name", "x"}, {"FunctionVersion", "7"}});
  ASSERT_FALSE(no_version);
  EXPECT_EQ(no_version.error().message, "Function not found: " + arn_ + "f:7");
  auto same_weighted = lambda_.call(
      "CreateAlias", {{"FunctionName", "f"},
                      {"Name", "x"},
                      {"FunctionVersion", "1"},
                      {"RoutingConfig", json::object{{"AdditionalVersionWeights", {{"1", 0.5}}}}}});
  ASSERT_FALSE(same_weighted);
  EXPECT_EQ(same_weighted.error().message,
            "Invalid function version 1. Function version 1 is already included in routing "
            "configuration.");

  auto via_alias = lambda_.call("GetFunctionConfiguration", {{"FunctionName", "f:live"}});
  ASSERT_TRUE(via_alias);
  EXPECT_EQ(via_alias->at("Version"), "1");
  EXPECT_EQ(via_alias->at("Timeout"), 3);
  EXPECT_EQ(via_alias->at("FunctionArn"), json::value(arn_ + "f:live"));
  ASSERT_TRUE(lambda_.call("UpdateAlias",
                           {{"FunctionName", "f"}, {"Name", "live"}, {"FunctionVersion", "2"}}));
  via_alias = lambda_.call("GetFunctionConfiguration", {{"FunctionName", "f:live"}});
  EXPECT_EQ(via_alias->at("Timeout"), 9);
  auto missing = lambda_.call("GetAlias", {{"FunctionName", "f"}, {"Name", "nope"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "Cannot find alias arn: " + arn_ + "f:nope");
  auto in_use = lambda_.call("DeleteFunction", {{"FunctionName", "f"}, {"Qualifier", "2"}});
  ASSERT_FALSE(in_use);
  EXPECT_EQ(in_use.error().code, "ResourceConflictException");
  ASSERT_TRUE(lambda_.call("DeleteAlias", {{"FunctionName", "f"}, {"Name", "live"}}));
  auto listed = lambda_.call("ListAliases", {{"FunctionName", "f"}});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->at("Aliases").as_array().empty());
}

TEST_F(control_plane, list_functions_pages_through_every_function) {
  for (auto name : {"e", "a", "d", "b", "c"}) ASSERT_TRUE(lambda_.create(name, test::hello_zip()));
  ASSERT_TRUE(lambda_.call("PublishVersion", {{"FunctionName", "c"}}));
  std::vector<std::string> seen;
  json::object in{{"MaxItems", 2}};
  for (int page = 0; page < 10; ++page) {
    auto out = lambda_.call("ListFunctions", in);
    ASSERT_TRUE(out);
    for (const auto& f : out->at("Functions").as_array())
      seen.emplace_back(f.at("FunctionName").as_string());
    if (!out->contains("NextMarker")) break;
    in["Marker"] = out->at("NextMarker");
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));

  std::vector<std::string> arns;
  in = {{"MaxItems", 1}, {"FunctionVersion", "ALL"}};
  for (int page = 0; page < 10; ++page) {
    auto out = lambda_.call("ListFunctions", in);
    ASSERT_TRUE(out);
    for (const auto& f : out->at("Functions").as_array())
      arns.emplace_back(f.at("FunctionArn").as_string());
    if (!out->contains("NextMarker")) break;
    in["Marker"] = out->at("NextMarker");
  }
  ASSERT_EQ(arns.size(), 6u);
  EXPECT_EQ(arns[2], arn_ + "c:$LATEST");
  EXPECT_EQ(arns[3], arn_ + "c:1");
}

TEST_F(control_plane, permissions_render_as_aws_does) {
  ASSERT_TRUE(lambda_.create("f", test::hello_zip()));
  auto added = lambda_.call(
      "AddPermission",
      {{"FunctionName", "f"},
       {"StatementId", "apigateway-test-2"},
       {"Action", "lambda:InvokeFunction"},
       {"Principal", "apigateway.amazonaws.com"},
       {"SourceArn",
        "arn:aws:execute-api:us-east-1:123456789012:mnh1yprki7/*/POST/DynamoDBManager"}});
  ASSERT_TRUE(added);
  EXPECT_EQ(added->at("Statement"),
            "{\"Sid\":\"apigateway-test-2\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
            "\"apigateway.amazonaws.com\"},\"Action\":\"lambda:InvokeFunction\",\"Resource\":"
            "\"arn:aws:lambda:us-east-1:123456789012:function:f\",\"Condition\":{\"ArnLike\":{"
            "\"AWS:SourceArn\":\"arn:aws:execute-api:us-east-1:123456789012:mnh1yprki7/*/POST/"
            "DynamoDBManager\"}}}");
  auto dup = lambda_.call("AddPermission", {{"FunctionName", "f"},
                                            {"StatementId", "apigateway-test-2"},
                                            {"Action", "lambda:InvokeFunction"},
                                            {"Principal", "s3.amazonaws.com"}});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().message,
            "The statement id (apigateway-test-2) provided already exists. Please provide a new "
            "statement id, or remove the existing statement.");
  ASSERT_TRUE(lambda_.call("AddPermission", {{"FunctionName", "f"},
                                             {"StatementId", "acct"},
                                             {"Action", "lambda:InvokeFunction"},
                                             {"Principal", "111122223333"},
                                             {"SourceAccount", "111122223333"}}));
  auto policy = lambda_.call("GetPolicy", {{"FunctionName", "f"}});
  ASSERT_TRUE(policy);
  auto doc = json::parse(policy->at("Policy").as_string()).as_object();
  EXPECT_EQ(doc.at("Version"), "2012-10-17");
  EXPECT_EQ(doc.at("Id"), "default");
  const auto& second = doc.at("Statement").as_array().at(1);
  EXPECT_EQ(second.at("Principal").at("AWS"), "arn:aws:iam::111122223333:root");
  EXPECT_EQ(second.at("Condition").at("StringEquals").at("AWS:SourceAccount"), "111122223333");
  auto bad = lambda_.call("AddPermission", {{"FunctionName", "f"},
                                            {"StatementId", "x"},
                                            {"Action", "lambda:InvokeFunction"},
                                            {"Principal", "nobody"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "The provided principal was invalid. Please check the principal and try again.");
  ASSERT_TRUE(lambda_.call("RemovePermission", {{"FunctionName", "f"}, {"StatementId", "acct"}}));
  auto gone = lambda_.call("RemovePermission", {{"FunctionName", "f"}, {"StatementId", "acct"}});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().message, "Statement acct is not found in resource policy.");
  auto latest = lambda_.call("AddPermission", {{"FunctionName", "f"},
                                               {"Qualifier", "$LATEST"},
                                               {"StatementId", "y"},
                                               {"Action", "lambda:InvokeFunction"},
                                               {"Principal", "*"}});
  ASSERT_FALSE(latest);
  EXPECT_EQ(latest.error().message, "We currently do not support adding policies for $LATEST.");
}

TEST_F(control_plane, reserved_concurrency_keeps_100_unreserved) {
  ASSERT_TRUE(lambda_.create("f", test::hello_zip()));
  ASSERT_TRUE(lambda_.create("g", test::hello_zip()));
  auto put = lambda_.call("PutFunctionConcurrency",
                          {{"FunctionName", "f"}, {"ReservedConcurrentExecutions", 800}});
  ASSERT_TRUE(put);
  auto too_much = lambda_.call("PutFunctionConcurrency",
                               {{"FunctionName", "g"}, {"ReservedConcurrentExecutions", 101}});
  ASSERT_FALSE(too_much);
  EXPECT_EQ(too_much.error().message,
            "Specified ReservedConcurrentExecutions for function decreases account's "
            "UnreservedConcurrentExecution below its minimum value of [100].");
  auto settings = lambda_.call("GetAccountSettings", {});
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->at("AccountLimit").at("UnreservedConcurrentExecutions"), 200);
  EXPECT_EQ(settings->at("AccountUsage").at("FunctionCount"), 2);
  auto got = lambda_.call("GetFunction", {{"FunctionName", "f"}});
  EXPECT_EQ(got->at("Concurrency").at("ReservedConcurrentExecutions"), 800);
  ASSERT_TRUE(lambda_.call("DeleteFunctionConcurrency", {{"FunctionName", "f"}}));
  auto after = lambda_.call("GetFunctionConcurrency", {{"FunctionName", "f"}});
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());
  auto qualified = lambda_.call("PutFunctionConcurrency",
                                {{"FunctionName", "f:1"}, {"ReservedConcurrentExecutions", 1}});
  ASSERT_FALSE(qualified);
  EXPECT_TRUE(qualified.error().message.starts_with("This operation is permitted on Lambda"));
}

TEST_F(control_plane, event_invoke_configs) {
  ASSERT_TRUE(lambda_.create("f", test::hello_zip()));
  ASSERT_TRUE(lambda_.create("dest", test::hello_zip()));
  auto none = lambda_.call("PutFunctionEventInvokeConfig", {{"FunctionName", "f"}});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message,
            "You must specify at least one of error handling or destination setting.");
  auto self =
      lambda_.call("PutFunctionEventInvokeConfig",
                   {{"FunctionName", "f"},
                    {"DestinationConfig",
                     json::object{{"OnSuccess", json::object{{"Destination", arn_ + "f"}}}}}});
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().message, "You can't specify the function as a destination for itself.");
  auto missing =
      lambda_.call("PutFunctionEventInvokeConfig",
                   {{"FunctionName", "f"},
                    {"DestinationConfig",
                     json::object{{"OnFailure", json::object{{"Destination", arn_ + "nope"}}}}}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "The destination ARN " + arn_ + "nope is invalid.");
  auto put =
      lambda_.call("PutFunctionEventInvokeConfig",
                   {{"FunctionName", "f"},
                    {"MaximumRetryAttempts", 0},
                    {"DestinationConfig",
                     json::object{{"OnFailure", json::object{{"Destination", arn_ + "dest"}}}}}});
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->at("FunctionArn"), json::value(arn_ + "f:$LATEST"));
  EXPECT_EQ(put->at("DestinationConfig").at("OnSuccess"), json::object{});
  auto updated = lambda_.call("UpdateFunctionEventInvokeConfig",
                              {{"FunctionName", "f"}, {"MaximumEventAgeInSeconds", 60}});
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->at("MaximumRetryAttempts"), 0);
  EXPECT_EQ(updated->at("MaximumEventAgeInSeconds"), 60);
  auto listed = lambda_.call("ListFunctionEventInvokeConfigs", {{"FunctionName", "f"}});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->at("FunctionEventInvokeConfigs").as_array().size(), 1u);
  ASSERT_TRUE(lambda_.call("DeleteFunctionEventInvokeConfig", {{"FunctionName", "f"}}));
  auto gone = lambda_.call("GetFunctionEventInvokeConfig", {{"FunctionName", "f"}});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().message,
            "The function " + arn_ + "f:$LATEST doesn't have an EventInvokeConfig");
}

TEST_F(control_plane, tags) {
  ASSERT_TRUE(lambda_.create("f", test::hello_zip(), {{"Tags", {{"team", "a"}}}}));
  ASSERT_TRUE(lambda_.call("TagResource", {{"Resource", arn_ + "f"}, {"Tags", {{"env", "dev"}}}}));
  ASSERT_TRUE(lambda_.call("UntagResource", {{"Resource", arn_ + "f"}, {"TagKeys", {"team"}}}));
  auto tags = lambda_.call("ListTags", {{"Resource", arn_ + "f"}});
  ASSERT_TRUE(tags);
  EXPECT_EQ(tags->at("Tags"), (json::object{{"env", "dev"}}));
  auto qualified = lambda_.call("ListTags", {{"Resource", arn_ + "f:1"}});
  ASSERT_FALSE(qualified);
  EXPECT_EQ(qualified.error().message,
            "Tags on function aliases and versions are not supported. Please specify a function "
            "ARN.");
}

TEST_F(control_plane, everything_survives_a_new_service_on_the_same_store) {
  ASSERT_TRUE(lambda_.create("f", test::hello_zip(), {{"Publish", true}}));
  ASSERT_TRUE(lambda_.call("CreateAlias",
                           {{"FunctionName", "f"}, {"Name", "live"}, {"FunctionVersion", "1"}}));
  test::service_fixture restarted(*store_, dir_.path, invoker_);
  auto got = restarted.call("GetFunctionConfiguration", {{"FunctionName", "f:live"}});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->at("Version"), "1");
  ASSERT_TRUE(restarted.call("DeleteFunction", {{"FunctionName", "f"}}));
  EXPECT_FALSE(restarted.call("GetFunction", {{"FunctionName", "f"}}));
}

TEST(packages, code_nothing_uses_is_removed_and_code_in_use_is_kept) {
  using namespace std::chrono_literals;
  auto store = storage::make_memory_store();
  test::temp_dir dir;
  test::fake_invoker invoker;
  service_options options;
  options.code_sweep_interval = 5ms;
  options.code_grace = 0ms;
  test::service_fixture lambda(*store, dir.path, invoker, options);
  auto package = [&](const json::object& config) {
    return dir.path / "lambda" / "code" /
           sha256_hex_of(std::string(config.at("CodeSha256").as_string()));
  };
  auto update = [&](std::string_view body) {
    auto updated =
        lambda.call("UpdateFunctionCode",
                    {{"FunctionName", "f"}, {"ZipFile", base64_encode(test::hello_zip(body))}});
    EXPECT_TRUE(updated);
    return updated ? package(*updated) : std::filesystem::path();
  };
  auto created = lambda.create("f", test::hello_zip("// v1"));
  ASSERT_TRUE(created);
  const auto v1 = package(*created);
  ASSERT_TRUE(lambda.call("PublishVersion", {{"FunctionName", "f"}}));
  const auto v2 = update("// v2");
  const auto v3 = update("// v3");
  ASSERT_TRUE(std::filesystem::exists(v2));

  test::running worker(lambda);
  ASSERT_TRUE(test::eventually([&] { return !std::filesystem::exists(v2); }));
  EXPECT_FALSE(std::filesystem::exists(v2.string() + ".zip"));
  EXPECT_TRUE(std::filesystem::exists(v1));  // version 1 runs it
  EXPECT_TRUE(std::filesystem::exists(v3));  // $LATEST runs it

  ASSERT_TRUE(lambda.call("DeleteFunction", {{"FunctionName", "f"}}));
  ASSERT_TRUE(test::eventually(
      [&] { return !std::filesystem::exists(v1) && !std::filesystem::exists(v3); }));
}

}  // namespace
}  // namespace stratus::lambda
