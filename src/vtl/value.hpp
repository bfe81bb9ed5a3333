// Java-flavoured values manipulated by templates.
//
// API Gateway runs Apache Velocity on the JVM, so what a template prints is
// the Java toString() of the object it references. value mirrors the Java
// types a mapping template meets: null, Boolean, Integer/Long (one 64-bit
// integer kind), Double, String, lists, maps with insertion order (a
// LinkedHashMap prints as "{a=1, b=2}") and host objects ($input, $util...)
// supplied by the embedder.
//
// Lists and maps are shared by reference, as in Java: `#set($b = $a)` then
// `$b.add(1)` changes $a too.
//
// Thread-safety: a value and the containers it points to are not
// synchronised; a render owns its values. Immutable sharing across threads is
// safe only for values no template mutates (the embedder builds fresh
// containers for each render).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace stratus::vtl {

class value;
struct list_data;
class map_data;
class host_object;

using list_ptr = std::shared_ptr<list_data>;
using map_ptr = std::shared_ptr<map_data>;
using object_ptr = std::shared_ptr<host_object>;

enum class value_kind { null, boolean, integer, real, string, list, map, object };

// How a list prints. Lists a template builds are java.util.ArrayList
// ("[1, 2]"); arrays that API Gateway hands out from JSON ($input.path,
// $util.parseJson) are json-smart JSONArrays whose toString() is compact JSON:
// the recorded rendering of `$input.path('$.json')` for [{"foo":"bar"}] is
// `[{"foo":"bar"}]` while an object prints `{foo=bar}`
// (test_input_path_template_formatting).
enum class list_style { java, json };

class value {
 public:
  value() = default;
  value(std::nullptr_t) {}                                                         // NOLINT
  value(bool b) : v_(b) {}                                                         // NOLINT
  value(int i) : v_(static_cast<std::int64_t>(i)) {}                               // NOLINT
  value(std::int64_t i) : v_(i) {}                                                 // NOLINT
  value(double d) : v_(d) {}                                                       // NOLINT
  value(std::string s) : v_(std::make_shared<const std::string>(std::move(s))) {}  // NOLINT
  value(std::string_view s) : value(std::string(s)) {}                             // NOLINT
  value(const char* s) : value(std::string(s)) {}                                  // NOLINT
  value(list_ptr l) : v_(std::move(l)) {}                                          // NOLINT
  value(map_ptr m) : v_(std::move(m)) {}                                           // NOLINT
  value(object_ptr o) : v_(std::move(o)) {}                                        // NOLINT

  [[nodiscard]] value_kind kind() const { return static_cast<value_kind>(v_.index()); }
  [[nodiscard]] bool is_null() const { return kind() == value_kind::null; }
  [[nodiscard]] bool is_bool() const { return kind() == value_kind::boolean; }
  [[nodiscard]] bool is_int() const { return kind() == value_kind::integer; }
  [[nodiscard]] bool is_real() const { return kind() == value_kind::real; }
  [[nodiscard]] bool is_number() const { return is_int() || is_real(); }
  [[nodiscard]] bool is_string() const { return kind() == value_kind::string; }
  [[nodiscard]] bool is_list() const { return kind() == value_kind::list; }
  [[nodiscard]] bool is_map() const { return kind() == value_kind::map; }
  [[nodiscard]] bool is_object() const { return kind() == value_kind::object; }
  [[nodiscard]] bool is_container() const { return is_list() || is_map(); }

