// gateway::dispatch end to end, without a socket: routing, the json front
// end's 404 gate, authentication (lenient and strict), validation, handlers
// over an in-memory store, and the health endpoints.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <ctime>

#include "auth/sigv4.hpp"
#include "dynamodb/service.hpp"
#include "edge/gateway.hpp"
#include "storage/memory_store.hpp"

namespace stratus::edge {
namespace {
namespace json = boost::json;
namespace bhttp = boost::beast::http;

const std::string fake_authorization =
    "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" +
    std::string(64, 'a');

http::request dynamodb_request(std::string_view operation, std::string body) {
  http::request req{bhttp::verb::post, "/", 11};
  req.set(bhttp::field::host, "localhost:4566");
  req.set(bhttp::field::content_type, "application/x-amz-json-1.0");
  req.set("X-Amz-Target", "DynamoDB_20120810." + std::string(operation));
  req.set("X-Amz-Date", "20260101T000000Z");
  req.set(bhttp::field::authorization, fake_authorization);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

json::object body_of(const http::response& res) {
  return json::parse(res.body()).as_object();
}

std::string error_type(const http::response& res) {
  auto body = body_of(res);
  std::string type(body.at("__type").as_string());
  return type.substr(type.find('#') + 1);
}

constexpr std::string_view create_table = R"({"TableName":"things",
  "KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],
  "AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},
                          {"AttributeName":"c","AttributeType":"N"}],
  "BillingMode":"PAY_PER_REQUEST"})";

class dispatch_test : public ::testing::Test {
 protected:
  explicit dispatch_test(gateway_options options = {}) : gateway_(std::move(options)) {
    gateway_.add_service("dynamodb", service_.handlers());
  }

  std::unique_ptr<storage::store> store_ = storage::make_memory_store();
  dynamodb::service service_{*store_};
  gateway gateway_;
};

TEST_F(dispatch_test, create_put_get_round_trip) {
  auto created = gateway_.dispatch(dynamodb_request("CreateTable", std::string(create_table)));
  ASSERT_EQ(created.result_int(), 200) << created.body();
  EXPECT_EQ(created[bhttp::field::content_type], "application/x-amz-json-1.0");
  EXPECT_EQ(body_of(created).at("TableDescription").at("TableName"), "things");

  auto put = gateway_.dispatch(dynamodb_request(
      "PutItem",
      R"({"TableName":"things","Item":{"p":{"S":"a"},"c":{"N":"1.50"},"v":{"SS":["x","y"]}}})"));
  ASSERT_EQ(put.result_int(), 200) << put.body();
  EXPECT_EQ(put.body(), "{}");

  auto got = gateway_.dispatch(dynamodb_request(
      "GetItem", R"({"TableName":"things","Key":{"p":{"S":"a"},"c":{"N":"15e-1"}}})"));
  ASSERT_EQ(got.result_int(), 200) << got.body();
  EXPECT_EQ(body_of(got).at("Item"),
            json::parse(R"({"p":{"S":"a"},"c":{"N":"1.5"},"v":{"SS":["x","y"]}})"));
}

TEST_F(dispatch_test, responses_carry_a_dynamodb_style_request_id) {
  auto res = gateway_.dispatch(dynamodb_request("ListTables", "{}"));
  ASSERT_EQ(res.result_int(), 200);
  const std::string id(res["x-amzn-RequestId"]);
  ASSERT_EQ(id.size(), 52u);
  for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) << id;
}

TEST_F(dispatch_test, get_of_a_missing_item_has_no_item_key) {
  ASSERT_EQ(
      gateway_.dispatch(dynamodb_request("CreateTable", std::string(create_table))).result_int(),
      200);
  auto got = gateway_.dispatch(dynamodb_request(
      "GetItem", R"({"TableName":"things","Key":{"p":{"S":"nope"},"c":{"N":"1"}}})"));
  ASSERT_EQ(got.result_int(), 200);
  EXPECT_EQ(got.body(), "{}");
}

