// The edge's asynchronous operations and raw routes: an async handler's
// output and errors are encoded like a synchronous one's, and a raw route
// answers before any AWS routing, unsigned.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "edge/gateway.hpp"

namespace stratus::edge {
namespace {
namespace json = boost::json;
namespace bhttp = boost::beast::http;

http::request lambda_request(bhttp::verb verb, std::string target, std::string body = {}) {
  http::request req{verb, target, 11};
  req.set(bhttp::field::host, "localhost:4566");
  req.set("X-Amz-Date", "20260101T000000Z");
  req.set(bhttp::field::authorization,
          "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, "
          "SignedHeaders=host;x-amz-date, Signature=" +
              std::string(64, 'a'));
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

TEST(async_dispatch, async_handler_output_and_errors_are_encoded) {
  gateway gw({});
  async_handler_table ops;
  ops["Invoke"] = [](request_context& ctx,
                     json::object& in) -> boost::asio::awaitable<result<json::object>> {
    if (in.at("FunctionName") == "missing")
      co_return api_error("ResourceNotFoundException", "Function not found: x", 404);
    co_return json::object{
        {"StatusCode", 200}, {"Payload", in.at("Payload")}, {"ExecutedVersion", "$LATEST"}};
  };
  gw.add_async_operations("lambda", std::move(ops));
  auto ok = gw.dispatch(
      lambda_request(bhttp::verb::post, "/2015-03-31/functions/f/invocations", R"({"a":1})"));
  EXPECT_EQ(ok.result_int(), 200);
  EXPECT_EQ(ok.body(), R"({"a":1})");
  EXPECT_EQ(ok["X-Amz-Executed-Version"], "$LATEST");
  auto missing = gw.dispatch(
      lambda_request(bhttp::verb::post, "/2015-03-31/functions/missing/invocations", "{}"));
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing["x-amzn-ErrorType"], "ResourceNotFoundException");
}

TEST(async_dispatch, trailing_slash_of_a_template_is_optional) {
  gateway gw({});
  gw.add_service("lambda",
                 {{"ListFunctions", [](request_context&, json::object&) {
                     return result<json::object>(json::object{{"Functions", json::array{}}});
                   }}});
  for (std::string target : {"/2015-03-31/functions", "/2015-03-31/functions/"}) {
    auto res = gw.dispatch(lambda_request(bhttp::verb::get, target));
    EXPECT_EQ(res.result_int(), 200) << target << res.body();
  }
}

TEST(async_dispatch, raw_routes_answer_unsigned_requests) {
  gateway gw({});
  gw.add_raw_route("/_stratus/test/", [](const raw_request& req) {
    raw_response res;
    res.status = req.query == "ok=1" ? 200 : 403;
    res.headers.emplace_back("Content-Type", "text/plain");
    res.body = std::string(req.path);
    return res;
  });
  http::request req{bhttp::verb::get, "/_stratus/test/thing?ok=1", 11};
  auto res = gw.dispatch(req);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "/_stratus/test/thing");
  http::request denied{bhttp::verb::get, "/_stratus/test/thing", 11};
  EXPECT_EQ(gw.dispatch(denied).result_int(), 403);
}

}  // namespace
}  // namespace stratus::edge
