// Resource policies as a service caller meets them: the principal, the
// action (with wildcards) and the conditions on the source.
#include "lambda/resource_policy.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stratus::lambda {
namespace {
namespace json = boost::json;

policy of(std::string_view statement) {
  return policy{{json::parse(statement).as_object()}, "r1"};
}

constexpr std::string_view seed_statement = R"({"Sid": "apigateway-prod-2", "Effect": "Allow",
    "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "lambda:InvokeFunction",
    "Resource": "arn:aws:lambda:us-east-2:123456789012:function:f",
    "Condition": {"ArnLike": {"AWS:SourceArn":
        "arn:aws:execute-api:us-east-2:123456789012:abc/*/POST/DynamoDBManager"}}})";

service_call from(std::string_view source_arn) {
  return {"apigateway.amazonaws.com", "lambda:InvokeFunction", source_arn, "123456789012"};
}

TEST(ResourcePolicy, TheSourceArnMustMatchItsPattern) {
  auto p = of(seed_statement);
  EXPECT_TRUE(policy_allows(
      p, from("arn:aws:execute-api:us-east-2:123456789012:abc/prod/POST/DynamoDBManager")));
  EXPECT_TRUE(
      policy_allows(p, from("arn:aws:execute-api:us-east-2:123456789012:abc/test-invoke-stage/POST/"
                            "DynamoDBManager")));
  EXPECT_FALSE(policy_allows(
      p, from("arn:aws:execute-api:us-east-2:123456789012:abc/prod/GET/DynamoDBManager")));
  EXPECT_FALSE(policy_allows(
      p, from("arn:aws:execute-api:us-east-2:123456789012:xyz/prod/POST/DynamoDBManager")));
}

TEST(ResourcePolicy, PrincipalActionAndEffectCount) {
  EXPECT_FALSE(policy_allows(of(R"({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                                   "Action": "lambda:InvokeFunction"})"),
                             from("x")));
  EXPECT_FALSE(
      policy_allows(of(R"({"Effect": "Deny", "Principal": "*", "Action": "*"})"), from("x")));
  EXPECT_TRUE(policy_allows(of(R"({"Effect": "Allow", "Principal": "*", "Action": "lambda:*"})"),
                            from("x")));
  EXPECT_FALSE(policy_allows(
      of(R"({"Effect": "Allow", "Principal": "*", "Action": "lambda:GetFunction"})"), from("x")));
  EXPECT_TRUE(policy_allows(
      of(R"({"Effect": "Allow", "Principal": {"Service": ["a", "apigateway.amazonaws.com"]},
             "Action": ["lambda:InvokeFunction"],
             "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"}}})"),
      from("x")));
  EXPECT_FALSE(policy_allows(of(R"({"Effect": "Allow", "Principal": "*", "Action": "*",
             "Condition": {"IpAddress": {"aws:SourceIp": "1.2.3.4"}}})"),
                             from("x")));
  EXPECT_FALSE(policy_allows(policy{}, from("x")));
}

}  // namespace
}  // namespace stratus::lambda
