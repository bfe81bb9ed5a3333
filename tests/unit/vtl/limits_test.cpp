// Hostile templates end with a clear limit error, never a hang or a crash.
#include <gtest/gtest.h>

#include "test_helpers.hpp"

namespace stratus::vtl {
namespace {

error render_error(std::string_view text, const limits& lim = {}) {
  auto tpl = parse(text, lim);
  if (!tpl) return tpl.err();
  variables vars;
  auto out = render(**tpl, vars, lim);
  EXPECT_FALSE(out) << "expected an error for " << text;
  return out ? error{} : out.err();
}

TEST(limits, loop_iterations) {
  limits lim;
  lim.max_loop_iterations = 1000;
  auto e = render_error("#foreach($i in [1..600])#foreach($j in [1..2])x#end#end", lim);
  EXPECT_EQ(e.kind, error_kind::limit_exceeded);
  EXPECT_NE(e.message.find("#foreach"), std::string::npos) << e.message;
}

TEST(limits, huge_range) {
  auto e = render_error("#foreach($i in [0..2147483647])x#end");
  EXPECT_EQ(e.kind, error_kind::limit_exceeded);
  EXPECT_NE(e.message.find("range"), std::string::npos);
  EXPECT_EQ(render_error("#set($r = [-9223372036854775807..9223372036854775807])").kind,
            error_kind::limit_exceeded);
}

TEST(limits, output_size) {
  limits lim;
  lim.max_output_bytes = 1000;
  auto e = render_error("#foreach($i in [1..200])abcdefghij#end", lim);
  EXPECT_EQ(e.kind, error_kind::limit_exceeded);
  EXPECT_NE(e.message.find("output"), std::string::npos);
}

TEST(limits, string_doubling) {
  limits lim;
  lim.max_output_bytes = 1 << 20;
  auto e = render_error("#set($s = 'ab')#foreach($i in [1..64])#set($s = \"$s$s\")#end", lim);
  EXPECT_EQ(e.kind, error_kind::limit_exceeded);
  e = render_error("#set($s = 'ab')#foreach($i in [1..64])#set($s = $s + $s)#end", lim);
  EXPECT_EQ(e.kind, error_kind::limit_exceeded);
  e = render_error("#set($s = 'ab')#foreach($i in [1..64])#set($s = $s.concat($s))#end", lim);
  EXPECT_NE(e.message.find("too large"), std::string::npos) << e.message;
  e = render_error("#set($s = 'ab')#foreach($i in [1..64])#set($s = $s.replace('a', $s))#end", lim);
  EXPECT_NE(e.message.find("too large"), std::string::npos) << e.message;
}

TEST(limits, work_in_loops_over_large_strings) {
  // Each iteration builds a 1 MB string: memory and CPU stay bounded.
  const char* build = "#set($s = 'ab')#foreach($i in [1..19])#set($s = \"$s$s\")#end";
  auto e = render_error(std::string(build) +
                        "#set($l = [])#foreach($i in [1..100000])#set($ok = $l.add(\"$s$i\"))#end");
  EXPECT_EQ(e.kind, error_kind::limit_exceeded);
  EXPECT_NE(e.message.find("bytes of strings"), std::string::npos) << e.message;
  e = render_error(std::string(build) +
                   "#foreach($i in [1..100000])#set($p = $s.indexOf('z'))#end");
  EXPECT_EQ(e.kind, error_kind::limit_exceeded);
  // Sharing a large string is free.
  variables vars;
  auto tpl = parse(std::string(build) +
                   "#set($l = [])#foreach($i in [1..10000])#set($ok = $l.add($s))#end$l.size()");
  ASSERT_TRUE(tpl);
  auto out = render(**tpl, vars);
  ASSERT_TRUE(out) << out.err().describe();
  EXPECT_EQ(*out, "10000");
}

TEST(limits, deep_values_cannot_be_printed) {
  auto e = render_error("#set($l = [])#foreach($i in [1..1000])#set($l = [$l])#end$l");
  EXPECT_EQ(e.kind, error_kind::limit_exceeded);
  EXPECT_NE(e.message.find("nests deeper"), std::string::npos);
}

TEST(limits, evaluation_steps) {
  limits lim;
  lim.max_evaluation_steps = 10'000;
  auto e = render_error("#foreach($i in [1..100000])$i#end", lim);
  EXPECT_EQ(e.kind, error_kind::limit_exceeded);
}

TEST(limits, catastrophic_regex_is_an_error_not_a_hang) {
  auto e = render_error(
      "#set($s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')"
      "$s.matches('(a|aa)*(a|aa)*(a|aa)*(a|aa)*b')");
  EXPECT_EQ(e.kind, error_kind::evaluation);
}

TEST(limits, errors_carry_positions) {
  auto e = render_error("#set($l = [])\n  $l.get(5)", {});
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 3);
}

}  // namespace
}  // namespace stratus::vtl
