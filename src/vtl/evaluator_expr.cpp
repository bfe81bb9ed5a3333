// Expression evaluation with Velocity 1.7's operator semantics on Java values.
#include <cmath>
#include <limits>

#include "vtl/evaluator.hpp"
#include "vtl/methods.hpp"

namespace stratus::vtl::detail {

namespace {

bool less(const value& l, const value& r) {
  if (l.is_int() && r.is_int()) return l.as_int() < r.as_int();
  return l.as_number() < r.as_number();
}

// Integer arithmetic that overflows falls back to double: Java widens to
// Long then BigInteger, beyond what a 64-bit integer holds.
value int_op(ast::op o, std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  bool overflow = false;
  switch (o) {
    case ast::op::add:
      overflow = __builtin_add_overflow(a, b, &r);
      break;
    case ast::op::sub:
      overflow = __builtin_sub_overflow(a, b, &r);
      break;
    case ast::op::mul:
      overflow = __builtin_mul_overflow(a, b, &r);
      break;
    case ast::op::div:
      if (a == std::numeric_limits<std::int64_t>::min() && b == -1) {
        overflow = true;
      } else {
        r = a / b;
      }
      break;
    case ast::op::mod:
      r = b == -1 ? 0 : a % b;
      break;
    default:
      break;
  }
  if (!overflow) return r;
  double x = static_cast<double>(a);
  double y = static_cast<double>(b);
  switch (o) {
    case ast::op::add:
      return x + y;
    case ast::op::sub:
      return x - y;
    case ast::op::mul:
      return x * y;
    default:
      return x / y;
  }
}

}  // namespace

value evaluator::eval(const ast::expr& e) {
  switch (e.kind) {
    case ast::expr_kind::literal:
      return e.literal;
    case ast::expr_kind::interpolated: {
      enter(e.pos);
      std::string text;
      (void)render_block(e.parts, text);
      --depth_;
      add_work(text.size(), e.pos);
      return value(std::move(text));
    }
    case ast::expr_kind::reference:
      return eval_reference(e.ref);
    case ast::expr_kind::list: {
      auto l = make_list();
      l->items.reserve(e.operands.size());
      for (const auto& item : e.operands) l->items.push_back(eval(*item));
      return l;
    }
    case ast::expr_kind::range:
      return eval_range(e);
    case ast::expr_kind::map: {
      auto m = make_map();
      for (std::size_t i = 0; i + 1 < e.operands.size(); i += 2) {
        value k = eval(*e.operands[i]);
        m->put(to_text(k, e.pos), eval(*e.operands[i + 1]));
      }
      return m;
    }
    case ast::expr_kind::unary: {
      value v = eval(*e.operands[0]);
      if (e.oper == ast::op::not_) return !truthy(v);
      if (v.is_int()) return int_op(ast::op::sub, 0, v.as_int());
      if (v.is_real()) return -v.as_real();
      return {};
    }
    case ast::expr_kind::binary:
      return eval_binary(e);
  }
  return {};
}

value evaluator::eval_range(const ast::expr& e) {
  value from = eval(*e.operands[0]);
  value to = eval(*e.operands[1]);
  // Velocity takes integer bounds only; anything else yields null.
  if (!from.is_int() || !to.is_int()) return {};
  std::int64_t a = from.as_int();
  std::int64_t b = to.as_int();
  // Unsigned arithmetic: the distance between any two int64 fits (or wraps
  // to 0 for the full range, rejected below).
  std::uint64_t length = (a <= b ? static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a)
                                 : static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)) +
                         1;
  if (length == 0 || length > limits_.max_loop_iterations ||
      iterations_ + length > limits_.max_loop_iterations) {
    fail(error_kind::limit_exceeded,
         "range [" + std::to_string(a) + ".." + std::to_string(b) + "] is longer than " +
             std::to_string(limits_.max_loop_iterations) + " loop iterations allow",
         e.pos);
  }
  iterations_ += length;
  auto l = make_list();
  l->items.reserve(length);
  for (std::int64_t i = a;; i += a <= b ? 1 : -1) {
    l->items.emplace_back(i);
    if (i == b) break;
  }
  return l;
}

value evaluator::eval_binary(const ast::expr& e) {
  const auto& lhs = *e.operands[0];
  const auto& rhs = *e.operands[1];
  switch (e.oper) {
    case ast::op::logical_or:
      return truthy(eval(lhs)) || truthy(eval(rhs));
    case ast::op::logical_and:
      return truthy(eval(lhs)) && truthy(eval(rhs));
    default:
      break;
  }
  value l = eval(lhs);
  value r = eval(rhs);
  switch (e.oper) {
    case ast::op::eq:
    case ast::op::ne: {
      bool equal;
      if (l.is_null() || r.is_null()) {
        equal = l.is_null() && r.is_null();
      } else if (l.kind() == r.kind() || (l.is_number() && r.is_number())) {
        add_work(work_of(l) + work_of(r), e.pos);
        equal = java_equals(l, r, limits_.max_value_depth);
      } else {
        // Velocity 1.7 compares objects of different classes by toString()
        // (so 1 == "1").
        equal = to_text(l, e.pos) == to_text(r, e.pos);
      }
      return e.oper == ast::op::eq ? equal : !equal;
    }
    case ast::op::lt:
    case ast::op::le:
    case ast::op::gt:
    case ast::op::ge: {
      // Velocity 1.7 orders numbers only; other operands compare false.
      if (!l.is_number() || !r.is_number()) return false;
      switch (e.oper) {
        case ast::op::lt:
          return less(l, r);
        case ast::op::le:
          return !less(r, l);
        case ast::op::gt:
          return less(r, l);
        default:
          return !less(l, r);
      }
    }
    default:
      return eval_arithmetic(e.oper, l, r, e.pos);
  }
}

value evaluator::eval_arithmetic(ast::op o, const value& l, const value& r, ast::position pos) {
  if (l.is_null() || r.is_null()) return {};
  if (!l.is_number() || !r.is_number()) {
    // Velocity 1.7's `+` concatenates when either side is a string.
    if (o == ast::op::add && (l.is_string() || r.is_string())) {
      std::string s = to_text(l, pos);
      s += to_text(r, pos);
      add_work(s.size(), pos);
      if (s.size() > limits_.max_output_bytes) {
        fail(error_kind::limit_exceeded,
             "string exceeds " + std::to_string(limits_.max_output_bytes) + " bytes", pos);
      }
      return s;
    }
    return {};
  }
  if ((o == ast::op::div || o == ast::op::mod) && r.as_number() == 0) {
    // Velocity 1.7 logs "right side of division operation is zero" and
    // yields null.
    return {};
  }
  if (l.is_int() && r.is_int()) return int_op(o, l.as_int(), r.as_int());
  double x = l.as_number();
  double y = r.as_number();
  switch (o) {
    case ast::op::add:
      return x + y;
    case ast::op::sub:
      return x - y;
    case ast::op::mul:
      return x * y;
    case ast::op::div:
      return x / y;
    case ast::op::mod:
      return std::fmod(x, y);
    default:
      return {};
  }
}

}  // namespace stratus::vtl::detail
