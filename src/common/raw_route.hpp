#pragma once
// A plain HTTP endpoint a service serves outside AWS's protocols, under a
// path prefix of its own (Lambda's code downloads: GET
// /_stratus/lambda/code/...). No signature, no model: the handler sees the
// method, path and query and answers status, headers and body. Services never
// see Beast; the edge translates.

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus {

struct raw_request {
  std::string_view method;
  std::string_view path;   // without the query
  std::string_view query;  // after '?', undecoded
};

struct raw_response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

using raw_handler = std::function<raw_response(const raw_request&)>;

}  // namespace stratus
