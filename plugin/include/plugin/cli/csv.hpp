#pragma once
// A strict RFC 4180 CSV parser for the import command: a pure function from text to records.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace plugin::cli {

/// One record of a CSV file and the (1-based) line it starts on.
struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

/// Malformed CSV: the message starts with "line N: ".
class CsvError : public std::runtime_error {
 public:
  CsvError(std::size_t line, const std::string& reason);
  std::size_t line() const noexcept { return line_; }
  /// The message without the line prefix.
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::size_t line_;
  std::string reason_;
};

/// Parses CSV text (RFC 4180): fields separated by `delimiter` (a comma unless told otherwise), records by CRLF or LF, fields may be
/// quoted with '"', a quote inside a quoted field is written '""', and quoted fields may hold
/// the delimiter and line breaks (kept as written). A leading UTF-8 byte order mark is dropped; empty
/// lines are skipped. Strict: a quote inside an unquoted field, text after a closing quote, a
/// carriage return not followed by a line feed outside quotes, and a quoted field left open at the
/// end all throw CsvError naming the line. Bytes are not checked for UTF-8 here.
std::vector<CsvRecord> parseCsv(std::string_view text, char delimiter = ',');

/// The field separator a file uses: whichever of `candidates` occurs most often outside quotes in
/// its first non-empty line (the header), the earlier candidate on a tie; a comma when none does.
char detectDelimiter(std::string_view text, std::string_view candidates);

}  // namespace plugin::cli
