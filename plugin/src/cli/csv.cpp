#include "plugin/cli/csv.hpp"

namespace plugin::cli {

CsvError::CsvError(std::size_t line, const std::string& reason)
    : std::runtime_error("line " + std::to_string(line) + ": " + reason),
      line_(line),
      reason_(reason) {}

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

/// A hand-written state machine rather than a regex: it must report the exact line of a fault
/// and accept line breaks inside quoted fields.
class Parser {
 public:
  Parser(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

  std::vector<CsvRecord> run() {
    if (text_.starts_with(kBom)) pos_ = kBom.size();
    while (pos_ < text_.size()) {
      CsvRecord record = readRecord();
      // An empty line parses as one empty unquoted field: skip it, it carries nothing.
      if (record.fields.size() == 1 && record.fields.front().empty() && !last_field_quoted_) {
        continue;
      }
      records_.push_back(std::move(record));
    }
    return std::move(records_);
  }

 private:
  /// Reads fields up to and including the record's line break (or the end of the text).
  CsvRecord readRecord() {
    CsvRecord record;
    record.line = line_;
    while (true) {
      record.fields.push_back(readField());
      if (pos_ >= text_.size()) return record;
      const char c = text_[pos_];
      if (c == delimiter_) {
        ++pos_;
        continue;
      }
      consumeLineBreak();
      return record;
    }
  }

  /// Consumes LF or CRLF at pos_; anything else here is a fault of the caller's state.
  void consumeLineBreak() {
    if (text_[pos_] == '\r') {
      if (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n') {
        throw CsvError(line_, "carriage return not followed by a line feed");
      }
      ++pos_;
    }
    ++pos_;  // the '\n'
    ++line_;
  }

  std::string readField() {
    last_field_quoted_ = pos_ < text_.size() && text_[pos_] == '"';
    return last_field_quoted_ ? readQuoted() : readUnquoted();
  }

  std::string readUnquoted() {
    std::string field;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == delimiter_ || c == '\n') break;
      if (c == '\r') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') break;
        throw CsvError(line_, "carriage return not followed by a line feed");
      }
      if (c == '"') {
        throw CsvError(line_,
                       "quote inside an unquoted field (quote the whole field and write \"\")");
      }
      field.push_back(c);
      ++pos_;
    }
    return field;
  }

  std::string readQuoted() {
    const std::size_t start_line = line_;
    ++pos_;  // opening quote
    std::string field;
    while (true) {
      if (pos_ >= text_.size()) {
        throw CsvError(start_line, "quoted field is not closed");
      }
      const char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n') ++line_;
      field.push_back(c);
    }
    if (pos_ < text_.size()) {
      const char next = text_[pos_];
      if (next != delimiter_ && next != '\n' && next != '\r') {
        throw CsvError(line_, "text after the closing quote of a field");
      }
    }
    return field;
  }

  std::string_view text_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool last_field_quoted_ = false;
  std::vector<CsvRecord> records_;
};

}  // namespace

std::vector<CsvRecord> parseCsv(std::string_view text, char delimiter) {
  return Parser(text, delimiter).run();
}

char detectDelimiter(std::string_view text, std::string_view candidates) {
  if (candidates.empty()) return ',';
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  // The first line that holds anything: its separators, counted outside quotes.
  std::vector<std::size_t> counts(candidates.size(), 0);
  bool quoted = false;
  bool seen_text = false;
  for (const char c : text) {
    if (c == '"') {
      quoted = !quoted;  // "" inside quotes toggles twice: still inside
    } else if (!quoted && (c == '\n' || c == '\r')) {
      if (seen_text) break;
      continue;
    } else if (!quoted) {
      const auto at = candidates.find(c);
      if (at != std::string_view::npos) ++counts[at];
    }
    seen_text = true;
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < counts.size(); ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  return counts[best] > 0 ? candidates[best] : ',';
}

}  // namespace plugin::cli
