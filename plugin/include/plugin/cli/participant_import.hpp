#pragma once
// `qatysu import participants FILE.csv`: checking every row of a participants file (pure, no
// storage) and registering the good ones through ParticipantService. The file's format is
// docs/CSV_IMPORT.md, its columns and words ParticipantCsvFormat::standard(): the same the web
// app's import page reads.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "courses/model.hpp"
#include "courses/services.hpp"
#include "plugin/cli/csv.hpp"
#include "plugin/cli/participant_csv_format.hpp"

namespace plugin::cli {

/// Where each known column sits in the file (0-based field index); read from the header row.
/// Required: full_name, gender, birth_year, consent, affiliation and exactly one of
/// locality (KATO code or name; also headed kato or locality_kato) / locality_id. Optional:
/// vulnerable, phone, email. Other columns are ignored and named in `ignored`.
struct ImportColumns {
  std::size_t count = 0;  ///< number of columns in the header
  std::size_t full_name = 0;
  std::size_t gender = 0;
  std::size_t birth_year = 0;
  std::size_t affiliation = 0;
  std::size_t consent = 0;
  std::optional<std::size_t> locality;
  std::optional<std::size_t> locality_id;
  std::optional<std::size_t> vulnerable;
  std::optional<std::size_t> phone;
  std::optional<std::size_t> email;
  std::vector<std::string> ignored;  ///< header names the format does not know, as written
};

/// Reads the header row (names compared folded, see foldWord). Throws
/// courses::Error(invalid_argument) listing repeated (also under another name) and missing
/// columns.
ImportColumns parseImportHeader(const CsvRecord& header);

/// The verdict on one data row: a validated person, or every reason it is bad.
struct RowCheck {
  std::size_t line = 0;
  std::optional<courses::Participant> person;
  std::vector<std::string> problems;  ///< "gender: must be one of female, male, undisclosed"
  bool ok() const { return person.has_value(); }
};

/// Checks one data row: field count, each value against the format (gender, birth year, locality,
/// affiliation, vulnerable groups, consent: codes or their words), then
/// courses::validateParticipant. Never throws for bad data.
RowCheck checkImportRow(const CsvRecord& row, const ImportColumns& columns,
                        const LocalityLookup& localities, int current_year);

/// Every row of a file checked.
struct ImportCheck {
  std::vector<RowCheck> rows;
  std::size_t bad = 0;
  std::vector<std::string> ignored_columns;
};

/// Parses `csv_text` (its separator detected from the header), reads its header and checks every
/// data row; rows whose fields are all empty are skipped. Throws CsvError on malformed CSV and
/// courses::Error(invalid_argument) on a bad header or a file with no header.
ImportCheck checkImportFile(std::string_view csv_text, const LocalityLookup& localities,
                            int current_year);

/// Progress callback: rows handled so far, and the total.
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

/// Something to tell about one row.
struct RowNote {
  std::size_t line = 0;
  std::string message;  ///< "skipped, same person as #12"
};

/// What registering the checked rows did.
struct ImportOutcome {
  std::size_t created = 0;
  std::size_t duplicates = 0;  ///< rows naming a person who already exists (skipped)
  std::size_t skipped_bad = 0;
  std::vector<RowNote> notes;  ///< one per duplicate
};

/// Registers the good rows through `service` as `actor`; bad rows are skipped (the caller decides
/// beforehand whether bad rows allow an import at all). A row whose person already exists under
/// the de-duplication key is reported and skipped, never created twice. Errors other than a
/// duplicate (e.g. storage unavailable) propagate; rows registered before stay registered.
ImportOutcome registerImportRows(const ImportCheck& check, courses::ParticipantService& service,
                                 const courses::Actor& actor, const ProgressFn& progress);

}  // namespace plugin::cli
