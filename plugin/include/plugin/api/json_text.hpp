#pragma once
// JSON text in and out: the strict parser every request body goes through and the writer every
// response body comes from.
//
// Parsing refuses malformed JSON, nesting deeper than 32, invalid UTF-8 and a key repeated in one
// object (RequestError, 400 "invalid-request").

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "courses/model.hpp"

namespace plugin::api {

/// JSON text of `value`, as boost::json::serialize writes it except for decimals: those are written
/// in the shortest form that reads back as the same double, without an exponent where a person
/// would write none (0.823, 24, 3290.5 rather than 8.23E-1, 2.4E1, 3.2905E3). A non-finite double
/// (never produced by the mapping) becomes null.
std::string toJsonText(const boost::json::value& value);

/// Deepest nesting of arrays and objects a request body may have.
inline constexpr std::size_t kMaxJsonDepth = 32;
/// Longest string value (in bytes) a request body may carry.
inline constexpr std::size_t kMaxJsonStringBytes = 4096;
/// Largest id accepted on the wire: ids must survive a round trip through a JavaScript number.
inline constexpr courses::Id kMaxWireId = 9007199254740992;  // 2^53

/// Parses a request body. Throws RequestError(400) when it is not one well-formed JSON value.
boost::json::value parseJson(std::string_view text);

}  // namespace plugin::api
