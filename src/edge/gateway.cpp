#include "edge/gateway.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <random>

#include "auth/sigv4.hpp"
#include "common/ascii.hpp"
#include "common/compression.hpp"
#include "common/uuid.hpp"
#include "common/version.hpp"
#include "edge/auth_errors.hpp"
#include "protocol/validate.hpp"
#include "protocol/wire.hpp"

namespace stratus::edge {
namespace json = boost::json;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::uint64_t dynamodb_body_limit = 16 * 1024 * 1024;  // DynamoDB's request cap
// Lambda's zip upload is 50 MB, base64-encoded inside JSON: AWS's limit for
// the operations that take one.
constexpr std::uint64_t lambda_code_body_limit = 69905067;
// Invoke's 6 MB, which AWS applies to Lambda's other operations too.
constexpr std::uint64_t lambda_body_limit = 6291456;
constexpr std::uint64_t default_body_limit = 16 * 1024 * 1024;
constexpr std::size_t compression_threshold = 4096;
// Beyond this, a body is read only for a caller whose signature's header
// part checks out (verified mode): a stranger cannot make the server buffer
// 70 MB.
constexpr std::uint64_t unauthenticated_body_limit = 64 * 1024;

// How Lambda's size errors name an operation: Invoke is "InvokeFunction".
std::string lambda_operation_title(const protocol::operation* op) {
  if (!op) return "CreateFunction";
  return op->name == "Invoke" ? "InvokeFunction" : op->name;
}

// The largest body `op` (null: not known from the header) may carry.
std::uint64_t admitted_body_limit(const protocol::service_model& model,
                                  const protocol::operation* op) {
  if (model.name == "lambda") {
    if (!op) return lambda_code_body_limit;
    const std::string_view name = op->name;
    return name == "CreateFunction" || name == "UpdateFunctionCode" || name == "PublishLayerVersion"
               ? lambda_code_body_limit
               : lambda_body_limit;
  }
  if (model.name == "dynamodb") return dynamodb_body_limit;
  return default_body_limit;
}

// The first coding in Accept-Encoding that we produce (q-values ignored but
// q=0, which means "not this one").
std::optional<content_coding> accepted_coding(std::string_view accept) {
  while (!accept.empty()) {
    auto comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
    auto semi = item.find(';');
    std::string_view name = item.substr(0, semi);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (semi != std::string_view::npos && item.find("q=0", semi) != std::string_view::npos &&
        item.find("q=0.", semi) == std::string_view::npos)
      continue;
    if (auto coding = parse_content_coding(name)) return coding;
  }
  return std::nullopt;
}

std::string request_id(bool dynamodb_style) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  if (dynamodb_style) {
    // DynamoDB's ids are 52 characters of [0-9A-Z].
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::string id(52, '0');
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < id.size(); ++i) {
      if (i % 12 == 0) bits = rng();  // 36^12 < 2^64: twelve digits per draw
      id[i] = alphabet[bits % 36];
      bits /= 36;
    }
    return id;
  }
  return random_uuid();
}

protocol::wire_request to_wire(const http::request& req) {
  protocol::wire_request w;
  w.method = req.method_string();
  std::string_view target = req.target();
  auto q = target.find('?');
  w.path = target.substr(0, q);
  w.query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  for (const auto& f : req) w.headers.emplace_back(f.name_string(), f.value());
  w.body = req.body();
  return w;
}

auth::request_view to_auth_view(const protocol::wire_request& w) {
  auth::request_view v;
  v.method = w.method;
  v.path = w.path;
  v.query = w.query;
  v.headers = w.headers;
  v.body = w.body;
  return v;
}

http::response to_http(protocol::wire_response&& w) {
  http::response res{static_cast<http::status>(w.status), 11};
  for (auto& [k, v] : w.headers) res.set(k, v);
  res.set(http::field::server, "Stratus");
  res.body() = std::move(w.body);
  return res;
}

// A plain endpoint's answer as it leaves; a repeated header name is sent
// once per value.
http::response from_raw(raw_response&& out, unsigned version) {
  http::response res{static_cast<http::status>(out.status), version};
  for (auto& [k, v] : out.headers) res.insert(k, v);
  res.body() = std::move(out.body);
  res.prepare_payload();
  return res;
}

