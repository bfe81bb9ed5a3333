// JSONPath as $input.path evaluates it.
#include "vtl/apigw/jsonpath.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stratus::vtl::apigw {
namespace {

const char* store = R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Rees", "title": "Sayings", "price": 8.95},
      {"category": "fiction", "author": "Waugh", "title": "Honour", "price": 12.99},
      {"category": "fiction", "author": "Melville", "title": "Moby", "isbn": "0-553", "price": 8.99},
      {"category": "fiction", "author": "Tolkien", "title": "Rings", "isbn": "0-395", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95},
    "odd key": 1
  },
  "expensive": 10
})";

std::string eval(std::string_view path) {
  auto doc = boost::json::parse(store);
  auto r = evaluate_jsonpath(path, doc);
  if (!r.ok) return "ERROR";
  boost::json::array out;
  for (const auto* m : r.matches) out.push_back(*m);
  return (r.definite ? "" : "*") + boost::json::serialize(out);
}

TEST(jsonpath, definite_paths) {
  EXPECT_EQ(eval("$"), "[" + boost::json::serialize(boost::json::parse(store)) + "]");
  EXPECT_EQ(eval("$.store.bicycle.color"), R"(["red"])");
  EXPECT_EQ(eval("$['store']['bicycle']['price']"), "[1.995E1]");
  EXPECT_EQ(eval("$.store['odd key']"), "[1]");
  EXPECT_EQ(eval("$.store.book[0].author"), R"(["Rees"])");
  EXPECT_EQ(eval("$.store.book[-1].author"), R"(["Tolkien"])");
  EXPECT_EQ(eval("store.bicycle.color"), R"(["red"])");
  EXPECT_EQ(eval("$.store.nothing"), "[]");
  EXPECT_EQ(eval("$.store.book[9]"), "[]");
}

TEST(jsonpath, indefinite_paths) {
  EXPECT_EQ(eval("$.store.book[*].author"), R"(*["Rees","Waugh","Melville","Tolkien"])");
  EXPECT_EQ(eval("$..author"), R"(*["Rees","Waugh","Melville","Tolkien"])");
  EXPECT_EQ(eval("$.store.*.color"), R"(*["red"])");
  EXPECT_EQ(eval("$.store..price"), "*[8.95E0,1.299E1,8.99E0,2.299E1,1.995E1]");
  EXPECT_EQ(eval("$..book[2].title"), R"(*["Moby"])");
  EXPECT_EQ(eval("$..book[0,1].title"), R"(*["Sayings","Honour"])");
  EXPECT_EQ(eval("$..book[:2].title"), R"(*["Sayings","Honour"])");
  EXPECT_EQ(eval("$..book[-2:].title"), R"(*["Moby","Rings"])");
  EXPECT_EQ(eval("$..book[1:3].title"), R"(*["Honour","Moby"])");
  EXPECT_EQ(eval("$.store.book[0]['author','title']"), R"(*["Rees","Sayings"])");
}

TEST(jsonpath, filters) {
  EXPECT_EQ(eval("$..book[?(@.isbn)].title"), R"(*["Moby","Rings"])");
  EXPECT_EQ(eval("$..book[?(!@.isbn)].title"), R"(*["Sayings","Honour"])");
  EXPECT_EQ(eval("$..book[?(@.price < 10)].title"), R"(*["Sayings","Moby"])");
  EXPECT_EQ(eval("$..book[?(@.price <= $.expensive)].title"), R"(*["Sayings","Moby"])");
  EXPECT_EQ(eval("$..book[?(@.category == 'fiction' && @.price > 20)].title"), R"(*["Rings"])");
  EXPECT_EQ(eval("$..book[?(@.author == 'Rees' || @.author == \"Waugh\")].title"),
            R"(*["Sayings","Honour"])");
  EXPECT_EQ(eval("$..book[?(@.author =~ /m.*/i)].title"), R"(*["Moby"])");
  EXPECT_EQ(eval("$..book[?(@.category != 'fiction')].title"), R"(*["Sayings"])");
}

TEST(jsonpath, invalid_paths) {
  EXPECT_EQ(eval(""), "ERROR");
  EXPECT_EQ(eval("$.store["), "ERROR");
  EXPECT_EQ(eval("$.store[?(@.a == )]"), "ERROR");
  EXPECT_EQ(eval("$..book[?(" + std::string(200, '(') + "@.a" + std::string(200, ')') + ")]"),
            "ERROR");
  EXPECT_EQ(eval("$x"), "ERROR");
}

}  // namespace
}  // namespace stratus::vtl::apigw
