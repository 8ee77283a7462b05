#include "plugin/cli/totals_command.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>
#include <vector>

#include "certificates/fonts.hpp"
#include "courses/error.hpp"
#include "courses/mariadb/store.hpp"
#include "courses/services.hpp"
#include "courses/text.hpp"
#include "courses/totals.hpp"
#include "courses/totals_query.hpp"
#include "plugin/cli/args.hpp"

namespace plugin::cli {

namespace {

constexpr const char* kTotalsUsage =
    "Usage: qatysu totals [--programme CODE|ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                     [--track TRACK] [--by DIM[,DIM]] [--age-bands 14,36,60]\n"
    "                     [--suppress [K]] [--format table|csv|xlsx|pdf] [--lang kk|ru|en]\n"
    "                     [--out FILE] [--as LOGIN]\n"
    "       qatysu totals rebuild\n"
    "       qatysu totals check\n"
    "\n"
    "Distinct people enrolled, reached (present or late at least once), trained (met a cohort's\n"
    "completion rule, waivers included and shown), certified (a valid certificate), with the\n"
    "sessions delivered, participant-hours and attendance rate, in a period by session date.\n"
    "\n"
    "  --programme CODE|ID  one programme, with its targets (default: every programme)\n"
    "  --from, --to         the period, both days included (default: open)\n"
    "  --track TRACK        one track, e.g. inclusive_planning\n"
    "  --by DIM[,DIM]       break down by one dimension or cross two: track, course, cohort,\n"
    "                       gender, age_band, region, district, settlement, locality,\n"
    "                       affiliation, vulnerable_group\n"
    "  --age-bands LIST     lower bounds of the age bands (default: the programme's youth band)\n"
    "  --suppress [K]       hide people counts below K (default 5) for files leaving the\n"
    "                       organisation\n"
    "  --format FORMAT      table (default, aligned text), csv (UTF-8 with BOM), xlsx, pdf\n"
    "                       (one-page summary)\n"
    "  --lang kk|ru|en      the language of labels and files (default: en)\n"
    "  --out FILE           write to FILE instead of standard output (xlsx and pdf are never\n"
    "                       written to a terminal)\n"
    "  --as LOGIN           the admin or trainer asking (default: admin); a trainer sees only\n"
    "                       their own cohorts\n"
    "\n"
    "rebuild  recomputes every aggregate the totals read from the raw rows (after bulk loads or\n"
    "         hand repairs; the service keeps them exact itself). Needs QATYSU_DB_URL.\n"
    "check    counts the aggregate rows that differ from the raw rows; exit 1 when any do.\n"
    "\n"
    "Exit status: 0 done, 1 failed (unknown programme, differing aggregates, storage), 2 wrong\n"
    "usage.\n";

constexpr const char* kTargetsUsage =
    "Usage: qatysu targets set --programme CODE|ID --measure MEASURE [--track TRACK] --value N\n"
    "                          [--as LOGIN]\n"
    "       qatysu targets list [--programme CODE|ID] [--as LOGIN]\n"
    "\n"
    "A target is what a programme promised its donor, e.g. 60 people trained in inclusive\n"
    "planning: --measure trained --track inclusive_planning --value 60. Without --track it is\n"
    "the whole programme's. Measures: enrolled, reached, trained, trained_with_waiver, certified,\n"
    "sessions, participant_hours. set replaces the target with the same measure and track and\n"
    "keeps the others (admins only); list shows each target with what has been reached so far.\n"
    "\n"
    "  --as LOGIN   the account acting (default: admin)\n";

enum class Format { table, csv, xlsx, pdf };

const OptionSpec kTotalsSpecs[] = {{"--programme", true},
                                   {"--from", true},
                                   {"--to", true},
                                   {"--track", true},
                                   {"--by", true},
                                   {"--age-bands", true},
                                   {"--suppress", true, /*value_optional=*/true},
                                   {"--format", true},
                                   {"--lang", true},
                                   {"--out", true},
                                   {"--as", true}};

/// What `qatysu totals` was asked, checked before any storage is opened.
struct TotalsRequest {
  std::optional<courses::ProgrammeRef> programme;  ///< resolved against storage
  courses::TotalsQuery query;
  Format format = Format::table;
  courses::Language language = courses::Language::en;
  std::optional<std::string> out;
  std::string login = "admin";
};

std::optional<long long> parseInteger(const std::string& text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::string nonEmptyValue(const ParsedArgs& parsed, const std::string& name) {
  const auto value = parsed.value(name);
  if (value && value->empty()) throw UsageError(name + " needs a value");
  return value.value_or("");
}

/// The domain's refusal of a totals parameter as a usage error naming the option; call only in a
/// catch block (anything else is rethrown).
[[noreturn]] void throwUsage(const courses::Error& error) {
  if (error.code() != courses::ErrorCode::invalid_argument || error.fields().empty()) throw;
  std::string option = "--" + error.fields().front().field;
  std::replace(option.begin(), option.end(), '_', '-');
  throw UsageError(option + " " + error.fields().front().message);
}

/// The options the domain's totals parser reads, under its parameter names.
constexpr std::pair<const char*, const char*> kTotalsParameters[] = {
    {"--programme", "programme"}, {"--from", "from"},           {"--to", "to"},
    {"--track", "track"},         {"--by", "by"},               {"--age-bands", "age_bands"},
    {"--suppress", "suppress"},   {"--lang", "lang"}};

TotalsRequest parseTotalsRequest(const ParsedArgs& parsed, const Console& console) {
  TotalsRequest request;
  std::vector<courses::TotalsParameter> parameters;
  for (const auto& [option, name] : kTotalsParameters) {
    if (!parsed.value(option)) continue;
    // --suppress alone asks for the default threshold, as an empty "suppress" does.
    const std::string value = std::string_view(option) == "--suppress"
                                  ? parsed.value(option).value_or("")
                                  : nonEmptyValue(parsed, option);
    parameters.emplace_back(name, value);
  }
  try {
    courses::TotalsParameters read = courses::parseTotalsParameters(parameters, true);
    request.query = std::move(read.query);
    request.programme = std::move(read.programme);
    request.language = read.language.value_or(courses::Language::en);
  } catch (const courses::Error& error) {
    throwUsage(error);
  }
  if (const auto format = parsed.value("--format")) {
    if (*format == "table") {
      request.format = Format::table;
    } else if (*format == "csv") {
      request.format = Format::csv;
    } else if (*format == "xlsx") {
      request.format = Format::xlsx;
    } else if (*format == "pdf") {
      request.format = Format::pdf;
    } else {
      throw UsageError("--format must be table, csv, xlsx or pdf");
    }
  }
  if (parsed.value("--out")) request.out = nonEmptyValue(parsed, "--out");
  if (parsed.value("--as")) request.login = nonEmptyValue(parsed, "--as");
  const bool binary = request.format == Format::xlsx || request.format == Format::pdf;
  if (binary && !request.out && console.out_is_terminal) {
    throw UsageError("--format " + std::string(request.format == Format::xlsx ? "xlsx" : "pdf") +
                     " is binary: give --out FILE or redirect standard output to a file");
  }
  return request;
}

/// The programme `ref` names (an id or a code); Error(not_found) otherwise.
courses::Programme findProgramme(courses::Repositories repos, const courses::ProgrammeRef& ref) {
  if (ref.id) {
    if (auto programme = repos.programmes.find(*ref.id)) return *programme;
  } else {
    for (const auto& programme : repos.programmes.list()) {
      if (programme.code == ref.code) return programme;
    }
  }
  throw courses::Error(courses::ErrorCode::not_found,
                       "no programme has the " +
                           (ref.id ? "id " + std::to_string(*ref.id) : "code " + *ref.code));
}

/// The programme an option names, read as the totals parameter "programme" is.
courses::Programme findProgramme(courses::Repositories repos, const std::string& code_or_id) {
  courses::ProgrammeRef ref;
  try {
    ref = courses::parseProgrammeRef(code_or_id);
  } catch (const courses::Error& error) {
    throwUsage(error);
  }
  return findProgramme(repos, ref);
}

/// Writes `bytes` to --out, or to standard output without it.
void deliver(const std::string& bytes, const std::optional<std::string>& out, Console& console,
             const char* what) {
  if (!out) {
    console.out << bytes << std::flush;
    return;
  }
  std::ofstream file(*out, std::ios::binary | std::ios::trunc);
  if (!file || !file.write(bytes.data(), static_cast<std::streamsize>(bytes.size())) ||
      !file.flush()) {
    throw courses::Error(courses::ErrorCode::internal, "cannot write " + *out);
  }
  console.out << "wrote " << what << " to " << *out << " (" << bytes.size() << " bytes)\n";
}

int reportCommand(const ParsedArgs& parsed, CommandStorage& storage, Console& console) {
  TotalsRequest request = parseTotalsRequest(parsed, console);
  auto repos = storage.repositories();
  const courses::Actor actor =
      actingAccount(repos, request.login, {courses::Role::admin, courses::Role::trainer});
  plugin::totals::ExportContext context;
  context.language = request.language;
  context.generated_at = courses::SystemClock().now();
  if (request.programme) {
    const courses::Programme programme = findProgramme(repos, *request.programme);
    request.query.programme_id = programme.id;
    context.programme_title = std::string(plugin::totals::pick(programme.title, request.language));
    context.programme_dates = {programme.starts_on, programme.ends_on};
  }

  courses::TotalsService service(repos);
  const courses::TotalsReport report = service.totals(actor, request.query);
  switch (request.format) {
    case Format::table: {
      const auto tables = plugin::totals::tables(report, context);
      std::string text;
      if (!tables.empty()) text += formatTextTable(tables.front(), request.language);
      // The targets, when there are any, are the last table: what an administrator asks first.
      if (!report.targets.empty() && tables.size() > 1) {
        text += "\n" + formatTextTable(tables.back(), request.language);
      }
      deliver(text, request.out, console, "the table");
      break;
    }
    case Format::csv: {
      const auto tables = plugin::totals::tables(report, context);
      deliver(
          tables.empty() ? std::string() : plugin::totals::toCsv(tables.front(), request.language),
          request.out, console, "CSV");
      break;
    }
    case Format::xlsx:
      deliver(plugin::totals::toXlsx(plugin::totals::tables(report, context)), request.out, console,
              "XLSX");
      break;
    case Format::pdf: {
      // The summary's bar charts come from the same query broken down by one dimension each.
      const auto by = [&](courses::Dimension dimension) {
        courses::TotalsQuery query = request.query;
        query.by = {dimension};
        return service.totals(actor, query);
      };
      const auto fonts = certificates::FontSet::dejavu();
      deliver(plugin::totals::toPdf(report, by(courses::Dimension::track),
                                    by(courses::Dimension::gender),
                                    by(courses::Dimension::district), context, fonts),
              request.out, console, "the PDF summary");
      break;
    }
  }
  return kExitOk;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int upkeepCommand(const ParsedArgs& parsed, CommandStorage& storage, Console& console) {
  const std::string& sub = parsed.positional[0];
  if (parsed.positional.size() > 1) throw UsageError("unexpected argument " + parsed.positional[1]);
  if (!parsed.values.empty() || !parsed.flags.empty()) {
    throw UsageError("totals " + sub + " takes no options");
  }
  courses::mariadb::Store& store = storage.store();
  const auto started = std::chrono::steady_clock::now();
  std::ostringstream took;
  if (sub == "rebuild") {
    store.rebuildTotals();
    took << std::fixed << std::setprecision(1) << secondsSince(started);
    console.out << "totals aggregates rebuilt from the raw rows in " << took.str() << " s\n";
    return kExitOk;
  }
  const long long differing = store.checkTotals();
  took << std::fixed << std::setprecision(1) << secondsSince(started);
  if (differing == 0) {
    console.out << "totals aggregates match the raw rows (checked in " << took.str() << " s)\n";
    return kExitOk;
  }
  console.out << differing << " aggregate rows differ from the raw rows; "
              << "'qatysu totals rebuild' recomputes them\n";
  return kExitFailure;
}

// ---------------------------------------------------------------------------------------------
/// The label a target's track gets in a listing.
std::string targetScope(const std::optional<std::string>& track) {
  return track ? *track : "(whole programme)";
}

int targetsSet(const ParsedArgs& parsed, CommandStorage& storage, Console& console) {
  const auto programme_text = parsed.value("--programme");
  if (!programme_text || programme_text->empty()) throw UsageError("--programme is required");
  const auto measure_text = parsed.value("--measure");
  if (!measure_text || measure_text->empty()) throw UsageError("--measure is required");
  const auto measure = courses::measureFromString(*measure_text);
  if (!measure) {
    throw UsageError("--measure: unknown measure '" + *measure_text +
                     "'; one of enrolled, reached, trained, trained_with_waiver, certified, "
                     "sessions, participant_hours");
  }
  const auto value_text = parsed.value("--value");
  if (!value_text || value_text->empty()) throw UsageError("--value is required");
  const auto value = parseInteger(*value_text);
  if (!value) throw UsageError("--value must be a whole number, not '" + *value_text + "'");
  std::optional<std::string> track;
  if (parsed.value("--track")) track = nonEmptyValue(parsed, "--track");

  auto repos = storage.repositories();
  const courses::Actor actor =
      actingAccount(repos, parsed.value("--as").value_or("admin"), {courses::Role::admin});
  const courses::Programme programme = findProgramme(repos, *programme_text);
  courses::TotalsService service(repos);
  std::vector<courses::Target> targets = service.targets(actor, programme.id);
  const courses::Target wanted{*measure, track, *value};
  const auto same = std::find_if(targets.begin(), targets.end(), [&](const courses::Target& t) {
    return t.measure == wanted.measure && t.track == wanted.track;
  });
  if (same != targets.end()) {
    *same = wanted;
  } else {
    targets.push_back(wanted);
  }
  service.setTargets(actor, programme.id, targets);
  console.out << "target of " << programme.code << ": " << courses::toString(*measure) << ", "
              << targetScope(track) << ": " << *value << '\n';
  return kExitOk;
}

int targetsList(const ParsedArgs& parsed, CommandStorage& storage, Console& console) {
  if (parsed.values.contains("--measure") || parsed.values.contains("--track") ||
      parsed.values.contains("--value")) {
    throw UsageError("targets list takes --programme and --as only");
  }
  const auto programme_text = parsed.value("--programme");
  if (programme_text && programme_text->empty()) throw UsageError("--programme needs a value");

  auto repos = storage.repositories();
  const courses::Actor actor = actingAccount(repos, parsed.value("--as").value_or("admin"),
                                             {courses::Role::admin, courses::Role::trainer});
  std::vector<courses::Programme> programmes;
  if (programme_text) {
    programmes.push_back(findProgramme(repos, *programme_text));
  } else {
    programmes = courses::CatalogueService(repos).listProgrammes(actor);
  }
  courses::TotalsService service(repos);
  plugin::totals::Table table;
  table.header = {"programme", "measure", "track", "target", "actual", "progress"};
  table.percent_columns = {false, false, false, false, false, true};
  for (const auto& programme : programmes) {
    const auto targets = service.targets(actor, programme.id);
    if (targets.empty()) continue;
    // Progress is in an admin's report of the whole programme; a trainer sees the targets only.
    std::vector<courses::TargetProgress> progress;
    if (actor.role == courses::Role::admin) {
      courses::TotalsQuery query;
      query.programme_id = programme.id;
      progress = service.totals(actor, query).targets;
    }
    for (const auto& target : targets) {
      std::vector<plugin::totals::Value> row = {programme.code,
                                                std::string(courses::toString(target.measure)),
                                                targetScope(target.track), target.value};
      const auto reached = std::find_if(progress.begin(), progress.end(), [&](const auto& p) {
        return p.target.measure == target.measure && p.target.track == target.track;
      });
      if (reached != progress.end()) {
        row.emplace_back(reached->actual);
        row.emplace_back(reached->progress);
      } else {
        row.emplace_back(std::monostate{});
        row.emplace_back(std::monostate{});
      }
      table.rows.push_back(std::move(row));
    }
  }
  if (table.rows.empty()) {
    console.out << "no targets set\n";
    return kExitOk;
  }
  console.out << formatTextTable(table, courses::Language::en);
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
std::string formatDecimal(double value, courses::Language language) {
  const double rounded = std::round(value * 10) / 10;
  const auto whole = static_cast<long long>(rounded);
  const auto tenth =
      static_cast<long long>(std::llround((rounded - static_cast<double>(whole)) * 10));
  return plugin::totals::formatCount(whole, language) +
         (language == courses::Language::en ? "." : ",") + std::to_string(tenth);
}

}  // namespace

std::string formatTextTable(const plugin::totals::Table& table, courses::Language language) {
  const std::size_t columns = table.header.size();
  std::vector<std::vector<std::string>> cells;
  std::vector<bool> numeric(columns, false);
  for (const auto& row : table.rows) {
    auto& line = cells.emplace_back();
    for (std::size_t c = 0; c < columns; ++c) {
      const plugin::totals::Value value =
          c < row.size() ? row[c] : plugin::totals::Value(std::monostate{});
      const bool percent = c < table.percent_columns.size() && table.percent_columns[c];
      if (const auto* text = std::get_if<std::string>(&value)) {
        line.push_back(*text);
        continue;
      }
      // A missing value ("–") says nothing about its column; anything else here is a number.
      numeric[c] = numeric[c] || !std::holds_alternative<std::monostate>(value);
      if (const auto* count = std::get_if<long long>(&value)) {
        line.push_back(percent
                           ? plugin::totals::formatPercent(static_cast<double>(*count), language)
                           : plugin::totals::formatCount(*count, language));
      } else if (const auto* number = std::get_if<double>(&value)) {
        line.push_back(percent ? plugin::totals::formatPercent(*number, language)
                               : formatDecimal(*number, language));
      } else if (const auto* hidden = std::get_if<plugin::totals::Hidden>(&value)) {
        line.push_back("<" + std::to_string(hidden->below));
      } else {
        line.push_back("–");
      }
    }
  }
  std::vector<std::size_t> widths(columns, 0);
  for (std::size_t c = 0; c < columns; ++c) {
    widths[c] = courses::codePointCount(table.header[c]);
    for (const auto& line : cells)
      widths[c] = std::max(widths[c], courses::codePointCount(line[c]));
  }
  std::string out;
  const auto put = [&](const std::vector<std::string>& line) {
    std::string text;
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string pad(widths[c] - courses::codePointCount(line[c]), ' ');
      if (c > 0) text += "  ";
      text += numeric[c] ? pad + line[c] : line[c] + pad;
    }
    // No trailing blanks: a left-aligned last column would otherwise leave them.
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + '\n';
  };
  if (!table.title.empty()) out += table.title + "\n\n";
  put(table.header);
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < columns; ++c) rule.emplace_back(widths[c], '-');
  put(rule);
  for (const auto& line : cells) put(line);
  if (!table.notes.empty()) out += '\n';
  for (const auto& note : table.notes) out += note + '\n';
  return out;
}

int totalsCommand(std::span<const std::string> args, CommandStorage& storage, Console& console) {
  const ParsedArgs parsed = parseArgs(args, kTotalsSpecs);
  if (parsed.help) {
    console.out << kTotalsUsage;
    return kExitOk;
  }
  if (parsed.positional.empty()) return reportCommand(parsed, storage, console);
  const std::string& sub = parsed.positional[0];
  if (sub == "rebuild" || sub == "check") return upkeepCommand(parsed, storage, console);
  throw UsageError("unknown subcommand totals " + sub + " (expected rebuild or check, or options)");
}

int targetsCommand(std::span<const std::string> args, CommandStorage& storage, Console& console) {
  static const OptionSpec kSpecs[] = {{"--programme", true},
                                      {"--measure", true},
                                      {"--track", true},
                                      {"--value", true},
                                      {"--as", true}};
  const ParsedArgs parsed = parseArgs(args, kSpecs);
  if (parsed.help) {
    console.out << kTargetsUsage;
    return kExitOk;
  }
  if (parsed.positional.empty()) throw UsageError("missing subcommand: set or list");
  if (parsed.positional.size() > 1) throw UsageError("unexpected argument " + parsed.positional[1]);
  const std::string& sub = parsed.positional[0];
  if (sub == "set") return targetsSet(parsed, storage, console);
  if (sub == "list") return targetsList(parsed, storage, console);
  throw UsageError("unknown subcommand targets " + sub);
}

}  // namespace plugin::cli