// The input's error against the operation's model, as the service answers it.
std::optional<api_error> invalid_input(const protocol::service_model& model,
                                       const protocol::operation& op, const json::object& input) {
  if (!op.input) return std::nullopt;
  auto invalid = protocol::validate(*op.input, input);
  // CloudWatch Logs sends its "N validation errors detected" as
  // InvalidParameterException.
  if (invalid && model.name == "logs" && invalid->code == "ValidationException")
    invalid->code = "InvalidParameterException";
  return invalid;
}

// Appends the handler's raw_output members to a serialized JSON object.
void splice_raw_members(std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& members) {
  if (members.empty() || body.empty() || body.back() != '}') return;
  body.pop_back();
  bool first = body.size() == 1;  // "{" was "{}"
  for (const auto& [name, text] : members) {
    if (!first) body += ',';
    first = false;
    body += json::serialize(json::string_view(name));
    body += ':';
    body += text;
  }
  body += '}';
}

// What AWS's front ends answer a request no service takes: 404 and a bare
// <UnknownOperationException/>.
void add_cors(const http::request& req, http::response& res);

http::response not_found(const http::request& req) {
  http::response res{http::status::not_found, req.version()};
  res.set(http::field::content_type, "application/xml");
  res.body() = "<UnknownOperationException/>\n";
  add_cors(req, res);
  return res;
}

// CORS as AWS's endpoints answer it: any origin may call (credentials are
// what protects the API), with the request's own method and headers allowed
// on a preflight.
void add_cors(const http::request& req, http::response& res) {
  if (req[http::field::origin].empty()) return;
  res.set(http::field::access_control_allow_origin, "*");
  res.set(http::field::access_control_expose_headers,
          "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date");
  if (req.method() == http::verb::options) {
    std::string_view methods = req[http::field::access_control_request_method];
    std::string_view headers = req[http::field::access_control_request_headers];
    res.set(http::field::access_control_allow_methods,
            methods.empty() ? std::string_view("GET,POST,PUT,DELETE,HEAD,OPTIONS") : methods);
    if (!headers.empty()) res.set(http::field::access_control_allow_headers, headers);
    res.set(http::field::access_control_max_age, "172800");
  }
}

// The service named by the credential scope of an Authorization header or a
// presigned query: ".../20150830/us-east-1/<service>/aws4_request".
std::string_view scope_service(std::string_view text) {
  auto cred = text.find("Credential=");
  if (cred == std::string_view::npos) {
    cred = text.find("X-Amz-Credential=");
    if (cred == std::string_view::npos) return {};
  }
  auto end = text.find("aws4_request", cred);
  if (end == std::string_view::npos || end < 2) return {};
  std::string_view scope = text.substr(cred, end - 1 - cred);  // up to the slash before
  auto slash = scope.rfind('/');
  if (slash == std::string_view::npos) slash = scope.rfind("%2F");
  if (slash == std::string_view::npos) return {};
  return scope.substr(scope[slash] == '/' ? slash + 1 : slash + 3);
}

bool json_content_type(std::string_view ct, std::string_view json_version) {
  auto semi = ct.find(';');
  std::string_view base = ct.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  return ascii::iequals(base, "application/json") ||
         (ascii::istarts_with(base, "application/x-amz-json-") &&
          base.substr(std::string_view("application/x-amz-json-").size()) == json_version);
}

}  // namespace

gateway::gateway(gateway_options options) : options_(std::move(options)) {
  for (const auto& name : protocol::builtin_model_names())
    services_.push_back({&protocol::builtin_model(name), {}, {}});
}

void gateway::add_service(std::string_view model_name, handler_table handlers) {
  for (auto& s : services_)
    if (s.model->name == model_name) s.handlers = std::move(handlers);
}

const gateway::service_entry* gateway::find(std::string_view model_name) const {
  for (const auto& s : services_)
    if (s.model->name == model_name) return &s;
  return nullptr;
}

