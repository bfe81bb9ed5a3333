// API Gateway's mapping-template variables on top of the VTL engine:
// $input, $util, $context (with requestOverride/responseOverride) and
// $stageVariables.
//
// The API Gateway data plane fills a request_data for each integration
// request or response it transforms, calls render_mapping_template, and
// applies the overrides the template set. Nothing here knows about HTTP.
//
// Thread-safety: render_mapping_template is reentrant; request_data is only
// read. Use one template_cache for the whole process (it is thread-safe).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vtl/error.hpp"
#include "vtl/limits.hpp"
#include "vtl/parser.hpp"
#include "vtl/template_cache.hpp"

namespace stratus::vtl::apigw {

using param_list = std::vector<std::pair<std::string, std::string>>;

// Everything a mapping template can read.
struct request_data {
  // The payload: the method request body for an integration request, the
  // integration response body for an integration response. An empty payload
  // reads as "{}" in $input.body, as on API Gateway.
  std::string body;
  // Method request parameters by location, in the order API Gateway
  // searches them for $input.params('name'): path, query string, header.
  param_list path;
  param_list querystring;
  param_list header;
  // $context: requestId, stage, httpMethod, identity.sourceIp, ... as the
  // data plane knows them. requestOverride/responseOverride are added empty.
  boost::json::object context;
  // $stageVariables.
  boost::json::object stage_variables;
};

// What a template asked API Gateway to change, via #set on
// $context.requestOverride.* (integration request templates) or
// $context.responseOverride.* (integration response templates).
struct overrides {
  param_list request_header;
  param_list request_querystring;
  param_list request_path;
  param_list response_header;
  std::optional<int> response_status;
};

struct rendered {
  std::string body;
  struct overrides overrides;
};

// Renders a parsed mapping template against `data`.
[[nodiscard]] result<rendered> render_mapping_template(const parsed_template& tpl,
                                                       const request_data& data,
                                                       const limits& lim = {});

// Same, parsing `text` through `cache`.
[[nodiscard]] result<rendered> render_mapping_template(std::string_view text,
                                                       const request_data& data,
                                                       template_cache& cache,
                                                       const limits& lim = {});

}  // namespace stratus::vtl::apigw
