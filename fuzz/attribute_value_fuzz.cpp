// libFuzzer target for DynamoDB attribute values: the input is parsed as a
// JSON item, validated and normalised; a valid item is then sized, checked
// against a fixed table's key schema and given its storage key. A valid item
// must normalise to a fixed point (normalising twice changes nothing).

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/keys.hpp"

namespace {

using namespace stratus::dynamodb;
namespace json = boost::json;

const table& fixed_table(std::string_view range_type) {
  static const table s = [] {
    table t;
    t.id = 7;
    t.name = "t";
    t.hash = {"p", "S"};
    t.range = key_attribute{"c", "S"};
    return t;
  }();
  static const table n = [] {
    table t = s;
    t.hash = {"p", "N"};
    t.range = key_attribute{"c", "N"};
    return t;
  }();
  static const table b = [] {
    table t = s;
    t.hash = {"p", "B"};
    t.range = key_attribute{"c", "B"};
    return t;
  }();
  return range_type == "N" ? n : range_type == "B" ? b : s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  json::parse_options opts;
  opts.max_depth = 256;
  boost::system::error_code ec;
  json::value doc = json::parse(input, ec, {}, opts);
  if (ec || !doc.is_object()) return 0;
  json::object item = doc.get_object();
  if (!normalize_item(item)) return 0;
  (void)item_size(item);
  json::object again = item;
  if (!normalize_item(again) || again != item) __builtin_trap();
  for (std::string_view type : {"S", "N", "B"}) {
    const table& t = fixed_table(type);
    if (check_item_key(t, item)) (void)item_storage_key(t, item);
    json::object key;
    if (auto* p = item.if_contains("p")) key["p"] = *p;
    if (auto* c = item.if_contains("c")) key["c"] = *c;
    if (check_key(t, key)) (void)item_storage_key(t, key);
  }
  return 0;
}
