#pragma once
// The claims of a verified id_token (LTI Core 1.3 §5.3–5.4) read into courses::LaunchClaims:
// `aud` as a string or an array, times as numbers, the LTI claims under their URIs.

#include <string>
#include <string_view>
#include <variant>

#include "courses/lti.hpp"

namespace plugin::lti {

/// The claims of `payload` (a JSON object), or why they cannot be read ("sub is not 1-255
/// printable characters"): a claim of the wrong type is refused rather than ignored.
std::variant<courses::LaunchClaims, std::string> readClaims(std::string_view payload);

}  // namespace plugin::lti
