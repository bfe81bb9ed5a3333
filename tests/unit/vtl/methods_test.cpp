// Java methods on strings, lists and maps.
#include <gtest/gtest.h>

#include "test_helpers.hpp"

namespace stratus::vtl {
namespace {

using testing::render_text;

std::string on(std::string_view setup, std::string_view expr) {
  return render_text(std::string(setup) + "$" + std::string(expr));
}

TEST(string_methods, measuring_and_searching) {
  const char* s = "#set($s = 'Hello, World')";
  EXPECT_EQ(on(s, "s.length()"), "12");
  EXPECT_EQ(on(s, "s.indexOf('o')"), "4");
  EXPECT_EQ(on(s, "s.indexOf('o', 5)"), "8");
  EXPECT_EQ(on(s, "s.lastIndexOf('o')"), "8");
  EXPECT_EQ(on(s, "s.indexOf('zz')"), "-1");
  EXPECT_EQ(on(s, "s.charAt(7)"), "W");
  EXPECT_EQ(on(s, "s.contains('lo, W')"), "true");
  EXPECT_EQ(on(s, "s.startsWith('Hell')"), "true");
  EXPECT_EQ(on(s, "s.endsWith('World')"), "true");
  EXPECT_EQ(on(s, "s.isEmpty()"), "false");
  EXPECT_EQ(on(s, "s.equals('Hello, World')"), "true");
  EXPECT_EQ(on(s, "s.equalsIgnoreCase('hello, world')"), "true");
  EXPECT_EQ(on(s, "s.compareTo('Hello')"), "7");
  EXPECT_EQ(on(s, "s.hashCode()"), "-505841268");
}

TEST(string_methods, transforming) {
  const char* s = "#set($s = '  a-b-c  ')";
  EXPECT_EQ(on(s, "s.trim()"), "a-b-c");
  EXPECT_EQ(on(s, "s.toUpperCase()"), "  A-B-C  ");
  EXPECT_EQ(on(s, "s.toLowerCase()"), "  a-b-c  ");
  EXPECT_EQ(on(s, "s.replace('-', '+')"), "  a+b+c  ");
  EXPECT_EQ(on(s, "s.replaceAll('[a-c]', 'x')"), "  x-x-x  ");
  EXPECT_EQ(on(s, "s.replaceFirst('[a-c]', 'x')"), "  x-b-c  ");
  EXPECT_EQ(on(s, "s.replaceAll('([a-c])', '<$1>')"), "  <a>-<b>-<c>  ");
  EXPECT_EQ(on(s, "s.concat('!')"), "  a-b-c  !");
  EXPECT_EQ(on(s, "s.substring(2)"), "a-b-c  ");
  EXPECT_EQ(on(s, "s.toString()"), "  a-b-c  ");
}

TEST(string_methods, split_follows_java) {
  EXPECT_EQ(render_text("#set($s = 'a,b,,c,,')#set($p = $s.split(','))$p.size() $p"),
            "4 [a, b, , c]");
  EXPECT_EQ(render_text("#set($s = ',a')#set($p = $s.split(','))$p.size()"), "2");
  EXPECT_EQ(render_text("#set($s = 'a1b22c')#set($p = $s.split('[0-9]+'))$p"), "[a, b, c]");
  EXPECT_EQ(render_text("#set($s = 'a,b,c')#set($p = $s.split(',', 2))$p"), "[a, b,c]");
  EXPECT_EQ(render_text("#set($s = 'abc')#set($p = $s.split(''))$p"), "[a, b, c]");
}

TEST(string_methods, utf16_indexes) {
  variables v;
  v.set("s", "Grüße €");
  EXPECT_EQ(render_text("$s.length() $s.substring(2, 4) $s.indexOf('€') $s.charAt(6)", v),
            "7 üß 6 €");
  v.set("e", "a😀b");
  EXPECT_EQ(render_text("$e.length() $e.substring(1, 3) $e.indexOf('b')", v), "4 😀 3");
}

TEST(string_methods, java_exceptions_end_the_render) {
  auto out = on("#set($s = 'abc')", "s.substring(2, 9)");
  EXPECT_NE(out.find("StringIndexOutOfBoundsException"), std::string::npos) << out;
  EXPECT_NE(on("#set($s = 'abc')", "s.charAt(3)").find("ERROR"), std::string::npos);
  EXPECT_NE(on("#set($s = 'abc')", "s.matches('[')").find("PatternSyntaxException"),
            std::string::npos);
}

TEST(string_methods, wrong_argument_types_are_no_such_method) {
  EXPECT_EQ(render_text("#set($s = 'abc')[$s.substring('1')][$s.startsWith(1)]"), "[][]");
}

TEST(list_methods, reading) {
  const char* l = "#set($l = [3, 'x', 3, [1]])";
  EXPECT_EQ(on(l, "l.size()"), "4");
  EXPECT_EQ(on(l, "l.get(1)"), "x");
  EXPECT_EQ(on(l, "l.indexOf(3)"), "0");
  EXPECT_EQ(on(l, "l.lastIndexOf(3)"), "2");
  EXPECT_EQ(on(l, "l.contains([1])"), "true");
  EXPECT_EQ(on(l, "l.containsAll([3, 'x'])"), "true");
  EXPECT_EQ(on(l, "l.subList(1, 3)"), "[x, 3]");
  EXPECT_EQ(on(l, "l.isEmpty()"), "false");
  EXPECT_NE(on(l, "l.get(4)").find("IndexOutOfBoundsException"), std::string::npos);
}

TEST(list_methods, writing) {
  EXPECT_EQ(render_text("#set($l = [1, 2])$l.add(0, 9)$l.add(3)$l"), "true[9, 1, 2, 3]");
  EXPECT_EQ(render_text("#set($l = ['a', 'b', 'c'])$l.remove(0) $l.remove('c') $l"), "a true [b]");
  EXPECT_EQ(render_text("#set($l = [1])$l.addAll([2, 3]) $l $l.clear()$l"), "true [1, 2, 3] []");
}

TEST(list_methods, shared_by_reference) {
  EXPECT_EQ(render_text("#set($a = [1])#set($b = $a)#set($ok = $b.add(2))$a"), "[1, 2]");
}

TEST(list_methods, refuses_to_contain_itself) {
  auto out = render_text("#set($l = [])$l.add($l)");
  EXPECT_NE(out.find("ERROR"), std::string::npos) << out;
  out = render_text("#set($m = {})#set($n = {'m': $m})#set($m.n = $n)");
  EXPECT_NE(out.find("ERROR"), std::string::npos) << out;
}

TEST(map_methods, reading) {
  const char* m = "#set($m = {'a': 1, 'b': 'two', 'n': [1]})";
  EXPECT_EQ(on(m, "m.get('b')"), "two");
  EXPECT_EQ(on(m, "m.size()"), "3");
  EXPECT_EQ(on(m, "m.keySet()"), "[a, b, n]");
  EXPECT_EQ(on(m, "m.values()"), "[1, two, [1]]");
  EXPECT_EQ(on(m, "m.entrySet()"), "[a=1, b=two, n=[1]]");
  EXPECT_EQ(on(m, "m.containsKey('a')"), "true");
  EXPECT_EQ(on(m, "m.containsValue('two')"), "true");
  EXPECT_EQ(on(m, "m.getOrDefault('z', 'dflt')"), "dflt");
  EXPECT_EQ(on(m, "m.isEmpty()"), "false");
  EXPECT_EQ(on(m, "m.get('zz')"), "");
}

TEST(map_methods, writing_keeps_insertion_order) {
  EXPECT_EQ(render_text("#set($m = {'z': 1})$m.put('a', 2)$m.put('z', 3)$m"), "1{z=3, a=2}");
  EXPECT_EQ(render_text("#set($m = {'z': 1, 'a': 2})$m.remove('z')$m.putIfAbsent('a', 5)$m"),
            "12{a=2}");
  EXPECT_EQ(render_text("#set($m = {})$m.put(1, 'one')$m.get(1)$m.get('1')"), "oneone");
}

TEST(scalar_methods, numbers_and_booleans) {
  EXPECT_EQ(render_text("#set($n = 7)$n.toString() $n.doubleValue() $n.equals(7) $n.compareTo(9)"),
            "7 7.0 true -1");
  EXPECT_EQ(render_text("#set($d = 2.75)$d.intValue()"), "2");
  EXPECT_EQ(render_text("#set($b = true)$b.booleanValue() $b.toString()"), "true true");
}

}  // namespace
}  // namespace stratus::vtl
