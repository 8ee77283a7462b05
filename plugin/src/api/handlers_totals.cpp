// Totals: the report as JSON, its CSV, XLSX and PDF exports, and a programme's targets.
// The query is read strictly: an unknown, repeated or malformed parameter is a 400 naming it,
// before anything is counted.

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/error.hpp"
#include "courses/totals.hpp"
#include "courses/totals_query.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json_text.hpp"
#include "plugin/api/json_totals.hpp"
#include "plugin/api/verify_page.hpp"
#include "plugin/http/query.hpp"
#include "plugin/totals/exports.hpp"

namespace plugin::api::handlers {

namespace {

using http::beast_http::field;
using http::beast_http::status;

enum class Format { json, csv, xlsx, pdf };

static_assert(courses::kMaxTotalsProgrammeId == kMaxWireId, "a programme id is a wire id");

/// The programme a well-formed request names; Error(not_found) when there is none the actor may
/// see.
courses::Programme resolveProgramme(const Dependencies& deps, const courses::Actor& actor,
                                    const courses::ProgrammeRef& ref) {
  if (ref.id) return deps.catalogue.programme(actor, *ref.id);
  for (auto& programme : deps.catalogue.listProgrammes(actor)) {
    if (programme.code == ref.code) return std::move(programme);
  }
  throw courses::Error(courses::ErrorCode::not_found, "no such programme");
}

/// The query read by the domain's one totals parser; its refusals are 400s naming the parameter.
courses::TotalsParameters readParameters(const http::Context& context, bool with_language) {
  const auto pairs = http::parseQueryPairs(http::queryOf(context.request.target()));
  if (!pairs) throw invalidRequest("the query string has a malformed percent-escape");
  try {
    return courses::parseTotalsParameters(*pairs, with_language);
  } catch (const courses::Error& error) {
    if (error.code() != courses::ErrorCode::invalid_argument) throw;
    if (error.fields().empty()) throw invalidRequest(error.what());
    throw invalidParameter(error.fields().front().field, error.fields().front().message);
  }
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
  courses::TotalsParameters parameters = readParameters(context, exports);
  request.query = std::move(parameters.query);
  if (exports) {
    if (parameters.language) {
      request.language = *parameters.language;
    } else if (const auto preferred = preferredLanguage(context.request[field::accept_language])) {
      request.language = *preferred == PageLanguage::kk   ? courses::Language::kk
                         : *preferred == PageLanguage::ru ? courses::Language::ru
                                                          : courses::Language::en;
    }
  }
  if (parameters.programme) {
    request.programme = resolveProgramme(deps, request.actor, *parameters.programme);
    request.query.programme_id = request.programme->id;
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
    export_context.programme_dates = {request.programme->starts_on, request.programme->ends_on};
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
      body = plugin::totals::toCsv(tables.front(), request.language);
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
