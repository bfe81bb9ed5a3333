#include "support.hpp"

#include <zip.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <random>

#include "common/base64.hpp"

namespace stratus::lambda::test {
namespace json = boost::json;
namespace fs = std::filesystem;

std::string make_zip(const std::vector<zip_entry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  for (const auto& e : entries) {
    zip_source_t* content = zip_source_buffer_create(e.content.data(), e.content.size(), 0, &error);
    auto index = zip_file_add(archive, e.name.c_str(), content, ZIP_FL_ENC_UTF_8);
    zip_file_set_external_attributes(archive, static_cast<zip_uint64_t>(index), 0, ZIP_OPSYS_UNIX,
                                     static_cast<zip_uint32_t>(e.mode) << 16);
  }
  zip_close(archive);
  zip_source_open(buffer);
  zip_source_seek(buffer, 0, SEEK_END);
  auto size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  std::string out(static_cast<std::size_t>(size), '\0');
  zip_source_read(buffer, out.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

std::string hello_zip(std::string_view body) {
  return make_zip({{"index.js", std::string(body)}});
}

boost::asio::awaitable<result<invoke_result>> fake_invoker::invoke(const function_spec& f,
                                                                   invoke_request r) {
  {
    std::lock_guard lock(mutex_);
    calls_.push_back({f, r});
  }
  if (respond) co_return respond(f, r);
  invoke_result out;
  out.payload = r.payload;
  out.log_tail = "START RequestId: " + r.request_id;
  co_return out;
}

void fake_invoker::retire(const std::string&, const std::string&, const std::string& name) {
  std::lock_guard lock(mutex_);
  retired_.push_back(name);
}

std::vector<fake_invoker::call> fake_invoker::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<std::string> fake_invoker::retired() const {
  std::lock_guard lock(mutex_);
  return retired_;
}

temp_dir::temp_dir() {
  std::random_device rd;
  path = fs::temp_directory_path() / ("stratus-lambda-" + std::to_string(rd()));
  fs::create_directories(path);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec))
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path, ec);
}

service_fixture::service_fixture(storage::store& store, const fs::path& dir, fake_invoker& invoker,
                                 service_options options)
    : service_(store, dir, invoker, std::move(options)),
      handlers_(service_.handlers()),
      async_handlers_(service_.async_handlers()) {
  ctx.account_id = "123456789012";
  ctx.region = "us-east-1";
  ctx.request_id = "req-1";
  ctx.endpoint = "http://127.0.0.1:4566";
  ctx.now = std::chrono::system_clock::now();
  service_.attach_caller(*this);
}

boost::asio::awaitable<result<json::object>> service_fixture::call(request_context ctx,
                                                                   std::string_view service,
                                                                   std::string_view operation,
                                                                   json::object input) const {
  if (service != "lambda") co_return api_error("NoSuchService", std::string(service));
  if (auto a = async_handlers_.find(std::string(operation)); a != async_handlers_.end())
    co_return co_await a->second(ctx, input);
  if (auto h = handlers_.find(std::string(operation)); h != handlers_.end())
    co_return h->second(ctx, input);
  co_return api_error("NoSuchOperation", std::string(operation));
}

result<json::object> service_fixture::call(const std::string& operation, json::object input) {
  ctx.now = fixed_now.value_or(std::chrono::system_clock::now());
  if (auto h = handlers_.find(operation); h != handlers_.end()) return h->second(ctx, input);
  auto a = async_handlers_.find(operation);
  if (a == async_handlers_.end()) return api_error("NoSuchOperation", operation);
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, a->second(ctx, input), boost::asio::use_future);
  io.run();
  return future.get();
}

result<json::object> service_fixture::create(const std::string& name, const std::string& zip,
                                             json::object extra) {
  json::object in{{"FunctionName", name},
                  {"Runtime", "nodejs8.10"},
                  {"Role", "arn:aws:iam::123456789012:role/service-role/r"},
                  {"Handler", "index.handler"},
                  {"Code", json::object{{"ZipFile", base64_encode(zip)}}}};
  for (auto& [k, v] : extra) in[k] = v;
  return call("CreateFunction", std::move(in));
}

bool eventually(const std::function<bool()>& done) {
  using namespace std::chrono_literals;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return done();
}

running::running(service_fixture& f)
    : service_(f.lambda()), io_(f.background_io), work_(io_.get_executor()) {
  service_.start_background(io_.get_executor());
  thread_ = std::thread([this] { io_.run(); });
}

running::~running() {
  service_.stop_background();
  work_.reset();
  io_.stop();
  thread_.join();
  io_.restart();  // for the next `running` of the fixture
}

}  // namespace stratus::lambda::test
