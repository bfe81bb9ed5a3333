// Language features beyond the recorded renderings, with the Velocity 1.7
// semantics API Gateway runs.
#include <gtest/gtest.h>

#include "test_helpers.hpp"

namespace stratus::vtl {
namespace {

using testing::render_text;

TEST(render, integer_arithmetic_is_java_integer_arithmetic) {
  EXPECT_EQ(render_text("#set($a = 7 / 2)$a|#set($b = -7 / 2)$b|#set($c = -7 % 3)$c"), "3|-3|-1");
  EXPECT_EQ(render_text("#set($a = 9223372036854775807 + 1)$a"), "9.223372036854776E18");
  EXPECT_EQ(render_text("#set($a = -5)$a|#set($b = -$a)$b"), "-5|5");
}

TEST(render, floating_point_prints_like_java) {
  EXPECT_EQ(render_text("#set($a = 1.5 * 2)$a"), "3.0");
  EXPECT_EQ(render_text("#set($a = 1 / 3.0)$a"), "0.3333333333333333");
  EXPECT_EQ(render_text("#set($a = 10000000.0 * 1)$a"), "1.0E7");
  EXPECT_EQ(render_text("#set($a = 0.0001 * 1)$a"), "1.0E-4");
  EXPECT_EQ(render_text("#set($a = 2 + 0.5)$a"), "2.5");
}

TEST(render, division_by_zero_yields_null) {
  // Velocity 1.7 outside strict mode: null, so #set keeps the old value.
  EXPECT_EQ(render_text("#set($a = 1 / 0)[$a]"), "[]");
  EXPECT_EQ(render_text("#set($a = 5)#set($a = 1 % 0)$a"), "5");
  EXPECT_EQ(render_text("#set($a = 1.0 / 0)[$a]"), "[]");
}

TEST(render, plus_concatenates_strings) {
  EXPECT_EQ(render_text("#set($a = 'n' + 1)$a|#set($b = 1 + 'n')$b"), "n1|1n");
  EXPECT_EQ(render_text("#set($a = 'x' + [1, 2])$a"), "x[1, 2]");
}

TEST(render, arithmetic_on_non_numbers_is_null) {
  EXPECT_EQ(render_text("#set($a = 'x' - 1)[$a]#set($b = true * 2)[$b]"), "[][]");
}

TEST(render, equality_across_types_compares_strings) {
  EXPECT_EQ(render_text("#if(1 == '1')y#end #if(1 == 1.0)y#end #if('a' != 'b')y#end"), "y y y");
  EXPECT_EQ(render_text("#if([1, 2] == [1, 2])y#end #if({'a': 1} == {'a': 1})y#end"), "y y");
  EXPECT_EQ(render_text("#if($m.get('x') == $m.get('y'))both-null#end",
                        [] {
                          variables v;
                          v.set("m", make_map());
                          return v;
                        }()),
            "both-null");
}

TEST(render, ordering_only_between_numbers) {
  EXPECT_EQ(render_text("#if('a' < 'b')y#else n#end"), " n");
  EXPECT_EQ(render_text("#if(1.5 > 1)y#end"), "y");
}

TEST(render, logical_operators_short_circuit_on_truth) {
  EXPECT_EQ(render_text("#if(0 && '')y#end #if(false || [])y#end #if(!0)y#else n#end"), "y y  n");
}

TEST(render, interpolation_in_double_quotes_only) {
  variables v;
  v.set("x", "X");
  EXPECT_EQ(render_text(R"(#set($a = "<$x ${x}s #if(true)if#end>")$a)", v), "<X Xs if>");
  EXPECT_EQ(render_text(R"(#set($a = '<$x>')$a)", v), "<$x>");
  EXPECT_EQ(render_text(R"(#set($a = 'it''s')$a)"), "it's");
}

TEST(render, set_with_null_keeps_previous_value) {
  EXPECT_EQ(render_text("#set($a = 'kept')#set($a = $m.get('x'))#set($a = $m.x)$a",
                        [] {
                          variables v;
                          v.set("m", make_map());
                          return v;
                        }()),
            "kept");
}

TEST(render, blanks_before_set_after_a_reference_are_dropped) {
  // Velocity 1.7 lexes the blanks with #set, as the recorded harness prefix shows.
  EXPECT_EQ(render_text("#set($a = 1)$a #set($b = 2)$b"), "12");
}

TEST(render, unresolved_references_are_empty_strings) {
  EXPECT_EQ(render_text("[$nope][$!nope][${nope.a.b()}][$nope.length()]"), "[][][][0]");
  EXPECT_EQ(render_text("#set($x = $nope)#if($x == '')empty#end"), "empty");
}

TEST(render, unknown_method_prints_nothing) {
  EXPECT_EQ(render_text("#set($s = 'abc')[$s.noSuchMethod()][$s.length(1, 2)]"), "[][]");
}

TEST(render, property_reads_use_java_getters) {
  EXPECT_EQ(render_text("#set($s = '')$s.empty|#set($l = [1])$l.empty"), "true|false");
}

TEST(render, foreach_over_map_iterates_values) {
  EXPECT_EQ(render_text("#foreach($v in {'a': 1, 'b': 2})$v#end"), "12");
}

TEST(render, foreach_over_key_set_and_entry_set) {
  EXPECT_EQ(render_text("#set($m = {'a': 1, 'b': 2})#foreach($k in $m.keySet())$k=$m.get($k);#end"),
            "a=1;b=2;");
  EXPECT_EQ(
      render_text("#set($m = {'a': 1, 'b': 2})#foreach($e in $m.entrySet())$e.key:$e.value,$e#end"),
      "a:1,a=1b:2,b=2");
}

TEST(render, foreach_over_scalars_does_nothing) {
  EXPECT_EQ(render_text("#foreach($c in 'abc')x#end#foreach($c in 3)x#end"), "");
}

TEST(render, break_leaves_the_innermost_loop) {
  EXPECT_EQ(render_text(
                "#foreach($i in [1..3])#foreach($j in [1..3])#if($j == 2)#break#end$i$j #end#end"),
            "11 21 31 ");
}

TEST(render, stop_inside_a_loop_ends_the_template) {
  EXPECT_EQ(render_text("#foreach($i in [1..3])$i#if($i == 2)#stop#end#end after"), "12");
}

TEST(render, ranges_take_references) {
  EXPECT_EQ(render_text("#set($a = 2)#set($b = 4)#foreach($i in [$a..$b])$i#end"), "234");
  EXPECT_EQ(render_text("#set($r = ['a'..2])[$r]"), "[]");
}

TEST(render, lists_and_maps_print_as_java_collections) {
  EXPECT_EQ(render_text("#set($l = [1, 'two', 3.5, true, [4], {'k': 'v'}])$l"),
            "[1, two, 3.5, true, [4], {k=v}]");
  EXPECT_EQ(render_text("#set($m = {'a': {'b': [1]}, 'n': $nothing.x()})$m"), "{a={b=[1]}, n=}");
}

TEST(render, nested_property_assignment) {
  EXPECT_EQ(render_text("#set($m = {'a': {}})#set($m.a.b = 1)#set($m.a['c'] = 2)$m"),
            "{a={b=1, c=2}}");
  // Assigning below something that does not exist does nothing.
  EXPECT_EQ(render_text("#set($m = {})#set($m.x.y = 1)$m"), "{}");
}

TEST(render, list_index_out_of_range_is_an_error) {
  auto out = render_text("#set($l = [1])$l[3]");
  EXPECT_EQ(out.rfind("ERROR: line 1, column 15", 0), 0u) << out;
  EXPECT_NE(render_text("#set($l = [1])#set($l[5] = 2)").find("IndexOutOfBounds"),
            std::string::npos);
}

TEST(render, defines_render_lazily_and_recursion_is_bounded) {
  EXPECT_EQ(render_text("#define($d)[$x]#end#set($x = 1)$d#set($x = 2)$d"), "[1][2]");
  auto out = render_text("#define($d)$d#end$d");
  EXPECT_NE(out.find("nest deeper"), std::string::npos) << out;
}

TEST(render, velocity_count_restored_after_inner_loop) {
  EXPECT_EQ(render_text("#foreach($a in [1,2])#foreach($b in [1,2,3])#end$velocityCount#end"),
            "12");
}

TEST(render, variables_are_readable_after_render) {
  variables vars;
  auto tpl = parse("#set($out = {'k': 'v'})#set($n = 3)");
  ASSERT_TRUE(tpl);
  ASSERT_TRUE(render(**tpl, vars));
  ASSERT_NE(vars.find("n"), nullptr);
  EXPECT_EQ(vars.find("n")->as_int(), 3);
}

TEST(render, templates_are_reusable_and_cached) {
  template_cache cache;
  auto a = cache.get("Hi $who");
  auto b = cache.get("Hi $who");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_FALSE(cache.get("#if("));
  variables v1;
  v1.set("who", "A");
  variables v2;
  v2.set("who", "B");
  EXPECT_EQ(*render(**a, v1), "Hi A");
  EXPECT_EQ(*render(**a, v2), "Hi B");
}

}  // namespace
}  // namespace stratus::vtl
