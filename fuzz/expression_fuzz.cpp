// libFuzzer target for the DynamoDB expression engine: the first byte picks
// the expression kind, the rest is the expression text. Each input goes
// through parse (cache) -> resolve -> evaluate against a fixed item, so
// hostile text (deep nesting, huge input, odd bytes) must come back as an
// error value and never crash, hang or overflow the stack.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dynamodb/expr/expr.hpp"

namespace {

namespace json = boost::json;
namespace expr = stratus::dynamodb::expr;

const json::object& names() {
  static const json::object n =
      json::parse(R"({"#a":"a","#b":"b","#k":"p","#r":"c","#x":"[0]"})").as_object();
  return n;
}

const json::object& values() {
  static const json::object v = json::parse(R"({
    ":s":{"S":"he"}, ":n":{"N":"1.5"}, ":big":{"N":"9.99e125"}, ":b":{"B":"AQI="},
    ":t":{"BOOL":true}, ":z":{"NULL":true}, ":l":{"L":[{"N":"1"}]}, ":m":{"M":{"a":{"S":"x"}}},
    ":ss":{"SS":["a","b"]}, ":ns":{"NS":["1","2"]}, ":bs":{"BS":["AQ=="]}, ":type":{"S":"N"}
  })")
                                    .as_object();
  return v;
}

const json::object& item() {
  static const json::object i = json::parse(R"({
    "p":{"S":"key"}, "c":{"N":"3"}, "a":{"M":{"b":{"L":[{"N":"1"},{"S":"x"}]},"c":{"S":"hello"}}},
    "b":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]}, "n":{"N":"-7"}, "s":{"SS":["a","c"]},
    "x":{"B":"AQID"}, "t":{"BOOL":false}
  })")
                                    .as_object();
  return i;
}

void run(expr::expression_kind kind, std::string_view text) {
  auto request = expr::request_expressions::create(&names(), &values());
  if (!request) __builtin_trap();  // the fixed maps are valid
  switch (kind) {
    case expr::expression_kind::projection: {
      auto p = request->resolve_projection(text);
      if (p) (void)expr::apply_projection(*p, item());
      break;
    }
    case expr::expression_kind::update: {
      auto u = request->resolve_update(text);
      if (u) {
        (void)expr::apply_update(*u, &item());
        (void)expr::apply_update(*u, nullptr);
      }
      break;
    }
    case expr::expression_kind::key_condition: {
      auto c = request->resolve_condition(text, kind);
      if (c) {
        (void)expr::parse_key_condition(*c, {"p", "S"}, stratus::dynamodb::key_attribute{"c", "N"});
        (void)expr::parse_key_condition(*c, {"p", "S"}, std::nullopt);
      }
      break;
    }
    default: {
      auto c = request->resolve_condition(text, kind);
      if (c) {
        (void)expr::evaluate_condition(*c, &item());
        (void)expr::evaluate_condition(*c, nullptr);
      }
    }
  }
  (void)request->check_unused();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto kind = static_cast<expr::expression_kind>(data[0] % 5);
  run(kind, std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  return 0;
}
