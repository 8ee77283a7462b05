#include "courses/totals_query.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>
#include <system_error>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"

namespace courses {

namespace {

constexpr std::array<std::string_view, 7> kQueryParameters = {
    "programme", "from", "to", "track", "by", "age_bands", "suppress"};
constexpr std::string_view kLanguageParameter = "lang";
constexpr std::size_t kMaxProgrammeCode = 64;
constexpr int kMaxAgeBounds = 12;
constexpr int kMaxAge = 120;
constexpr int kDefaultSuppression = 5;
constexpr int kMaxSuppression = 1000;

/// The one refusal: Error(invalid_argument) naming `name`.
[[noreturn]] void refuse(std::string_view name, std::string message) {
  std::string detail = "parameter \"" + std::string(name) + "\" " + message;
  throw Error(ErrorCode::invalid_argument, std::move(detail),
              {FieldProblem{std::string(name), std::move(message)}});
}

/// A parameter name as echoed in a message: printable ASCII up to 64 characters, else nothing.
std::string echoName(std::string_view name) {
  constexpr std::size_t kMaxEcho = 64;
  const bool printable =
      !name.empty() && name.size() <= kMaxEcho && std::all_of(name.begin(), name.end(), [](char c) {
        return c > 0x20 && c < 0x7F && c != '"' && c != '\\';
      });
  return printable ? std::string(name) : std::string();
}

std::string knownList(bool with_language) {
  std::string list;
  for (const std::string_view name : kQueryParameters) {
    list += list.empty() ? "" : ", ";
    list += name;
  }
  if (with_language) list += ", " + std::string(kLanguageParameter);
  return list;
}

/// Refuses a name the request does not know or one given twice.
void checkNames(const std::vector<TotalsParameter>& parameters, bool with_language) {
  std::set<std::string> seen;
  for (const auto& [name, value] : parameters) {
    const bool known = std::find(kQueryParameters.begin(), kQueryParameters.end(), name) !=
                           kQueryParameters.end() ||
                       (with_language && name == kLanguageParameter);
    if (!known) {
      const std::string shown = echoName(name);
      const std::string message =
          "is not a parameter of this route (known: " + knownList(with_language) + ")";
      if (shown.empty()) {
        throw Error(ErrorCode::invalid_argument,
                    "a query parameter is not a parameter of this route (known: " +
                        knownList(with_language) + ")");
      }
      refuse(shown, message);
    }
    if (!seen.insert(name).second) refuse(name, "must be given at most once");
  }
}

const std::string* find(const std::vector<TotalsParameter>& parameters, std::string_view name) {
  for (const auto& parameter : parameters) {
    if (parameter.first == name) return &parameter.second;
  }
  return nullptr;
}

/// Digits only, no sign, no leading zero; nullopt otherwise or above `max`.
std::optional<long long> canonicalInteger(std::string_view text, long long max) {
  if (text.empty() || text.size() > 18 || (text.size() > 1 && text.front() == '0')) {
    return std::nullopt;
  }
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value < 0 || value > max) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> splitCommas(std::string_view text) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t comma = text.find(',');
    parts.push_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

std::string dimensionNames() {
  static constexpr Dimension kAll[] = {
      Dimension::track,       Dimension::course,          Dimension::cohort,
      Dimension::gender,      Dimension::age_band,        Dimension::region,
      Dimension::district,    Dimension::settlement,      Dimension::locality,
      Dimension::affiliation, Dimension::vulnerable_group};
  std::string names;
  for (const Dimension dimension : kAll) {
    names += names.empty() ? "" : ", ";
    names += toString(dimension);
  }
  return names;
}

std::optional<Date> dateParameter(const std::vector<TotalsParameter>& parameters,
                                  std::string_view name) {
  const std::string* text = find(parameters, name);
  if (text == nullptr) return std::nullopt;
  if (!isValidDate(*text)) refuse(name, "must be a date YYYY-MM-DD");
  return *text;
}

std::vector<Dimension> dimensionsParameter(const std::string& text) {
  std::vector<Dimension> by;
  for (const std::string_view name : splitCommas(text)) {
    const auto dimension = dimensionFromString(name);
    if (!dimension) {
      refuse("by", "must list one or two of " + dimensionNames() + ", separated by a comma");
    }
    if (std::find(by.begin(), by.end(), *dimension) != by.end()) {
      refuse("by", "must not name a dimension twice");
    }
    by.push_back(*dimension);
  }
  if (by.size() > 2) refuse("by", "must name at most two dimensions");
  return by;
}

std::vector<int> ageBoundsParameter(const std::string& text) {
  std::vector<int> bounds;
  const std::string message = "must be up to " + std::to_string(kMaxAgeBounds) +
                              " strictly increasing ages from 1 to " + std::to_string(kMaxAge) +
                              ", separated by a comma (e.g. 14,36,60)";
  for (const std::string_view part : splitCommas(text)) {
    const auto age = canonicalInteger(part, kMaxAge);
    if (!age || *age < 1 || (!bounds.empty() && *age <= bounds.back())) {
      refuse("age_bands", message);
    }
    bounds.push_back(static_cast<int>(*age));
  }
  if (bounds.size() > static_cast<std::size_t>(kMaxAgeBounds)) refuse("age_bands", message);
  return bounds;
}

int suppressionParameter(const std::string& text) {
  if (text.empty() || text == "true") return kDefaultSuppression;
  if (text == "false" || text == "0") return 0;
  const auto k = canonicalInteger(text, kMaxSuppression);
  if (!k || *k < 2) {
    refuse("suppress", "must be true, false, or a number of people from 2 to " +
                           std::to_string(kMaxSuppression));
  }
  return static_cast<int>(*k);
}

/// The parameter a field named by validateTotalsQuery is read from.
std::string parameterOfField(std::string_view field) {
  if (field.starts_with("period.")) field.remove_prefix(7);
  if (field == "programme_id") return "programme";
  if (field == "age_bounds" || field.starts_with("age_bounds[")) return "age_bands";
  if (field == "suppress_below") return "suppress";
  if (field.starts_with("by[")) return "by";
  return std::string(field);
}

}  // namespace

ProgrammeRef parseProgrammeRef(std::string_view text) {
  if (!text.empty() &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const auto id = canonicalInteger(text, kMaxTotalsProgrammeId);
    if (!id || *id < 1) refuse("programme", "must be a programme id (1 to 2^53) or code");
    return ProgrammeRef{*id, std::nullopt};
  }
  if (text.empty() || text.size() > kMaxProgrammeCode || firstInvalidUtf8(text)) {
    refuse("programme", "must be a programme id or code");
  }
  return ProgrammeRef{std::nullopt, std::string(text)};
}

TotalsParameters parseTotalsParameters(const std::vector<TotalsParameter>& parameters,
                                       bool with_language) {
  checkNames(parameters, with_language);
  TotalsParameters request;
  TotalsQuery& query = request.query;
  query.period.from = dateParameter(parameters, "from");
  query.period.to = dateParameter(parameters, "to");
  if (query.period.from && query.period.to && *query.period.to < *query.period.from) {
    refuse("to", "must not be before \"from\"");
  }
  if (const std::string* track = find(parameters, "track")) {
    if (!isTrackName(*track)) refuse("track", kTrackNameRule);
    query.track = *track;
  }
  if (const std::string* by = find(parameters, "by")) query.by = dimensionsParameter(*by);
  if (const std::string* bands = find(parameters, "age_bands")) {
    query.age_bounds = ageBoundsParameter(*bands);
  }
  if (const std::string* suppress = find(parameters, "suppress")) {
    query.suppress_below = suppressionParameter(*suppress);
  }
  if (with_language) {
    if (const std::string* lang = find(parameters, kLanguageParameter)) {
      request.language = languageFromString(*lang);
      if (!request.language) refuse(kLanguageParameter, "must be kk, ru or en");
    }
  }
  try {
    validateTotalsQuery(query);
  } catch (const Error& error) {
    if (error.code() != ErrorCode::invalid_argument || error.fields().empty()) throw;
    refuse(parameterOfField(error.fields().front().field), error.fields().front().message);
  }
  // Only a well-formed query names a programme worth looking up.
  if (const std::string* programme = find(parameters, "programme")) {
    request.programme = parseProgrammeRef(*programme);
  }
  return request;
}

}  // namespace courses