const gateway::service_entry* gateway::route(const http::request_header& req) const {
  // 1. json protocols name their target.
  std::string_view target = req["X-Amz-Target"];
  if (!target.empty()) {
    std::string_view prefix = target.substr(0, target.find('.'));
    for (const auto& s : services_)
      if (!s.model->target_prefix.empty() && s.model->target_prefix == prefix) return &s;
  }
  // 2. The signature says which service it was signed for.
  std::string_view scope = scope_service(req[http::field::authorization]);
  if (scope.empty()) scope = scope_service(req.target());
  if (!scope.empty())
    for (const auto& s : services_)
      if (s.model->signing_name == scope) return &s;
  // 3. Well-known paths of the rest services.
  std::string_view path = req.target();
  if (path.starts_with("/2015-03-31/") || path.starts_with("/2016-08-19/") ||
      path.starts_with("/2017-03-31/") || path.starts_with("/2018-10-31/") ||
      path.starts_with("/2019-09-25/") || path.starts_with("/2019-09-30/") ||
      path.starts_with("/2020-04-22/") || path.starts_with("/2020-06-30/") ||
      path.starts_with("/2021-10-31/"))
    return find("lambda");
  if (path.starts_with("/restapis") || path.starts_with("/apikeys") ||
      path.starts_with("/usageplans") || path.starts_with("/domainnames") ||
      path.starts_with("/account") || path.starts_with("/clientcertificates") ||
      path.starts_with("/tags/") || path.starts_with("/vpclinks"))
    return find("apigateway");
  // 4. json without a known target: DynamoDB is the json service users hit.
  if (!target.empty()) return find("dynamodb");
  return nullptr;
}

const protocol::operation* gateway::operation_of(const service_entry& service,
                                                 const http::request_header& header) const {
  if (service.model->protocol != "rest-json") return nullptr;
  const std::string_view target = header.target();
  const auto q = target.find('?');
  return protocol::find_rest_operation(
      *service.model, header.method_string(), target.substr(0, q),
      q == std::string_view::npos ? std::string_view{} : target.substr(q + 1));
}

http::admission gateway::admit(const http::request_header& header) {
  auto length = header[http::field::content_length];
  std::uint64_t declared = 0;
  const bool has_length =
      !length.empty() &&
      std::from_chars(length.data(), length.data() + length.size(), declared).ec == std::errc();
  if (const web_endpoint* web = web_endpoint_for(header)) {
    if (has_length && declared > web->max_body) return from_raw(web->too_large(), header.version());
    return web->max_body;
  }
  const service_entry* s = route(header);
  const protocol::operation* op = s ? operation_of(*s, header) : nullptr;
  const std::uint64_t limit = s ? admitted_body_limit(*s->model, op) : default_body_limit;
  if (!s) {
    if (has_length && declared > limit)
      return bad_request(http::status::payload_too_large, "Request Entity Too Large");
    return limit;
  }
  const protocol::codec& codec = protocol::codec_for(*s->model);
  auto refuse = [&](const api_error& e) {
    auto res = to_http(codec.encode_error(*s->model, e, request_id(false)));
    res.version(header.version());
    return res;
  };
  if (has_length && declared > limit) {
    if (s->model->name == "lambda")
      return refuse({"RequestEntityTooLargeException",
                     "Request must be smaller than " + std::to_string(limit) + " bytes for the " +
                         lambda_operation_title(op) + " operation",
                     413});
    return refuse({"RequestEntityTooLarge", "Request Entity Too Large", 413});
  }
  // A large body (or one of unknown length) is read only for a caller who
  // could have signed it: every part of the signature but the payload hash
  // is checked first.
  if (options_.strict_credentials && (!has_length || declared > unauthenticated_body_limit)) {
    auth::request_view view;
    view.method = header.method_string();
    const std::string_view target = header.target();
    const auto q = target.find('?');
    view.path = target.substr(0, q);
    view.query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
    for (const auto& f : header) view.headers.emplace_back(f.name_string(), f.value());
    auto sig = auth::parse_signature(view);
    if (!sig) return refuse(to_api_error(sig.error(), *s->model));
    if (auto clock = auth::check_clock(*sig, std::chrono::system_clock::now()); !clock)
      return refuse(to_api_error(clock.error(), *s->model));
    if (!key_for(*sig)) return refuse(to_api_error(auth::unrecognized_client_error(), *s->model));
  }
  return limit;
}

std::optional<gateway::known_key> gateway::key_for(const auth::signature_info& sig) const {
  if (sig.access_key == options_.strict_credentials->access_key)
    return known_key{options_.strict_credentials->secret_key, std::nullopt};
  // A temporary key without its own session token is answered as an
  // unknown key, as AWS does.
  if (options_.sessions && sig.security_token)
    if (auto session = options_.sessions->find(sig.access_key, *sig.security_token))
      return known_key{session->key.secret_access_key, std::move(session)};
  return std::nullopt;
}