  [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
  [[nodiscard]] std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  [[nodiscard]] double as_real() const { return std::get<double>(v_); }
  // Integer or double as a double.
  [[nodiscard]] double as_number() const {
    return is_int() ? static_cast<double>(as_int()) : as_real();
  }
  [[nodiscard]] const std::string& as_string() const {
    return *std::get<std::shared_ptr<const std::string>>(v_);
  }
  [[nodiscard]] const list_ptr& as_list() const { return std::get<list_ptr>(v_); }
  [[nodiscard]] const map_ptr& as_map() const { return std::get<map_ptr>(v_); }
  [[nodiscard]] const object_ptr& as_object() const { return std::get<object_ptr>(v_); }

 private:
  // Strings are immutable in Java and shared here: copying a value (into a
  // list, a variable, a loop) never copies the characters.
  std::variant<std::monostate, bool, std::int64_t, double, std::shared_ptr<const std::string>,
               list_ptr, map_ptr, object_ptr>
      v_;
};

struct list_data {
  list_data() = default;
  explicit list_data(list_style s) : style(s) {}
  list_data(const list_data&) = delete;
  list_data& operator=(const list_data&) = delete;
  // Deeply nested containers are destroyed iteratively (value_lifetime.cpp):
  // a template can nest lists thousands deep and recursion would overflow.
  ~list_data();

  std::vector<value> items;
  list_style style = list_style::java;
};

// An insertion-ordered string-keyed map (Java LinkedHashMap). Keys a template
// writes with a non-string expression are stored as their toString().
class map_data {
 public:
  map_data() = default;
  map_data(const map_data&) = delete;
  map_data& operator=(const map_data&) = delete;
  ~map_data();

  [[nodiscard]] const value* find(std::string_view key) const;
  [[nodiscard]] value* find(std::string_view key);
  // Java Map.put: returns the previous value, null when there was none.
  value put(std::string key, value v);
  // Java Map.remove: returns the removed value, null when absent.
  value remove(std::string_view key);
  void clear();

  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] const std::vector<std::pair<std::string, value>>& entries() const {
    return entries_;
  }

 private:
  [[nodiscard]] std::ptrdiff_t index_of(std::string_view key) const;

  std::vector<std::pair<std::string, value>> entries_;
};

enum class call_status { ok, no_such_method, threw };

// The outcome of calling a Java method from a template.
struct call_result {
  call_status status = call_status::ok;
  value result;
  std::string message;  // for threw: the Java exception, as Velocity reports it

  static call_result ok(value v) { return {call_status::ok, std::move(v), {}}; }
  static call_result missing() { return {call_status::no_such_method, {}, {}}; }
  static call_result thrown(std::string m) { return {call_status::threw, {}, std::move(m)}; }
};

// An object supplied by the embedder ($input, $util, Map.Entry...). Methods
// and properties are looked up by name at render time, as Velocity's
// introspection does.
class host_object {
 public:
  virtual ~host_object() = default;
  // Java toString(), used when the object is printed.
  [[nodiscard]] virtual std::string java_string() const = 0;
  // `$obj.name` (Velocity tries getName()/get("name")); nullptr when absent.
  [[nodiscard]] virtual const value* property(std::string_view name) const { return nullptr; }
  // `$obj.name(args)`.
  virtual call_result call(std::string_view name, std::vector<value>& args) = 0;
};

// Containers.
[[nodiscard]] list_ptr make_list(list_style style = list_style::java);
[[nodiscard]] map_ptr make_map();

// Velocity 1.7's #if truth: null and false are false, everything else (0,
// "", empty lists included) is true.
[[nodiscard]] bool truthy(const value& v);

// Java's Double.toString(d): "2.0", "0.05", "1.0E10", "NaN".
[[nodiscard]] std::string format_java_double(double d);

// Appends Java's toString() of v (null prints "null"). Returns false when
// the value nests deeper than max_depth.
[[nodiscard]] bool append_java_string(const value& v, std::string& out, int max_depth);

// Appends v as compact JSON the way json-smart writes it (API Gateway's
// $input.json and JSONArray.toString()). Returns false when too deep.
[[nodiscard]] bool append_json(const value& v, std::string& out, int max_depth);

// Java's String.valueOf(v) of a scalar or container, or "" past max_depth.
[[nodiscard]] std::string java_string(const value& v, int max_depth = 256);

// True when storing `inserted` inside `container` would make a container
// reach itself. Java allows such cycles; we refuse them because they would
// leak (shared ownership) and Java itself overflows its stack printing them.
[[nodiscard]] bool would_create_cycle(const value& container, const value& inserted);

}  // namespace stratus::vtl
