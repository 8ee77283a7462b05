#pragma once
// Totals as the donor reads them: localized tables, and the CSV, XLSX and PDF files made from
// them. Pure functions of a courses::TotalsReport; no HTTP or database here.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "certificates/fonts.hpp"
#include "courses/model.hpp"
#include "courses/totals.hpp"

namespace plugin::totals {

/// One cell of an exported table: text, a whole number, a decimal (hours, rates as 0..1), a
/// hidden value (k-suppression, shown as "<k"), or nothing (not applicable).
struct Hidden {
  int below = 5;
  friend bool operator==(const Hidden&, const Hidden&) = default;
};
using Value = std::variant<std::monostate, std::string, long long, double, Hidden>;

struct Table {
  std::string name;   ///< sheet name (≤ 31 characters, no []:*?/\), e.g. "Gender × District"
  std::string title;  ///< a sentence above the table
  std::vector<std::string> header;  ///< column names in the report's language
  std::vector<std::vector<Value>> rows;
  /// Which columns hold a rate (0..1), to be shown as a percentage.
  std::vector<bool> percent_columns;
  std::vector<std::string> notes;  ///< printed under the table (overlap, suppression, rules)
};

/// What an export names besides the numbers.
struct ExportContext {
  courses::Language language = courses::Language::en;
  std::string programme_title;      ///< in `language`; empty for all programmes
  courses::Period programme_dates;  ///< the programme's start and end; empty for all programmes
  std::string generated_at;         ///< "YYYY-MM-DDTHH:MM:SSZ"
};

/// The report as tables in `language`: first the breakdown itself (with two dimensions: one row
/// per pair, then each dimension's subtotals, then the total; with one: one row per value, then
/// the total; with none: the total), then, with two dimensions, one table per dimension (its
/// values, then the total; with one dimension the breakdown is that table), then the targets
/// when there are any. Columns: the dimensions' labels, then every measure's label. Sheet names
/// are unique within the result.
std::vector<Table> tables(const courses::TotalsReport& report, const ExportContext& context);

/// RFC 4180 CSV of `table` (CRLF line ends, quoted where needed), UTF-8 with a byte order mark,
/// for a spreadsheet set to `language`: in kk and ru fields are separated by ';' and numbers have
/// a decimal comma ("312,5"), in en by ',' with a decimal point ("312.5"). A text cell starting
/// with '=', '+', '-', '@', a tab or a carriage return gets a leading apostrophe so no spreadsheet
/// runs it as a formula. Numbers have no grouping; hidden values are "<k"; percentages numbers
/// 0..100 with one decimal.
std::string toCsv(const Table& table, courses::Language language);

/// An XLSX workbook (libxlsxwriter) with one sheet per table, numbers as numbers, percentages
/// formatted as such, header row bold and frozen. Throws std::runtime_error when the library fails.
std::string toXlsx(const std::vector<Table>& tables);

/// A one-page PDF summary (certificates::renderSummary) in `context.language`: the headline
/// figures of the total, the targets with progress, and bar charts of trained people by track,
/// by gender and by district (computed from `by_track`, `by_gender` and `by_district`, reports of
/// the same query broken down by that one dimension).
std::string toPdf(const courses::TotalsReport& report, const courses::TotalsReport& by_track,
                  const courses::TotalsReport& by_gender, const courses::TotalsReport& by_district,
                  const ExportContext& context, const certificates::FontSet& fonts);

/// The period a report covers as the dashboard and every export name it (after "Period: "), in
/// `language`: its ends as dates ("1 Feb 2017 – 31 Jan 2020"); an open end is the programme's own
/// start or end when `programme_dates` has it, else "the start" or "the end"; with neither end
/// asked for, "the whole programme, 1 Feb 2017 – 31 Jan 2020", or "all time" for all programmes.
std::string periodText(const courses::Period& period, const courses::Period& programme_dates,
                       courses::Language language);

/// A calendar date "YYYY-MM-DD" as CLDR's medium date in `language`, as the web app writes dates:
/// "2017 ж. 01 ақп.", "1 февр. 2017 г.", "1 Feb 2017"; anything else as given.
std::string formatDate(std::string_view date, courses::Language language);

/// The text in `language`, falling back to another language when that one is empty.
std::string_view pick(const courses::LocalizedText& text, courses::Language language);

/// Formats for people: a count with a narrow no-break space between thousands in kk and ru and a
/// comma in en ("1 234", "1,234"); a percentage ("87,5 %" in kk/ru, "87.5%" in en).
std::string formatCount(long long value, courses::Language language);
std::string formatPercent(double share, courses::Language language);

}  // namespace plugin::totals
