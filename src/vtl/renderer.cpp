// The renderer: walks the syntax tree, writing text and evaluating
// references and directives. Expressions are in evaluator_expr.cpp.
#include "vtl/renderer.hpp"

#include <optional>

#include "vtl/evaluator.hpp"
#include "vtl/methods.hpp"

namespace stratus::vtl {

const value* variables::find(std::string_view name) const {
  auto it = vars_.find(name);
  return it == vars_.end() ? nullptr : &it->second;
}

value* variables::find(std::string_view name) {
  auto it = vars_.find(name);
  return it == vars_.end() ? nullptr : &it->second;
}

void variables::erase(std::string_view name) {
  auto it = vars_.find(name);
  if (it != vars_.end()) vars_.erase(it);
}

namespace detail {

namespace {

// The value #define binds: rendered each time it is referenced, in the
// variables of that moment (test_define_with_local_namespace prints "012").
class define_block final : public host_object {
 public:
  explicit define_block(std::shared_ptr<const ast::block> body) : body_(std::move(body)) {}
  [[nodiscard]] std::string java_string() const override { return {}; }
  call_result call(std::string_view, std::vector<value>&) override {
    return call_result::missing();
  }
  [[nodiscard]] const ast::block& body() const { return *body_; }

 private:
  std::shared_ptr<const ast::block> body_;
};

}  // namespace

evaluator::evaluator(variables& vars, const limits& lim) : vars_(vars), limits_(lim) {}

void evaluator::fail(error_kind kind, std::string message, ast::position pos) const {
  throw render_failure{error{kind, std::move(message), pos.line, pos.column}};
}

void evaluator::write(std::string& out, std::string_view text, ast::position pos) {
  if (out.size() + text.size() > limits_.max_output_bytes) {
    fail(error_kind::limit_exceeded,
         "output exceeds " + std::to_string(limits_.max_output_bytes) + " bytes", pos);
  }
  out.append(text);
}

void evaluator::count_step(ast::position pos) {
  if (++steps_ > limits_.max_evaluation_steps) {
    fail(error_kind::limit_exceeded,
         "template evaluates more than " + std::to_string(limits_.max_evaluation_steps) +
             " references and method calls",
         pos);
  }
}

void evaluator::add_work(std::uint64_t bytes, ast::position pos) {
  work_ += bytes;
  if (work_ > limits_.max_work_bytes) {
    fail(error_kind::limit_exceeded,
         "template builds or scans more than " + std::to_string(limits_.max_work_bytes) +
             " bytes of strings and collections",
         pos);
  }
}

// What scanning or copying v costs, in bytes.
std::uint64_t work_of(const value& v) {
  if (v.is_string()) return v.as_string().size();
  if (v.is_list()) return v.as_list()->items.size() * sizeof(value);
  if (v.is_map()) return v.as_map()->size() * sizeof(value);
  return 0;
}

void evaluator::enter(ast::position pos) {
  if (++depth_ > limits_.max_nesting_depth) {
    fail(error_kind::limit_exceeded,
         "#define expansions and string interpolations nest deeper than " +
             std::to_string(limits_.max_nesting_depth) + " levels",
         pos);
  }
}

std::string evaluator::to_text(const value& v, ast::position pos) {
  if (v.is_string()) return v.as_string();
  std::string s;
  if (!append_java_string(v, s, limits_.max_value_depth)) {
    fail(error_kind::limit_exceeded,
         "value nests deeper than " + std::to_string(limits_.max_value_depth) + " levels", pos);
  }
  if (s.size() > limits_.max_output_bytes) {
    fail(error_kind::limit_exceeded,
         "value exceeds " + std::to_string(limits_.max_output_bytes) + " bytes", pos);
  }
  add_work(s.size(), pos);
  return s;
}

flow evaluator::render_block(const ast::block& nodes, std::string& out) {
  for (const auto& n : nodes) {
    flow f = render_node(n, out);
    if (f != flow::normal) return f;
  }
  return flow::normal;
}

flow evaluator::render_node(const ast::node& n, std::string& out) {
  switch (n.kind) {
    case ast::node_kind::text:
      write(out, n.text, n.pos);
      return flow::normal;
    case ast::node_kind::reference: {
      value v = eval_reference(n.ref);
      if (v.is_string()) {
        write(out, v.as_string(), n.pos);
      } else if (!v.is_null()) {
        write(out, to_text(v, n.pos), n.pos);
      }
      return flow::normal;
    }
    case ast::node_kind::set:
      assign(n.ref, eval(*n.expression));
      return flow::normal;
    case ast::node_kind::if_chain:
      for (const auto& branch : n.branches) {
        if (truthy(eval(*branch.condition))) return render_block(branch.body, out);
      }
      return render_block(n.body, out);
    case ast::node_kind::foreach:
      return render_foreach(n, out);
    case ast::node_kind::define:
      vars_.set(n.text, value(object_ptr(std::make_shared<define_block>(n.shared_body))));
      return flow::normal;
    case ast::node_kind::break_loop:
      return flow::break_loop;
    case ast::node_kind::stop:
      return flow::stop;
  }
  return flow::normal;
}

flow evaluator::render_foreach(const ast::node& n, std::string& out) {
  value iterable = eval(*n.expression);
  add_work(work_of(iterable), n.pos);
  std::vector<value> items;
  if (iterable.is_list()) {
    items = iterable.as_list()->items;
  } else if (iterable.is_map()) {
    // Velocity iterates a Map's values().
    for (const auto& entry : iterable.as_map()->entries()) items.push_back(entry.second);
  } else {
    // Strings, numbers, null and unresolved references do not iterate
    // (test_foreach_with_unset_variable_expands_to_nothing).
    return flow::normal;
  }

  // The loop variable and the loop helpers are restored afterwards
  // (test_no_assignment_to_outer_var_if_same_varname_in_block prints
  // "1,2,3,4,1"; test_loop_variable_not_accessible_after_loop).
  const std::string_view saved_names[] = {n.text, "foreach", "velocityCount", "velocityHasNext"};
  std::vector<std::optional<value>> saved;
  for (auto name : saved_names) {
    const value* v = vars_.find(name);
    saved.push_back(v ? std::optional<value>(*v) : std::nullopt);
  }

  auto helper = make_map();
  flow result = flow::normal;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (++iterations_ > limits_.max_loop_iterations) {
      fail(error_kind::limit_exceeded,
           "#foreach loops more than " + std::to_string(limits_.max_loop_iterations) + " times",
           n.pos);
    }
    bool has_next = i + 1 < items.size();
    if (items[i].is_null()) {
      vars_.erase(n.text);
    } else {
      vars_.set(n.text, items[i]);
    }
    helper->put("index", static_cast<std::int64_t>(i));
    helper->put("count", static_cast<std::int64_t>(i + 1));
    helper->put("hasNext", has_next);
    helper->put("first", i == 0);
    helper->put("last", !has_next);
    vars_.set("foreach", helper);
    vars_.set("velocityCount", static_cast<std::int64_t>(i + 1));
    vars_.set("velocityHasNext", has_next);
    flow f = render_block(n.body, out);
    if (f == flow::break_loop) break;
    if (f == flow::stop) {
      result = flow::stop;
      break;
    }
  }