TEST_F(dispatch_test, missing_authorization_is_missing_authentication_token) {
  auto req = dynamodb_request("ListTables", "{}");
  req.erase(bhttp::field::authorization);
  auto res = gateway_.dispatch(req);
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(body_of(res).at("__type"),
            "com.amazon.coral.service#MissingAuthenticationTokenException");
  EXPECT_EQ(body_of(res).at("message"), "Request is missing Authentication Token");
}

TEST_F(dispatch_test, unparseable_authorization_is_rejected_before_the_handler_runs) {
  auto req = dynamodb_request("CreateTable", std::string(create_table));
  req.set(bhttp::field::authorization, "AWS4");
  auto res = gateway_.dispatch(req);
  EXPECT_EQ(res.result_int(), 400);
  // Nothing was created.
  auto list = gateway_.dispatch(dynamodb_request("ListTables", "{}"));
  EXPECT_EQ(body_of(list).at("TableNames"), json::array());
}

TEST_F(dispatch_test, wrong_content_type_is_404_unknown_operation) {
  for (std::string_view ct : {"text/plain", "application/x-amz-json-1.1", "application/xml", ""}) {
    auto req = dynamodb_request("ListTables", "{}");
    if (ct.empty())
      req.erase(bhttp::field::content_type);
    else
      req.set(bhttp::field::content_type, ct);
    auto res = gateway_.dispatch(req);
    EXPECT_EQ(res.result_int(), 404) << ct;
    EXPECT_EQ(res.body(), "<UnknownOperationException/>\n") << ct;
  }
}

TEST_F(dispatch_test, application_json_with_parameters_is_accepted) {
  auto req = dynamodb_request("ListTables", "{}");
  req.set(bhttp::field::content_type, "application/json; charset=utf-8");
  EXPECT_EQ(gateway_.dispatch(req).result_int(), 200);
}

TEST_F(dispatch_test, a_get_to_the_json_service_is_404) {
  auto req = dynamodb_request("ListTables", "");
  req.method(bhttp::verb::get);
  EXPECT_EQ(gateway_.dispatch(req).result_int(), 404);
}

TEST_F(dispatch_test, unknown_target_is_unknown_operation_exception) {
  auto res = gateway_.dispatch(dynamodb_request("GetThings", "{}"));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(body_of(res).at("__type"), "com.amazon.coral.service#UnknownOperationException");

  auto other = dynamodb_request("ListTables", "{}");
  other.set("X-Amz-Target", "DynamoDB_20111205.ListTables");
  auto res2 = gateway_.dispatch(other);
  EXPECT_EQ(res2.result_int(), 400);
  EXPECT_EQ(error_type(res2), "UnknownOperationException");
}

TEST_F(dispatch_test, malformed_json_is_serialization_exception) {
  auto res = gateway_.dispatch(dynamodb_request("ListTables", "{broken json"));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(error_type(res), "SerializationException");
}