http::response gateway::bad_request(http::status code, std::string_view why) {
  http::response res{code, 11};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::server, "Stratus");
  // A 500 here is the server's own failure (see http::server), answered
  // as AWS's front ends answer theirs.
  const bool internal = code == http::status::internal_server_error;
  const char* type = code == http::status::payload_too_large ? "RequestEntityTooLarge"
                     : internal                              ? "InternalFailure"
                                                             : "SerializationException";
  res.body() = json::serialize(json::object{
      {"__type", type},
      {"message", internal ? std::string_view("The request processing has failed because of an "
                                              "unknown error, exception or failure.")
                           : why}});
  res.prepare_payload();
  return res;
}

http::response gateway::health(const http::request& req) const {
  json::object services;
  for (const auto& s : services_)
    services[s.model->name] = s.handlers.empty() ? "not implemented" : "running";
  json::object body{{"version", stratus::version()}, {"services", std::move(services)}};
  http::response res{http::status::ok, req.version()};
  res.set(http::field::content_type, "application/json");
  res.body() = json::serialize(body);
  return res;
}

void gateway::add_async_operations(std::string_view model_name, async_handler_table handlers) {
  for (auto& s : services_)
    if (s.model->name == model_name) s.async_handlers = std::move(handlers);
}

void gateway::add_raw_route(std::string prefix, raw_handler handler) {
  raw_routes_.emplace_back(std::move(prefix), std::move(handler));
}

void gateway::add_web_endpoint(web_endpoint endpoint) {
  web_endpoints_.push_back(std::move(endpoint));
}

const web_endpoint* gateway::web_endpoint_for(const http::request_header& req) const {
  for (const auto& e : web_endpoints_)
    if (e.claims(req[http::field::host], req.target())) return &e;
  return nullptr;
}

boost::asio::awaitable<http::response> gateway::serve_web(const web_endpoint& endpoint,
                                                          const http::request& req,
                                                          std::string source_ip) {
  web_request in;
  in.method = req.method_string();
  std::string_view target = req.target();
  auto q = target.find('?');
  in.path = target.substr(0, q);
  if (q != std::string_view::npos) in.query = target.substr(q + 1);
  for (const auto& f : req) in.headers.emplace_back(f.name_string(), f.value());
  in.body = req.body();
  in.source_ip = std::move(source_ip);
  raw_response out;
  try {
    out = co_await endpoint.handle(std::move(in));
  } catch (const std::exception& e) {
    spdlog::error("web endpoint {} threw: {}", target, e.what());
    out = {500, {{"Content-Type", "application/json"}}, R"({"message": "Internal server error"})"};
  }
  co_return from_raw(std::move(out), req.version());
}

boost::asio::awaitable<http::response> gateway::handle(http::request& req,
                                                       const http::connection_info& conn) {
  if (const web_endpoint* web = web_endpoint_for(req))
    co_return co_await serve_web(*web, req, conn.remote.address().to_string());
  auto prepared = prepare(req);
  if (auto* res = std::get_if<http::response>(&prepared)) co_return std::move(*res);
  auto& call = std::get<pending_call>(prepared);
  auto output = co_await run_guarded(*call.handler, *call.service, *call.op, call.ctx, call.input);
  co_return finish(req, call, output);
}

http::response gateway::dispatch(const http::request& req) {
  boost::asio::io_context io;
  if (const web_endpoint* web = web_endpoint_for(req)) {
    auto future =
        boost::asio::co_spawn(io, serve_web(*web, req, "127.0.0.1"), boost::asio::use_future);
    io.run();
    return future.get();
  }
  auto prepared = prepare(req);
  if (auto* res = std::get_if<http::response>(&prepared)) return std::move(*res);
  auto& call = std::get<pending_call>(prepared);
  auto future = boost::asio::co_spawn(
      io, run_guarded(*call.handler, *call.service, *call.op, call.ctx, call.input),
      boost::asio::use_future);
  io.run();
  return finish(req, call, future.get());
}

boost::asio::awaitable<result<json::object>> gateway::run_guarded(const async_handler& handler,
                                                                  const service_entry& service,
                                                                  const protocol::operation& op,
                                                                  request_context& ctx,
                                                                  json::object& input) {
  try {
    co_return co_await handler(ctx, input);
  } catch (const std::exception& e) {
    spdlog::error("handler {}:{} threw: {}", service.model->name, op.name, e.what());
    co_return api_error::internal("The server encountered an internal error.");
  }
}

