// The account's API Gateway settings: GetAccount and UpdateAccount (the
// CloudWatch role that execution and access logs are written with, which
// seed 003 sets), one document per account and region at
// c/apigateway/account/<account>/<region>.
#include <boost/json.hpp>

#include "apigateway/ops.hpp"
#include "storage/retry.hpp"

namespace stratus::apigateway {
namespace json = boost::json;

namespace {

std::string account_key(const request_context& ctx) {
  return "c/apigateway/account/" + ctx.account_id + "/" + ctx.region;
}

json::object rendered(json::object stored) {
  stored["throttleSettings"] = json::object{{"burstLimit", 5000}, {"rateLimit", 10000.0}};
  stored["features"] = json::array{"UsagePlans"};
  stored["apiKeyVersion"] = "4";
  return stored;
}

result<json::object> read_account(storage::store& store, const request_context& ctx) {
  auto stored = store.get(account_key(ctx));
  if (!stored) return api_error::internal("storage: " + stored.error().message);
  if (!*stored) return json::object{};
  boost::system::error_code ec;
  auto doc = json::parse(**stored, ec);
  if (ec || !doc.is_object()) return api_error::internal("unreadable API Gateway account settings");
  return doc.get_object();
}

}  // namespace

void add_account_operations(handler_table& table, storage::store& store) {
  table["GetAccount"] = [&store](request_context& ctx, json::object&) -> result<json::object> {
    auto account = read_account(store, ctx);
    if (!account) return account.error();
    return rendered(std::move(*account));
  };
  table["UpdateAccount"] = [&store](request_context& ctx,
                                    json::object& in) -> result<json::object> {
    for (storage::occ_retry retry; retry.next();) {
      auto txn = store.begin();
      auto current = txn->get(account_key(ctx));
      if (!current) return api_error::internal("storage: " + current.error().message);
      json::object account;
      if (*current) {
        boost::system::error_code ec;
        auto doc = json::parse(**current, ec);
        if (!ec && doc.is_object()) account = doc.get_object();
      }
      auto next = patched(std::move(account), in, {{"cloudwatchRoleArn", field_kind::text}});
      if (!next) return next.error();
      txn->put(account_key(ctx), json::serialize(*next));
      auto committed = txn->commit();
      if (committed) return rendered(std::move(*next));
      if (!retry.retryable(committed.error()))
        return api_error::internal("storage: " + committed.error().message);
    }
    return api_error("ConflictException", "Too much contention on the account settings", 409);
  };
}

}  // namespace stratus::apigateway
