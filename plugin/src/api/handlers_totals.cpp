// Totals: the report as JSON, its CSV, XLSX and PDF exports, and a programme's targets.
// The query is read strictly: an unknown, repeated or malformed parameter is a 400 naming it,
// before anything is counted.

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <ctime>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "courses/totals.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json.hpp"
#include "plugin/api/verify_page.hpp"
#include "plugin/http/url.hpp"
#include "plugin/totals/exports.hpp"

namespace plugin::api::handlers {

namespace {

using http::beast_http::field;
using http::beast_http::status;

enum class Format { json, csv, xlsx, pdf };

constexpr std::array<std::string_view, 7> kReportParameters = {
    "programme", "from", "to", "track", "by", "age_bands", "suppress"};
constexpr std::string_view kLanguageParameter = "lang";
constexpr std::size_t kMaxTrack = 40;
constexpr int kMaxAgeBounds = 12;
constexpr int kMaxAge = 120;
constexpr int kDefaultSuppression = 5;
constexpr int kMaxSuppression = 1000;

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
  for (const std::string_view name : kReportParameters) {
    list += list.empty() ? "" : ", ";
    list += name;
  }
  if (with_language) list += ", " + std::string(kLanguageParameter);
  return list;
}

/// Refuses a parameter the route does not know or one given twice. The router's query map keeps
/// one value per name, so the names are read again from the raw request target.
void checkParameterNames(const http::Context& context, bool with_language) {
  const std::string_view target = context.request.target();
  const std::size_t question = target.find('?');
  std::string_view rest =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  std::set<std::string> seen;
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view piece = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (piece.empty()) continue;
    const auto name = http::percentDecode(piece.substr(0, piece.find('=')), true);
    if (!name) throw invalidRequest("the query string has a malformed percent-escape");
    const bool known = std::find(kReportParameters.begin(), kReportParameters.end(), *name) !=
                           kReportParameters.end() ||
                       (with_language && *name == kLanguageParameter);
    if (!known) {
      const std::string shown = echoName(*name);
      const std::string message =
          "is not a parameter of this route (known: " + knownList(with_language) + ")";
      if (shown.empty()) {
        throw invalidRequest("a query parameter is not a parameter of this route (known: " +
                             knownList(with_language) + ")");
      }
      throw invalidParameter(shown, message);
    }
    if (!seen.insert(*name).second) throw invalidParameter(*name, "must be given at most once");
  }
}

const std::string* parameter(const http::Context& context, std::string_view name) {
  const auto it = context.query.find(std::string(name));
  return it == context.query.end() ? nullptr : &it->second;
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
  static constexpr courses::Dimension kAll[] = {
      courses::Dimension::track,           courses::Dimension::course,
      courses::Dimension::cohort,          courses::Dimension::gender,
      courses::Dimension::age_band,        courses::Dimension::region,
      courses::Dimension::district,        courses::Dimension::settlement,
      courses::Dimension::locality,        courses::Dimension::affiliation,
      courses::Dimension::vulnerable_group};
  std::string names;
  for (const courses::Dimension dimension : kAll) {
    names += names.empty() ? "" : ", ";
    names += courses::toString(dimension);
  }
  return names;
}

/// The programme named by id or by code; Error(not_found) when there is none the actor may see.
courses::Programme resolveProgramme(const Dependencies& deps, const courses::Actor& actor,
                                    const std::string& text) {
  if (!text.empty() &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const auto id = canonicalInteger(text, kMaxWireId);
    if (!id || *id < 1) {
      throw invalidParameter("programme", "must be a programme id (1 to 2^53) or code");
    }
    return deps.catalogue.programme(actor, *id);
  }
  if (text.empty() || text.size() > 64 || courses::firstInvalidUtf8(text)) {
    throw invalidParameter("programme", "must be a programme id or code");
  }
  for (auto& programme : deps.catalogue.listProgrammes(actor)) {
    if (programme.code == text) return std::move(programme);
  }
  throw courses::Error(courses::ErrorCode::not_found, "no such programme");
}

std::optional<courses::Date> dateParameter(const http::Context& context, std::string_view name) {
  const std::string* text = parameter(context, name);
  if (text == nullptr) return std::nullopt;
  if (!courses::isValidDate(*text)) throw invalidParameter(name, "must be a date YYYY-MM-DD");
  return *text;
}

std::vector<courses::Dimension> dimensionsParameter(const std::string& text) {
  std::vector<courses::Dimension> by;
  for (const std::string_view name : splitCommas(text)) {
    const auto dimension = courses::dimensionFromString(name);
    if (!dimension) {
      throw invalidParameter(
          "by", "must list one or two of " + dimensionNames() + ", separated by a comma");
    }
    if (std::find(by.begin(), by.end(), *dimension) != by.end()) {
      throw invalidParameter("by", "must not name a dimension twice");
    }
    by.push_back(*dimension);
  }
  if (by.size() > 2) throw invalidParameter("by", "must name at most two dimensions");
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
      throw invalidParameter("age_bands", message);
    }
    bounds.push_back(static_cast<int>(*age));
  }
  if (bounds.size() > static_cast<std::size_t>(kMaxAgeBounds)) {
    throw invalidParameter("age_bands", message);
  }
  return bounds;
}

