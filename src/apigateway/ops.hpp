#pragma once
// What the operation families of the API Gateway service share: reading an
// input's members, AWS's common errors, and the family registrations.
//
// Thread-safety: pure functions.
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "apigateway/apis.hpp"
#include "common/request_context.hpp"

namespace stratus::apigateway {

// A string member of an input, "" when absent.
[[nodiscard]] std::string text(const boost::json::object& in, std::string_view name);

[[nodiscard]] api_error bad_request(std::string message);  // BadRequestException, 400
// `limit` as AWS bounds it (default 25, at most 500), or its error.
[[nodiscard]] result<std::size_t> page_size(const boost::json::object& in);
// The page of `items` (in key order) that the input's `limit` and
// `position` (the last key of the page before) ask for, as AWS's
// collections answer it: {"items": [...], "position": ...}.
[[nodiscard]] result<boost::json::object> page_of(
    const std::map<std::string, boost::json::object>& items, const boost::json::object& in);
[[nodiscard]] api_error conflict(std::string message);   // ConflictException, 409
[[nodiscard]] api_error not_found(std::string message);  // NotFoundException, 404

// Resource as AWS renders it; `embed_methods` renders each method whole,
// otherwise as {} (what GetResources answers without embed=methods).
[[nodiscard]] boost::json::object render(const resource& r, bool embed_methods);

// Patch operations (update-*): a path segment with its JSON-pointer
// escapes (`~1` for `/`, `~0` for `~`) undone; the error for an operation
// other than add, remove and replace; and the one for a path the resource
// does not have.
[[nodiscard]] std::string unescape(std::string_view segment);
[[nodiscard]] std::optional<api_error> check_patch_op(std::string_view op);
[[nodiscard]] api_error invalid_patch_path(std::string_view path);

// What a patch path of an update-* operation may name in the object it
// edits: a scalar member (replace), or one entry of a map member
// (`/<member>/<key>`: add, replace, remove).
enum class field_kind { text, boolean, integer, text_map, boolean_map };
struct patchable {
  std::string_view member;
  field_kind kind;
};

// Applies the input's patch operations to a copy of `target` and answers
// it, or the first operation's error (nothing is applied then).
[[nodiscard]] result<boost::json::object> patched(boost::json::object target,
                                                  const boost::json::object& in,
                                                  std::initializer_list<patchable> fields);

// A handler table entry for an operation of a family: op(apis, ctx, input).
template <class Op>
handler bind_op(api_store& apis, Op op) {
  return [&apis, op](request_context& ctx, boost::json::object& in) { return op(apis, ctx, in); };
}

// Methods, method responses, integrations and integration responses.
void add_method_operations(handler_table& table, api_store& apis);
// Deployments and stages.
void add_deployment_operations(handler_table& table, api_store& apis);
// Models and request validators.
void add_model_operations(handler_table& table, api_store& apis);
// TagResource, UntagResource, GetTags (REST APIs and stages).
void add_tag_operations(handler_table& table, api_store& apis);
// GetAccount and UpdateAccount.
void add_account_operations(handler_table& table, storage::store& store);
// The models every new API has, by name: AWS's Empty and Error.
[[nodiscard]] boost::json::object default_models();

}  // namespace stratus::apigateway
