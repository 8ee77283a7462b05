#pragma once
// The participants CSV format (docs/CSV_IMPORT.md) as data: its columns and their other names,
// the required ones, the field separators it accepts and the words each value may be written as.
// Written once, in plugin/import/participants_csv.json, which the web app's import page reads too;
// embedded here at build time.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace plugin::cli {

/// The bytes of plugin/import/participants_csv.json.
std::string_view participantCsvFormatJson() noexcept;

/// How cells, words and header names are compared: NFC, case-folded, ё as е, apostrophes dropped,
/// dashes as '-', trimmed, runs of white space as one (courses::nameMatchKey). Text that is not
/// valid UTF-8 folds to "" and so matches nothing.
std::string foldWord(std::string_view text);

struct ParticipantCsvFormat {
  /// Field separators a file may use, in the order a tie between them is decided.
  std::string delimiters;
  /// What separates several values in one cell (the vulnerable groups).
  std::string list_separators;
  /// Folded header name or other name → the column it means.
  std::map<std::string, std::string> columns;
  /// Each entry: the file must have exactly one of these columns.
  std::vector<std::vector<std::string>> required;
  /// Column → folded word or code → code.
  std::map<std::string, std::map<std::string, std::string>> words;
  /// Folded words that name a kind of place ("кенті", "район", "village"), which a locality's
  /// name may be written without.
  std::set<std::string> locality_kinds;

  /// A locality's name (or a cell naming one) folded and without its kind words: "Нұра кенті"
  /// and "посёлок Нура" give "нұра" and "нура". Empty when nothing else is left.
  std::string shortLocalityName(std::string_view name) const;

  /// The code `cell` names in `column`'s vocabulary, if any.
  std::optional<std::string> code(std::string_view column, std::string_view cell) const;

  /// Reads the format from its JSON text. Throws std::runtime_error on a malformed document.
  static ParticipantCsvFormat fromJson(std::string_view json);
  /// The embedded format, read once.
  static const ParticipantCsvFormat& standard();
};

}  // namespace plugin::cli