int suppressionParameter(const std::string& text) {
  if (text.empty() || text == "true") return kDefaultSuppression;
  if (text == "false" || text == "0") return 0;
  const auto k = canonicalInteger(text, kMaxSuppression);
  if (!k || *k < 2) {
    throw invalidParameter("suppress", "must be true, false, or a number of people from 2 to " +
                                           std::to_string(kMaxSuppression));
  }
  return static_cast<int>(*k);
}

/// The query parameter a field named by validateTotalsQuery is read from.
std::string parameterOfField(std::string_view field) {
  if (field.starts_with("period.")) field.remove_prefix(7);
  if (field == "programme_id") return "programme";
  if (field == "age_bounds" || field.starts_with("age_bounds[")) return "age_bands";
  if (field == "suppress_below") return "suppress";
  if (field.starts_with("by[")) return "by";
  return std::string(field);
}

/// What one totals request asks for.
struct TotalsRequest {
  courses::Actor actor;
  courses::TotalsQuery query;
  std::optional<courses::Programme> programme;
  courses::Language language = courses::Language::en;
};

/// Authenticates and reads the query; learners are refused before anything is read.
TotalsRequest readTotalsRequest(const Dependencies& deps, const http::Context& context,
                                Format format) {
  TotalsRequest request{requireActor(deps, context), {}, {}, courses::Language::en};
  if (request.actor.role == courses::Role::learner) {
    throw courses::Error(courses::ErrorCode::forbidden, "learners do not see totals");
  }
  const bool exports = format != Format::json;
  checkParameterNames(context, exports);

  courses::TotalsQuery& query = request.query;
  query.period.from = dateParameter(context, "from");
  query.period.to = dateParameter(context, "to");
  if (query.period.from && query.period.to && *query.period.to < *query.period.from) {
    throw invalidParameter("to", "must not be before \"from\"");
  }
  if (const std::string* track = parameter(context, "track")) {
    const bool shaped = !track->empty() && track->size() <= kMaxTrack &&
                        std::all_of(track->begin(), track->end(),
                                    [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
    if (!shaped) {
      throw invalidParameter("track",
                             "must be 1 to 40 characters: lowercase Latin letters and underscores");
    }
    query.track = *track;
  }
  if (const std::string* by = parameter(context, "by")) query.by = dimensionsParameter(*by);
  if (const std::string* bands = parameter(context, "age_bands")) {
    query.age_bounds = ageBoundsParameter(*bands);
  }
  if (const std::string* suppress = parameter(context, "suppress")) {
    query.suppress_below = suppressionParameter(*suppress);
  }
  if (exports) {
    if (const std::string* lang = parameter(context, kLanguageParameter)) {
      const auto language = courses::languageFromString(*lang);
      if (!language) throw invalidParameter(kLanguageParameter, "must be kk, ru or en");
      request.language = *language;
    } else if (const auto preferred = preferredLanguage(context.request[field::accept_language])) {
      request.language = *preferred == PageLanguage::kk   ? courses::Language::kk
                         : *preferred == PageLanguage::ru ? courses::Language::ru
                                                          : courses::Language::en;
    }
  }
  try {
    courses::validateTotalsQuery(query);
  } catch (const courses::Error& error) {
    if (error.code() != courses::ErrorCode::invalid_argument) throw;
    const std::string name =
        error.fields().empty() ? std::string() : parameterOfField(error.fields().front().field);
    if (name.empty()) throw invalidRequest(error.what());
    throw invalidParameter(name, error.fields().front().message);
  }
  // Only a well-formed query looks a programme up.
  if (const std::string* programme = parameter(context, "programme")) {
    request.programme = resolveProgramme(deps, request.actor, *programme);
    query.programme_id = request.programme->id;
  }
  return request;
}

/// Sentences a reader of the JSON needs besides the numbers.
std::vector<std::string> notesFor(const courses::TotalsReport& report,
                                  const courses::Actor& actor) {
  std::vector<std::string> notes;
  const auto& by = report.query.by;
  if (std::find(by.begin(), by.end(), courses::Dimension::vulnerable_group) != by.end()) {
    notes.emplace_back(
        "Vulnerable groups overlap: a person counts in each of their groups, and the groups are "
        "never summed.");
  }
  if (report.overlapping) {
    notes.emplace_back(
        "A person can fall under several values of a dimension (through several enrolments or "
        "groups), so the values need not add up to the total.");
  }
  if (std::any_of(by.begin(), by.end(), courses::describesPerson)) {
    notes.emplace_back(
        "Sessions are given only for cells made of whole cohorts, not for a breakdown by a "
        "person's attribute.");
  }
  if (report.query.suppress_below > 0) {
    const std::string k = std::to_string(report.query.suppress_below);
    notes.push_back("Counts of 1 to " + std::to_string(report.query.suppress_below - 1) +
                    " people are hidden, and so is every measure of a cell with fewer than " + k +
                    " people enrolled; the total is never hidden.");
  }
  if (actor.role == courses::Role::trainer) {
    notes.emplace_back(
        "Only the cohorts you are assigned to are counted; targets are shown to administrators.");
  }
  return notes;
}

std::string utcNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

/// Letters, digits, '-' and '_' kept; anything else becomes '_'.
std::string fileNamePart(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    out += safe ? c : '_';
  }
  return out;
}

/// "totals_LSG-EKZ_2017-02-01_2020-01-31.csv": the programme's code (or "all"), the track when
/// one was asked for, and the period (the programme's dates, or "start"/"end", where open).
std::string exportFileName(const TotalsRequest& request, std::string_view extension) {
  const courses::Period& period = request.query.period;
  std::string name =
      "totals_" + (request.programme ? fileNamePart(request.programme->code) : std::string("all"));
  if (request.query.track) name += "_" + fileNamePart(*request.query.track);
  const std::string from = period.from         ? *period.from
                           : request.programme ? request.programme->starts_on
                                               : std::string("start");
  const std::string to = period.to           ? *period.to
                         : request.programme ? request.programme->ends_on
                                             : std::string("end");
  return name + "_" + fileNamePart(from) + "_" + fileNamePart(to) + "." + std::string(extension);
}

/// The same report broken down by `dimension` alone (the PDF's bar charts).
courses::TotalsReport reportBy(const Dependencies& deps, const TotalsRequest& request,
                               courses::Dimension dimension) {
  courses::TotalsQuery query = request.query;
  query.by = {dimension};
  return deps.totals.totals(request.actor, query);
}

http::Response exportResponse(const Dependencies& deps, http::Context& context, Format format) {
  const TotalsRequest request = readTotalsRequest(deps, context, format);
  const courses::TotalsReport report = deps.totals.totals(request.actor, request.query);
  plugin::totals::ExportContext export_context;
  export_context.language = request.language;
  if (request.programme) {
    export_context.programme_title =
        std::string(plugin::totals::pick(request.programme->title, request.language));
  }
  export_context.generated_at = utcNow();

  std::string body;
  std::string_view content_type;
  std::string_view extension;
  switch (format) {
    case Format::csv: {
      const auto tables = plugin::totals::tables(report, export_context);
      if (tables.empty()) {
        throw courses::Error(courses::ErrorCode::internal, "the totals gave no table");
      }
      body = plugin::totals::toCsv(tables.front());
      content_type = "text/csv; charset=utf-8";
      extension = "csv";
      break;
    }
    case Format::xlsx:
      body = plugin::totals::toXlsx(plugin::totals::tables(report, export_context));
      content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      extension = "xlsx";
      break;
    case Format::pdf:
      body = plugin::totals::toPdf(report, reportBy(deps, request, courses::Dimension::track),
                                   reportBy(deps, request, courses::Dimension::gender),
                                   reportBy(deps, request, courses::Dimension::district),
                                   export_context, deps.fonts);
      content_type = "application/pdf";
      extension = "pdf";
      break;
    case Format::json:
      throw courses::Error(courses::ErrorCode::internal, "JSON is not an export");
  }
  http::Response response = textResponse(context, status::ok, content_type, std::move(body));
  // Names are ASCII letters, digits, '-', '_' and '.', so they need no quoting beyond the quotes.
  response.set(field::content_disposition,
               "attachment; filename=\"" + exportFileName(request, extension) + "\"");
  response.set(field::content_language, courses::toString(request.language));
  response.set(field::vary, "Accept-Language");
  response.set(field::cache_control, "private, no-store");
  return response;
}

}  // namespace

