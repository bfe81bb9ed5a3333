// libFuzzer target for CloudWatch Logs filter patterns: the input up to the
// first newline is the pattern, the rest the message. Parse, then evaluate
// against the message and a few fixed ones: hostile patterns (deep nesting,
// many ellipses, odd bytes, bad regexes) must come back as an error value
// or a yes/no, never a crash, hang or stack overflow.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logs/filter_pattern.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  std::string_view pattern_text = input.substr(0, newline);
  std::string_view message = newline == std::string_view::npos ? "" : input.substr(newline + 1);
  if (pattern_text.size() > 1024) return 0;  // the model's limit on filterPattern
  auto pattern = stratus::logs::filter::parse(pattern_text);
  if (!pattern) return 0;
  (void)pattern->matches(message);
  (void)pattern->matches(R"({"a":{"b":[1,"x",null,true]},"level":"error","n":12.5})");
  (void)pattern->matches(R"(127.0.0.1 - u [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 5)");
  return 0;
}
