#include "plugin/cli/participant_import.hpp"

#include <algorithm>
#include <charconv>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"

namespace plugin::cli {

namespace {

using courses::trim;

/// A non-negative decimal number written with digits only (no sign, no spaces inside).
template <typename T>
std::optional<T> parseNumber(std::string_view s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::string join(const std::vector<std::string>& names, std::string_view separator = ", ") {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += separator;
    out += n;
  }
  return out;
}

/// "must be female, male or undisclosed, or a word for one of them (docs/CSV_IMPORT.md)"
std::string mustBeOneOf(const ParticipantCsvFormat& format, const std::string& column) {
  std::vector<std::string> codes;
  for (const auto& [word, code] : format.words.at(column)) {
    if (word == foldWord(code) && std::find(codes.begin(), codes.end(), code) == codes.end()) {
      codes.push_back(code);
    }
  }
  std::sort(codes.begin(), codes.end());
  return "must be one of " + join(codes) + ", or a word for one of them (docs/CSV_IMPORT.md)";
}

}  // namespace

ImportColumns parseImportHeader(const CsvRecord& header) {
  const ParticipantCsvFormat& format = ParticipantCsvFormat::standard();
  std::map<std::string, std::size_t> found;
  std::vector<std::string> repeated;
  ImportColumns columns;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string written(trim(header.fields[i]));
    const auto known = format.columns.find(foldWord(written));
    if (known == format.columns.end()) {
      // A column with no name (a spreadsheet's trailing separator) is not worth naming.
      if (!written.empty()) columns.ignored.push_back(written);
    } else if (!found.emplace(known->second, i).second) {
      repeated.push_back(known->second);
    }
  }
  std::vector<std::string> missing;
  std::vector<courses::FieldProblem> problems;
  for (const auto& one_of : format.required) {
    const auto present = std::count_if(one_of.begin(), one_of.end(),
                                       [&](const std::string& c) { return found.contains(c); });
    if (present == 0) missing.push_back(join(one_of, " or "));
    if (present > 1) {
      problems.push_back({"header", "give either " + join(one_of, " or ") + ", not both"});
    }
  }
  if (!repeated.empty()) problems.insert(problems.begin(), {"header", "repeated columns: " + join(repeated)});
  if (!missing.empty()) problems.push_back({"header", "missing columns: " + join(missing)});
  if (!problems.empty()) {
    std::string message = "line " + std::to_string(header.line) + ": bad header";
    for (const auto& p : problems) message += "; " + p.message;
    throw courses::Error(courses::ErrorCode::invalid_argument, message, std::move(problems));
  }

  columns.count = header.fields.size();
  columns.full_name = found.at("full_name");
  columns.gender = found.at("gender");
  columns.birth_year = found.at("birth_year");
  columns.affiliation = found.at("affiliation");
  columns.consent = found.at("consent");
  auto optional = [&](const char* name) -> std::optional<std::size_t> {
    const auto it = found.find(name);
    return it == found.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  };
  columns.locality = optional("locality");
  columns.locality_id = optional("locality_id");
  columns.vulnerable = optional("vulnerable");
  columns.phone = optional("phone");
  columns.email = optional("email");
  return columns;
}