http::Response totals(const Dependencies& deps, http::Context& context) {
  const TotalsRequest request = readTotalsRequest(deps, context, Format::json);
  const courses::TotalsReport report = deps.totals.totals(request.actor, request.query);
  http::Response response =
      jsonResponse(context, status::ok,
                   totalsToJson(report, request.programme, notesFor(report, request.actor)));
  response.set(field::cache_control, "private, no-store");
  return response;
}

http::Response totalsCsv(const Dependencies& deps, http::Context& context) {
  return exportResponse(deps, context, Format::csv);
}

http::Response totalsXlsx(const Dependencies& deps, http::Context& context) {
  return exportResponse(deps, context, Format::xlsx);
}

http::Response totalsPdf(const Dependencies& deps, http::Context& context) {
  return exportResponse(deps, context, Format::pdf);
}

http::Response getTargets(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id programme_id = pathId(context);
  return jsonResponse(context, status::ok,
                      targetsToJson(programme_id, deps.totals.targets(actor, programme_id)));
}

http::Response putTargets(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id programme_id = pathId(context);
  std::vector<courses::Target> targets = targetsFromJson(readBody(context));
  return jsonResponse(
      context, status::ok,
      targetsToJson(programme_id, deps.totals.setTargets(actor, programme_id, std::move(targets))));
}

}  // namespace plugin::api::handlers
