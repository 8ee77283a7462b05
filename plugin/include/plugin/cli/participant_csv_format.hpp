#pragma once
// The participants CSV format (docs/CSV_IMPORT.md) as data: its columns and their other names,
// the required ones, the field separators it accepts and the words each value may be written as.
// Written once, in plugin/import/participants_csv.json, which the web app's import page reads too;
// embedded here at build time. With it, how a file's locality cell names a stored locality, which
// the command line's import and the API's GET /localities?name= (the web app's import page) share.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "courses/model.hpp"

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
  /// The same words as localityKey() reads them (their courses::wordSkeleton).
  std::set<std::string> locality_kind_keys;

  /// A locality's name (or a cell naming one) folded and without its kind words: "Нұра кенті"
  /// and "посёлок Нура" give "нұра" and "нура". Empty when nothing else is left.
  std::string shortLocalityName(std::string_view name) const;

  /// A locality's name (or a cell naming one) read as a person's name is: each word's skeleton
  /// (courses::wordSkeleton: Kazakh letters as their Russian-keyboard neighbours, ё/е, case,
  /// Latin spellings), joined by spaces. "Нұра кенті" and "нура кенти" give "nura kenti".
  std::string localityKey(std::string_view name) const;

  /// localityKey() without the kind words: "Нұра кенті", "посёлок Нура", "Nura settlement" and
  /// "нура поселок" give "nura". Empty when nothing else is left.
  std::string shortLocalityKey(std::string_view name) const;

  /// The code `cell` names in `column`'s vocabulary, if any.
  std::optional<std::string> code(std::string_view column, std::string_view cell) const;

  /// Reads the format from its JSON text. Throws std::runtime_error on a malformed document.
  static ParticipantCsvFormat fromJson(std::string_view json);
  /// The embedded format, read once.
  static const ParticipantCsvFormat& standard();
};

/// The localities a participants file (or the import page, through GET /localities?name=) may
/// name: by id, by KATO code and by name in any language, however its letters are typed.
class LocalityLookup {
 public:
  explicit LocalityLookup(const std::vector<courses::Locality>& localities);
  bool hasId(courses::Id id) const { return ids_.contains(id); }
  /// The localities a `locality` cell names: the one with that KATO code, else every one with
  /// that name (folded, foldWord) in kk, ru or en, else every one whose name reads the same
  /// (ParticipantCsvFormat::localityKey: "Нура кенти" for "Нұра кенті"), else every one with that
  /// short name (the name without its kind words, ParticipantCsvFormat::shortLocalityName: "Нура"
  /// for "посёлок Нура"), else every one whose short name reads the same (shortLocalityKey:
  /// "Изенди ауылдык округи" for "Ізенді"). Each is tried only when the one before found nobody.
  /// Several means the name is ambiguous.
  std::vector<courses::Id> named(std::string_view cell) const;

 private:
  std::set<courses::Id> ids_;
  std::map<std::string, courses::Id> by_kato_;
  std::multimap<std::string, courses::Id> by_name_;
  std::multimap<std::string, courses::Id> by_short_name_;
  std::multimap<std::string, courses::Id> by_key_;
  std::multimap<std::string, courses::Id> by_short_key_;
};

}  // namespace plugin::cli
