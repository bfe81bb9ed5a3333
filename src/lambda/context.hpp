#pragma once
// What the operation families of the Lambda service share: the function
// registry, the code store, the invoker, the async queue, and helpers that
// read function names and qualifiers and render configurations.
//
// Thread-safety: everything here is safe for concurrent use.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/request_context.hpp"
#include "common/service_call.hpp"
#include "lambda/code_store.hpp"
#include "lambda/invoker.hpp"
#include "lambda/names.hpp"
#include "lambda/registry.hpp"
#include "lambda/service.hpp"

namespace stratus::lambda {

class async_queue;
class mapping_poller;
class stream_reader;

struct context {
  storage::store& store;
  registry functions;
  code_store code;
  invoker& runner;
  service_options options;
  std::unique_ptr<async_queue> queue;
  stream_reader* streams = nullptr;  // set by service::attach_streams
  // How Lambda's own invocations (queued events, event source mappings)
  // reach Invoke: the one call path; set by service::attach_caller.
  const service_caller* services = nullptr;
  std::unique_ptr<mapping_poller> poller;
  std::mutex mappings_mutex;  // serialises event source mapping writes
};

// An invocation Lambda makes itself (a queued event's delivery, a batch of
// an event source mapping): Invoke (RequestResponse) through the one call
// path, as the Lambda service, under `request_id`. Answers the function's
// result and the version that ran.
struct internal_outcome {
  invoke_result result;
  std::string executed_version;
};
[[nodiscard]] boost::asio::awaitable<result<internal_outcome>> invoke_internally(
    context& c, const function_ref& ref, std::string payload, std::string request_id,
    std::string client_context);

// One configuration of a function picked by a qualifier.
struct resolved {
  function_ptr function;
  const boost::json::object* config = nullptr;  // into *function
  std::string version;                          // "$LATEST" or "3"
  std::string qualifier;                        // as asked: "", "$LATEST", "3", an alias
};

// Reads FunctionName and Qualifier from an operation's input.
[[nodiscard]] result<function_ref> read_ref(const request_context& ctx,
                                            const boost::json::object& input);
// The function, or ResourceNotFoundException "Function not found: <arn>"
// (the unqualified ARN).
[[nodiscard]] result<function_ptr> find_function(context& c, const function_ref& ref);
// The configuration the qualifier names ($LATEST, a version, an alias, none
// for $LATEST). With `pick_weighted`, an alias with a routing configuration
// picks its version by weight, as Invoke does.
[[nodiscard]] result<resolved> resolve(context& c, const function_ref& ref,
                                       bool pick_weighted = false);

// A configuration as an operation answers it, FunctionArn carrying the
// qualifier that was asked for.
[[nodiscard]] boost::json::object render_config(const resolved& r, const function_ref& ref);
// What an execution environment needs for this configuration.
[[nodiscard]] function_spec spec_of(context& c, const resolved& r, const function_ref& ref);

// Optional members of an input.
[[nodiscard]] std::optional<std::string> string_member(const boost::json::object& o,
                                                       std::string_view name);
[[nodiscard]] std::optional<std::int64_t> int_member(const boost::json::object& o,
                                                     std::string_view name);
[[nodiscard]] bool bool_member(const boost::json::object& o, std::string_view name);

// "This operation is permitted on Lambda functions only..." for operations
// that take no qualifier.
[[nodiscard]] api_error unqualified_only();

// A handler table entry for an operation of a family: Op(c, ctx, input).
template <auto Op>
handler bind(context& c) {
  return [&c](request_context& ctx, boost::json::object& in) { return Op(c, ctx, in); };
}

void add_function_operations(context& c, handler_table& table);
void add_version_operations(context& c, handler_table& table);
void add_policy_operations(context& c, handler_table& table);
void add_settings_operations(context& c, handler_table& table);
void add_invoke_operations(context& c, async_handler_table& table);
// Create/Get/List/Update/DeleteEventSourceMapping.
void add_mapping_operations(context& c, handler_table& table);

}  // namespace stratus::lambda
