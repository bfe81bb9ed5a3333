// `stratus template render`, driven in-process.
#include "vtl/apigw/render_command.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace stratus::vtl::apigw {
namespace {

class render_command : public ::testing::Test {
 protected:
  std::string file(const std::string& name, const std::string& content) {
    auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }
  int run(const render_command_options& o) {
    out_.str("");
    err_.str("");
    return run_render_command(o, out_, err_);
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vtl-cmd-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(render_command, renders_with_all_inputs) {
  render_command_options o;
  o.template_file =
      file("t.vm",
           "$input.params('id')/$input.params('q')/$input.params('h') $input.path('$.x') "
           "$context.stage $stageVariables.v");
  o.body_file = file("b.json", R"({"x":[1,2]})");
  o.params_json = R"({"path":{"id":"7"},"querystring":{"q":"s"},"header":{"h":"v"}})";
  o.context_json = R"({"stage":"dev"})";
  o.stage_variables_json = R"({"v":"sv"})";
  EXPECT_EQ(run(o), 0) << err_.str();
  EXPECT_EQ(out_.str(), "7/s/v [1,2] dev sv");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(render_command, reports_overrides_on_stderr) {
  render_command_options o;
  o.template_file = file("t.vm", "#set($context.responseOverride.status = 404)gone");
  EXPECT_EQ(run(o), 0);
  EXPECT_EQ(out_.str(), "gone");
  EXPECT_EQ(err_.str(), "responseOverride.status = 404\n");
}

TEST_F(render_command, template_errors_exit_1) {
  render_command_options o;
  o.template_file = file("t.vm", "ok\n#if($a)");
  EXPECT_EQ(run(o), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str().rfind("error: line 2, column 1: #if has no matching #end", 0), 0u)
      << err_.str();
}

TEST_F(render_command, bad_options_exit_2) {
  render_command_options o;
  o.template_file = (dir_ / "missing.vm").string();
  EXPECT_EQ(run(o), 2);
  o.template_file = file("t.vm", "x");
  o.params_json = "[1]";
  EXPECT_EQ(run(o), 2);
  o.params_json = R"({"cookie":{}})";
  EXPECT_EQ(run(o), 2);
  EXPECT_NE(err_.str().find("querystring"), std::string::npos);
  o.params_json.reset();
  o.context_json = "{nope";
  EXPECT_EQ(run(o), 2);
  o.context_json.reset();
  o.body_file = (dir_ / "missing.json").string();
  EXPECT_EQ(run(o), 2);
}

}  // namespace
}  // namespace stratus::vtl::apigw
