// Renderings recorded on real Amazon API Gateway, reproduced.
//
// Source of truth: the 205 API Gateway renderings recorded in the snapshot
// file of localstack/airspeed's tests/test_templating.py (2023). Each row
// below reproduces one of them, in our own wording where the wording does
// not matter, with the output API Gateway produced. `recorded` names the
// recorded case and its rendering index.
//
// How they were recorded matters for whitespace: the template ran as an
// integration response template whose first line bound each context entry
// from the JSON request body, as `#set(a) #set(b)...` on one line. We render
// the same way: the context is the JSON payload and a one-line prefix #sets
// each top-level key from $util.parseJson($input.body).
#include <gtest/gtest.h>

#include <regex>

#include "test_helpers.hpp"

namespace stratus::vtl {
namespace {

struct recorded_case {
  const char* recorded;
  const char* tpl;
  const char* context;  // JSON object
  const char* expected;
  bool squash_whitespace = false;  // the recording collapsed whitespace runs
};

std::string squash(const std::string& s) {
  std::string flat = s;
  for (char& c : flat) {
    if (c == '\n') c = ' ';
  }
  flat = std::regex_replace(flat, std::regex("\\s+"), " ");
  auto b = flat.find_first_not_of(' ');
  auto e = flat.find_last_not_of(' ');
  return b == std::string::npos ? "" : flat.substr(b, e - b + 1);
}

std::string render_as_recorded(const recorded_case& c) {
  std::string prefix = "#set($payload = $util.parseJson($input.body))";
  auto ctx = boost::json::parse(c.context).as_object();
  for (const auto& [k, v] : ctx) {
    prefix += " #set($" + std::string(k) + " = $payload." + std::string(k) + ")";
  }
  apigw::request_data data;
  data.body = c.context;
  std::string out = testing::render_apigw(prefix + "\n" + c.tpl, data);
  return c.squash_whitespace ? squash(out) : out;
}

const recorded_case cases[] = {
    // References.
    {"substitutes_string_added_to_the_context#1", "Hi $who", R"({"who":"Ana"})", "Hi Ana"},
    {"returns_input_when_there_is_nothing_to_substitute#1", "<p></p>", "{}", "<p></p>"},
    {"dollar_left_untouched#1", "Cost $ ", "{}", "Cost $ "},
    {"unmatched_name_does_not_get_substituted#1", "Hi $who", "{}", "Hi "},
    {"silent_substitution_for_unmatched_values#1", "Hi $!who", R"({"who":"Bo"})", "Hi Bo"},
    {"silent_substitution_for_unmatched_values#2", "Hi $!who", "{}", "Hi "},
    {"formal_reference_in_an_if_condition#1", "#if(${x.y.z})ok#end", R"({"x":{"y":{"z":"v"}}})",
     "ok"},
    {"formal_reference_in_an_if_condition#2", "#if(${x.y.z})ok#end", R"({"x":{"y":{"z":false}}})",
     ""},
    {"formal_reference_in_an_if_condition#3", "#if(${x})ok#end", R"({"x":false})", ""},
    {"formal_reference_in_an_if_condition#4", "#if($x)ok#end", R"({"x":false})", ""},
    {"formal_reference_in_an_if_condition#5", "#if(${x.y.z})ok#end", "{}", "ok"},
    {"silent_formal_reference_in_an_if_condition#1", "#if($!{x.y.z})ok#end",
     R"({"x":{"y":{"z":"v"}}})", "ok"},
    {"silent_formal_reference_in_an_if_condition#2", "#if($!{x.y.z})ok#end", "{}", "ok"},
    {"silent_formal_reference_in_an_if_condition#3", "#if($!x.y.z)ok#end",
     R"({"x":{"y":{"z":"v"}}})", "ok"},
    {"silent_formal_reference_in_an_if_condition#4", "#if($!x.y.z)ok#end", "{}", "ok"},
    {"unmatched_trailing_brace_preserved#1", "Hi $who}!", R"({"who":"Ana"})", "Hi Ana}!"},
    {"embed_substitution_value_in_braces#1", "Hi ${who}!", R"({"who":"Ana"})", "Hi Ana!"},
    // #if.
    {"if_statement_resolves_to_true#1", "Start #if ($who)name: ${who}#end end", R"({"who":"Kim"})",
     "Start name: Kim end"},
    {"if_statement_resolves_to_false#1", "Start #if ($show)name: ${who}#end end",
     R"({"who":"Kim","show":false})", "Start  end"},
    {"nested_if_inside_a_successful_if#1", "A #if ($show)B ${who}.#if ($bday) C.#end#end D",
     R"({"who":"Kim","show":false})", "A  D"},
    {"nested_if_inside_a_successful_if#2", "A #if ($show)B ${who}.#if ($bday) C.#end#end D",
     R"({"who":"Kim","show":true})", "A B Kim. C. D"},
    {"nested_if_inside_a_successful_if#3", "A #if ($show)B ${who}.#if ($bday) C.#end#end D",
     R"({"who":"Kim","show":true,"bday":true})", "A B Kim. C. D"},
    {"if_statement_considers_None_to_be_false#1", "#if ($v)shown#end", "{}", "shown"},
    {"if_statement_considers_None_to_be_false#2", "#if ($v)shown#end", R"({"v":null})", "shown"},
    {"understands_boolean_literal_true#1", "#set ($b = true)$b", "{}", "true"},
    {"understands_boolean_literal_false#1", "#set ($b = false)$b", "{}", "false"},
    {"new_lines_in_templates_are_permitted#1",
     "hi #if ($show)${who}.\n#if($bday)Congrats\n#end.\n#end Bye",
     R"({"who":"Kim","show":true,"bday":true})", "hi Kim.\nCongrats\n.\n Bye"},
    // #foreach helpers.
    {"has_next#1", "#foreach ($n in [1, 2, 3])$n #if ($velocityHasNext)more#end; #end", "{}",
     "1 more; 2 more; 3 ; "},
    {"has_next_new#1", "#foreach ($n in [1, 2, 3])$n #if ($foreach.hasNext)more#end; #end", "{}",
     "1 more; 2 more; 3 ; "},
    {"first#1", "#foreach ($n in [1, 2, 3])$n #if ($foreach.first)first#end; #end", "{}",
     "1 first; 2 ; 3 ; "},
    {"last#1", "#foreach ($n in [1, 2, 3])$n #if ($foreach.last)last#end; #end", "{}",
     "1 ; 2 ; 3 last; "},
    // #set and literals.
    {"integer_variable_defined_in_template#1", "#set ($n = 42)$n", "{}", "42"},
    {"string_variable_defined_in_template#1", "#set ($s = \"Kim\")$s", "{}", "Kim"},
    {"single_quoted_string_variable#1", "#set ($s = 'Kim')$s", "{}", "Kim"},
    // Comments.
    {"single_line_comments_skipped#1", "## note\nLine one\nLine two## trailing $x", "{}",
     "Line one\nLine two"},
    {"multi_line_comments_skipped#1", "A#*\n hidden *#\n and B", "{}", "A\n and B"},
    // String literals.
    {"string_literal_can_contain_embedded_escaped_newlines#1",
     R"(#set ($s = "\\home\nnext line")$s)", "{}", R"(\\home\nnext line)"},
    {"string_literal_with_inner_double_quotes#1", R"(#set($j = '{"k": 3}')$j)", "{}",
     R"({"k": 3})"},
    {"string_interpolation_with_inner_double_double_quotes#1", R"(#set($j = "{""k"": 3}")$j)", "{}",
     R"({"k": 3})"},
    {"string_interpolation_with_multiple_double_quotes#1", R"(#set($q = "7\\""8""9")$q)", "{}",
     R"(7\\"8"9)"},
    // #else, #elseif, braces.
    {"else_block_evaluated_when_if_expression_false#1", "#if ($flag) yes #else no #end", "{}",
     " yes "},
    {"curly_else#1", "#if($flag)yes#{else}no#end", "{}", "yes"},
    {"curly_end#1", "#if($flag)yes#{end}tail", "{}", "yestail"},
    {"velocity_style_escaping#1", R"(
#set( $mail = "bar" )
$mail
\$mail
\\$mail
\
\\ \# \$
\#end
\# end
\#set( $mail = "bar" )
)",
     "{}", R"(
bar
$mail
\bar
\
\\ \# \$
#end
\# end
#set( bar = "bar" )
)"},
    {"true_elseif_evaluated_when_if_is_false#1", "#if ($a) first #elseif ($b) second #end",
     R"({"a":false,"b":true})", " second "},
    {"false_elseif_skipped_when_if_is_true#1", "#if ($a) first #elseif ($b) second #end",
     R"({"a":true,"b":false})", " first "},
    {"first_true_elseif_evaluated#1", "#if ($a) first #elseif ($b) second #elseif($c) third #end",
     R"({"a":true,"b":false,"c":true})", " first "},
    {"else_evaluated_when_if_and_elseif_are_false#1",
     "#if ($a) first #elseif ($b) second #else third #end", R"({"a":false,"b":false})", " third "},
    // Comparison operators, symbol then word form, with 0, 1, 2.
    {"compare_greater_than#1", "#if ( $n > 1 )yes#end", R"({"n":0})", ""},
    {"compare_greater_than#2", "#if ( $n > 1 )yes#end", R"({"n":1})", ""},
    {"compare_greater_than#3", "#if ( $n > 1 )yes#end", R"({"n":2})", "yes"},
    {"compare_greater_than#4", "#if ( $n gt 1 )yes#end", R"({"n":0})", ""},
    {"compare_greater_than#5", "#if ( $n gt 1 )yes#end", R"({"n":1})", ""},
    {"compare_greater_than#6", "#if ( $n gt 1 )yes#end", R"({"n":2})", "yes"},
    {"compare_greater_than_or_equal#1", "#if ( $n >= 1 )yes#end", R"({"n":0})", ""},
    {"compare_greater_than_or_equal#2", "#if ( $n >= 1 )yes#end", R"({"n":1})", "yes"},
    {"compare_greater_than_or_equal#3", "#if ( $n >= 1 )yes#end", R"({"n":2})", "yes"},
    {"compare_greater_than_or_equal#4", "#if ( $n ge 1 )yes#end", R"({"n":0})", ""},
    {"compare_greater_than_or_equal#5", "#if ( $n ge 1 )yes#end", R"({"n":1})", "yes"},
    {"compare_greater_than_or_equal#6", "#if ( $n ge 1 )yes#end", R"({"n":2})", "yes"},
    {"compare_less_than#1", "#if ( $n < 1 )yes#end", R"({"n":0})", "yes"},
    {"compare_less_than#2", "#if ( $n < 1 )yes#end", R"({"n":1})", ""},
    {"compare_less_than#3", "#if ( $n < 1 )yes#end", R"({"n":2})", ""},
    {"compare_less_than#4", "#if ( $n lt 1 )yes#end", R"({"n":0})", "yes"},
    {"compare_less_than#5", "#if ( $n lt 1 )yes#end", R"({"n":1})", ""},
    {"compare_less_than#6", "#if ( $n lt 1 )yes#end", R"({"n":2})", ""},
    {"compare_less_than_or_equal#1", "#if ( $n <= 1 )yes#end", R"({"n":0})", "yes"},
    {"compare_less_than_or_equal#2", "#if ( $n <= 1 )yes#end", R"({"n":1})", "yes"},
    {"compare_less_than_or_equal#3", "#if ( $n <= 1 )yes#end", R"({"n":2})", ""},
    {"compare_less_than_or_equal#4", "#if ( $n le 1 )yes#end", R"({"n":0})", "yes"},
    {"compare_less_than_or_equal#5", "#if ( $n le 1 )yes#end", R"({"n":1})", "yes"},
    {"compare_less_than_or_equal#6", "#if ( $n le 1 )yes#end", R"({"n":2})", ""},
    {"compare_equality#1", "#if ( $n == 1 )yes#end", R"({"n":0})", ""},
    {"compare_equality#2", "#if ( $n == 1 )yes#end", R"({"n":1})", "yes"},
    {"compare_equality#3", "#if ( $n == 1 )yes#end", R"({"n":2})", ""},
    {"compare_equality#4", "#if ( $n eq 1 )yes#end", R"({"n":0})", ""},
    {"compare_equality#5", "#if ( $n eq 1 )yes#end", R"({"n":1})", "yes"},
    {"compare_equality#6", "#if ( $n eq 1 )yes#end", R"({"n":2})", ""},
    // Logical operators.
    {"or_operator#1", "#if ( $p || $q )yes#end", R"({"p":false,"q":false})", ""},
    {"or_operator#2", "#if ( $p || $q )yes#end", R"({"p":true,"q":false})", "yes"},
    {"or_operator#3", "#if ( $p || $q )yes#end", R"({"p":false,"q":true})", "yes"},
    {"or_operator#4", "#if ( $p or $q )yes#end", R"({"p":false,"q":false})", ""},
    {"or_operator#5", "#if ( $p or $q )yes#end", R"({"p":true,"q":false})", "yes"},
    {"or_operator#6", "#if ( $p or $q )yes#end", R"({"p":false,"q":true})", "yes"},
    {"and_operator#1", "#if ( $p && $q )yes#end", R"({"p":false,"q":false})", ""},
    {"and_operator#2", "#if ( $p && $q )yes#end", R"({"p":true,"q":false})", ""},
    {"and_operator#3", "#if ( $p && $q )yes#end", R"({"p":false,"q":true})", ""},
    {"and_operator#4", "#if ( $p and $q )yes#end", R"({"p":false,"q":false})", ""},
    {"and_operator#5", "#if ( $p and $q )yes#end", R"({"p":true,"q":false})", ""},
    {"and_operator#6", "#if ( $p and $q )yes#end", R"({"p":false,"q":true})", ""},
    {"parenthesised_value#1", "#if ( ($p == 1) && ($q == 2) )yes#end", R"({"p":0,"q":1})", ""},
    {"parenthesised_value#2", "#if ( ($p == 1) && ($q == 2) )yes#end", R"({"p":1,"q":1})", ""},
    {"parenthesised_value#3", "#if ( ($p == 1) && ($q == 2) )yes#end", R"({"p":0,"q":2})", ""},
    {"parenthesised_value#4", "#if ( ($p == 1) && ($q == 2) )yes#end", R"({"p":1,"q":2})", "yes"},
    {"multiterm_expression#1", "#if ( $p == 1 && $q == 2 )yes#end", R"({"p":0,"q":1})", ""},
    {"multiterm_expression#2", "#if ( $p == 1 && $q == 2 )yes#end", R"({"p":1,"q":1})", ""},
    {"multiterm_expression#3", "#if ( $p == 1 && $q == 2 )yes#end", R"({"p":0,"q":2})", ""},
    {"multiterm_expression#4", "#if ( $p == 1 && $q == 2 )yes#end", R"({"p":1,"q":2})", "yes"},
    {"compound_condition#1", "#if ( ($v) )yes#end", R"({"v":false})", ""},
    {"compound_condition#2", "#if ( ($v) )yes#end", R"({"v":true})", "yes"},
    {"logical_negation_operator#1", "#if ( !$v )yes#end", R"({"v":false})", "yes"},
    {"logical_negation_operator#2", "#if ( !$v )yes#end", R"({"v":true})", ""},
    {"logical_negation_operator#3", "#if ( !$v )yes#end", R"({"v":null})", ""},
    {"logical_negation_operator#4", "#if ( not $v )yes#end", R"({"v":false})", "yes"},
    {"logical_negation_operator#5", "#if ( not $v )yes#end", R"({"v":true})", ""},
    {"logical_negation_operator#6", "#if ( not $v )yes#end", R"({"v":null})", ""},
    {"compound_binary_and_unary_operators#1", "#if ( !$p && !$q )yes#end",
     R"({"p":false,"q":true})", ""},
    {"compound_binary_and_unary_operators#2", "#if ( !$p && !$q )yes#end",
     R"({"p":true,"q":false})", ""},
    {"compound_binary_and_unary_operators#3", "#if ( !$p && !$q )yes#end", R"({"p":true,"q":true})",
     ""},
    {"compound_binary_and_unary_operators#4", "#if ( !$p && !$q )yes#end",
     R"({"p":false,"q":false})", "yes"},
    // #define.
    {"use_define_with_no_parameters#1", "#define ( $greet)hey#end$greet()$greet()", "{}",
     "hey()hey()"},
    {"define_with_local_namespace#1",
     "#define ( $idx )$foreach.index#end#foreach($i in [7,8,9])$idx#end", "{}", "012"},
    {"use_defined_func_multiple_times#1",
     "\n#define( $blk )$val#end\n#set( $val = 'one' )\n$blk\n#set( $val = 'two' )\n$blk\n", "{}",
     "\none\ntwo\n"},
    {"use_defined_func_create_json_loop#1",
     "\n#define( $body ) {\n    #foreach($key in $data.keySet())\n        #set( $k = $key )\n"
     "        #set( $v = $data.get($k))\n        \"$k\": \"$v\"\n"
     "        #if( $foreach.hasNext ) , #end\n    #end\n}\n#end\n$body\n"
     "#set( $data = {'x':'y'} )\n$body\n",
     R"({"data":{"a":123,"b":"str"}})", R"({ "a": "123" , "b": "str" } { "x": "y" })", true},
    // Ranges, lists, maps.
    {"assign_range_literal#1", "#set($r = [1..5])#foreach($i in $r)$i,#end", "{}", "1,2,3,4,5,"},
    {"assign_range_literal#2", "#set($r = [2..-2])#foreach($i in $r)$i,#end", "{}", "2,1,0,-1,-2,"},
    {"local_namespace_methods_are_not_available_in_context#1", "#macro(probe)$vals#end#probe()",
     "{}", "#probe()"},
    {"array_literal#1",
     "start\n#set($parts = [\"Hi \", $who, \", lucky number \", 9])\n#foreach($p in "
     "$parts)$p#end\n\nend",
     R"({"who":"Kim"})", "start\nHi Kim, lucky number 9\nend"},
    {"dictionary_literal#1", R"(#set($d = {"cat": "dog" , "age":3})$d.cat)", "{}", "dog"},
    {"dictionary_literal#2", R"(#set($d = {"cat": "$sound"})$d.cat)", R"({"sound":"meow"})",
     "meow"},
    {"nested_array_literals#1",
     R"(#set($rows = [["Hi ", "Kim"], ["Hi", " Bo"]])#foreach($row in $rows)#foreach($w in $row)$w#end. #end)",
     "{}", "Hi Kim. Hi Bo. "},
    {"dictionary_has_same_key_as_built_in_method#1", " $acct.name ", R"({"acct":{"items":"a;b"}})",
     "  "},
    {"variables_expanded_in_double_quoted_strings#1", R"(#set($msg="hi, $who here")$msg)",
     R"({"who":"Kim"})", "hi, Kim here"},
    {"escaped_references_not_expanded_in_double_quoted_strings#1",
     R"(#set($msg="hi, \$who here")$msg)", R"({"who":"Kim"})", "hi, $who here"},
    {"color_spec#1", R"(<b style="color: #ff0a11">)", "{}", R"(<b style="color: #ff0a11">)"},
    {"standalone_hashes#1", R"("#")", "{}", R"("#")"},
    {"standalone_hashes#2", R"(<a href="#">x</a>)", "{}", R"(<a href="#">x</a>)"},
    {"foreach_with_unset_variable_expands_to_nothing#1", "#foreach($v in $missing)x#end", "{}", ""},
    {"preserves_unicode_strings#1", "$v", R"({"v":"Grüße"})", "Grüße"},
    {"modulus_operator#1", "#set( $r = ($n % 4) )$r", R"({"n":7})", "3"},
    {"can_assign_empty_string#1", "#set( $a = \"\" )#set( $b = '' ).$a.$b.", "{}", "..."},
    {"can_loop_over_numeric_ranges#1", "#foreach( $i in [1..3] )$i\n#end", "{}", "1\n2\n3\n"},
    {"can_loop_over_numeric_ranges_backwards#1", "#foreach( $i in [3..-1] )$i,#end", "{}",
     "3,2,1,0,-1,"},
    {"stop_directive#1", "before #stop after", "{}", "before "},
    {"assignment_of_parenthesized_math_expression#1", "#set($n = (6 + 4))$n", "{}", "10"},
    {"parenthesized_math_expression_with_reference#1", "#set($m = 6)#set($n = ($m + 4))$n", "{}",
     "10"},
    {"recursive_macro#1",
     "#macro ( down $k)#if ($k > 0)#set($k = $k - 1)#down($k)X#end#end#down(3)", "{}", "#down(3)"},
    {"addition_has_higher_precedence_than_comparison#1", "#set($b = 3 > 1 + 5)$b", "{}", "false"},
    {"parentheses_work_in_set_directive#1", "#set($b = (3 + 4) > 2)$b", "{}", "true"},
    {"addition_higher_than_comparison_other_direction#1", "#set($b = 3 + 4 > 2)$b", "{}", "true"},
    {"multiplication_higher_than_subtraction#1", "#set($n = 6 * 3 - 2)$n", "{}", "16"},
    {"multiplication_higher_than_addition_reverse#1", "#set($n = 2 + 6 * 3)$n", "{}", "20"},
    {"parse_empty_dictionary#1", "#set($d = {})$d", "{}", "{}"},
    {"macro_whitespace_and_newlines_ignored#1", "\n#macro ( m )\nhi##\n#end\n#m()", "{}", "\n#m()"},
    {"if_whitespace_and_newlines_ignored#1", "\n#if(true)\nhi##\n#end", "{}", "\nhi"},
    {"expressions_with_numbers_with_fractions#1", "#set($x = 9.0 / 3)$x", "{}", "3.0"},
    // Index notation.
    {"array_notation_int_index#1", "$list[1]", R"({"list":["a","b"]})", "b"},
    {"array_notation_nested_indexes#1", "$list[1][1]", R"({"list":["a",["b1","b2"]]})", "b2"},
    {"array_notation_dot#1", "$list[1].k", R"({"list":["a",{"k":"v2"}]})", "v2"},
    {"array_notation_dict_index#1", R"($d["k"])", R"({"d":{"k":"v"}})", "v"},
    {"array_notation_variable_index#1", "#set($i = 1)$list[ $i ]", R"({"list":["a","b"]})", "b"},
    // Scoping of #foreach.
    {"outer_variable_assignable_from_foreach_block#1",
     "#set($last = 0)#foreach ($i in $nums)$last,#set($last = $i)#end$last", R"({"nums":[5,6,7]})",
     "0,5,6,7"},
    {"no_assignment_to_outer_var_if_same_varname_in_block#1",
     "#set($i = 0)$i,#foreach ($i in [5, 6, 7])$i,#set($i = $i)#end$i", "{}", "0,5,6,7,0"},
    {"nested_foreach_vars_are_scoped#1",
     "#foreach ($a in [1,2])#foreach ($b in [3, 4])$foreach.count,#end$foreach.count|#end", "{}",
     "1,2,1|1,2,2|"},
    // List and string methods.
    {"array_size#1", "#set($l = [4,5,6,7]) $l.size()", "{}", " 4"},
    {"array_contains_true#1", "#set($l = [4,5,6]) #if($l.contains(5))hit#end", "{}", " hit"},
    {"array_contains_false#1", "#set($l = [4,5,6]) #if($l.contains(50))hit#end", "{}", " "},
    {"array_get_item#1", "#set($l = [4,5,6]) $l.get(2)", "{}", " 6"},
    {"array_add_item#1", "#set($l = [4,5])#set( $ok = $l.add('six') )#foreach($x in $l)$x,#end",
     "{}", "4,5,six,"},
    {"string_length#1", "#set($s = 'velocity') $s.length()", "{}", " 8"},
    {"string_replace_all#1", "#set($s = 'catbathatx') $s.replaceAll('.at', 'dog')", "{}",
     " dogdogdogx"},
    {"string_starts_with_true#1", "#set($s = 'prefix-rest') #if($s.startsWith('pre'))yes#end", "{}",
     " yes"},
    {"string_starts_with_false#1", "#set($s = 'no-prefix') #if($s.startsWith('pre'))yes#end", "{}",
     " "},
    {"dict_put_item#1", "#set( $old = $d.put('k', 'second') )$old - $d.k", R"({"d":{"k":"first"}})",
     "first - second"},
    {"dict_putall_items#1", "#set( $ig = $d.putAll({'a': 'x3', 'b': 'x2'}))$d.a - $d.b",
     R"({"d":{"a":"x1"}})", "x3 - x2"},
    {"evaluate_directive#1",
     "\n#set($p1 = \"abc\")\n#set($sel = \"1\")\n#set($dyn = \"$p$sel\")\n## note\n#evaluate($dyn)",
     "{}", "\n#evaluate($dyn)"},
    {"return_macro#1", "#set($m = {})#set($ig = $m.put('a', 'b'))#return($m)", "{}", "#return($m)"},
    // #foreach over context lists.
    {"foreach_with_plain_content_loops_correctly#1", "#foreach ($n in $names)Hey. #end",
     R"({"names":["A","B"]})", "Hey. Hey. "},
    {"foreach_skipped_when_nested_in_a_failing_if#1",
     "#if ($no)#foreach ($n in $names)Hey. #end#end", R"({"no":false,"names":["A","B"]})", ""},
    {"foreach_with_expression_content_loops_correctly#1", "#foreach ($n in $names)Hey $you. #end",
     R"({"you":"You","names":["A","B"]})", "Hey You. Hey You. "},
    {"foreach_makes_loop_variable_accessible#1", "#foreach ($n in $names)Hey $n. #end",
     R"({"names":["A","B"]})", "Hey A. Hey B. "},
    {"loop_variable_not_accessible_after_loop#1", "#foreach ($n in $names)Hey $n. #end$n",
     R"({"names":["A","B"]})", "Hey A. Hey B. "},
    {"loop_variables_do_not_clash_in_nested_loops#1",
     "#foreach ($w in $greet)$w to#foreach ($w in $names) $w#end. #end",
     R"({"greet":["Hi","Bye"],"names":["A","B"]})", "Hi to A B. Bye to A B. "},
    {"loop_counter_variable_available_in_loops#1", "#foreach ($w in $greet)$velocityCount,#end",
     R"({"greet":["Hi","Bye"]})", "1,2,"},
    {"loop_counter_variable_available_in_loops_new#1", "#foreach ($w in $greet)$foreach.count,#end",
     R"({"greet":["Hi","Bye"]})", "1,2,"},
    {"loop_index_variable_available_in_loops_new#1", "#foreach ($w in $greet)$foreach.index,#end",
     R"({"greet":["Hi","Bye"]})", "0,1,"},
    {"loop_counter_variables_do_not_clash_in_nested_loops#1",
     "#foreach ($w in $greet)Outer $velocityCount#foreach ($w in $names), inner "
     "$velocityCount#end. #end",
     R"({"greet":["Hi","Bye"],"names":["A","B"]})",
     "Outer 1, inner 1, inner 2. Outer 2, inner 1, inner 2. "},
    {"loop_index_variables_do_not_clash_in_nested_loops_new#1",
     "#foreach ($w in $greet)Outer $foreach.index#foreach ($w in $names), inner "
     "$foreach.index#end. #end",
     R"({"greet":["Hi","Bye"],"names":["A","B"]})",
     "Outer 0, inner 0, inner 1. Outer 1, inner 0, inner 1. "},
    {"loop_counter_variables_do_not_clash_in_nested_loops_new#1",
     "#foreach ($w in $greet)Outer $foreach.count#foreach ($w in $names), inner "
     "$foreach.count#end. #end",
     R"({"greet":["Hi","Bye"],"names":["A","B"]})",
     "Outer 1, inner 1, inner 2. Outer 2, inner 1, inner 2. "},
    {"if_statement_considers_None_to_be_truthy#1", "#if ($val)visible#end", "{}", "visible"},
    {"if_statement_considers_None_to_be_truthy#2", "#if ($val)visible#end", R"({"val":null})",
     "visible"},
    {"multiline_dict_in_set_statement#1",
     "\n        #set( $obj = {\n          \"id\": \"u1\",\n          \"zone\": \"z1\"\n        } "
     ")\n"
     "        {\n          \"op\": \"Put\",\n          \"key\": \"$obj.id\",\n"
     "          \"zone\": \"$obj.zone\"\n        }\n        ",
     R"({"unused":{"k":"v"}})",
     "\n                {\n          \"op\": \"Put\",\n          \"key\": \"u1\",\n"
     "          \"zone\": \"z1\"\n        }\n        "},
    {"dict_to_string#1", "#set( $o = {'a': 'b', 'c': 'd'} )$o.toString()", "{}", "{a=b, c=d}"},
    {"string_contains_true#1", "#set($s = 'xyz123') #if($s.contains('xyz'))yes#end", "{}", " yes"},
    {"string_contains_false#1", "#set($s = 'abxyz123') #if($s.contains('xyz'))yes#end", "{}",
     " yes"},
    {"array_notation_dict_index_with_string_literal#1", "$a.b.c['k:v']",
     R"({"a":{"b":{"c":{"k:v":"w"}}}})", "w"},
    {"array_is_empty#1", "#set($l = [1]) $l.isEmpty()", "{}", " false"},
    {"string_index_of#1", "#set($s = 'velocity') $s.indexOf('o')", "{}", " 3"},
    {"string_substring#1", "#set($s = 'velocity') $s.substring(2, 5)", "{}", " loc"},
    {"put_null_in_map#1",
     "\n    #set( $m = {} )\n    #set($ig = $m.put('k', null))\n    #if(\"$m.k\" == \"\")\n"
     "        \"empty\"\n    #else\n        \"present\"\n    #end\n",
     "{}", "\"empty\"", true},
    {"string_matches_true#1", "#set( $s = '2024' )$s.matches( '[0-9]*' )", "{}", "true"},
    {"string_matches_false#1", "#set( $s = 'x2024' )$s.matches( '[0-9]*' )", "{}", "false"},
    // Backslashes and control characters are kept as written.
    {"string_with_escaped_char#1", "#set( $s = '\\{\n\t\r\\%\x05' )$s", "{}", "\\{\n\t\r\\%\x05"},
    {"string_with_escaped_char#2", "#set( $s = \"\\{\n\t\r\\%\x05\" )$s", "{}", "\\{\n\t\r\\%\x05"},
    {"string_with_escaped_char#3", "'\\{\n\t\r\\%\x05'", "{}", "'\\{\n\t\r\\%\x05'"},
    {"string_with_escaped_char#4", "\"\\{\n\t\r\\%\x05\"", "{}", "\"\\{\n\t\r\\%\x05\""},
    {"string_matches_full_date#1",
     R"(#set( $ts = '2021-03-04T05:06:00.000Z' )$ts.matches('^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$'))",
     "{}", "true"},
    {"string_matches_full_date#2",
     R"(#set( $ts = "2021-03-04T05:06:00.000Z" )$ts.matches("^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$"))",
     "{}", "true"},
    {"floating_point_starting_with_decimal#1", "#set($x = .5*.1)$x", "{}", "0.05"},
    // Assignment through brackets.
    {"dict_assign_item_via_brackets#1",
     "#set($d = {} )#set($key = 'k')#set( $d[$key] = 'v' )$d.toString()", "{}", "{k=v}"},
    {"array_assign_item_via_brackets#1",
     "#set($arr = ['a', 'b', 'c'] )#set($i = 2)#set( $arr[$i] = 'z' )#foreach ($x in $arr)$x#end",
     "{}", "abz"},
    {"array_set_item#1", "#set($arr = ['a', 'b', 'c'] )$arr.set(0, 'z')#foreach ($x in $arr)$x#end",
     "{}", "azbc"},
    {"dict_assign_quoted_item_via_brackets#1",
     R"(#set($d = {} )#set($key = 'k')#set( $d["$key"] = 'v' )$d.toString())", "{}", "{k=v}"},
    {"dict_assign_nested_items_via_brackets#1",
     R"(#set($d = {} )#set($key = 'k')#set( $d["$key"] = {} )#set($d["$key"].inner = "v")$d.k["inner"])",
     "{}", "v"},
    {"dict_assign_var_not_found#1", R"(#set($d = {})#set($d["$nokey"] = "v")$d.toString())", "{}",
     "{=v}"},
};

class recorded_aws : public ::testing::TestWithParam<recorded_case> {};

TEST_P(recorded_aws, renders_as_api_gateway_did) {
  const auto& c = GetParam();
  EXPECT_EQ(render_as_recorded(c), c.expected) << "recorded case: " << c.recorded << "\ntemplate:\n"
                                               << c.tpl;
}

INSTANTIATE_TEST_SUITE_P(airspeed_snapshot, recorded_aws, ::testing::ValuesIn(cases));

TEST(recorded_aws_count, covers_every_recorded_rendering) {
  // 205 renderings in the recorded snapshot; one row each.
  EXPECT_EQ(std::size(cases), 205u);
}

}  // namespace
}  // namespace stratus::vtl
