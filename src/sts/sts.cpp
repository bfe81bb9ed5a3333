#include "sts/sts.hpp"

namespace stratus::sts {

namespace {

result<boost::json::object> get_caller_identity(request_context& ctx, boost::json::object&) {
  boost::json::object out;
  out["UserId"] = ctx.caller_user_id;
  out["Account"] = ctx.account_id;
  out["Arn"] = ctx.caller_arn;
  return out;
}

}  // namespace

handler_table handlers() {
  return {{"GetCallerIdentity", get_caller_identity}};
}

}  // namespace stratus::sts
