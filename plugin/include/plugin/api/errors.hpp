#pragma once
// The one table that turns errors into HTTP answers. Domain errors (courses::Error) map by code;
// requests refused before they reach the domain (malformed JSON, unknown fields, a wrong content
// type) are RequestError; anything else is a 500 with a generic body and a log line.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "courses/error.hpp"
#include "plugin/http/router.hpp"

namespace plugin::api {

/// A request refused by the HTTP layer itself, e.g. 400 "invalid-request" for malformed JSON, an
/// unknown field or a wrong type, or 415 for a body that is not JSON. `what()` is the detail shown
/// to the client.
class RequestError : public std::runtime_error {
 public:
  RequestError(http::beast_http::status status, std::string slug, std::string title,
               std::string detail, std::vector<courses::FieldProblem> fields = {})
      : std::runtime_error(std::move(detail)),
        status_(status),
        slug_(std::move(slug)),
        title_(std::move(title)),
        fields_(std::move(fields)) {}

  http::beast_http::status status() const noexcept { return status_; }
  const std::string& slug() const noexcept { return slug_; }
  const std::string& title() const noexcept { return title_; }
  /// What is wrong with which field or parameter, answered as "errors" like a 422's.
  const std::vector<courses::FieldProblem>& fields() const noexcept { return fields_; }

 private:
  http::beast_http::status status_;
  std::string slug_;
  std::string title_;
  std::vector<courses::FieldProblem> fields_;
};

/// 400 "invalid-request" with `detail` (which should name the offending field).
RequestError invalidRequest(std::string detail);

/// 400 "invalid-request" for a query parameter: the detail names `name` and says `message`, and
/// "errors" lists {"field": name, "message": message}.
RequestError invalidParameter(std::string_view name, std::string message);

/// 403 "csrf": a request authenticated by the session cookie that changes something but does not
/// carry the session's CSRF token in X-CSRF-Token (or carries another one).
RequestError csrfRejected();

/// 415 "unsupported-media-type": a request body that is not application/json.
RequestError unsupportedMediaType(std::string detail);

/// How one domain error code is answered.
struct ProblemKind {
  http::beast_http::status status;
  std::string_view slug;   ///< last segment of the problem type URI
  std::string_view title;  ///< short, human-readable, the same for every occurrence
};

/// The table: every courses::ErrorCode to its status, slug and title.
ProblemKind problemKind(courses::ErrorCode code) noexcept;

/// The problem+json answer to a domain error (with "errors", "candidates", Retry-After and
/// WWW-Authenticate where they apply). Internal errors get a generic detail and are logged.
http::Response errorResponse(const courses::Error& error, const http::Request& request);

/// The problem+json answer to a request refused by the HTTP layer.
http::Response errorResponse(const RequestError& error, const http::Request& request);

/// The answer to whatever exception is in flight; call only inside a catch block. Exceptions
/// that are neither courses::Error nor RequestError become a generic 500 and are logged.
http::Response currentErrorResponse(const http::Request& request);

}  // namespace plugin::api
