#include "plugin/cli/participant_import.hpp"

#include <algorithm>
#include <charconv>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"

namespace plugin::cli {

namespace {

using courses::trim;

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

/// A non-negative decimal number written with digits only (no sign, no spaces inside).
template <typename T>
std::optional<T> parseNumber(std::string_view s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<bool> parseConsent(std::string_view s) {
  const std::string v = lowerAscii(trim(s));
  if (v == "yes" || v == "true" || v == "1") return true;
  if (v == "no" || v == "false" || v == "0") return false;
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string choices(const Enum (&values)[N]) {
  std::string out;
  for (const auto v : values) {
    if (!out.empty()) out += ", ";
    out += courses::toString(v);
  }
  return out;
}

constexpr courses::Gender kGenders[] = {courses::Gender::female, courses::Gender::male,
                                        courses::Gender::undisclosed};
constexpr courses::Affiliation kAffiliations[] = {
    courses::Affiliation::local_government, courses::Affiliation::civil_society,
    courses::Affiliation::community_member, courses::Affiliation::entrepreneur,
    courses::Affiliation::public_servant,   courses::Affiliation::other};

}  // namespace

ImportColumns parseImportHeader(const CsvRecord& header) {
  std::map<std::string, std::size_t> found;
  std::vector<std::string> unknown;
  std::vector<std::string> repeated;
  static const std::set<std::string> kKnown = {
      "full_name",   "gender",     "birth_year", "locality_kato", "locality_id",
      "affiliation", "vulnerable", "phone",      "email",         "consent"};
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = lowerAscii(trim(header.fields[i]));
    if (!kKnown.contains(name)) {
      unknown.push_back(name.empty() ? "(empty)" : name);
    } else if (!found.emplace(name, i).second) {
      repeated.push_back(name);
    }
  }
  std::vector<std::string> missing;
  for (const char* required : {"full_name", "gender", "birth_year", "affiliation", "consent"}) {
    if (!found.contains(required)) missing.emplace_back(required);
  }
  const bool has_kato = found.contains("locality_kato");
  const bool has_id = found.contains("locality_id");
  if (!has_kato && !has_id) missing.emplace_back("locality_kato or locality_id");

  std::vector<courses::FieldProblem> problems;
  auto join = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  if (!unknown.empty()) problems.push_back({"header", "unknown columns: " + join(unknown)});
  if (!repeated.empty()) problems.push_back({"header", "repeated columns: " + join(repeated)});
  if (!missing.empty()) problems.push_back({"header", "missing columns: " + join(missing)});
  if (has_kato && has_id) {
    problems.push_back({"header", "give either locality_kato or locality_id, not both"});
  }
  if (!problems.empty()) {
    std::string message = "line " + std::to_string(header.line) + ": bad header";
    for (const auto& p : problems) message += "; " + p.message;
    throw courses::Error(courses::ErrorCode::invalid_argument, message, std::move(problems));
  }

  ImportColumns columns;
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
  columns.locality_kato = optional("locality_kato");
  columns.locality_id = optional("locality_id");
  columns.vulnerable = optional("vulnerable");
  columns.phone = optional("phone");
  columns.email = optional("email");
  return columns;
}

LocalityLookup::LocalityLookup(const std::vector<courses::Locality>& localities) {
  for (const auto& locality : localities) {
    ids_.insert(locality.id);
    if (locality.kato) by_kato_.emplace(*locality.kato, locality.id);
  }
}

std::optional<courses::Id> LocalityLookup::byKato(const std::string& kato) const {
  const auto it = by_kato_.find(kato);
  if (it == by_kato_.end()) return std::nullopt;
  return it->second;
}

RowCheck checkImportRow(const CsvRecord& row, const ImportColumns& columns,
                        const LocalityLookup& localities, int current_year) {
  RowCheck check;
  check.line = row.line;
  if (row.fields.size() != columns.count) {
    check.problems.push_back("expected " + std::to_string(columns.count) + " fields, found " +
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

  if (auto gender = courses::genderFromString(lowerAscii(field(columns.gender)))) {
    person.demographics.gender = *gender;
  } else {
    problem("gender", "must be one of " + choices(kGenders));
  }

  if (auto year = parseNumber<int>(field(columns.birth_year))) {
    person.demographics.birth_year = *year;
  } else {
    problem("birth_year", "must be a year such as 1984");
  }

  if (columns.locality_kato) {
    const std::string kato(field(*columns.locality_kato));
    if (auto id = localities.byKato(kato)) {
      person.demographics.locality_id = *id;
    } else {
      problem("locality_kato", kato.empty() ? "is empty" : "no locality has KATO code " + kato);
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

  if (auto affiliation = courses::affiliationFromString(lowerAscii(field(columns.affiliation)))) {
    person.demographics.affiliation = *affiliation;
  } else {
    problem("affiliation", "must be one of " + choices(kAffiliations));
  }

  if (columns.vulnerable) {
    std::string_view rest = field(*columns.vulnerable);
    while (!rest.empty()) {
      const auto semicolon = rest.find(';');
      const std::string name = lowerAscii(trim(rest.substr(0, semicolon)));
      rest = semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
      if (name.empty()) continue;
      if (auto group = courses::vulnerableGroupFromString(name)) {
        person.demographics.vulnerable |= static_cast<courses::VulnerableSet>(*group);
      } else {
        problem("vulnerable", "unknown group \"" + name +
                                  "\" (known: " + choices(courses::kAllVulnerableGroups) + ")");
      }
    }
  }

  if (columns.phone && !field(*columns.phone).empty()) {
    person.phone = std::string(field(*columns.phone));
  }
  if (columns.email && !field(*columns.email).empty()) {
    person.email = std::string(field(*columns.email));
  }

  if (auto consent = parseConsent(field(columns.consent))) {
    person.consent = *consent;
  } else {
    problem("consent", "must be yes, no, true, false, 1 or 0");
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
  const auto records = parseCsv(csv_text);
  if (records.empty()) {
    throw courses::Error(courses::ErrorCode::invalid_argument,
                         "the file is empty: expected a header row");
  }
  const ImportColumns columns = parseImportHeader(records.front());
  ImportCheck check;
  check.rows.reserve(records.size() - 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
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
