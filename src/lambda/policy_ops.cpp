// Resource policies: AddPermission, RemovePermission, GetPolicy. Statements
// are kept and rendered exactly as AWS renders them (member order
// included); the seed tutorials print AddPermission's Statement.
#include <boost/json.hpp>

#include "common/uuid.hpp"
#include "lambda/context.hpp"
#include "lambda/errors.hpp"

namespace stratus::lambda {
namespace json = boost::json;

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// "*", a service ("s3.amazonaws.com"), an account id or an IAM ARN.
std::optional<json::value> render_principal(const std::string& p) {
  if (p == "*") return json::value("*");
  if (p.size() == 12 && all_digits(p)) return json::object{{"AWS", "arn:aws:iam::" + p + ":root"}};
  if (p.starts_with("arn:aws:iam::") || p.starts_with("arn:aws:sts::"))
    return json::object{{"AWS", p}};
  if (p.ends_with(".amazonaws.com") || p.ends_with(".amazon.com"))
    return json::object{{"Service", p}};
  return std::nullopt;
}

// The qualifier a policy operation names must exist; "" is the function.
std::optional<api_error> check_qualifier(const function_record& f, const function_ref& ref) {
  if (!ref.qualifier || ref.qualifier->empty()) return std::nullopt;
  const std::string& q = *ref.qualifier;
  if (is_version_number(q)) {
    if (!f.versions.contains(std::stoull(q)))
      return errors::function_not_found(function_arn(ref, q));
    return std::nullopt;
  }
  if (!f.aliases.contains(q))
    return errors::not_found("Cannot find alias arn: " + function_arn(ref, q));
  return std::nullopt;
}

std::string policy_document(const policy& p) {
  json::array statements;
  for (const auto& s : p.statements) statements.push_back(s);
  return json::serialize(json::object{
      {"Version", "2012-10-17"}, {"Id", "default"}, {"Statement", std::move(statements)}});
}

result<json::object> add_permission(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  const std::string qualifier = ref->qualifier.value_or("");
  if (qualifier == "$LATEST")
    return errors::invalid_parameter("We currently do not support adding policies for $LATEST.");
  const std::string sid(in.at("StatementId").as_string());
  auto principal = render_principal(std::string(in.at("Principal").as_string()));
  const auto revision = string_member(in, "RevisionId");

  json::object statement{{"Sid", sid}, {"Effect", "Allow"}};
  json::object condition;
  json::object string_equals;
  if (auto v = string_member(in, "SourceAccount")) string_equals["AWS:SourceAccount"] = *v;
  if (auto v = string_member(in, "FunctionUrlAuthType"))
    string_equals["lambda:FunctionUrlAuthType"] = *v;
  if (auto v = string_member(in, "PrincipalOrgID")) string_equals["aws:PrincipalOrgID"] = *v;
  if (auto v = string_member(in, "EventSourceToken")) string_equals["lambda:EventSourceToken"] = *v;
  if (!string_equals.empty()) condition["StringEquals"] = std::move(string_equals);
  if (auto v = string_member(in, "SourceArn"))
    condition["ArnLike"] = json::object{{"AWS:SourceArn", *v}};

  json::object answer;
  auto updated = c.functions.update(
      ref->account, ref->region, ref->name, errors::function_not_found(function_arn(*ref, "")),
      [&](function_record& f) -> std::optional<api_error> {
        if (auto e = check_qualifier(f, *ref)) return e;
        if (!principal)
          return errors::invalid_parameter(
              "The provided principal was invalid. Please check the principal and try again.");
        policy& p = f.policies[qualifier];
        if (revision && !p.revision_id.empty() && *revision != p.revision_id)
          return errors::revision_mismatch("GetPolicy");
        for (const auto& s : p.statements)
          if (s.at("Sid").as_string() == sid)
            return errors::conflict("The statement id (" + sid +
                                    ") provided already exists. Please provide a new statement "
                                    "id, or remove the existing statement.");
        json::object full = statement;
        full["Principal"] = *principal;
        full["Action"] = in.at("Action");
        full["Resource"] = function_arn(*ref, qualifier);
        if (!condition.empty()) full["Condition"] = condition;
        p.statements.push_back(full);
        p.revision_id = random_uuid();
        answer["Statement"] = json::serialize(full);
        return std::nullopt;
      });
  if (!updated) return updated.error();
  return answer;
}

result<json::object> get_policy(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  const api_error missing = errors::not_found("The resource you requested does not exist.");
  auto f = c.functions.find(ref->account, ref->region, ref->name);
  if (!f) return f.error();
  if (!*f) return missing;
  auto it = (*f)->policies.find(ref->qualifier.value_or(""));
  if (it == (*f)->policies.end() || it->second.statements.empty()) return missing;
  return json::object{{"Policy", policy_document(it->second)},
                      {"RevisionId", it->second.revision_id}};
}

result<json::object> remove_permission(context& c, request_context& ctx, json::object& in) {
  auto ref = read_ref(ctx, in);
  if (!ref) return ref.error();
  const std::string sid(in.at("StatementId").as_string());
  const auto revision = string_member(in, "RevisionId");
  auto updated = c.functions.update(
      ref->account, ref->region, ref->name,
      errors::not_found("No policy found for: " + function_arn(*ref, "")),
      [&](function_record& f) -> std::optional<api_error> {
        if (auto e = check_qualifier(f, *ref)) return e;
        auto it = f.policies.find(ref->qualifier.value_or(""));
        if (it == f.policies.end() || it->second.statements.empty())
          return errors::not_found("No policy is associated with the given resource.");
        policy& p = it->second;
        if (revision && *revision != p.revision_id) return errors::revision_mismatch("GetPolicy");
        auto s = std::find_if(p.statements.begin(), p.statements.end(),
                              [&](const json::object& st) { return st.at("Sid") == sid.c_str(); });
        if (s == p.statements.end())
          return errors::not_found("Statement " + sid + " is not found in resource policy.");
        p.statements.erase(s);
        p.revision_id = random_uuid();
        if (p.statements.empty()) f.policies.erase(it);
        return std::nullopt;
      });
  if (!updated) return updated.error();
  return json::object{};
}

}  // namespace

void add_policy_operations(context& c, handler_table& table) {
  table["AddPermission"] = bind<add_permission>(c);
  table["GetPolicy"] = bind<get_policy>(c);
  table["RemovePermission"] = bind<remove_permission>(c);
}

}  // namespace stratus::lambda
