// The Java methods templates call on built-in values: java.lang.String,
// java.util.ArrayList, java.util.LinkedHashMap, Integer/Long/Double, Boolean.
//
// Argument conversions follow what Velocity's method lookup accepts; a call
// with the wrong number or types of arguments is "no such method" (the
// reference then prints nothing on API Gateway). Java exceptions (index out
// of range, bad regular expression) come back as call_status::threw.
//
// Thread-safety: stateless; mutating methods change the target container.
#pragma once

#include <string_view>
#include <vector>

#include "vtl/limits.hpp"
#include "vtl/value.hpp"

namespace stratus::vtl {

[[nodiscard]] call_result call_method(const value& target, std::string_view name,
                                      std::vector<value>& args, const limits& lim);

// Java String methods (string_methods.cpp).
[[nodiscard]] call_result call_string_method(const std::string& s, std::string_view name,
                                             std::vector<value>& args, const limits& lim);

// ArrayList and LinkedHashMap methods (collection_methods.cpp).
[[nodiscard]] call_result call_list_method(const list_ptr& l, std::string_view name,
                                           std::vector<value>& args);
[[nodiscard]] call_result call_map_method(const map_ptr& m, std::string_view name,
                                          std::vector<value>& args);

// Java's Object.equals between two template values (List and Map equality
// element by element, numbers by value).
[[nodiscard]] bool java_equals(const value& a, const value& b, int max_depth = 256);

// A Map.Entry from entrySet(): prints "key=value", has getKey()/getValue().
[[nodiscard]] object_ptr make_map_entry(std::string key, value v);

}  // namespace stratus::vtl