TEST_F(dispatch_test, validation_runs_before_the_handler) {
  std::string input(create_table);
  input.replace(input.find("things"), 6, "ab");
  auto res = gateway_.dispatch(dynamodb_request("CreateTable", input));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(body_of(res).at("__type"), "com.amazon.coral.validate#ValidationException");
  EXPECT_EQ(body_of(res).at("message"),
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 3");
}

TEST(dispatch, operation_without_handler_is_501_naming_it) {
  // A service with one handler: every other modelled operation is honest
  // about not being implemented.
  gateway only_list_tables{gateway_options{}};
  only_list_tables.add_service(
      "dynamodb", {{"ListTables", [](request_context&, json::object&) -> result<json::object> {
                      return json::object{};
                    }}});
  EXPECT_EQ(only_list_tables.dispatch(dynamodb_request("ListTables", "{}")).result_int(), 200);
  auto res =
      only_list_tables.dispatch(dynamodb_request("DeleteTable", R"({"TableName":"things"})"));
  EXPECT_EQ(res.result_int(), 501);
  EXPECT_EQ(error_type(res), "NotImplementedException");
  std::string message(body_of(res).at("message").as_string());
  EXPECT_NE(message.find("dynamodb:DeleteTable"), std::string::npos) << message;
}

TEST_F(dispatch_test, handler_errors_keep_their_namespace) {
  auto res = gateway_.dispatch(
      dynamodb_request("GetItem", R"({"TableName":"missing","Key":{"p":{"S":"a"}}})"));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(body_of(res).at("__type"),
            "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
}

TEST_F(dispatch_test, stratus_health_lists_services_as_json) {
  http::request req{bhttp::verb::get, "/_stratus/health", 11};
  auto res = gateway_.dispatch(req);
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  auto body = body_of(res);
  EXPECT_TRUE(body.contains("version"));
  EXPECT_EQ(body.at("services").at("dynamodb"), "running");
  EXPECT_EQ(body.at("services").at("lambda"), "not implemented");
}

TEST_F(dispatch_test, get_root_is_dynamodb_health_check_naming_the_host) {
  http::request req{bhttp::verb::get, "/", 11};
  req.set(bhttp::field::host, "localhost:4566");
  auto res = gateway_.dispatch(req);
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "healthy: localhost:4566");
}

TEST_F(dispatch_test, other_unrouted_paths_are_not_found) {
  for (std::string_view path : {"/abc", "/-", "/index.htm"}) {
    http::request req{bhttp::verb::get, path, 11};
    auto res = gateway_.dispatch(req);
    EXPECT_GE(res.result_int(), 400) << path;
    EXPECT_LE(res.result_int(), 404) << path;
  }
}

TEST_F(dispatch_test, hostile_bodies_get_an_answer_not_a_crash) {
  ASSERT_EQ(
      gateway_.dispatch(dynamodb_request("CreateTable", std::string(create_table))).result_int(),
      200);
  std::string deep = R"({"TableName":"things","Item":{"p":{"S":"a"},"c":{"N":"1"},"x":)";
  for (int i = 0; i < 200000; ++i) deep += R"({"L":[)";
  auto res = gateway_.dispatch(dynamodb_request("PutItem", deep));
  EXPECT_EQ(res.result_int(), 400);
  std::string nested = R"({"TableName":"things","Item":{"p":{"S":"a"},"c":{"N":"1"},"x":)";
  for (int i = 0; i < 40; ++i) nested += R"({"M":{"a":)";
  nested += R"({"S":"x"})";
  for (int i = 0; i < 40; ++i) nested += "}}";
  nested += "}}";
  auto res2 = gateway_.dispatch(dynamodb_request("PutItem", nested));
  EXPECT_EQ(res2.result_int(), 400);
  EXPECT_NE(std::string(body_of(res2).at("message").as_string()).find("nested"), std::string::npos);
}

// Strict mode: a key pair is configured and every signature is verified.
constexpr std::string_view access_key = "AKIDEXAMPLE";
constexpr std::string_view secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

class strict_dispatch_test : public dispatch_test {
 protected:
  strict_dispatch_test()
      : dispatch_test(gateway_options{credentials{std::string(access_key), std::string(secret_key)},
                                      &sessions_, "000000000000"}) {}

  // A ListTables request signed now with `key`/`secret`, as an SDK would,
  // with any `extra` headers signed too.
  static http::request signed_request(
      std::string_view key, std::string_view secret,
      const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char amz_date[17], date[9];
    std::strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
    std::strftime(date, sizeof date, "%Y%m%d", &tm);

    http::request req = dynamodb_request("ListTables", "{}");
    req.set("X-Amz-Date", amz_date);
    req.erase(bhttp::field::authorization);
    for (const auto& [name, value] : extra) req.set(name, value);
    auth::request_view view;
    view.method = "POST";
    view.path = "/";
    view.body = req.body();
    for (const auto& f : req) view.headers.emplace_back(f.name_string(), f.value());
    req.set(bhttp::field::authorization,
            auth::sign_authorization_header(view, key, secret, {date, "us-east-1", "dynamodb"},
                                            amz_date));
    return req;
  }

  // Static: the gateway (built by the base class) points to it.
  static inline auth::session_keys sessions_;
};

TEST_F(strict_dispatch_test, a_correctly_signed_request_is_served) {
  auto res = gateway_.dispatch(signed_request(access_key, secret_key));
  EXPECT_EQ(res.result_int(), 200) << res.body();
}

TEST_F(strict_dispatch_test, a_wrong_secret_is_invalid_signature) {
  auto res = gateway_.dispatch(signed_request(access_key, "not-the-secret"));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(body_of(res).at("__type"), "com.amazon.coral.service#InvalidSignatureException");
}

// A request signed over `{}`, answered, then replayed with another body.
void expect_a_tampered_body_refused(gateway& g, http::request req) {
  EXPECT_EQ(g.dispatch(req).result_int(), 200);
  req.body() = R"({"Limit":1})";
  req.prepare_payload();
  auto res = g.dispatch(req);
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(error_type(res), "InvalidSignatureException");
}

TEST_F(strict_dispatch_test, a_tampered_body_is_invalid_signature) {
  expect_a_tampered_body_refused(gateway_, signed_request(access_key, secret_key));
}

// The JS SDK declares the body's hash in a signed header: the signature must
// still be checked against the body as received.
TEST_F(strict_dispatch_test, a_tampered_body_with_a_declared_hash_is_invalid_signature) {
  expect_a_tampered_body_refused(
      gateway_,
      signed_request(access_key, secret_key, {{"X-Amz-Content-Sha256", auth::sha256_hex("{}")}}));
}

TEST_F(strict_dispatch_test, an_issued_session_key_works_with_its_token_while_it_lives) {
  auto issued = sessions_.issue(
      {"123456789012", "arn:aws:sts::123456789012:assumed-role/r/fn", "AROAEXAMPLE:fn"});
  const auto& key = issued.key;
  EXPECT_TRUE(key.access_key_id.starts_with("ASIA"));
  auto with_token = [&](const std::string& token) {
    return gateway_.dispatch(signed_request(key.access_key_id, key.secret_access_key,
                                            {{"X-Amz-Security-Token", token}}));
  };
  EXPECT_EQ(with_token(key.session_token).result_int(), 200);
  EXPECT_EQ(error_type(with_token("another-token")), "UnrecognizedClientException");
  EXPECT_EQ(error_type(gateway_.dispatch(signed_request(key.access_key_id, key.secret_access_key))),
            "UnrecognizedClientException");
  issued.hold.reset();  // the environment is gone
  EXPECT_EQ(sessions_.size(), 0u);
  EXPECT_EQ(error_type(with_token(key.session_token)), "UnrecognizedClientException");
}

TEST_F(strict_dispatch_test, a_well_formed_but_bogus_signature_is_invalid_signature) {
  auto req = signed_request(access_key, secret_key);
  std::string header(req[bhttp::field::authorization]);
  header.replace(header.size() - 64, 64, std::string(64, '0'));
  req.set(bhttp::field::authorization, header);
  auto res = gateway_.dispatch(req);
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(error_type(res), "InvalidSignatureException");
}

TEST_F(strict_dispatch_test, an_unknown_access_key_is_unrecognized_client) {
  auto res = gateway_.dispatch(signed_request("AKIDUNKNOWN", secret_key));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(body_of(res).at("__type"), "com.amazon.coral.service#UnrecognizedClientException");
  EXPECT_EQ(body_of(res).at("message"), "The security token included in the request is invalid.");
}

TEST_F(strict_dispatch_test, lenient_placeholder_signatures_are_refused) {
  // The placeholder request is dated 2026-01-01: in strict mode the clock is
  // checked first (as AWS does), so it is refused as expired before its
  // unknown key is looked at.
  auto res = gateway_.dispatch(dynamodb_request("ListTables", "{}"));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(error_type(res), "InvalidSignatureException");
  EXPECT_NE(res.body().find("Signature expired"), std::string::npos);
}

}  // namespace
}  // namespace stratus::edge
