// Safety limits of the VTL engine.
//
// A mapping template is user input executed on every request, so every way a
// template can consume time or memory has an explicit cap; going past one ends
// the render with error_kind::limit_exceeded and a message naming the limit,
// never a hang, a crash or unbounded memory.
//
// Thread-safety: plain value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace stratus::vtl {

struct limits {
  // API Gateway's quota "Mapping template size: 300 KB".
  std::size_t max_template_bytes = 300 * 1024;
  // API Gateway's payload quota is 10 MB; a template cannot produce more.
  // Also caps any single string a template builds.
  std::size_t max_output_bytes = 10 * 1024 * 1024;
  // #foreach iterations summed over one render (ranges count their length).
  std::uint64_t max_loop_iterations = 1'000'000;
  // Nesting of directives and expressions in the parser, and of #define
  // expansions and string interpolations while rendering.
  int max_nesting_depth = 64;
  // Nesting of lists and maps built or rendered by a template.
  int max_value_depth = 256;
  // Method calls and references evaluated in one render: a last-resort cap on
  // CPU per render (regular expressions are capped by Boost.Regex itself).
  std::uint64_t max_evaluation_steps = 5'000'000;
  // Bytes of strings built (interpolation, concatenation, method results)
  // plus bytes of strings and elements of collections that method calls
  // scan, summed over one render: bounds the memory and CPU a template can
  // spend in loops over large values.
  std::uint64_t max_work_bytes = 256ull * 1024 * 1024;
};

}  // namespace stratus::vtl
