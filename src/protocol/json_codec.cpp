// The `json` protocol (DynamoDB, DynamoDB Streams, CloudWatch Logs):
// POST / with X-Amz-Target: <targetPrefix>.<Operation> and a JSON body in,
// a JSON body out; errors are {"__type": ..., "message": ...}.
#include <boost/json.hpp>

#include "protocol/codecs.hpp"

namespace stratus::protocol {
namespace json = boost::json;

namespace {

// Where AWS's json services say an error comes from. botocore keeps only
// what follows '#', but raw-HTTP clients and tests see the whole string.
std::string error_type(const service_model& model, const api_error& err) {
  if (model.name != "dynamodb" && model.name != "dynamodbstreams") return err.code;
  if (err.code == "ValidationException") return "com.amazon.coral.validate#" + err.code;
  if (model.find_shape(err.code))
    return "com.amazonaws." + model.name + ".v" +
           [&] {
             std::string v = model.api_version;
             std::erase(v, '-');
             return v;
           }() +
           "#" + err.code;
  return "com.amazon.coral.service#" + err.code;
}

}  // namespace

result<decoded_request> json_codec::decode(const service_model& model,
                                           const wire_request& req) const {
  std::string_view target = req.header("x-amz-target");
  auto dot = target.rfind('.');
  if (dot == std::string_view::npos || target.substr(0, dot) != model.target_prefix)
    return api_error::unknown_operation();
  const operation* op = model.find_operation(target.substr(dot + 1));
  if (!op) return api_error::unknown_operation();

  decoded_request out;
  out.op = op;
  if (req.body.empty()) return out;  // an empty body is an empty input
  json::parse_options opts;
  opts.max_depth = max_json_depth;
  boost::system::error_code ec;
  json::value body = json::parse(req.body, ec, {}, opts);
  // DynamoDB answers unparseable JSON with a bare SerializationException.
  if (ec) return api_error::serialization({});
  if (!body.is_object()) return api_error::serialization("Unexpected value type in payload");
  out.input = std::move(body.get_object());
  return out;
}

wire_response json_codec::encode(const service_model& model, const operation& op,
                                 const json::object& output, std::string_view request_id) const {
  wire_response res;
  res.headers.emplace_back("Content-Type", "application/x-amz-json-" + model.json_version);
  res.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  // Operations without an output shape (TagResource, UntagResource) answer
  // an empty body, not "{}".
  if (op.output) res.body = json::serialize(output);
  return res;
}

wire_response json_codec::encode_error(const service_model& model, const api_error& err,
                                       std::string_view request_id) const {
  wire_response res;
  res.status = err.status;
  res.headers.emplace_back(
      "Content-Type", "application/x-amz-json-" +
                          (model.json_version.empty() ? std::string("1.0") : model.json_version));
  res.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  json::object body = err.extra;
  body["__type"] = error_type(model, err);
  // The member is "Message" where the model's exception shape says so
  // (TransactionCanceledException) and in DynamoDB's coral errors
  // (SerializationException, AccessDeniedException); "message" elsewhere.
  if (!err.message.empty()) {
    const shape* exception = model.find_shape(err.code);
    const bool capital = exception
                             ? exception->find_member("Message") != nullptr
                             : model.name == "dynamodb" && (err.code == "SerializationException" ||
                                                            err.code == "AccessDeniedException");
    body[capital ? "Message" : "message"] = err.message;
  }
  res.body = json::serialize(body);
  return res;
}

}  // namespace stratus::protocol
