// Model-driven validation with AWS's wording, checked against DynamoDB's
// input shapes (messages from /tmp/ddb-facts.md §4, captured from AWS).
#include "protocol/validate.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stratus::protocol {
namespace {
namespace json = boost::json;

std::optional<api_error> check(std::string_view op, std::string_view input) {
  const shape& s = *builtin_model("dynamodb").find_operation(op)->input;
  return validate(s, json::parse(input).as_object());
}

std::string message(std::string_view op, std::string_view input) {
  auto e = check(op, input);
  if (!e) return "<valid>";
  EXPECT_EQ(e->code, "ValidationException") << e->message;
  return e->message;
}

constexpr std::string_view key = R"("Key":{"p":{"S":"x"}})";

// A valid CreateTable input but for its TableName. Name constraints are
// pinned on CreateTable: AWS's data-plane operations now also take table ARNs
// and check names differently ([C] in /tmp/ddb-facts.md §2).
std::string create_table_named(std::string_view name) {
  return R"({"TableName":")" + std::string(name) + R"(",
    "KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],
    "AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}]})";
}

TEST(validate, valid_input_passes) {
  EXPECT_FALSE(check("GetItem", R"({"TableName":"abc",)" + std::string(key) + "}"));
  EXPECT_FALSE(check("ListTables", "{}"));
}

TEST(validate, missing_required_member_is_value_null) {
  EXPECT_EQ(message("GetItem", "{" + std::string(key) + "}"),
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(validate, explicit_json_null_counts_as_missing) {
  EXPECT_EQ(message("GetItem", R"({"TableName":null,)" + std::string(key) + "}"),
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(validate, two_errors_are_counted_and_joined_with_semicolons) {
  EXPECT_EQ(message("GetItem", "{}"),
            "2 validation errors detected: "
            "Value null at 'tableName' failed to satisfy constraint: Member must not be null; "
            "Value null at 'key' failed to satisfy constraint: Member must not be null");
}

TEST(validate, string_length_bounds) {
  EXPECT_EQ(message("CreateTable", create_table_named("ab")),
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 3");
  std::string long_name(256, 'n');
  EXPECT_EQ(message("CreateTable", create_table_named(long_name)),
            "1 validation error detected: Value '" + long_name +
                "' at 'tableName' failed to satisfy constraint: Member must have length less than "
                "or equal to 255");
  EXPECT_EQ(message("CreateTable", create_table_named(std::string(255, 'n'))), "<valid>");
}

TEST(validate, length_counts_characters_not_bytes) {
  // Three two-byte characters: six bytes but length 3, which is allowed.
  EXPECT_EQ(message("ListTables", R"({"ExclusiveStartTableName":"\u00e9\u00e9\u00e9"})"),
            "1 validation error detected: Value '\xc3\xa9\xc3\xa9\xc3\xa9' at "
            "'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: [a-zA-Z0-9_.-]+");
}

TEST(validate, pattern_must_match_the_whole_value) {
  EXPECT_EQ(message("CreateTable", create_table_named("nyh@test")),
            "1 validation error detected: Value 'nyh@test' at 'tableName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  EXPECT_EQ(message("CreateTable", create_table_named(".alternator_test")), "<valid>");
}

TEST(validate, length_and_pattern_errors_are_both_reported) {
  EXPECT_EQ(message("CreateTable", create_table_named("a;")),
            "2 validation errors detected: "
            "Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length "
            "greater than or equal to 3; "
            "Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: [a-zA-Z0-9_.-]+");
}

TEST(validate, integer_range_bounds) {
  EXPECT_EQ(message("ListTables", R"({"Limit":101})"),
            "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to 100");
  EXPECT_EQ(message("ListTables", R"({"Limit":0})"),
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1");
  EXPECT_EQ(message("ListTables", R"({"Limit":100})"), "<valid>");
}

TEST(validate, enum_values_are_listed_in_the_set) {
  EXPECT_EQ(message("CreateTable", R"({"TableName":"abc","BillingMode":"x",
      "KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],
      "AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}]})"),
            "1 validation error detected: Value 'x' at 'billingMode' failed to satisfy constraint: "
            "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
}

TEST(validate, enum_set_is_in_aws_order) {
  // AWS's order, not botocore's (test_trivial_returnvalues; dynalite).
  EXPECT_EQ(message("PutItem", R"({"TableName":"abc","Item":{},"ReturnValues":"DOG"})"),
            "1 validation error detected: Value 'DOG' at 'returnValues' failed to satisfy "
            "constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, "
            "UPDATED_NEW]");
  EXPECT_EQ(message("GetItem", R"({"TableName":"abc","Key":{},"ReturnConsumedCapacity":"x"})"),
            "1 validation error detected: Value 'x' at 'returnConsumedCapacity' failed to satisfy "
            "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
  EXPECT_EQ(message("CreateTable", R"({"TableName":"abc",
      "KeySchema":[{"AttributeName":"p","KeyType":"Woop"}],
      "AttributeDefinitions":[{"AttributeName":"p","AttributeType":"Q"}]})"),
            "2 validation errors detected: Value 'Q' at "
            "'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member "
            "must satisfy enum value set: [B, N, S]; Value 'Woop' at 'keySchema.1.member.keyType' "
            "failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
}

TEST(validate, enum_is_case_sensitive) {
  EXPECT_NE(message("PutItem", R"({"TableName":"abc","Item":{},"ReturnValues":"none"})"),
            "<valid>");
  EXPECT_EQ(message("PutItem", R"({"TableName":"abc","Item":{},"ReturnValues":"NONE"})"),
            "<valid>");
}

TEST(validate, list_members_have_one_based_paths) {
  EXPECT_EQ(message("CreateTable", R"({"TableName":"abc",
      "KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"KeyType":"RANGE"}],
      "AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},
                              {"AttributeName":"","AttributeType":"N"}]})"),
            "2 validation errors detected: "
            "Value '' at 'attributeDefinitions.2.member.attributeName' failed to satisfy "
            "constraint: Member must have length greater than or equal to 1; "
            "Value null at 'keySchema.2.member.attributeName' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(validate, first_list_member_path) {
  EXPECT_EQ(message("CreateTable", R"({"TableName":"abc",
      "KeySchema":[{"AttributeName":"","KeyType":"HASH"}],
      "AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}]})"),
            "1 validation error detected: Value '' at 'keySchema.1.member.attributeName' failed to "
            "satisfy constraint: Member must have length greater than or equal to 1");
}

TEST(validate, list_length_bounds) {
  EXPECT_EQ(message("CreateTable", R"({"TableName":"abc","KeySchema":[],
      "AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}]})"),
            "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
}

TEST(validate, nested_structure_paths) {
  EXPECT_EQ(message("CreateTable", R"({"TableName":"abc",
      "KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],
      "AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}],
      "ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":1}})"),
            "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' "
            "failed to satisfy constraint: Member must have value greater than or equal to 1");
}

TEST(validate, at_most_ten_errors_are_listed_but_all_are_counted) {
  std::vector<std::string> errors;
  for (int i = 0; i < 12; ++i) errors.push_back("e" + std::to_string(i));
  auto joined = join_validation_errors(errors);
  EXPECT_TRUE(joined.starts_with("12 validation errors detected: e0; e1; "));
  EXPECT_TRUE(joined.ends_with("; e9")) << joined;
}

TEST(validate, wrong_json_type_is_serialization_exception) {
  for (std::string_view input :
       {R"({"TableName":1,"Key":{}})", R"({"TableName":"abc","Key":[]})",
        R"({"TableName":{},"Key":{}})", R"({"TableName":"abc","Key":{},"ConsistentRead":"true"})",
        R"({"TableName":"abc","Key":{},"AttributesToGet":"a"})"}) {
    auto e = check("GetItem", input);
    ASSERT_TRUE(e) << input;
    EXPECT_EQ(e->code, "SerializationException") << input;
  }
  auto e = check("ListTables", R"({"Limit":"5"})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "SerializationException");
  EXPECT_EQ(e->message, "STRING_VALUE can not be converted to Integer");
}

TEST(validate, a_type_error_wins_over_constraint_errors) {
  auto e = check("GetItem", R"({"TableName":"a","Key":{},"ConsistentRead":1})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "SerializationException");
}

TEST(validate, integral_double_is_accepted_for_an_integer) {
  EXPECT_EQ(message("ListTables", R"({"Limit":5.0})"), "<valid>");
  auto e = check("ListTables", R"({"Limit":5.5})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "SerializationException");
}

TEST(validate, unknown_members_are_ignored) {
  EXPECT_EQ(message("ListTables", R"({"Bogus":[1,2,3]})"), "<valid>");
}

}  // namespace
}  // namespace stratus::protocol
