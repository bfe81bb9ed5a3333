// $util functions.
#include "vtl/apigw/util.hpp"

#include <gtest/gtest.h>

#include "common/base64.hpp"
#include "test_helpers.hpp"

namespace stratus::vtl::apigw {
namespace {

using vtl::testing::render_apigw_body;

TEST(util, escape_javascript_follows_commons_lang) {
  EXPECT_EQ(escape_javascript(R"(He said "it's" \ /)"), R"(He said \"it\'s\" \\ \/)");
  EXPECT_EQ(escape_javascript("a\nb\tc\rd\be\ff\x01"), R"(a\nb\tc\rd\be\ff\u0001)");
  EXPECT_EQ(escape_javascript("é€😀"), R"(\u00E9\u20AC\uD83D\uDE00)");
  // API Gateway's documented workaround for JSON turns \' back into '.
  EXPECT_EQ(
      render_apigw_body(R"($util.escapeJavaScript($input.path('$.q')).replaceAll("\\'", "'"))",
                        R"({"q":"it's \"x\""})"),
      R"(it's \"x\")");
}

TEST(util, url_encode_and_decode_follow_java) {
  EXPECT_EQ(url_encode("a b+c/d?e=f&g~h*i.j-k_l é"), "a+b%2Bc%2Fd%3Fe%3Df%26g%7Eh*i.j-k_l+%C3%A9");
  EXPECT_EQ(url_decode("a+b%2Bc%2fd%C3%A9"), "a b+c/dé");
  EXPECT_FALSE(url_decode("bad%2"));
  EXPECT_FALSE(url_decode("bad%zz"));
}

TEST(util, base64) {
  EXPECT_EQ(stratus::base64_encode(""), "");
  EXPECT_EQ(stratus::base64_encode("f"), "Zg==");
  EXPECT_EQ(stratus::base64_encode("fo"), "Zm8=");
  EXPECT_EQ(stratus::base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode("Zm9vYmE"), "fooba");
  EXPECT_FALSE(base64_decode("Zm9v YmE="));
  EXPECT_FALSE(base64_decode("Z"));
}

TEST(util, in_templates) {
  EXPECT_EQ(render_apigw_body("$util.base64Encode('hi') $util.base64Decode('aGk=') "
                              "$util.urlEncode('a b') $util.urlDecode('a+b')",
                              ""),
            "aGk= hi a+b a b");
  EXPECT_EQ(
      render_apigw_body("#set($o = $util.parseJson('{\"a\":[1,{\"b\":2}]}'))$o $o.a[1].b", ""),
      R"({a=[1,{"b":2}]} 2)");
  EXPECT_EQ(render_apigw_body("[$util.escapeJavaScript($nothing.get('x'))]", ""), "[]");
}

TEST(util, failures_end_the_render) {
  EXPECT_NE(render_apigw_body("$util.parseJson('{nope')", "").find("ERROR"), std::string::npos);
  EXPECT_NE(render_apigw_body("$util.base64Decode('!!')", "").find("base64"), std::string::npos);
  EXPECT_NE(render_apigw_body("$util.urlDecode('%')", "").find("ERROR"), std::string::npos);
}

TEST(util, non_string_arguments_do_not_match) {
  EXPECT_EQ(render_apigw_body("[$util.urlEncode(5)][$util.nope('x')]", ""), "[][]");
}

}  // namespace
}  // namespace stratus::vtl::apigw
