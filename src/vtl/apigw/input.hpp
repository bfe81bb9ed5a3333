// $input: the payload and parameters of the request or response a mapping
// template transforms.
//
// Thread-safety: one $input per render.
#pragma once

#include "vtl/apigw/bindings.hpp"
#include "vtl/value.hpp"

namespace stratus::vtl::apigw {

// `data` must outlive the object (it lives for one render).
[[nodiscard]] object_ptr make_input_object(const request_data& data);

}  // namespace stratus::vtl::apigw