RowCheck checkImportRow(const CsvRecord& row, const ImportColumns& columns,
                        const LocalityLookup& localities, int current_year) {
  const ParticipantCsvFormat& format = ParticipantCsvFormat::standard();
  RowCheck check;
  check.line = row.line;
  if (row.fields.size() != columns.count) {
    check.problems.push_back("fields: expected " + std::to_string(columns.count) +
                             " fields, as the header has, found " +
                             std::to_string(row.fields.size()));
    return check;
  }
  auto field = [&](std::size_t index) { return trim(row.fields[index]); };
  auto problem = [&](std::string name, std::string message) {
    check.problems.push_back(std::move(name) + ": " + std::move(message));
  };

  courses::Participant person;
  // The name is passed as written; validateName trims, collapses and normalises it.
  person.full_name = row.fields[columns.full_name];

  const auto gender = format.code("gender", field(columns.gender));
  if (auto value = gender ? courses::genderFromString(*gender) : std::nullopt) {
    person.demographics.gender = *value;
  } else {
    problem("gender", mustBeOneOf(format, "gender"));
  }

  if (auto year = parseNumber<int>(field(columns.birth_year))) {
    person.demographics.birth_year = *year;
  } else {
    problem("birth_year", "must be a year such as 1984");
  }

  if (columns.locality) {
    const std::string cell(field(*columns.locality));
    const auto ids = localities.named(cell);
    if (ids.size() == 1) {
      person.demographics.locality_id = ids.front();
    } else if (cell.empty()) {
      problem("locality", "is empty");
    } else if (ids.empty()) {
      problem("locality", "no locality has the KATO code or name \"" + cell + "\"");
    } else {
      problem("locality", std::to_string(ids.size()) + " localities are called \"" + cell +
                              "\": write the KATO code");
    }
  } else if (columns.locality_id) {
    const auto text = field(*columns.locality_id);
    const auto id = parseNumber<courses::Id>(text);
    if (id && localities.hasId(*id)) {
      person.demographics.locality_id = *id;
    } else {
      problem("locality_id", id ? "no locality has id " + std::string(text)
                                : std::string("must be a locality id"));
    }
  }

  const auto affiliation = format.code("affiliation", field(columns.affiliation));
  if (auto value = affiliation ? courses::affiliationFromString(*affiliation) : std::nullopt) {
    person.demographics.affiliation = *value;
  } else {
    problem("affiliation", mustBeOneOf(format, "affiliation"));
  }

  if (columns.vulnerable) {
    std::string_view rest = field(*columns.vulnerable);
    std::vector<std::string> unknown;
    while (!rest.empty()) {
      const auto separator = rest.find_first_of(format.list_separators);
      const std::string_view item = trim(rest.substr(0, separator));
      rest = separator == std::string_view::npos ? std::string_view{} : rest.substr(separator + 1);
      if (item.empty()) continue;
      const auto code = format.code("vulnerable", item);
      if (auto group = code ? courses::vulnerableGroupFromString(*code) : std::nullopt) {
        person.demographics.vulnerable |= static_cast<courses::VulnerableSet>(*group);
      } else {
        unknown.push_back("\"" + std::string(item) + "\"");
      }
    }
    if (!unknown.empty()) {
      problem("vulnerable", "unknown " + join(unknown) + ": " + mustBeOneOf(format, "vulnerable"));
    }
  }

  if (columns.phone && !field(*columns.phone).empty()) {
    person.phone = std::string(field(*columns.phone));
  }
  if (columns.email && !field(*columns.email).empty()) {
    person.email = std::string(field(*columns.email));
  }

  // A no is read (and then refused by the consent rule); anything else is not an answer.
  const auto consent = format.code("consent", field(columns.consent));
  if (consent) {
    person.consent = *consent == "yes";
  } else {
    problem("consent", "must be yes or no, or a word for one of them (docs/CSV_IMPORT.md)");
  }

  if (!check.problems.empty()) {
    // Still run the domain checks on what could be read, so one pass reports everything; only
    // fields not already reported are added.
    try {
      courses::validateParticipant(person, current_year);
    } catch (const courses::Error& e) {
      for (const auto& f : e.fields()) {
        const bool known =
            std::any_of(check.problems.begin(), check.problems.end(),
                        [&](const std::string& p) { return p.starts_with(f.field); });
        // A locality that could not be resolved is already reported under its column.
        const bool derived = f.field == "locality_id";
        if (!known && !derived) problem(f.field, f.message);
      }
    }
    return check;
  }
  try {
    check.person = courses::validateParticipant(std::move(person), current_year);
  } catch (const courses::Error& e) {
    if (e.fields().empty()) {
      check.problems.emplace_back(e.what());
    }
    for (const auto& f : e.fields()) problem(f.field, f.message);
  }
  return check;
}

ImportCheck checkImportFile(std::string_view csv_text, const LocalityLookup& localities,
                            int current_year) {
  const auto delimiter = detectDelimiter(csv_text, ParticipantCsvFormat::standard().delimiters);
  const auto records = parseCsv(csv_text, delimiter);
  if (records.empty()) {
    throw courses::Error(courses::ErrorCode::invalid_argument,
                         "the file is empty: expected a header row");
  }
  const ImportColumns columns = parseImportHeader(records.front());
  ImportCheck check;
  check.ignored_columns = columns.ignored;
  check.rows.reserve(records.size() - 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& fields = records[i].fields;
    // A spreadsheet's blank row is all separators: nothing to read.
    if (std::all_of(fields.begin(), fields.end(),
                    [](const std::string& f) { return trim(f).empty(); })) {
      continue;
    }
    check.rows.push_back(checkImportRow(records[i], columns, localities, current_year));
    if (!check.rows.back().ok()) ++check.bad;
  }
  return check;
}

ImportOutcome registerImportRows(const ImportCheck& check, courses::ParticipantService& service,
                                 const courses::Actor& actor, const ProgressFn& progress) {
  ImportOutcome outcome;
  const std::size_t total = check.rows.size();
  std::size_t done = 0;
  for (const auto& row : check.rows) {
    if (!row.ok()) {
      ++outcome.skipped_bad;
    } else {
      try {
        courses::ParticipantService::Registration registration;
        registration.person = *row.person;
        service.registerPerson(actor, std::move(registration));
        ++outcome.created;
      } catch (const courses::Error& e) {
        if (e.code() != courses::ErrorCode::conflict) throw;
        ++outcome.duplicates;
        std::string note = "skipped, same person as";
        bool named = false;
        // A candidate the acting account may not see comes without an id.
        for (const auto& candidate : e.candidates) {
          if (candidate.id == 0) continue;
          note += " #" + std::to_string(candidate.id);
          named = true;
        }
        if (!named) note += " an existing person";
        outcome.notes.push_back({row.line, std::move(note)});
      }
    }
    ++done;
    if (progress) progress(done, total);
  }
  return outcome;
}

}  // namespace plugin::cli
