// Internal to the renderer: the tree walker shared by renderer.cpp (nodes,
// references, assignment) and evaluator_expr.cpp (expressions). Not part of
// the library's interface.
//
// Thread-safety: one evaluator per render.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vtl/ast.hpp"
#include "vtl/error.hpp"
#include "vtl/limits.hpp"
#include "vtl/renderer.hpp"

namespace stratus::vtl::detail {

// Unwinds a failed render to render(), which returns the error as a value.
struct render_failure {
  error err;
};

enum class flow { normal, break_loop, stop };

// What scanning or copying a value costs, in bytes (see limits::max_work_bytes).
std::uint64_t work_of(const value& v);

class evaluator {
 public:
  evaluator(variables& vars, const limits& lim);

  flow render_block(const ast::block& nodes, std::string& out);

 private:
  flow render_node(const ast::node& n, std::string& out);
  flow render_foreach(const ast::node& n, std::string& out);

  value eval(const ast::expr& e);
  value eval_binary(const ast::expr& e);
  value eval_arithmetic(ast::op o, const value& l, const value& r, ast::position pos);
  value eval_range(const ast::expr& e);
  value eval_reference(const ast::reference& r);
  value expand_define(const value& v, ast::position pos);
  value get_property(const value& target, const std::string& name, ast::position pos);
  value get_index(const value& target, const value& index, ast::position pos);
  value invoke(const value& target, std::string_view name, std::vector<value>& args,
               ast::position pos);
  call_result call(const value& target, std::string_view name, std::vector<value>& args,
                   ast::position pos);
  void assign(const ast::reference& lhs, value rhs);

  std::string to_text(const value& v, ast::position pos);
  void write(std::string& out, std::string_view text, ast::position pos);
  void count_step(ast::position pos);
  // Charges `bytes` against limits::max_work_bytes.
  void add_work(std::uint64_t bytes, ast::position pos);
  void enter(ast::position pos);
  [[noreturn]] void fail(error_kind kind, std::string message, ast::position pos) const;

  variables& vars_;
  const limits& limits_;
  std::uint64_t iterations_ = 0;
  std::uint64_t steps_ = 0;
  std::uint64_t work_ = 0;
  int depth_ = 0;
};

}  // namespace stratus::vtl::detail
