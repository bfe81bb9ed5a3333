// The PartiQL parser: statement shapes, literals as wire-form values,
// parameter binding, and DynamoDB's messages for malformed statements.

#include "dynamodb/partiql/parser.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stratus::dynamodb::partiql {
namespace {

namespace json = boost::json;

const json::array none;

statement parse_ok(std::string_view text, const json::array& params = none) {
  auto st = parse(text, params);
  EXPECT_TRUE(st) << text << ": " << (st ? "" : st.error().message);
  return st ? *st : statement{};
}

std::string error_of(std::string_view text, const json::array& params = none) {
  auto st = parse(text, params);
  return st ? std::string("<parsed>") : st.error().message;
}

TEST(PartiqlParser, SelectStarWithoutWhere) {
  auto st = parse_ok(R"(SELECT * FROM "Music")");
  EXPECT_EQ(st.kind, statement_kind::select);
  EXPECT_EQ(st.table, "Music");
  EXPECT_FALSE(st.projection);
  EXPECT_FALSE(st.where);
}

TEST(PartiqlParser, KeywordsAreCaseInsensitiveAndIdentifiersMayBeBare) {
  auto st = parse_ok("select a, b.c, \"quoted name\" from Music.ByArtist where a = 'x'");
  EXPECT_EQ(st.table, "Music");
  EXPECT_EQ(st.index, "ByArtist");
  ASSERT_TRUE(st.projection);
  ASSERT_EQ(st.projection->paths.size(), 3u);
  EXPECT_EQ(st.projection->paths[1].steps.size(), 2u);
  EXPECT_EQ(st.projection->paths[2].steps[0].name, "quoted name");
}

TEST(PartiqlParser, WherePrecedenceAndOperators) {
  auto st =
      parse_ok("SELECT * FROM t WHERE a = 1 OR b <> 'x' AND NOT c BETWEEN 1 AND 5 AND d IN [1, 2]");
  ASSERT_TRUE(st.where);
  // OR binds loosest: (a = 1) OR (b <> 'x' AND NOT ... AND d IN ...).
  EXPECT_EQ(st.where->kind, expr::condition_kind::or_);
  EXPECT_EQ(st.where->children[1].kind, expr::condition_kind::and_);
}

TEST(PartiqlParser, FunctionsAndMissing) {
  auto st = parse_ok(
      "SELECT * FROM t WHERE begins_with(a, 'x') AND contains(l, 3) AND b IS MISSING AND c IS "
      "NOT MISSING AND attribute_type(d, 'S') AND size(e) > 2");
  ASSERT_TRUE(st.where);
  EXPECT_EQ(st.where->kind, expr::condition_kind::and_);
}

TEST(PartiqlParser, InsertLiteralsBecomeWireValues) {
  auto st = parse_ok(
      "INSERT INTO \"T\" VALUE {'pk': 'it''s', 'n': -1.50, 'b': TRUE, 'z': NULL, 'l': [1, 'x'], "
      "'m': {'k': 2}, 's': <<'a', 'b'>>, 'ns': <<3, 1>>}");
  EXPECT_EQ(st.kind, statement_kind::insert);
  EXPECT_EQ(st.item.at("pk"), json::parse(R"({"S":"it's"})"));
  EXPECT_EQ(st.item.at("n"), json::parse(R"({"N":"-1.5"})"));
  EXPECT_EQ(st.item.at("b"), json::parse(R"({"BOOL":true})"));
  EXPECT_EQ(st.item.at("z"), json::parse(R"({"NULL":true})"));
  EXPECT_EQ(st.item.at("l"), json::parse(R"({"L":[{"N":"1"},{"S":"x"}]})"));
  EXPECT_EQ(st.item.at("m"), json::parse(R"({"M":{"k":{"N":"2"}}})"));
  EXPECT_EQ(st.item.at("s").as_object().begin()->key(), "SS");
  EXPECT_EQ(st.item.at("ns").as_object().begin()->key(), "NS");
}

TEST(PartiqlParser, ParametersBindInOrder) {
  json::array params = json::parse(R"([{"S":"a"},{"N":"7"}])").as_array();
  auto st = parse_ok("INSERT INTO T VALUE {'pk': ?, 'n': ?}", params);
  EXPECT_EQ(st.item.at("pk"), json::parse(R"({"S":"a"})"));
  EXPECT_EQ(st.item.at("n"), json::parse(R"({"N":"7"})"));
  EXPECT_EQ(error_of("SELECT * FROM T WHERE pk = ?", none),
            "Number of parameters in request and statement don't match.");
  EXPECT_EQ(error_of("SELECT * FROM T WHERE pk = 'x'", params),
            "Number of parameters in request and statement don't match.");
}

TEST(PartiqlParser, UpdateSetRemoveAndArithmetic) {
  auto st = parse_ok(
      "UPDATE T SET a = 1, b = b + 2 SET l = list_append(l, [3]) REMOVE c, d[1] SET s = "
      "set_add(s, <<'x'>>) WHERE pk = 'x' AND sk = 1");
  EXPECT_EQ(st.kind, statement_kind::update);
  ASSERT_EQ(st.update.actions.size(), 6u);
  EXPECT_EQ(st.update.actions[1].value.kind, expr::operand_kind::plus);
  EXPECT_EQ(st.update.actions[2].value.kind, expr::operand_kind::list_append);
  EXPECT_EQ(st.update.actions[3].kind, expr::update_action_kind::remove);
  EXPECT_EQ(st.update.actions[5].kind, expr::update_action_kind::add);
  EXPECT_TRUE(st.where);
}

TEST(PartiqlParser, DeleteNeedsWhere) {
  auto st = parse_ok("DELETE FROM T WHERE pk = 'x'");
  EXPECT_EQ(st.kind, statement_kind::delete_);
  EXPECT_TRUE(error_of("DELETE FROM T").starts_with("Statement wasn't well formed"));
  EXPECT_TRUE(error_of("UPDATE T SET a = 1").starts_with("Statement wasn't well formed"));
}

TEST(PartiqlParser, MalformedStatements) {
  for (std::string_view text :
       {"SELECTT * FROMM T", "SELECT * FROM", "SELECT * FROM T WHERE",
        "SELECT * FROM T WHERE a =", "INSERT INTO T VALUE {'a' 1}", "SELECT * FROM 'T'",
        "SELECT * FROM T WHERE a = 'open", "UPDATE T SET a = 1 WHERE pk = 'x' extra",
        "SELECT * FROM T WHERE a # 1", "INSERT INTO T VALUE <<1, 'a'>>",
        "SELECT * FROM T WHERE unknown_fn(a)", "SELECT a[99999999999999999999] FROM T"})
    EXPECT_NE(error_of(text), "<parsed>") << text;
  EXPECT_TRUE(error_of("SELECTT * FROMM T")
                  .starts_with("Statement wasn't well formed, can't be processed: "));
}

TEST(PartiqlParser, LengthLimits) {
  EXPECT_EQ(error_of(""),
            "1 validation error detected: Value '' at 'statement' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
  EXPECT_NE(error_of("SELECT * FROM T WHERE a = '" + std::string(9000, 'x') + "'"), "<parsed>");
}

TEST(PartiqlParser, DeepNestingIsRejected) {
  std::string deep =
      "SELECT * FROM T WHERE " + std::string(100, '(') + "a = 1" + std::string(100, ')');
  EXPECT_NE(error_of(deep), "<parsed>");
  std::string list =
      "INSERT INTO T VALUE {'pk': " + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_NE(error_of(list), "<parsed>");
}

TEST(PartiqlParser, Exists) {
  auto st = parse_ok("EXISTS(SELECT * FROM T WHERE pk = 'x' AND v IS MISSING)");
  EXPECT_EQ(st.kind, statement_kind::exists);
  EXPECT_EQ(st.table, "T");
  EXPECT_TRUE(st.where);
  EXPECT_NE(error_of("EXISTS(SELECT * FROM T"), "<parsed>");
  EXPECT_NE(error_of("EXISTS(DELETE FROM T WHERE pk = 'x')"), "<parsed>");
}

TEST(PartiqlParser, OrderBy) {
  auto st = parse_ok("SELECT * FROM T WHERE pk = 'x' ORDER BY sk DESC");
  EXPECT_EQ(st.order_by, "sk");
  EXPECT_TRUE(st.descending);
  EXPECT_FALSE(parse_ok("SELECT * FROM T WHERE pk = 'x' order by \"sk\" asc").descending);
  EXPECT_NE(error_of("SELECT * FROM T ORDER sk"), "<parsed>");
}

TEST(PartiqlParser, Returning) {
  EXPECT_EQ(parse_ok("UPDATE T SET a = 1 WHERE pk = 'x' RETURNING ALL NEW *").returning,
            returning::all_new);
  EXPECT_EQ(parse_ok("DELETE FROM T WHERE pk = 'x' RETURNING ALL OLD *").returning,
            returning::all_old);
  EXPECT_NE(error_of("DELETE FROM T WHERE pk = 'x' RETURNING ALL NEW *"), "<parsed>");
  EXPECT_NE(error_of("UPDATE T SET a = 1 WHERE pk = 'x' RETURNING ALL *"), "<parsed>");
}

// Hostile input: random token soup never crashes or hangs the parser, it
// parses or answers an error.
TEST(PartiqlParser, RandomTokenSoup) {
  const char* pieces[] = {"SELECT",  "*",    "FROM",    "T",  "WHERE", "a",      "=",
                          "'s'",     "1",    "(",       ")",  "[",     "]",      "{",
                          "}",       "<<",   ">>",      ",",  ".",     "AND",    "OR",
                          "NOT",     "IS",   "MISSING", "?",  "SET",   "REMOVE", "UPDATE",
                          "INSERT",  "INTO", "VALUE",   ":",  "-",     "+",      "size",
                          "BETWEEN", "IN",   "'",       "\"", "DELETE"};
  unsigned seed = 12345;
  const json::array params = json::parse(R"([{"S":"p"}])").as_array();
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int n = 1 + round % 24;
    for (int i = 0; i < n; ++i) {
      seed = seed * 1103515245u + 12345u;
      text += pieces[(seed >> 16) % std::size(pieces)];
      text += ' ';
    }
    auto st = parse(text, params);
    if (!st) {
      EXPECT_FALSE(st.error().message.empty()) << text;
    }
  }
}

}  // namespace
}  // namespace stratus::dynamodb::partiql
