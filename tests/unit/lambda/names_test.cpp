// Function names, ARNs and timestamps as Lambda's API spells them.
#include "lambda/names.hpp"

#include <gtest/gtest.h>

namespace stratus::lambda {
namespace {

request_context caller() {
  request_context ctx;
  ctx.account_id = "123456789012";
  ctx.region = "us-east-1";
  return ctx;
}

TEST(names, plain_name_takes_the_callers_account_and_region) {
  auto ref = parse_function_ref(caller(), "my-fn", std::nullopt);
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->name, "my-fn");
  EXPECT_EQ(ref->account, "123456789012");
  EXPECT_EQ(ref->region, "us-east-1");
  EXPECT_FALSE(ref->qualifier);
}

TEST(names, every_form_of_a_qualified_name) {
  for (std::string_view text : {"my-fn:live", "123456789012:function:my-fn:live",
                                "arn:aws:lambda:us-east-1:123456789012:function:my-fn:live"}) {
    auto ref = parse_function_ref(caller(), text, std::nullopt);
    ASSERT_TRUE(ref) << text;
    EXPECT_EQ(ref->name, "my-fn") << text;
    EXPECT_EQ(ref->qualifier.value_or(""), "live") << text;
  }
}

TEST(names, arn_account_is_kept) {
  auto ref = parse_function_ref(caller(), "arn:aws:lambda:us-east-1:000000000000:function:f",
                                std::nullopt);
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->account, "000000000000");
  EXPECT_EQ(function_arn(*ref, ""), "arn:aws:lambda:us-east-1:000000000000:function:f");
  EXPECT_EQ(function_arn(*ref, "$LATEST"),
            "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST");
}

TEST(names, qualifier_parameter_must_agree_with_the_name) {
  auto same = parse_function_ref(caller(), "f:1", std::string_view("1"));
  ASSERT_TRUE(same);
  auto other = parse_function_ref(caller(), "f:1", std::string_view("2"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "InvalidParameterValueException");
  EXPECT_EQ(other.error().message,
            "The derived qualifier from the function name does not match the specified "
            "qualifier.");
  auto from_param = parse_function_ref(caller(), "f", std::string_view("live"));
  ASSERT_TRUE(from_param);
  EXPECT_EQ(from_param->qualifier.value_or(""), "live");
}

TEST(names, another_region_is_not_reachable) {
  auto ref = parse_function_ref(caller(), "arn:aws:lambda:eu-west-1:123456789012:function:f",
                                std::nullopt);
  ASSERT_FALSE(ref);
  EXPECT_EQ(ref.error().code, "ResourceNotFoundException");
  EXPECT_EQ(ref.error().message,
            "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
}

TEST(names, timestamps) {
  auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1704067200123));
  EXPECT_EQ(lambda_timestamp(at), "2024-01-01T00:00:00.123+0000");
  EXPECT_EQ(iso_timestamp(at), "2024-01-01T00:00:00.123Z");
}

TEST(names, version_numbers) {
  EXPECT_TRUE(is_version_number("12"));
  EXPECT_FALSE(is_version_number("$LATEST"));
  EXPECT_FALSE(is_version_number("live"));
  EXPECT_FALSE(is_version_number(""));
}

TEST(names, a_function_acts_as_its_roles_session_in_the_roles_account) {
  auto who = execution_role_identity("000000000000",
                                     "arn:aws:iam::123456789012:role/service-role/exec", "fn");
  EXPECT_EQ(who.account, "123456789012");
  EXPECT_EQ(who.arn, "arn:aws:sts::123456789012:assumed-role/exec/fn");
  EXPECT_TRUE(who.user_id.starts_with("AROA")) << who.user_id;
  EXPECT_TRUE(who.user_id.ends_with(":fn")) << who.user_id;
  EXPECT_EQ(who.user_id.size(), 4 + 17 + 3);
  // Not an ARN with an account: the function's account stands in.
  EXPECT_EQ(execution_role_identity("000000000000", "exec", "fn").arn,
            "arn:aws:sts::000000000000:assumed-role/exec/fn");
}

}  // namespace
}  // namespace stratus::lambda
