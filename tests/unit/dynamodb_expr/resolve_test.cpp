// Stage 3: placeholders, unused entries, and the checks that need them.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace stratus::dynamodb::expr {
namespace {

using testing::message_of;
using testing::request;
using testing::resolved_condition;
using testing::resolved_projection;
using testing::resolved_update;

std::string filter_error(std::string_view text, std::string_view names = "",
                         std::string_view values = "") {
  return message_of(resolved_condition(text, names, values, expression_kind::filter));
}

TEST(request_expressions, validates_the_maps) {
  auto open = [](std::string_view names, std::string_view values) {
    request r(names, values);
    return message_of(r.open());
  };
  EXPECT_EQ(open("{}", ""), "ExpressionAttributeNames must not be empty");
  EXPECT_EQ(open("", "{}"), "ExpressionAttributeValues must not be empty");
  EXPECT_EQ(open(R"({"a":"x"})", ""),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"");
  EXPECT_EQ(open(R"({"#a-b":"x"})", ""),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\"");
  EXPECT_EQ(open("", R"({"b":{"S":"x"}})"),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\"");
  EXPECT_EQ(open("", R"({":b":{}})"),
            "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, "
            "must contain exactly one of the supported datatypes for key :b");
  EXPECT_EQ(open("", R"({":b":{"SS":[]}})"),
            "ExpressionAttributeValues contains invalid value: One or more parameter values were "
            "invalid: An string set  may not be empty for key :b");
  EXPECT_EQ(open("", R"({":b":{"N":"x"}})"),
            "ExpressionAttributeValues contains invalid value: The parameter cannot be converted "
            "to a numeric value: x for key :b");
  EXPECT_EQ(open(R"({"#a":"x"})", R"({":a":{"N":"1"}})"), "");
}

TEST(request_expressions, values_are_normalised) {
  auto c = resolved_condition("a = :v", "", R"({":v":{"N":"001.50"}})").value();
  EXPECT_EQ(c.operands[1].value, boost::json::parse(R"({"N":"1.5"})"));
}

TEST(request_expressions, substitutes_names) {
  auto c = resolved_condition("#a.#b[1] = :v", R"({"#a":"x.y","#b":"[3]"})", R"({":v":{"S":"z"}})")
               .value();
  EXPECT_EQ(to_string(c.operands[0].path), "[x.y, [3], [1]]");
  EXPECT_FALSE(c.operands[0].path.steps[1].is_index);
}

TEST(request_expressions, undefined_placeholders) {
  EXPECT_EQ(filter_error("attribute_exists(#Pictures.RearView, :a) and a=a"),
            "Invalid FilterExpression: An expression attribute name used in the document path is "
            "not defined; attribute name: #Pictures");
  EXPECT_EQ(filter_error("(#P between :lo and :hi) and (#PC in (:cat1, :cat2))"),
            "Invalid FilterExpression: An expression attribute name used in the document path is "
            "not defined; attribute name: #P");
  EXPECT_EQ(filter_error("begins_with(:hello, #a, #b)"),
            "Invalid FilterExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :hello");
  EXPECT_EQ(filter_error(":a < :b"),
            "Invalid FilterExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :a");
  EXPECT_EQ(message_of(resolved_projection("#a")),
            "Invalid ProjectionExpression: An expression attribute name used in the document path "
            "is not defined; attribute name: #a");
}

TEST(request_expressions, unused_entries_across_expressions) {
  request r(R"({"#a":"a","#b":"b"})", R"({":a":{"S":"a"},":b":{"S":"a"},":c":{"S":"a"}})");
  ASSERT_TRUE(r.open());
  ASSERT_TRUE(r.exprs->resolve_update("remove #a set b = :a"));
  ASSERT_TRUE(r.exprs->resolve_condition("#b = :b", expression_kind::condition));
  EXPECT_EQ(message_of(r.exprs->check_unused()),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:c}");

  request names(R"({"#a":"a","#b":"b"})", R"({":a":{"S":"a"}})");
  ASSERT_TRUE(names.open());
  ASSERT_TRUE(names.exprs->resolve_update("set b = :a"));
  EXPECT_EQ(message_of(names.exprs->check_unused()),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}");

  request all_used(R"({"#a":"a"})", R"({":a":{"S":"a"}})");
  ASSERT_TRUE(all_used.open());
  ASSERT_TRUE(all_used.exprs->resolve_projection("#a"));
  ASSERT_TRUE(all_used.exprs->resolve_condition("a = :a", expression_kind::filter));
  EXPECT_TRUE(all_used.exprs->check_unused());
}

TEST(request_expressions, operand_counts_and_paths) {
  const std::string count =
      "Invalid FilterExpression: Incorrect number of operands for operator or function; operator "
      "or function: ";
  EXPECT_EQ(filter_error("attribute_exists(things, a) and a=a"),
            count + "attribute_exists, number of operands: 2");
  EXPECT_EQ(filter_error("attribute_not_exists(things, b)"),
            count + "attribute_not_exists, number of operands: 2");
  EXPECT_EQ(filter_error("attribute_type(things)"),
            count + "attribute_type, number of operands: 1");
  EXPECT_EQ(filter_error("begins_with(things)"), count + "begins_with, number of operands: 1");
  EXPECT_EQ(filter_error("begins_with(things, size(a), b)"),
            count + "begins_with, number of operands: 3");
  EXPECT_EQ(filter_error("contains(things)"), count + "contains, number of operands: 1");
  EXPECT_EQ(filter_error("size(things, a) > b"), count + "size, number of operands: 2");
  const std::string s = R"({":a":{"S":"1"}})";
  EXPECT_EQ(filter_error("attribute_exists(:a) and a=a", "", s),
            "Invalid FilterExpression: Operator or function requires a document path; operator or "
            "function: attribute_exists");
  EXPECT_EQ(filter_error("attribute_not_exists(size(:a))", "", s),
            "Invalid FilterExpression: Operator or function requires a document path; operator or "
            "function: attribute_not_exists");
}

TEST(request_expressions, operand_types_of_constants) {
  const std::string type =
      "Invalid FilterExpression: Incorrect operand type for operator or function; operator or "
      "function: ";
  auto with = [](std::string_view v) { return R"({":a":)" + std::string(v) + "}"; };
  EXPECT_EQ(filter_error("attribute_type(a, size(a)) and a=a and a=:a", "", with(R"({"N":"1"})")),
            type + "attribute_type, operand type: N");
  for (const char* v :
       {R"({"N":"1"})", R"({"BOOL":true})", R"({"NULL":true})", R"({"L":[]})", R"({"M":{}})",
        R"({"SS":["1"]})", R"({"NS":["1"]})", R"({"BS":["YQ=="]})"}) {
    const std::string tag(boost::json::parse(v).as_object().begin()->key());
    EXPECT_EQ(filter_error("begins_with(a, :a)", "", with(v)),
              type + "begins_with, operand type: " + tag);
    EXPECT_EQ(filter_error("begins_with(:a, a)", "", with(v)),
              type + "begins_with, operand type: " + tag);
    EXPECT_EQ(filter_error("attribute_type(a, :a)", "", with(v)),
              type + "attribute_type, operand type: " + tag);
  }
  EXPECT_EQ(filter_error("size(size(a)) > :a", "", with(R"({"N":"1"})")),
            type + "size, operand type: N");
  EXPECT_EQ(filter_error("size(:a) > a", "", with(R"({"BOOL":true})")),
            type + "size, operand type: BOOL");
  EXPECT_EQ(filter_error("attribute_not_exists(size(:a))", "", with(R"({"N":"1"})")),
            type + "size, operand type: N");
  EXPECT_EQ(filter_error("a < :a", "", with(R"({"BOOL":true})")), type + "<, operand type: BOOL");
  EXPECT_EQ(filter_error("a = :a", "", with(R"({"BOOL":true})")), "");
}

TEST(request_expressions, attribute_type_names) {
  EXPECT_EQ(filter_error("attribute_type(a, :a)", "", R"({":a":{"S":"1"}})"),
            "Invalid FilterExpression: Invalid attribute type name found; type: 1, valid types: "
            "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  EXPECT_EQ(filter_error("attribute_type(a, :a)", "", R"({":a":{"S":"NS"}})"), "");
  EXPECT_NE(filter_error("attribute_type(a, b)").find("attribute_type"), std::string::npos);
}

TEST(request_expressions, first_operand_must_be_distinct) {
  const std::string names = R"({"#a":"a"})";
  const std::string prefix =
      "Invalid FilterExpression: The first operand must be distinct from the remaining operands "
      "for this operator or function; operator: ";
  EXPECT_EQ(filter_error("a = a AND #a = b AND :views > a", names),
            prefix + "=, first operand: [a]");
  EXPECT_EQ(filter_error("#a <> a", names), prefix + "<>, first operand: [a]");
  EXPECT_EQ(filter_error("((a=a) OR (a=a))", names), prefix + "=, first operand: [a]");
  EXPECT_EQ(filter_error("contains(ab.bc[1].a, ab.bc[1].#a)", names),
            prefix + "contains, first operand: [ab, bc, [1], a]");
  EXPECT_EQ(filter_error("begins_with(ab.bc[1].a, ab.bc[1].#a)", names),
            prefix + "begins_with, first operand: [ab, bc, [1], a]");
  EXPECT_EQ(filter_error(":a > :a", "", R"({":a":{"N":"1"}})"), "");
}

TEST(request_expressions, between_bounds) {
  EXPECT_EQ(message_of(resolved_condition("a between :lo and :hi", "",
                                          R"({":lo":{"N":"5"},":hi":{"N":"1"}})")),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
            "than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper "
            "bound operand: AttributeValue: {N:1}");
  EXPECT_EQ(message_of(resolved_condition("a between :lo and :hi", "",
                                          R"({":lo":{"N":"1"},":hi":{"S":"a"}})")),
            "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower "
            "and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: "
            "AttributeValue: {S:a}");
  EXPECT_TRUE(
      resolved_condition("a between :lo and :hi", "", R"({":lo":{"N":"1"},":hi":{"N":"1"}})"));
}

TEST(request_expressions, update_operand_checks) {
  const std::string values =
      R"({":a":{"S":"a"},":b":{"N":"1"},":c":{"B":"YQ=="},":i":{"M":{}},":j":{"L":[]}})";
  const std::string type =
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
      "function: ";
  auto err = [&](std::string_view text) { return message_of(resolved_update(text, "", values)); };
  EXPECT_EQ(err("set a = list_append(:a, a)"), type + "list_append, operand type: S");
  EXPECT_EQ(err("set a = list_append(a, :b)"), type + "list_append, operand type: N");
  EXPECT_EQ(err("set a = a + :a"), type + "+, operand type: S");
  EXPECT_EQ(err("set a = :c - a"), type + "-, operand type: B");
  EXPECT_EQ(err("set a = a - :j"), type + "-, operand type: L");
  EXPECT_EQ(err("set a = if_not_exists(:a, c)"),
            "Invalid UpdateExpression: Operator or function requires a document path; operator or "
            "function: if_not_exists");
  EXPECT_EQ(err("set a = if_not_exists(c)"),
            "Invalid UpdateExpression: Incorrect number of operands for operator or function; "
            "operator or function: if_not_exists, number of operands: 1");
  EXPECT_EQ(err("set a = list_append(c)"),
            "Invalid UpdateExpression: Incorrect number of operands for operator or function; "
            "operator or function: list_append, number of operands: 1");
  const std::string add_type =
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ";
  EXPECT_EQ(err("add a.b :a"), add_type + "ADD, operand type: STRING");
  EXPECT_EQ(err("delete a.b :a"), add_type + "DELETE, operand type: STRING");
  EXPECT_EQ(err("add a.b :i"), add_type + "ADD, operand type: MAP");
  EXPECT_EQ(err("add a.b :j"), add_type + "ADD, operand type: LIST");
  EXPECT_EQ(err("add a.b :c"), add_type + "ADD, operand type: BINARY");
  EXPECT_EQ(err("delete a.b :b"), add_type + "DELETE, operand type: NUMBER");
}

TEST(request_expressions, overlapping_and_conflicting_paths) {
  const std::string names = R"({"#b":"b","#c":"c","#d":"[3]"})";
  auto err = [&](std::string_view text) {
    request r(names, R"({":v":{"N":"1"}})");
    if (!r.open()) return std::string("open failed");
    auto u = r.exprs->resolve_update(text);
    return message_of(u);
  };
  EXPECT_EQ(err("set #c[3].#d = :v, #c[3] = :v"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]");
  EXPECT_EQ(err("set #c[3].#d = :v, #c.#d[3] = if_not_exists(#b, :v)"),
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
            "rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3], [3]]");
  EXPECT_EQ(err("remove a.#c set a[1] = :v"),
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
            "rewrite one of these paths; path one: [a, c], path two: [a, [1]]");
  EXPECT_EQ(err("SET a = :v REMOVE a"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a], path two: [a]");
  EXPECT_EQ(message_of(resolved_projection("a, a.b")),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(message_of(resolved_projection("a.b, a[0]")),
            "Invalid ProjectionExpression: Two document paths conflict with each other; must "
            "remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]");
  EXPECT_TRUE(resolved_projection("a.b, a.c, b[0], b[1]"));
  // Far apart in the text, and with unrelated paths sorting between them.
  EXPECT_EQ(message_of(resolved_projection("x.b, a, y, x[1], z")),
            "Invalid ProjectionExpression: Two document paths conflict with each other; must "
            "remove or rewrite one of these paths; path one: [x, b], path two: [x, [1]]");
  EXPECT_EQ(message_of(resolved_projection("a.b.c, q, a.b.c.d")),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [a, b, c], path two: [a, b, c, d]");
}

TEST(expression_cache, caches_successful_parses_by_kind_and_text) {
  expression_cache cache(2);
  auto a = cache.get_condition("a = :v", expression_kind::condition).value();
  auto b = cache.get_condition("a = :v", expression_kind::condition).value();
  EXPECT_EQ(a.get(), b.get());
  auto f = cache.get_condition("a = :v", expression_kind::filter).value();
  EXPECT_NE(a.get(), f.get());
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.get_condition("a =", expression_kind::condition));
  EXPECT_EQ(cache.size(), 2u);  // errors are not cached
  ASSERT_TRUE(cache.get_projection("x"));
  EXPECT_EQ(cache.size(), 2u);  // bounded: the least recent went
  ASSERT_TRUE(cache.get_update("SET x = :v"));
  EXPECT_EQ(cache.size(), 2u);
}

TEST(expression_cache, concurrent_use) {
  expression_cache cache(8);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const std::string text = "a" + std::to_string((i + t) % 16) + " = :v";
        auto c = cache.get_condition(text, expression_kind::filter);
        if (!c || (*c)->kind != condition_kind::compare) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(cache.size(), 8u);
}

TEST(expression_cache, bounded_by_text_bytes) {
  expression_cache cache(100, 40);
  ASSERT_TRUE(cache.get_projection(std::string(30, 'x')));
  EXPECT_EQ(cache.size(), 1u);
  ASSERT_TRUE(cache.get_projection(std::string(30, 'y')));
  EXPECT_EQ(cache.size(), 1u);  // both would exceed 40 bytes of text
  ASSERT_TRUE(cache.get_projection(std::string(50, 'z')));
  EXPECT_EQ(cache.size(), 1u);  // too big to cache at all; the old entry stays
}

}  // namespace
}  // namespace stratus::dynamodb::expr
