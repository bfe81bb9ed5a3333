#pragma once
// A request written the way it travels ("GET /p?q HTTP/1.1\nHost:h\n\nbody"),
// owned by the test so request_view can point into it. AWS's SigV4 test
// suite publishes its requests in this form.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.hpp"

namespace stratus::auth::test {

struct wire_request {
  std::string method;
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Lines end in "\n"; a header is "Name:value" (the value is kept raw,
  // leading blanks included); an empty line starts the body.
  static wire_request parse(std::string_view text) {
    wire_request r;
    const auto next_line = [&text]() {
      const auto end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
      return line;
    };
    std::string_view request_line = next_line();
    r.method = std::string(request_line.substr(0, request_line.find(' ')));
    request_line.remove_prefix(r.method.size() + 1);
    // The target may hold spaces (get-space): the version is after the last.
    std::string_view target = request_line.substr(0, request_line.rfind(' '));
    const auto question = target.find('?');
    r.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) r.query = std::string(target.substr(question + 1));
    while (!text.empty()) {
      const std::string_view line = next_line();
      if (line.empty()) break;
      const auto colon = line.find(':');
      r.headers.emplace_back(std::string(line.substr(0, colon)),
                             std::string(line.substr(colon + 1)));
    }
    r.body = std::string(text);
    return r;
  }

  request_view view() const {
    request_view v{method, path, query, {}, body};
    for (const auto& [name, value] : headers) v.headers.emplace_back(name, value);
    return v;
  }

  // The same request with one header's value replaced (or added).
  wire_request with_header(std::string_view name, std::string value) const {
    wire_request copy = *this;
    for (auto& [key, old] : copy.headers) {
      if (key == name) {
        old = std::move(value);
        return copy;
      }
    }
    copy.headers.emplace_back(std::string(name), std::move(value));
    return copy;
  }
};

}  // namespace stratus::auth::test
