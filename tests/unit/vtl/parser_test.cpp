// Parse errors and the shapes the parser accepts.
#include <gtest/gtest.h>

#include "test_helpers.hpp"

namespace stratus::vtl {
namespace {

error parse_error(std::string_view text) {
  auto r = parse(text);
  EXPECT_FALSE(r) << "expected a parse error for: " << text;
  return r ? error{} : r.err();
}

using names = std::set<std::string, std::less<>>;

TEST(parser, the_properties_a_template_reaches_on_a_variable) {
  auto t = parse(
      "$context.stage #if($context.identity.sourceIp)x#end "
      "#set($context.responseOverride.status = 400) $util.escapeJavaScript($context.path) "
      "#foreach($h in $context.headers)$h#end \"${context.requestId}\"");
  ASSERT_TRUE(t);
  EXPECT_EQ((*t)->properties_of("context"),
            (names{"headers", "identity", "path", "requestId", "responseOverride", "stage"}));
  EXPECT_EQ((*t)->properties_of("input"), names{});
  EXPECT_EQ((*t)->properties_of("util"), std::nullopt);  // a method of it
}

TEST(parser, a_variable_used_whole_may_need_all_of_it) {
  for (const char* text : {"$context", "#set($c = $context)$c.stage", "$context.keySet()",
                           "$context['stage']", "#foreach($k in $context)$k#end"}) {
    auto t = parse(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ((*t)->properties_of("context"), std::nullopt) << text;
  }
}

TEST(parser, unterminated_if_is_a_syntax_error_at_the_if) {
  auto e = parse_error("line one\n  #if($a) never closed");
  EXPECT_EQ(e.kind, error_kind::syntax);
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 3);
  EXPECT_NE(e.message.find("#end"), std::string::npos);
}

TEST(parser, unterminated_foreach_define_and_macro) {
  parse_error("#foreach($i in [1])x");
  parse_error("#define($d)x");
  parse_error("#macro(m)x");
}

TEST(parser, stray_end_else_elseif) {
  EXPECT_NE(parse_error("#if(true)x#end #end ").message.find("#end"), std::string::npos);
  parse_error("#else");
  parse_error("#elseif(true)");
}

TEST(parser, elseif_after_else_is_an_error) {
  parse_error("#if ($a) one #else two #elseif($b) three #end");
}

TEST(parser, unterminated_formal_reference) {
  parse_error("Hello ${name.");
}

TEST(parser, template_ending_in_dollar) {
  // API Gateway answers 500 for "Hello $"; "Hello $ " renders (recorded).
  EXPECT_NE(parse_error("Hello $").message.find("end of template"), std::string::npos);
  parse_error("Hello $!");
  EXPECT_EQ(testing::render_text("#set($r = \"^a$\")$r"), "^a$");
}

TEST(parser, unterminated_string_and_comment) {
  parse_error("#set($a = \"abc)");
  parse_error("text #* never closed");
  parse_error("#[[ never closed");
}

TEST(parser, escaped_quote_is_not_an_escape) {
  // API Gateway answers 500 for "\"batman\"": backslash does not escape a quote.
  parse_error(R"(#set ($name = "\"batman\"")$name)");
}

TEST(parser, malformed_directives) {
  parse_error("#set $a = 1");
  parse_error("#set(a = 1)");
  parse_error("#set($a 1)");
  parse_error("#if");
  parse_error("#foreach($i of $list)#end");
  parse_error("#set($a = )");
  parse_error("#set($a = [1, 2)");
  parse_error("#set($a = {'k' 1})");
}

TEST(parser, endoff_is_not_end) {
  // "#endOff" is one unknown name, so the #if stays open.
  parse_error("#if(true)x#endOff");
}

TEST(parser, unknown_directives_and_macro_calls_print_literally) {
  EXPECT_EQ(testing::render_text("#include(\"x.vm\") #parse('y') #foo($a, 'b')"),
            "#include(\"x.vm\") #parse('y') #foo($a, 'b')");
  EXPECT_EQ(testing::render_text("#foo"), "#foo");
  EXPECT_EQ(testing::render_text("a # b #1 #{x"), "a # b #1 #{x");
}

TEST(parser, unparsed_block_is_verbatim) {
  EXPECT_EQ(testing::render_text("#[[#if($a) $b ## x]]#!"), "#if($a) $b ## x!");
}

TEST(parser, directive_names_in_braces) {
  EXPECT_EQ(testing::render_text("#{if}(true)a#{else}b#{end}"), "a");
  EXPECT_EQ(testing::render_text("#{set}($x = 2)$x"), "2");
}

TEST(parser, whitespace_rules) {
  // Blanks then a newline after a directive's ')' are swallowed, blanks alone kept.
  EXPECT_EQ(testing::render_text("#set($a = 1)  \nx"), "x");
  EXPECT_EQ(testing::render_text("#set($a = 1)  x"), "  x");
  EXPECT_EQ(testing::render_text("#if(true)\r\nx#end"), "x");
  // Indentation before #if is kept (Velocity 1.7), before #set after a directive is not.
  EXPECT_EQ(testing::render_text("  #if(true)x#end"), "  x");
  EXPECT_EQ(testing::render_text("#if(true)  #set($a = 1)x#end"), "x");
  EXPECT_EQ(testing::render_text("a\n  #set($a = 1)\nb"), "a\n  b");
  EXPECT_EQ(testing::render_text("#foreach($i in [1,2])\n$i\n#end\n"), "1\n2\n");
}

TEST(parser, hyphenated_identifiers) {
  variables vars;
  auto m = make_map();
  m->put("no-bypass", "value");
  vars.set("map", m);
  EXPECT_EQ(testing::render_text("$map.no-bypass $map.missing-", vars), "value -");
}

TEST(parser, template_size_limit) {
  limits lim;
  lim.max_template_bytes = 10;
  auto r = parse("01234567890", lim);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().kind, error_kind::limit_exceeded);
  EXPECT_TRUE(parse(std::string(300 * 1024, 'a')));
  EXPECT_FALSE(parse(std::string(300 * 1024 + 1, 'a')));
}

TEST(parser, nesting_limit) {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "#if(true)";
  for (int i = 0; i < 200; ++i) deep += "#end";
  auto r = parse(deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().kind, error_kind::limit_exceeded);
  EXPECT_FALSE(parse("#set($a = " + std::string(500, '(') + "1" + std::string(500, ')') + ")"));
  EXPECT_FALSE(parse("#set($a = " + std::string(500, '[') + std::string(500, ']') + ")"));
  EXPECT_FALSE(parse("#set($a = " + std::string(5000, '!') + "true)"));
}

TEST(parser, error_describe_includes_position) {
  auto e = parse_error("\n\n   #if(");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.describe().rfind("line 3, column", 0), 0u);
}

}  // namespace
}  // namespace stratus::vtl
