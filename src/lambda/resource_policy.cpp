#include "lambda/resource_policy.hpp"

#include <boost/json.hpp>
#include <functional>

#include "common/ascii.hpp"
#include "common/glob.hpp"

namespace stratus::lambda {
namespace json = boost::json;

namespace {

bool any_of_values(const json::value& v, const std::function<bool(std::string_view)>& test) {
  if (v.is_string()) return test(v.get_string());
  if (v.is_array())
    for (const auto& item : v.get_array())
      if (item.is_string() && test(item.get_string())) return true;
  return false;
}

bool statement_allows(const json::object& s, const service_call& call) {
  auto* effect = s.if_contains("Effect");
  if (!effect || !effect->is_string() || effect->get_string() != "Allow") return false;
  auto* principal = s.if_contains("Principal");
  if (!principal) return false;
  bool named = principal->is_string() && principal->get_string() == "*";
  if (principal->is_object())
    if (auto* service = principal->get_object().if_contains("Service"))
      named = any_of_values(*service,
                            [&](std::string_view p) { return p == call.principal || p == "*"; });
  if (!named) return false;
  const std::string action = ascii::to_lower(call.action);
  auto* actions = s.if_contains("Action");
  if (!actions || !any_of_values(*actions, [&](std::string_view a) {
        return glob_match(ascii::to_lower(a), action, true);
      }))
    return false;
  auto* condition = s.if_contains("Condition");
  if (!condition || !condition->is_object()) return true;
  for (const auto& [op, tests] : condition->get_object()) {
    if (!tests.is_object()) return false;
    const bool like = op == "ArnLike" || op == "StringLike";
    const bool equals = op == "ArnEquals" || op == "StringEquals";
    if (!like && !equals) return false;  // a condition not understood grants nothing
    for (const auto& [key, expected] : tests.get_object()) {
      const std::string k = ascii::to_lower(key);
      std::string_view actual = k == "aws:sourcearn"       ? call.source_arn
                                : k == "aws:sourceaccount" ? call.source_account
                                                           : std::string_view{};
      if (!any_of_values(expected, [&](std::string_view e) {
            return like ? glob_match(e, actual, true) : e == actual;
          }))
        return false;
    }
  }
  return true;
}

}  // namespace

bool policy_allows(const policy& p, const service_call& call) {
  for (const auto& s : p.statements)
    if (statement_allows(s, call)) return true;
  return false;
}

}  // namespace stratus::lambda
