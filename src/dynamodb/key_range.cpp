#include "dynamodb/key_range.hpp"

#include "common/base64.hpp"
#include "dynamodb/keys.hpp"

namespace stratus::dynamodb {

std::optional<api_error> key_range_of(const key_space& t, const expr::key_condition& kc,
                                      storage::key_range& range) {
  const std::string prefix = partition_prefix(t, kc.hash_value);
  range.begin = prefix;
  range.end = storage::prefix_end(prefix);
  if (!kc.range) return std::nullopt;
  return narrow_range(prefix, *t.range, *kc.range, range);
}

std::optional<api_error> narrow_range(const std::string& prefix, const key_attribute& attr,
                                      const expr::range_condition& rc, storage::key_range& range) {
  const std::string v = prefix + encode_key_value(attr.type, rc.values[0]);
  switch (rc.op) {
    case expr::key_op::EQ:
      range.begin = v;
      range.end = storage::prefix_end(v);
      break;
    case expr::key_op::LT:
      range.end = v;
      break;
    case expr::key_op::LE:
      range.end = storage::prefix_end(v);
      break;
    case expr::key_op::GT:
      range.begin = storage::prefix_end(v);
      break;
    case expr::key_op::GE:
      range.begin = v;
      break;
    case expr::key_op::BETWEEN: {
      const std::string upper = prefix + encode_key_value(attr.type, rc.values[1]);
      if (upper < v)
        return api_error::validation(
            "The BETWEEN condition was provided a range where the lower bound is greater than the "
            "upper bound");
      range.begin = v;
      range.end = storage::prefix_end(upper);
      break;
    }
    case expr::key_op::BEGINS_WITH: {
      std::string_view text = rc.values[0].get_object().begin()->value().get_string();
      std::string raw = attr.type == "B" ? base64_decode(text).value_or("") : std::string(text);
      range.begin = prefix + encode_sort_key_prefix(raw);
      range.end = storage::prefix_end(range.begin);
      break;
    }
  }
  return std::nullopt;
}

}  // namespace stratus::dynamodb
