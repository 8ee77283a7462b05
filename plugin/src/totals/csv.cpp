// RFC 4180 CSV for spreadsheets: a byte order mark so Excel reads UTF-8, CRLF line ends, text
// that cannot be mistaken for a formula, and the separators a spreadsheet set to the report's
// language expects (a Kazakh or Russian one reads "312,5" as a number and splits fields at ';').
#include <charconv>
#include <cmath>
#include <string_view>

#include "plugin/totals/exports.hpp"
#include "words.hpp"

namespace plugin::totals {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kLineEnd = "\r\n";

/// Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
bool looksLikeFormula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

/// How numbers and fields are separated in one language.
struct Separators {
  char field = ',';
  char decimal = '.';
};

Separators separatorsOf(courses::Language language) {
  if (language == courses::Language::en) return {',', '.'};
  return {';', ','};
}

/// A field as written: its text, and whether it is a number (whose decimal comma in kk and ru is
/// no separator there and needs no quotes).
struct Field {
  std::string text;
  bool number = false;
};

/// Quoted when it holds the separator, a quote or a line break, or (text) either separator, so it
/// reads the same in a spreadsheet of another language; quotes doubled.
void appendField(std::string& out, const Field& cell, char separator) {
  const std::string_view field = cell.text;
  const std::string_view special =
      cell.number ? (separator == ';' ? std::string_view(";\"\r\n") : std::string_view(",\"\r\n"))
                  : std::string_view(",;\"\r\n");
  if (field.find_first_of(special) == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

/// The shortest text that reads back as `value`, after rounding to `decimals` places when
/// `fixed`; `decimal` as the decimal point, no grouping.
std::string number(double value, bool fixed, int decimals, char decimal) {
  if (!std::isfinite(value)) return {};
  value += 0.0;  // -0.0 becomes 0.0, so no "-0" is written
  char buffer[64];
  const auto result = fixed ? std::to_chars(buffer, buffer + sizeof buffer, value,
                                            std::chars_format::fixed, decimals)
                            : std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, result.ptr);
  for (char& c : text) {
    if (c == '.') c = decimal;
  }
  return text;
}

Field cell(const Value& value, bool percent, char decimal) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    return {looksLikeFormula(*text) ? "'" + *text : *text};
  }
  if (const auto* count = std::get_if<long long>(&value)) return {std::to_string(*count), true};
  if (const auto* fraction = std::get_if<double>(&value)) {
    // A rate 0..1 becomes a percentage with one decimal; other decimals (hours) keep two at most.
    if (percent) return {number(*fraction * 100.0, true, 1, decimal), true};
    return {number(std::round(*fraction * 100.0) / 100.0, false, 0, decimal), true};
  }
  if (const auto* hidden = std::get_if<Hidden>(&value)) return {words::hidden(hidden->below)};
  return {};
}

void appendRecord(std::string& out, const std::vector<Field>& fields, char separator) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += separator;
    appendField(out, fields[i], separator);
  }
  out += kLineEnd;
}

}  // namespace

std::string toCsv(const Table& table, courses::Language language) {
  const Separators separators = separatorsOf(language);
  std::string out(kBom);
  std::vector<Field> fields;
  for (const std::string& name : table.header) {
    fields.push_back(cell(Value(name), false, separators.decimal));
  }
  appendRecord(out, fields, separators.field);
  for (const std::vector<Value>& row : table.rows) {
    fields.clear();
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool percent = i < table.percent_columns.size() && table.percent_columns[i];
      fields.push_back(cell(row[i], percent, separators.decimal));
    }
    appendRecord(out, fields, separators.field);
  }
  return out;
}

}  // namespace plugin::totals
