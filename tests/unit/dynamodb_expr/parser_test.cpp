// Stage 1: syntax, limits, and the checks DynamoDB makes after a parse.

#include "dynamodb/expr/parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "dynamodb/expr/reserved_words.hpp"
#include "test_support.hpp"

namespace stratus::dynamodb::expr {
namespace {

using testing::message_of;

std::string condition_error(std::string_view text,
                            expression_kind kind = expression_kind::condition) {
  return message_of(parse_condition(text, kind));
}
std::string update_error(std::string_view text) {
  return message_of(parse_update(text));
}
std::string projection_error(std::string_view text) {
  return message_of(parse_projection(text));
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.starts_with(prefix);
}

TEST(parse_condition, accepts_the_grammar) {
  for (const char* text : {
           "a = :v",
           "a <> :v AND b < :w",
           "a <= :v OR b >= :w AND NOT c > :x",
           "a BETWEEN :lo AND :hi",
           "a IN (:a, :b, :c)",
           "attribute_exists(a.b[3].c)",
           "attribute_not_exists(#n)",
           "attribute_type(a, :t)",
           "begins_with(a, :p)",
           "contains(#list, :v)",
           "size(a) > :n",
           "(a = :v)",
           "(a)between(:lo)and(:hi)",
           "((a = :v) OR (b = :v))",
           "not not a = :v",
           "a.b.c[0][1].d = :v",
           "#123a = :_",
           "a\t=\n:v",
       })
    EXPECT_TRUE(parse_condition(text, expression_kind::condition))
        << text << ": " << condition_error(text);
}

TEST(parse_condition, precedence_is_not_then_and_then_or) {
  auto c = parse_condition("a = :a OR b = :b AND NOT c = :c", expression_kind::condition).value();
  ASSERT_EQ(c->kind, condition_kind::or_);
  EXPECT_EQ(c->children[0].kind, condition_kind::compare);
  ASSERT_EQ(c->children[1].kind, condition_kind::and_);
  EXPECT_EQ(c->children[1].children[1].kind, condition_kind::not_);

  auto p = parse_condition("(a = :a OR b = :b) AND c = :c", expression_kind::condition).value();
  EXPECT_EQ(p->kind, condition_kind::and_);
  EXPECT_EQ(p->children[0].kind, condition_kind::or_);
}

TEST(parse_condition, keywords_are_case_insensitive_functions_are_not) {
  EXPECT_TRUE(parse_condition("a = :v and b = :v Or NOT c = :v", expression_kind::condition));
  EXPECT_TRUE(parse_condition("a bEtWeEn :a AnD :b", expression_kind::condition));
  EXPECT_EQ(condition_error("BEGINS_WITH(a, :v)"),
            "Invalid ConditionExpression: Invalid function name; function: BEGINS_WITH");
}

TEST(parse_condition, paths) {
  auto c = parse_condition("a.#b[12].c = :v", expression_kind::condition).value();
  const path& p = c->operands[0].path;
  ASSERT_EQ(p.steps.size(), 4u);
  EXPECT_EQ(p.steps[0].name, "a");
  EXPECT_EQ(p.steps[1].name, "#b");
  EXPECT_TRUE(p.steps[1].placeholder);
  EXPECT_TRUE(p.steps[2].is_index);
  EXPECT_EQ(p.steps[2].index, 12u);
  EXPECT_EQ(to_string(p), "[a, #b, [12], c]");
}

TEST(parse_condition, empty_and_oversized) {
  EXPECT_EQ(condition_error(""), "Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(condition_error("  "), "Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(condition_error("", expression_kind::filter),
            "Invalid FilterExpression: The expression can not be empty;");
  // 4096 bytes is allowed, 4097 is not (test_limit_expression_len).
  std::string at_limit = "a" + std::string(4096 - 6, ' ') + " = :v";
  ASSERT_EQ(at_limit.size(), 4096u);
  EXPECT_TRUE(parse_condition(at_limit, expression_kind::condition));
  EXPECT_EQ(condition_error(at_limit + " "),
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: 4097");
  EXPECT_EQ(projection_error(std::string(4097, 'x')),
            "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: 4097");
  // Size is checked before syntax (test_limit_expression_len_crash3).
  EXPECT_TRUE(starts_with(condition_error(std::string(15000, '(')),
                          "Invalid ConditionExpression: Expression size has exceeded"));
}

TEST(parse_condition, syntax_errors_name_the_token_and_its_neighbours) {
  EXPECT_EQ(condition_error("a > between"),
            "Invalid ConditionExpression: Syntax error; token: \"between\", near: \"> between\"");
  EXPECT_EQ(condition_error("a ="),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
  EXPECT_EQ(projection_error("!!! INVALID !!!"),
            "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\"");
  EXPECT_EQ(update_error("INVALID SYNTAX"),
            "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"");
  EXPECT_EQ(update_error("SET _123 = :v"),
            "Invalid UpdateExpression: Syntax error; token: \"_\", near: \"SET _123\"");
}

TEST(parse_condition, syntax_errors) {
  for (const char* text : {
           "things are not gonna be ok",
           "a > 4",
           "attribute_exists(Pictures-RearView)",
           "attribute_exists(\"Pictures.RearView\")",
           "attribute_exists(Pictures..RearView)",
           "attribute_exists(Pi#ctures.RearView)",
           "attribute_exists(asdf[a])",
           "a in b, c",
           "a > between",
           "a in b",
           "a in (b,c,)",
           "(a)between(b.(c.d))and(c)",
           "(a)between(b.c.d)and((c)",
           "#$.b > a",
           "a > :things.stuff",
           "b[:a] > a",
           "b[#_] > a",
           "\xc3\xbc > a",
           "(a)between(b.c[4.5].#d)and(:a)",
           "size(a).b > a",
           "(size(a)).b > a",
           "size(a)[0] > a",
           "(size(a))[0] > a",
           "a",
           "(a)",
           "a and b",
           "a = :v and",
           "a = :v)",
           "f()",
           ":v",
           "# = :v",
           "a = :",
       })
    EXPECT_TRUE(starts_with(condition_error(text), "Invalid ConditionExpression: Syntax error; "))
        << text << ": " << condition_error(text);
}

TEST(parse_condition, redundant_parentheses) {
  for (const char* text : {
           "a=a and a > ((views))",
           "(a)between(((b.c)).d)and(c)",
           "a > whatever((:things), ((a)))",
           "a=a AND ((a=a AND a=a)) AND a=a",
           "a=a OR ((a=a OR a=a)) OR a=a",
           "((a = :v))",
       })
    EXPECT_EQ(condition_error(text, expression_kind::filter),
              "Invalid FilterExpression: The expression has redundant parentheses;")
        << text;
}

TEST(parse_condition, function_names_and_placement) {
  EXPECT_EQ(condition_error("a=a and whatever((:things)) > a"),
            "Invalid ConditionExpression: Invalid function name; function: whatever");
  EXPECT_EQ(condition_error("attRIbute_exIsts((views), #a)"),
            "Invalid ConditionExpression: Invalid function name; function: attRIbute_exIsts");
  // Update-only functions are unknown in conditions (test_filter_expression).
  const std::string misplaced =
      "Invalid ConditionExpression: The function is not allowed to be used this way in an "
      "expression; function: ";
  // Update-only functions are known, but not allowed in conditions.
  EXPECT_EQ(condition_error("list_append(s, :v) = :v"), misplaced + "list_append");
  EXPECT_EQ(condition_error("if_not_exists(a, a) = :v"), misplaced + "if_not_exists");
  EXPECT_EQ(condition_error("attribute_exists(a) < :v"), misplaced + "attribute_exists");
  EXPECT_EQ(condition_error("a=a and attribute_exists((views), (#a)) > b"),
            misplaced + "attribute_exists");
  EXPECT_EQ(condition_error("attribute_not_exists(things) > b"),
            misplaced + "attribute_not_exists");
  EXPECT_EQ(condition_error("begins_with(things, a) > b"), misplaced + "begins_with");
  EXPECT_EQ(condition_error("size(contains(a, b)) > a"), misplaced + "contains");
  EXPECT_EQ(condition_error("size(things)"), misplaced + "size");
  EXPECT_EQ(condition_error("a between b and attribute_exists(things)"),
            misplaced + "attribute_exists");
  EXPECT_EQ(condition_error("a in (b, attribute_exists(things))"), misplaced + "attribute_exists");
}

TEST(parse_condition, reserved_words) {
  EXPECT_EQ(condition_error("attribute_exists(views, #a)", expression_kind::filter),
            "Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: "
            "views");
  EXPECT_EQ(condition_error(":a < abOrT"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "abOrT");
  EXPECT_EQ(condition_error("a.size = :v"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "size");
  EXPECT_TRUE(parse_condition("#size = :v", expression_kind::condition));
  EXPECT_TRUE(is_reserved_word("abort"));
  EXPECT_TRUE(is_reserved_word("ZONE"));
  EXPECT_TRUE(is_reserved_word("Name"));
  EXPECT_FALSE(is_reserved_word("pictures"));
  EXPECT_FALSE(is_reserved_word(""));
}

TEST(parse_condition, operator_limit) {
  // 299 operators ("<" and "or") pass, 909 fail (test_deeply_nested_expression_2).
  std::string ok = "a<b ";
  for (int i = 0; i < 149; ++i) ok += "or (a<b ";
  ok += std::string(149, ')');
  EXPECT_TRUE(parse_condition(ok, expression_kind::condition)) << condition_error(ok);
  std::string many = "a<b ";
  for (int i = 0; i < 454; ++i) many += "or (a<b ";
  many += std::string(454, ')');
  ASSERT_LT(many.size(), 4096u);
  EXPECT_EQ(condition_error(many),
            "Invalid ConditionExpression: The expression contains too many operators; operator "
            "count: 301");
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  EXPECT_EQ(condition_error(nots + "a<b"),
            "Invalid ConditionExpression: The expression contains too many operators; operator "
            "count: 301");
}

TEST(parse_condition, deep_nesting_is_an_error_not_a_crash) {
  EXPECT_TRUE(starts_with(condition_error(std::string(4096, '(')), "Invalid ConditionExpression"));
  std::string wrapped = std::string(2046, '(') + "a<b" + std::string(2046, ')');
  EXPECT_TRUE(starts_with(condition_error(wrapped), "Invalid ConditionExpression"));
  std::string calls = "a < ";
  for (int i = 0; i < 1355; ++i) calls += "f(";
  calls += "b" + std::string(1355, ')');
  EXPECT_TRUE(starts_with(condition_error(calls), "Invalid ConditionExpression"));
  std::string sizes = "a < ";
  for (int i = 0; i < 680; ++i) sizes += "size(";
  sizes += "b" + std::string(680, ')');
  EXPECT_TRUE(starts_with(condition_error(sizes), "Invalid ConditionExpression"));
  // Huge input: the size limit answers first.
  EXPECT_TRUE(starts_with(condition_error(std::string(200000, '(')),
                          "Invalid ConditionExpression: Expression size has exceeded"));
}

TEST(parse_condition, in_list_limit) {
  // 99 values after IN pass: the limit of 100 counts the first operand.
  std::string in = "a IN (:v";
  for (int i = 1; i < 99; ++i) in += ",:v";
  EXPECT_TRUE(parse_condition(in + ")", expression_kind::condition));
  EXPECT_EQ(condition_error(in + ",:v)"),
            "Invalid ConditionExpression: The IN operator is provided with too many operands; "
            "number of operands: 101");
}

TEST(parse_condition, path_depth_limit) {
  std::string p = "a";
  for (int i = 1; i < 32; ++i) p += ".a";
  EXPECT_TRUE(parse_projection(p));
  EXPECT_EQ(projection_error(p + ".a"),
            "Invalid ProjectionExpression: The document path has too many nesting levels; nesting "
            "levels: 33");
}

TEST(parse_projection, list_index_range) {
  EXPECT_TRUE(parse_projection("a[2147483647]"));
  EXPECT_EQ(projection_error("a[99999999999999]"),
            "Invalid ProjectionExpression: List index is not within the allowable range; index: "
            "[99999999999999]");
  EXPECT_EQ(projection_error("a[99999999999999999999999999]"),
            "Invalid ProjectionExpression: List index is not within the allowable range; index: "
            "[99999999999999999999999999]");
  EXPECT_TRUE(starts_with(projection_error("a[-1]"), "Invalid ProjectionExpression: Syntax error"));
  EXPECT_TRUE(starts_with(projection_error("a[]"), "Invalid ProjectionExpression: Syntax error"));
}

TEST(parse_projection, paths) {
  auto p = parse_projection(" a , #b.c[1] ,d ").value();
  ASSERT_EQ(p->paths.size(), 3u);
  EXPECT_EQ(to_string(p->paths[1]), "[#b, c, [1]]");
  EXPECT_TRUE(starts_with(projection_error("a,"), "Invalid ProjectionExpression: Syntax error"));
  EXPECT_TRUE(starts_with(projection_error("a b"), "Invalid ProjectionExpression: Syntax error"));
  EXPECT_TRUE(starts_with(projection_error(":v"), "Invalid ProjectionExpression: Syntax error"));
  EXPECT_EQ(projection_error(""), "Invalid ProjectionExpression: The expression can not be empty;");
  EXPECT_EQ(projection_error("name"),
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "name");
}

TEST(parse_update, clauses) {
  auto u = parse_update(
               "SET a = :v, b = b + :n, c = if_not_exists(c, :z) - :n, "
               "d = list_append(d, :l) REMOVE e, f[2] ADD g :one DELETE h :set")
               .value();
  ASSERT_EQ(u->actions.size(), 8u);
  EXPECT_EQ(u->actions[1].value.kind, operand_kind::plus);
  EXPECT_EQ(u->actions[2].value.kind, operand_kind::minus);
  EXPECT_EQ(u->actions[2].value.args[0].kind, operand_kind::if_not_exists);
  EXPECT_EQ(u->actions[3].value.kind, operand_kind::list_append);
  EXPECT_EQ(u->actions[5].kind, update_action_kind::remove);
  EXPECT_TRUE(u->actions[5].target.steps[1].is_index);
  EXPECT_EQ(u->actions[6].kind, update_action_kind::add);
  EXPECT_EQ(u->actions[7].kind, update_action_kind::delete_);
  EXPECT_TRUE(parse_update("set a = :v remove b"));
  EXPECT_TRUE(parse_update("SET a = list_append(if_not_exists(a, :v1), :v2)"));
}

TEST(parse_update, each_clause_once) {
  EXPECT_EQ(update_error("set a = #c set c = :d"),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(update_error("remove #d set a = b remove e"),
            "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(update_error("add #d :e set a = b add e :f"),
            "Invalid UpdateExpression: The \"ADD\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(update_error("delete #d :e set a = b delete #e :f"),
            "Invalid UpdateExpression: The \"DELETE\" section can only be used once in an update "
            "expression;");
}

TEST(parse_update, syntax_errors) {
  for (const char* text : {
           "SET",
           "SET a",
           "SET a =",
           "SET a = :v,",
           "add :a b",
           "delete :a b",
           "remove :a",
           "set a = b / c",
           "set a = b * c",
           "set a[1] = \"eight\"",
           "set a[1] = 1",
           "SET if_not_exist(a, b) = a",
           "set (a = (b + c))",
           "set a = (b.c).d + e",
           "set a = (b.c)[0] + e",
           "set a = b + c + d",
           "SET :a = :b",
           "ADD a b",
           "DELETE a",
           "SET a = list_append(a, b + c)",
           "SET a = :v DROP b",
           "SET 123a = :v",
           "SET hi-there = :v",
           "SET #hi-there = :v",
           "SET a = :hi!there",
       })
    EXPECT_TRUE(starts_with(update_error(text), "Invalid UpdateExpression: Syntax error; "))
        << text << ": " << update_error(text);
  EXPECT_EQ(update_error(""), "Invalid UpdateExpression: The expression can not be empty;");
}

TEST(parse_update, functions) {
  EXPECT_EQ(update_error("SET a = if_not_exist(a, :v)"),
            "Invalid UpdateExpression: Invalid function name; function: if_not_exist");
  EXPECT_EQ(update_error("SET a = f(b)"),
            "Invalid UpdateExpression: Invalid function name; function: f");
  EXPECT_EQ(update_error("SET a = list_append(list_append(:a, :b), :c)"),
            "Invalid UpdateExpression: The function is not allowed to be used this way in an "
            "expression; function: list_append");
  EXPECT_TRUE(parse_update("SET a = list_append(if_not_exists(a, :e), :b)"));
  EXPECT_TRUE(parse_update("SET b = if_not_exists(b, :one) + :two"));
  EXPECT_EQ(update_error("SET a = size(b)"),
            "Invalid UpdateExpression: The function is not allowed to be used this way in an "
            "expression; function: size");
  // A reserved word is reported before a repeated clause.
  EXPECT_EQ(update_error(" set #c = :c set abOrt = true "),
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: "
            "abOrt");
  EXPECT_EQ(update_error(" remove Absolute "),
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: "
            "Absolute");
}

TEST(parse_update, placeholder_names_may_start_with_digits) {
  EXPECT_TRUE(parse_update("SET #123 = :123, #_ = :_, #Alpha_1 = :a"));
}

}  // namespace
}  // namespace stratus::dynamodb::expr
