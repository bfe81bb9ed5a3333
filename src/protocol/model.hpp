#pragma once
// AWS's service models (botocore's service-2.json, stripped into models/ by
// scripts/strip-models.py and embedded in the binary) loaded into a form the
// codecs and the validator walk: operations with their HTTP bindings, and
// shapes with their members, locations and constraints.
//
// Thread-safety: a loaded service_model is immutable and shared freely.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/pattern.hpp"

namespace stratus::protocol {

enum class shape_type {
  structure,
  list,
  map,
  string,
  integer,
  long_,
  boolean,
  float_,
  double_,
  blob,
  timestamp
};

enum class location { body, uri, querystring, header, headers, status_code };

struct shape;

struct member {
  std::string name;  // as in the model: "TableName"
  const shape* target = nullptr;
  location where = location::body;
  std::string location_name;  // header name, query key, label, or XML name
  bool is_payload = false;    // the structure's `payload` member (rest-json)
  bool flattened = false;     // query protocol lists without ".member"
  bool id_token = false;      // idempotencyToken: SDKs fill it in
};

struct shape {
  std::string name;
  shape_type type = shape_type::string;
  std::vector<member> members;        // structure, in model order
  std::vector<std::string> required;  // structure
  const shape* element = nullptr;     // list member
  const shape* key = nullptr;         // map key
  const shape* value = nullptr;       // map value
  std::string element_location_name;  // list "member" name (query)
  bool flattened = false;
  std::optional<double> min;  // length for string/blob/list/map, value for numbers
  std::optional<double> max;
  std::optional<std::string> pattern;
  std::optional<pattern_matcher> pattern_check;  // unset when Boost.Regex cannot check it
  std::vector<std::string> enum_values;
  std::string timestamp_format;  // "iso8601", "unixTimestamp", "rfc822" or ""
  bool is_exception = false;
  unsigned error_status = 400;  // exceptions: error.httpStatusCode
  std::string error_code;       // exceptions: error.code when it differs from the name
  bool sender_fault = true;
  bool streaming = false;

  [[nodiscard]] const member* find_member(std::string_view name) const;
};

// One piece of a rest operation's requestUri, e.g. "/2015-03-31/functions/"
// then the label "FunctionName" then "/invocations".
struct uri_segment {
  std::string literal;  // when not a label
  std::string label;    // when a label
  bool greedy = false;  // {Key+}
};

struct operation {
  std::string name;
  std::string http_method = "POST";
  std::string request_uri = "/";
  std::vector<std::string> path_segments;                         // split on '/', labels as "{x}"
  std::vector<std::pair<std::string, std::string>> static_query;  // "?versions" literals
  const shape* input = nullptr;
  const shape* output = nullptr;
  std::string result_wrapper;  // query protocol
  unsigned success_status = 200;
  std::vector<const shape*> errors;
};

struct service_model {
  std::string name;      // "dynamodb", the key we load it by
  std::string protocol;  // json, rest-json, query
  std::string api_version;
  std::string target_prefix;  // json
  std::string json_version;   // json: "1.0" / "1.1"
  std::string signing_name;
  std::string xml_namespace;  // query
  std::string endpoint_prefix;
  std::map<std::string, operation, std::less<>> operations;
  std::unordered_map<std::string, std::unique_ptr<shape>> shapes;

  [[nodiscard]] const operation* find_operation(std::string_view name) const;
  [[nodiscard]] const shape* find_shape(std::string_view name) const;
};

// Parses a service-2.json document. Throws std::runtime_error on a malformed
// model: models are part of the build, so that is a programming error.
[[nodiscard]] std::unique_ptr<service_model> load_model(std::string_view name,
                                                        std::string_view json_text);

// The models embedded in the binary, loaded once on first use.
[[nodiscard]] const service_model& builtin_model(std::string_view name);
[[nodiscard]] const std::vector<std::string>& builtin_model_names();

}  // namespace stratus::protocol