  for (std::size_t i = 0; i < saved.size(); ++i) {
    if (saved[i]) {
      vars_.set(std::string(saved_names[i]), std::move(*saved[i]));
    } else {
      vars_.erase(saved_names[i]);
    }
  }
  return result;
}

value evaluator::expand_define(const value& v, ast::position pos) {
  if (!v.is_object()) return v;
  auto* block = dynamic_cast<const define_block*>(v.as_object().get());
  if (block == nullptr) return v;
  enter(pos);
  std::string text;
  (void)render_block(block->body(), text);
  --depth_;
  add_work(text.size(), pos);
  return value(std::move(text));
}

value evaluator::eval_reference(const ast::reference& r) {
  count_step(r.pos);
  const value* root = vars_.find(r.root);
  // An undefined variable is the empty string on API Gateway: it prints
  // nothing and is true in #if (see renderer.hpp).
  value current = root ? expand_define(*root, r.pos) : value(std::string());
  for (const auto& s : r.steps) {
    if (current.is_null()) return current;
    count_step(r.pos);
    switch (s.kind) {
      case ast::step_kind::property:
        current = get_property(current, s.name, r.pos);
        break;
      case ast::step_kind::method: {
        std::vector<value> args;
        args.reserve(s.args.size());
        for (const auto& a : s.args) args.push_back(eval(*a));
        current = invoke(current, s.name, args, r.pos);
        break;
      }
      case ast::step_kind::index:
        current = get_index(current, eval(*s.args[0]), r.pos);
        break;
    }
  }
  return current;
}

value evaluator::get_property(const value& target, const std::string& name, ast::position pos) {
  if (target.is_map()) {
    // Velocity reads a Map's property with get(name), even when a method of
    // that name exists (test_when_dictionary_has_same_key_as_built_in_method).
    const value* v = target.as_map()->find(name);
    return v ? *v : value();
  }
  if (target.is_object()) {
    if (const value* v = target.as_object()->property(name)) return *v;
  }
  // Java bean getters: `$s.empty` is isEmpty(), `$entry.key` is getKey().
  if (!name.empty()) {
    std::string capitalised = name;
    if (capitalised[0] >= 'a' && capitalised[0] <= 'z') capitalised[0] -= 'a' - 'A';
    std::vector<value> no_args;
    for (const char* prefix : {"get", "is"}) {
      call_result r = call(target, prefix + capitalised, no_args, pos);
      if (r.status == call_status::ok) return std::move(r.result);
    }
  }
  return value(std::string());
}

value evaluator::get_index(const value& target, const value& index, ast::position pos) {
  if (target.is_list()) {
    const auto& items = target.as_list()->items;
    if (!index.is_int()) return value(std::string());
    auto i = index.as_int();
    if (i < 0 || static_cast<std::uint64_t>(i) >= items.size()) {
      fail(error_kind::evaluation,
           "index " + std::to_string(i) + " is out of bounds for a list of " +
               std::to_string(items.size()) + " (java.lang.IndexOutOfBoundsException)",
           pos);
    }
    return items[static_cast<std::size_t>(i)];
  }
  if (target.is_map()) {
    const value* v = target.as_map()->find(to_text(index, pos));
    return v ? *v : value();
  }
  if (target.is_object()) {
    std::vector<value> args{index};
    call_result r = call(target, "get", args, pos);
    if (r.status == call_status::ok) return std::move(r.result);
  }
  return value(std::string());
}

call_result evaluator::call(const value& target, std::string_view name, std::vector<value>& args,
                            ast::position pos) {
  if (target.is_object()) return target.as_object()->call(name, args);
  return call_method(target, name, args, limits_);
}

value evaluator::invoke(const value& target, std::string_view name, std::vector<value>& args,
                        ast::position pos) {
  // String and host methods scan their target and arguments. List and map
  // methods only store or fetch (sharing a value is free), except those
  // that walk the whole collection.
  std::uint64_t scanned = 0;
  if (!target.is_container()) {
    scanned = work_of(target);
    for (const auto& a : args) scanned += work_of(a);
  } else if (name == "contains" || name == "indexOf" || name == "lastIndexOf" ||
             name == "containsValue" || name == "containsAll" || name == "equals" ||
             name == "toString" || name == "keySet" || name == "values" || name == "entrySet" ||
             name == "addAll" || name == "putAll" || name == "subList" ||
             (name == "remove" && target.is_list())) {
    scanned = work_of(target);
    for (const auto& a : args) scanned += work_of(a);
  }
  add_work(scanned, pos);
  call_result r = call(target, name, args, pos);
  if (r.status == call_status::ok) add_work(work_of(r.result), pos);
  switch (r.status) {
    case call_status::ok:
      if (r.result.is_string() && r.result.as_string().size() > limits_.max_output_bytes) {
        fail(error_kind::limit_exceeded,
             "string exceeds " + std::to_string(limits_.max_output_bytes) + " bytes", pos);
      }
      return std::move(r.result);
    case call_status::no_such_method:
      return value(std::string());
    case call_status::threw:
      fail(error_kind::evaluation,
           "invocation of method '" + std::string(name) + "' failed: " + r.message, pos);
  }
  return {};
}

void evaluator::assign(const ast::reference& lhs, value rhs) {
  // Velocity 1.7 leaves the left-hand side untouched when the right-hand
  // side is null (its directive.set.null.allowed=false default).
  if (rhs.is_null()) return;
  if (lhs.steps.empty()) {
    vars_.set(lhs.root, std::move(rhs));
    return;
  }
  count_step(lhs.pos);
  value container;
  if (const value* root = vars_.find(lhs.root)) container = *root;
  for (std::size_t i = 0; i + 1 < lhs.steps.size(); ++i) {
    if (!container.is_container() && !container.is_object()) return;
    const auto& s = lhs.steps[i];
    switch (s.kind) {
      case ast::step_kind::property:
        container = get_property(container, s.name, lhs.pos);
        break;
      case ast::step_kind::index:
        container = get_index(container, eval(*s.args[0]), lhs.pos);
        break;
      case ast::step_kind::method: {
        std::vector<value> args;
        for (const auto& a : s.args) args.push_back(eval(*a));
        container = invoke(container, s.name, args, lhs.pos);
        break;
      }
    }
  }
  const auto& last = lhs.steps.back();
  if (would_create_cycle(container, rhs)) {
    fail(error_kind::evaluation, "cannot store a list or map inside itself", lhs.pos);
  }
  if (last.kind == ast::step_kind::method) return;
  if (container.is_map()) {
    std::string key =
        last.kind == ast::step_kind::property ? last.name : to_text(eval(*last.args[0]), lhs.pos);
    container.as_map()->put(std::move(key), std::move(rhs));
  } else if (container.is_list() && last.kind == ast::step_kind::index) {
    value index = eval(*last.args[0]);
    auto& items = container.as_list()->items;
    if (!index.is_int() || index.as_int() < 0 ||
        static_cast<std::uint64_t>(index.as_int()) >= items.size()) {
      fail(error_kind::evaluation,
           "index " + to_text(index, lhs.pos) + " is out of bounds for a list of " +
               std::to_string(items.size()) + " (java.lang.IndexOutOfBoundsException)",
           lhs.pos);
    }
    items[static_cast<std::size_t>(index.as_int())] = std::move(rhs);
  } else if (container.is_object() && last.kind == ast::step_kind::property) {
    std::string setter = "set" + last.name;
    if (setter.size() > 3 && setter[3] >= 'a' && setter[3] <= 'z') setter[3] -= 'a' - 'A';
    std::vector<value> args{std::move(rhs)};
    (void)call(container, setter, args, lhs.pos);
  }
}

}  // namespace detail

result<std::string> render(const parsed_template& tpl, variables& vars, const limits& lim) {
  std::string out;
  try {
    detail::evaluator ev(vars, lim);
    (void)ev.render_block(tpl.root(), out);
  } catch (const detail::render_failure& f) {
    return f.err;
  } catch (const std::bad_alloc&) {
    return error{error_kind::limit_exceeded, "out of memory while rendering", 0, 0};
  }
  return out;
}

}  // namespace stratus::vtl