result<json::object> gateway::run_guarded(const handler& handler, const service_entry& service,
                                          const protocol::operation& op, request_context& ctx,
                                          json::object& input) {
  try {
    return handler(ctx, input);
  } catch (const std::exception& e) {
    // A handler bug, not the client's fault: log it and answer 500, never
    // take the server down.
    spdlog::error("handler {}:{} threw: {}", service.model->name, op.name, e.what());
    return api_error::internal("The server encountered an internal error.");
  }
}

boost::asio::awaitable<result<json::object>> gateway::call(request_context ctx,
                                                           std::string_view service_name,
                                                           std::string_view operation,
                                                           json::object input) const {
  const service_entry* service = find(service_name);
  const protocol::operation* op = service ? service->model->find_operation(operation) : nullptr;
  if (!op)
    co_return api_error::internal("No operation " + std::string(operation) + " in service " +
                                  std::string(service_name));
  if (auto invalid = invalid_input(*service->model, *op, input)) co_return *invalid;
  result<json::object> output = api_error::not_implemented(service->model->name, op->name);
  if (auto async = service->async_handlers.find(op->name); async != service->async_handlers.end())
    output = co_await run_guarded(async->second, *service, *op, ctx, input);
  else if (auto sync = service->handlers.find(op->name); sync != service->handlers.end())
    output = run_guarded(sync->second, *service, *op, ctx, input);
  if (output)
    for (const auto& [name, text] : ctx.raw_output) (*output)[name] = json::parse(text);
  co_return output;
}

http::response gateway::respond(const http::request& req, const service_entry& service,
                                std::string_view operation, const request_context& ctx,
                                std::chrono::steady_clock::time_point started,
                                protocol::wire_response&& w) const {
  const protocol::service_model& model = *service.model;
  // DynamoDB compresses responses over 4 KB for clients that accept it.
  if (model.name == "dynamodb" && w.body.size() > compression_threshold)
    if (auto coding = accepted_coding(req[http::field::accept_encoding])) {
      w.body = compress(*coding, w.body);
      w.headers.emplace_back("Content-Encoding",
                             *coding == content_coding::gzip ? "gzip" : "deflate");
    }
  http::response res = to_http(std::move(w));
  res.version(req.version());
  add_cors(req, res);
  if (spdlog::should_log(spdlog::level::debug)) {
    std::string_view target = req.target();
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
    spdlog::debug(
        "request method={} path={} service={} operation={} status={} duration_us={} "
        "request_id={}",
        req.method_string(), target.substr(0, target.find('?')), model.name, operation,
        res.result_int(), micros, ctx.request_id);
  }
  return res;
}

http::response gateway::finish(const http::request& req, pending_call& call,
                               const result<json::object>& output) {
  const protocol::service_model& model = *call.service->model;
  const protocol::codec& codec = protocol::codec_for(model);
  auto w = output ? codec.encode(model, *call.op, *output, call.ctx.request_id)
                  : codec.encode_error(model, output.error(), call.ctx.request_id);
  if (output) splice_raw_members(w.body, call.ctx.raw_output);
  return respond(req, *call.service, call.op->name, call.ctx, call.started, std::move(w));
}

