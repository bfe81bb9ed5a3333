// libFuzzer target for the protocol layer and the edge. The input is tried
// as the body, the target, the query string and a header of requests to the
// three codecs (json: dynamodb, rest-json: lambda, query: sts), each decoded
// input then validated against its model, and as a whole DynamoDB request
// through gateway::dispatch over an in-memory store. Nothing may crash, hang
// or leak; every answer must be a well-formed HTTP status.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "dynamodb/service.hpp"
#include "edge/gateway.hpp"
#include "protocol/codecs.hpp"
#include "protocol/validate.hpp"
#include "storage/memory_store.hpp"

namespace {

using namespace stratus;
namespace bhttp = boost::beast::http;

void decode_and_validate(const protocol::service_model& model, const protocol::wire_request& req) {
  const auto& codec = protocol::codec_for(model);
  auto decoded = codec.decode(model, req);
  if (!decoded) {
    (void)codec.encode_error(model, decoded.error(), "fuzz");
    return;
  }
  if (decoded->op->input) {
    if (auto err = protocol::validate(*decoded->op->input, decoded->input))
      (void)codec.encode_error(model, *err, "fuzz");
  }
  // Echo the input as output: encoders walk whatever shape they are given.
  if (decoded->op->output) (void)codec.encode(model, *decoded->op, decoded->input, "fuzz");
}

void codecs(std::string_view input) {
  const auto& dynamodb = protocol::builtin_model("dynamodb");
  const auto& lambda = protocol::builtin_model("lambda");
  const auto& sts = protocol::builtin_model("sts");

  for (std::string_view op : {"PutItem", "CreateTable", "GetItem"}) {
    std::string target = "DynamoDB_20120810." + std::string(op);
    decode_and_validate(dynamodb, {"POST", "/", "", {{"X-Amz-Target", target}}, input});
  }
  decode_and_validate(dynamodb, {"POST", "/", "", {{"X-Amz-Target", input}}, "{}"});

  decode_and_validate(lambda, {"POST", input, input, {{"X-Amz-Invocation-Type", input}}, input});
  decode_and_validate(lambda, {"GET", input, input, {}, ""});
  decode_and_validate(
      lambda, {"POST", "/2015-03-31/functions", "", {{"Content-Type", "application/json"}}, input});

  decode_and_validate(sts, {"POST", "/", "", {}, input});
  decode_and_validate(sts, {"GET", "/", input, {}, ""});

  (void)protocol::parse_query(input);
  (void)protocol::url_decode(input, true);
}

edge::gateway& shared_gateway() {
  static std::unique_ptr<storage::store> store = storage::make_memory_store();
  static dynamodb::service ddb(*store);
  static edge::gateway& gw = []() -> edge::gateway& {
    static edge::gateway g(edge::gateway_options{});
    g.add_service("dynamodb", ddb.handlers());
    return g;
  }();
  static bool created = [] {
    http::request req{bhttp::verb::post, "/", 11};
    req.set(bhttp::field::host, "localhost");
    req.set(bhttp::field::content_type, "application/x-amz-json-1.0");
    req.set("X-Amz-Target", "DynamoDB_20120810.CreateTable");
    req.set("X-Amz-Date", "20260101T000000Z");
    req.set(bhttp::field::authorization,
            "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=" +
                std::string(64, 'a'));
    req.body() =
        R"({"TableName":"t","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},)"
        R"({"AttributeName":"c","KeyType":"RANGE"}],"AttributeDefinitions":[)"
        R"({"AttributeName":"p","AttributeType":"S"},{"AttributeName":"c","AttributeType":"N"}],)"
        R"("BillingMode":"PAY_PER_REQUEST"})";
    return gw.dispatch(req).result_int() == 200;
  }();
  (void)created;
  return gw;
}

void through_gateway(std::string_view input) {
  auto& gw = shared_gateway();
  for (std::string_view op : {"PutItem", "GetItem", "DeleteItem", "CreateTable"}) {
    http::request req{bhttp::verb::post, "/", 11};
    req.set(bhttp::field::host, "localhost");
    req.set(bhttp::field::content_type, "application/x-amz-json-1.0");
    req.set("X-Amz-Target", "DynamoDB_20120810." + std::string(op));
    req.set("X-Amz-Date", "20260101T000000Z");
    req.set(bhttp::field::authorization,
            "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=" +
                std::string(64, 'a'));
    req.body() = std::string(input);
    auto res = gw.dispatch(req);
    if (res.result_int() < 100 || res.result_int() > 599) __builtin_trap();
  }
  // The input as the target and as the Authorization header.
  http::request req{bhttp::verb::post, "/", 11};
  req.set(bhttp::field::content_type, "application/x-amz-json-1.0");
  req.set("X-Amz-Target", input);
  req.set(bhttp::field::authorization, input);
  req.body() = "{}";
  (void)gw.dispatch(req);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  codecs(input);
  // Beast rejects header values with CR/LF or NUL; the server never sees them.
  if (input.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos)
    through_gateway(input);
  return 0;
}
