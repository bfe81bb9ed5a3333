// The embedded botocore models load, and the pieces the codecs rely on
// (operations, HTTP bindings, member locations, constraints) come through.
#include "protocol/model.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace stratus::protocol {
namespace {

TEST(builtin_models, every_embedded_model_loads_with_a_known_protocol) {
  const std::set<std::string> expected{
      "dynamodb", "dynamodbstreams", "lambda", "apigateway", "iam", "sts", "logs"};
  const auto& names = builtin_model_names();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
  for (const auto& name : names) {
    const service_model& m = builtin_model(name);
    EXPECT_EQ(m.name, name);
    EXPECT_TRUE(m.protocol == "json" || m.protocol == "rest-json" || m.protocol == "query")
        << name << ": " << m.protocol;
    EXPECT_FALSE(m.operations.empty()) << name;
    EXPECT_FALSE(m.signing_name.empty()) << name;
  }
}

TEST(builtin_models, every_member_and_element_points_at_a_shape) {
  for (const auto& name : builtin_model_names()) {
    const service_model& m = builtin_model(name);
    for (const auto& [shape_name, s] : m.shapes) {
      for (const auto& mem : s->members) {
        EXPECT_NE(mem.target, nullptr) << shape_name;
      }
      if (s->type == shape_type::list) {
        EXPECT_NE(s->element, nullptr) << shape_name;
      }
      if (s->type == shape_type::map) {
        EXPECT_NE(s->key, nullptr) << shape_name;
        EXPECT_NE(s->value, nullptr) << shape_name;
      }
    }
  }
}

TEST(builtin_models, loading_twice_returns_the_same_instance) {
  EXPECT_EQ(&builtin_model("dynamodb"), &builtin_model("dynamodb"));
}

TEST(dynamodb_model, metadata_names_the_json_target_prefix) {
  const service_model& m = builtin_model("dynamodb");
  EXPECT_EQ(m.protocol, "json");
  EXPECT_EQ(m.json_version, "1.0");
  EXPECT_EQ(m.target_prefix, "DynamoDB_20120810");
  EXPECT_EQ(m.api_version, "2012-08-10");
  EXPECT_EQ(m.signing_name, "dynamodb");
}

TEST(dynamodb_model, get_item_requires_table_name_and_key) {
  const service_model& m = builtin_model("dynamodb");
  const operation* op = m.find_operation("GetItem");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->http_method, "POST");
  ASSERT_NE(op->input, nullptr);
  EXPECT_EQ(op->input->name, "GetItemInput");
  EXPECT_EQ(op->input->required, (std::vector<std::string>{"TableName", "Key"}));
  EXPECT_EQ(m.find_operation("NoSuchOperation"), nullptr);
}

TEST(dynamodb_model, table_name_carries_length_and_pattern_constraints) {
  const member* table_name =
      builtin_model("dynamodb").find_operation("GetItem")->input->find_member("TableName");
  ASSERT_NE(table_name, nullptr);
  const shape& s = *table_name->target;
  EXPECT_EQ(s.type, shape_type::string);
  EXPECT_EQ(s.min, 3);
  EXPECT_EQ(s.max, 255);
  EXPECT_EQ(s.pattern, "[a-zA-Z0-9_.-]+");
  ASSERT_TRUE(s.pattern_check.has_value());
}

TEST(dynamodb_model, exceptions_are_marked_with_their_status) {
  const shape* s = builtin_model("dynamodb").find_shape("ResourceNotFoundException");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->is_exception);
  EXPECT_EQ(s->error_status, 400u);
}