std::variant<http::response, gateway::pending_call> gateway::prepare(const http::request& req) {
  const auto started = std::chrono::steady_clock::now();
  std::string_view target = req.target();
  if (req.method() == http::verb::get && target == "/_stratus/health") return health(req);
  if (req.method() == http::verb::options && !req[http::field::origin].empty()) {
    http::response res{http::status::ok, req.version()};
    add_cors(req, res);
    return res;
  }
  for (const auto& [prefix, raw] : raw_routes_)
    if (target.starts_with(prefix)) {
      auto q = target.find('?');
      raw_request in{req.method_string(), target.substr(0, q),
                     q == std::string_view::npos ? std::string_view{} : target.substr(q + 1)};
      http::response res = from_raw(raw(in), req.version());
      res.set(http::field::server, "Stratus");
      add_cors(req, res);
      return res;
    }

  const service_entry* service = route(req);
  if (!service && req.method() == http::verb::get && target == "/") {
    // DynamoDB's health check answers GET / with "healthy: <host>".
    http::response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "text/plain");
    res.body() = "healthy: " + std::string(req[http::field::host]);
    add_cors(req, res);
    return res;
  }
  if (!service) return not_found(req);

  const protocol::service_model& model = *service->model;
  const protocol::codec& codec = protocol::codec_for(model);
  const bool dynamodb_ids = model.name == "dynamodb" || model.name == "dynamodbstreams";
  request_context ctx;
  ctx.request_id = request_id(dynamodb_ids);
  ctx.now = std::chrono::system_clock::now();
  ctx.endpoint = "http://" + std::string(req[http::field::host]);
  std::string_view operation_name = "-";

  auto fail = [&](const api_error& e) {
    return respond(req, *service, operation_name, ctx, started,
                   codec.encode_error(model, e, ctx.request_id));
  };

  protocol::wire_request wire = to_wire(req);
  if (model.protocol == "json") {
    // AWS's json front ends answer 404 to anything but a POST of JSON.
    if (req.method() != http::verb::post ||
        !json_content_type(req[http::field::content_type], model.json_version))
      return not_found(req);
  }

  // A compressed body is signed compressed and decoded inflated.
  auto view = to_auth_view(wire);
  std::string inflated;
  if (std::string_view coding = req[http::field::content_encoding];
      !coding.empty() && !ascii::iequals(coding, "identity")) {
    auto known = parse_content_coding(coding);
    if (!known)
      return fail(api_error::internal("Unsupported Content-Encoding: " + std::string(coding)));
    auto body =
        decompress(*known, wire.body, admitted_body_limit(model, operation_of(*service, req)));
    if (body.error == inflate_error::too_large)
      return fail({"RequestEntityTooLarge", "Request Entity Too Large", 413});
    // DynamoDB answers an undecodable body with a 500 (InternalServerError).
    if (body.error) return fail(api_error::internal("Unable to decompress the request body"));
    inflated = std::move(body.data);
    wire.body = inflated;
  }

  auto decoded = codec.decode(model, wire);
  if (!decoded) return fail(decoded.error());
  operation_name = decoded->op->name;

  // Authentication: a well-formed signature is always required; it is
  // verified when the server was given a key pair.
  auto sig = auth::parse_signature(view);
  if (!sig) return fail(to_api_error(sig.error(), model));
  std::optional<auth::session_keys::entry> session;
  if (options_.strict_credentials) {
    if (auto clock = auth::check_clock(*sig, ctx.now); !clock)
      return fail(to_api_error(clock.error(), model));
    auto key = key_for(*sig);
    if (!key) return fail(to_api_error(auth::unrecognized_client_error(), model));
    if (auto ok = auth::verify(view, *sig, key->secret, ctx.now); !ok)
      return fail(to_api_error(ok.error(), model));
    session = std::move(key->session);
  }
  ctx.access_key = sig->access_key;
  ctx.region = sig->scope.region;
  if (session) {
    ctx.account_id = std::move(session->principal.account);
    ctx.caller_arn = std::move(session->principal.caller_arn);
    ctx.caller_user_id = std::move(session->principal.user_id);
  } else {
    // A 12-digit access key id names the account (as LocalStack does), so
    // tests can work in several accounts; any other key is the default one.
    const bool numeric_key =
        sig->access_key.size() == 12 && std::all_of(sig->access_key.begin(), sig->access_key.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; });
    ctx.account_id = numeric_key ? sig->access_key : options_.default_account;
    ctx.caller_arn = "arn:aws:iam::" + ctx.account_id + ":root";
    ctx.caller_user_id = ctx.account_id;
  }

  const protocol::operation& op = *decoded->op;
  if (auto invalid = invalid_input(model, op, decoded->input)) return fail(*invalid);

  if (auto async = service->async_handlers.find(op.name); async != service->async_handlers.end())
    return pending_call{service, &op, &async->second, std::move(ctx), std::move(decoded->input),
                        started};

  auto handler = service->handlers.find(op.name);
  if (handler == service->handlers.end())
    return fail(api_error::not_implemented(model.name, op.name));
  auto output = run_guarded(handler->second, *service, op, ctx, decoded->input);
  if (!output) return fail(output.error());
  auto w = codec.encode(model, op, *output, ctx.request_id);
  splice_raw_members(w.body, ctx.raw_output);
  return respond(req, *service, operation_name, ctx, started, std::move(w));
}

}  // namespace stratus::edge
