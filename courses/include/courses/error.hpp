#pragma once
// One protocol-neutral error type for the whole domain. plugin/ maps each code to an HTTP status
// and a problem+json body in exactly one table (plugin/src/api/errors.cpp).

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace courses {

enum class ErrorCode {
  invalid_argument,   ///< the request is malformed or a field is invalid (400 / 422)
  unprocessable,      ///< well-formed but breaks a rule (e.g. a glyph the font lacks)
  unauthenticated,    ///< no or bad credentials
  forbidden,          ///< authenticated, but this role may never do this
  not_found,          ///< does not exist, or the actor may not know it exists
  conflict,           ///< clashes with existing state (duplicate person, unique key)
  stale,              ///< an edit based on a version that is no longer the entity's (412)
  version_required,   ///< an edit that does not say which version it is based on (428)
  too_many_requests,  ///< rate limit reached
  unavailable,        ///< storage unreachable or outcome unknown; safe to retry
  internal,           ///< a bug; details only in the log
};

/// Short stable name of a code ("not_found"), used in problem+json `type` URIs and logs.
std::string_view toString(ErrorCode code) noexcept;

/// One field-level problem ("full_name": "must be 1–200 characters").
struct FieldProblem {
  std::string field;
  std::string message;
};

/// A duplicate-person candidate carried by a conflict on registration, as the registering actor
/// may see it (courses/duplicate_candidates.hpp).
struct DuplicateCandidate {
  long long id = 0;  ///< 0 when the actor may not see the person
  std::string full_name;
  int birth_year = 0;
  long long locality_id = 0;
  /// When the actor may not see the person: a short-lived token naming them to this actor only,
  /// for same_person; empty otherwise.
  std::string confirmation;
};

/// The domain error. `what()` is safe to show to a client: it never holds SQL or personal data
/// beyond what the caller already sent.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, std::vector<FieldProblem> fields = {})
      : std::runtime_error(std::move(message)), code_(code), fields_(std::move(fields)) {}

  ErrorCode code() const noexcept { return code_; }
  const std::vector<FieldProblem>& fields() const noexcept { return fields_; }

  /// Candidates for "same person?" on a registration conflict; empty otherwise.
  std::vector<DuplicateCandidate> candidates;
  /// Seconds after which a rate-limited client may retry (too_many_requests only).
  int retry_after_seconds = 0;

 private:
  ErrorCode code_;
  std::vector<FieldProblem> fields_;
};

}  // namespace courses
