// RFC 4180 CSV for spreadsheets: a byte order mark so Excel reads UTF-8, CRLF line ends, and text
// that cannot be mistaken for a formula.
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

/// Quoted when it holds a separator, a quote or a line break; quotes doubled.
void appendField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
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
/// `fixed`; '.' as the decimal point, no grouping.
std::string number(double value, bool fixed, int decimals) {
  if (!std::isfinite(value)) return {};
  value += 0.0;  // -0.0 becomes 0.0, so no "-0" is written
  char buffer[64];
  const auto result = fixed ? std::to_chars(buffer, buffer + sizeof buffer, value,
                                            std::chars_format::fixed, decimals)
                            : std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string cell(const Value& value, bool percent) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    return looksLikeFormula(*text) ? "'" + *text : *text;
  }
  if (const auto* count = std::get_if<long long>(&value)) return std::to_string(*count);
  if (const auto* decimal = std::get_if<double>(&value)) {
    // A rate 0..1 becomes a percentage with one decimal; other decimals (hours) keep two at most.
    if (percent) return number(*decimal * 100.0, true, 1);
    return number(std::round(*decimal * 100.0) / 100.0, false, 0);
  }
  if (const auto* hidden = std::get_if<Hidden>(&value)) return words::hidden(hidden->below);
  return {};
}

void appendRecord(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    appendField(out, fields[i]);
  }
  out += kLineEnd;
}

}  // namespace

std::string toCsv(const Table& table) {
  std::string out(kBom);
  std::vector<std::string> fields;
  for (const std::string& name : table.header) fields.push_back(cell(Value(name), false));
  appendRecord(out, fields);
  for (const std::vector<Value>& row : table.rows) {
    fields.clear();
    for (std::size_t i = 0; i < row.size(); ++i) {
      fields.push_back(cell(row[i], i < table.percent_columns.size() && table.percent_columns[i]));
    }
    appendRecord(out, fields);
  }
  return out;
}

}  // namespace plugin::totals