TEST(lambda_model, invoke_binds_label_query_headers_and_a_raw_payload) {
  const service_model& m = builtin_model("lambda");
  EXPECT_EQ(m.protocol, "rest-json");
  const operation* op = m.find_operation("Invoke");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->http_method, "POST");
  EXPECT_EQ(op->request_uri, "/2015-03-31/functions/{FunctionName}/invocations");
  EXPECT_EQ(op->path_segments,
            (std::vector<std::string>{"2015-03-31", "functions", "{FunctionName}", "invocations"}));
  const shape& in = *op->input;

  const member* fn = in.find_member("FunctionName");
  ASSERT_NE(fn, nullptr);
  EXPECT_EQ(fn->where, location::uri);
  EXPECT_EQ(fn->location_name, "FunctionName");

  const member* qualifier = in.find_member("Qualifier");
  ASSERT_NE(qualifier, nullptr);
  EXPECT_EQ(qualifier->where, location::querystring);

  const member* type = in.find_member("InvocationType");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type->where, location::header);
  EXPECT_EQ(type->location_name, "X-Amz-Invocation-Type");

  const member* payload = in.find_member("Payload");
  ASSERT_NE(payload, nullptr);
  EXPECT_TRUE(payload->is_payload);
  EXPECT_EQ(payload->where, location::body);
  EXPECT_EQ(payload->target->type, shape_type::blob);
  EXPECT_FALSE(fn->is_payload);

  const member* status = op->output->find_member("StatusCode");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->where, location::status_code);
}

TEST(lambda_model, static_query_of_a_request_uri_is_split_off_the_path) {
  const operation* op = builtin_model("lambda").find_operation("GetLayerVersionByArn");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->path_segments, (std::vector<std::string>{"2018-10-31", "layers"}));
  ASSERT_EQ(op->static_query.size(), 1u);
  EXPECT_EQ(op->static_query[0].first, "find");
  EXPECT_EQ(op->static_query[0].second, "LayerVersion");
}

TEST(sts_model, query_operations_have_a_result_wrapper_and_namespace) {
  const service_model& m = builtin_model("sts");
  EXPECT_EQ(m.protocol, "query");
  EXPECT_EQ(m.xml_namespace, "https://sts.amazonaws.com/doc/2011-06-15/");
  EXPECT_EQ(m.find_operation("GetCallerIdentity")->result_wrapper, "GetCallerIdentityResult");
}

TEST(iam_model, exception_wire_code_can_differ_from_the_shape_name) {
  const shape* s = builtin_model("iam").find_shape("NoSuchEntityException");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->error_code, "NoSuchEntity");
  EXPECT_EQ(s->error_status, 404u);
  EXPECT_TRUE(s->sender_fault);
}

constexpr std::string_view minimal_model = R"({
  "metadata": {"protocol": "json", "apiVersion": "2020-01-01", "endpointPrefix": "x"},
  "operations": {},
  "shapes": {
    "Fine": {"type": "string", "pattern": "^[a-z]+$"}
  }
})";

TEST(load_model, signing_name_defaults_to_the_endpoint_prefix) {
  auto m = load_model("x", minimal_model);
  EXPECT_EQ(m->signing_name, "x");
}

TEST(load_model, a_valid_pattern_is_compiled_once_at_load) {
  auto m = load_model("x", minimal_model);
  const shape* fine = m->find_shape("Fine");
  ASSERT_TRUE(fine->pattern_check.has_value());
  EXPECT_TRUE(fine->pattern_check->matches("abc"));
  EXPECT_FALSE(fine->pattern_check->matches("ab1"));
}

TEST(load_model, a_dangling_shape_reference_is_an_error) {
  constexpr std::string_view dangling = R"({
    "metadata": {"protocol": "json"}, "operations": {},
    "shapes": {"A": {"type": "list", "member": {"shape": "Missing"}}}})";
  EXPECT_THROW((void)load_model("x", dangling), std::runtime_error);
}

TEST(load_model, an_unknown_shape_type_is_an_error) {
  constexpr std::string_view unknown = R"({
    "metadata": {"protocol": "json"}, "operations": {},
    "shapes": {"A": {"type": "tensor"}}})";
  EXPECT_THROW((void)load_model("x", unknown), std::runtime_error);
}

}  // namespace
}  // namespace stratus::protocol
