#pragma once
// How a totals request is written, read once for every path that takes one: the API's query
// string (GET /api/v1/totals and its exports) and `qatysu totals` (whose --age-bands is the
// parameter age_bands). Parameters are name→value pairs as given:
//
//   programme  a programme id (1 to 2^53, digits only) or a programme code (1 to 64 bytes)
//   from, to   dates YYYY-MM-DD, both days included; "to" not before "from"
//   track      1 to 40 lowercase Latin letters and underscores
//   by         one or two dimensions (dimensionFromString), separated by a comma, not repeated
//   age_bands  up to 12 strictly increasing ages from 1 to 120, separated by a comma
//   suppress   "" or "true" (5), "false" or "0" (none), or a number of people from 2 to 1000
//   lang       kk, ru or en; known only where the caller asks for it (the exports)
//
// Every refusal is Error(invalid_argument) whose one FieldProblem names the parameter, in this
// order: an unknown name, a name given twice (in the order given), then the values in the order
// above (programme last: a code is only looked up for a well-formed query), then what
// validateTotalsQuery finds. An unknown name that is not printable ASCII of at most 64 characters
// is not echoed: that error names no parameter.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "courses/model.hpp"
#include "courses/totals.hpp"

namespace courses {

/// Largest programme id a totals request may name: ids must survive a JavaScript number.
inline constexpr Id kMaxTotalsProgrammeId = 9007199254740992;  // 2^53

/// The programme a totals request names, as written: exactly one of the two is set.
struct ProgrammeRef {
  std::optional<Id> id;
  std::optional<std::string> code;
};

/// A totals request read from its parameters. `query.programme_id` stays empty: only storage can
/// turn `programme` into an id the actor may see.
struct TotalsParameters {
  TotalsQuery query;
  std::optional<ProgrammeRef> programme;
  std::optional<Language> language;  ///< "lang", when given
};

/// One parameter as given: name and value, both decoded.
using TotalsParameter = std::pair<std::string, std::string>;

/// Reads a totals request (see the rules above). `with_language` says whether "lang" is a known
/// parameter. Throws Error(invalid_argument) naming the parameter.
TotalsParameters parseTotalsParameters(const std::vector<TotalsParameter>& parameters,
                                       bool with_language);

/// The "programme" parameter alone: digits are an id, anything else a code.
ProgrammeRef parseProgrammeRef(std::string_view text);

}  // namespace courses
