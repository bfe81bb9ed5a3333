// libFuzzer target for the SigV4 parser: the input is tried as an
// Authorization header (with a Date header, so the RFC 1123 parser runs too),
// as a presigned URL's query string, and as a request path. Whatever parses
// is canonicalised and verified, which must never crash or hang.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "auth/sigv4.hpp"

namespace {

using namespace stratus::auth;

void exercise(const request_view& request) {
  const auto parsed = parse_signature(request);
  if (!parsed) return;
  (void)canonical_request(request, *parsed, "s3");
  (void)verify(request, *parsed, "secret", std::chrono::system_clock::time_point{});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  request_view as_header{"GET", "/", "", {{"Host", "example.com"}}, ""};
  as_header.headers.emplace_back("Authorization", input);
  as_header.headers.emplace_back("Date", input);
  exercise(as_header);
  as_header.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
  exercise(as_header);

  request_view as_query{"GET", input, input, {{"Host", "example.com"}}, input};
  exercise(as_query);
  return 0;
}
