// XLSX through libxlsxwriter: one sheet per table, numbers as numbers so the donor can add them up
// (where that is right), with the title above and the notes below.
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "plugin/totals/exports.hpp"
#include "words.hpp"

namespace plugin::totals {
namespace {

constexpr lxw_row_t kTitleRow = 0;
constexpr lxw_row_t kHeaderRow = 2;
constexpr lxw_row_t kFirstDataRow = kHeaderRow + 1;
constexpr double kMinColumnWidth = 8;
constexpr double kMaxColumnWidth = 45;
/// A header longer than this wraps instead of widening its column.
constexpr std::size_t kMaxHeaderWidth = 16;

[[noreturn]] void fail(const std::string& what, lxw_error error) {
  throw std::runtime_error("XLSX: " + what + ": " + lxw_strerror(error));
}

void check(lxw_error error, const char* what) {
  if (error != LXW_NO_ERROR) fail(what, error);
}

/// A file of our own in TMPDIR for libxlsxwriter to write (version 1.1.4 writes only to files),
/// removed when we are done with it.
class TemporaryFile {
 public:
  TemporaryFile() {
    const char* tmpdir = std::getenv("TMPDIR");
    directory_ = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
    std::string pattern = directory_ + "/qatysu-totals-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      throw std::runtime_error("XLSX: cannot make a temporary file in " + directory_ + ": " +
                               std::strerror(errno));
    }
    ::close(fd);
    path_ = pattern;
  }
  ~TemporaryFile() { std::remove(path_.c_str()); }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::string& path() const { return path_; }
  std::string& directory() { return directory_; }

  std::string read() const {
    std::ifstream in(path_, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw std::runtime_error("XLSX: cannot read " + path_);
    return bytes;
  }

 private:
  std::string directory_;
  std::string path_;
};

struct WorkbookFree {
  void operator()(lxw_workbook* workbook) const { lxw_workbook_free(workbook); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookFree>;

struct Formats {
  explicit Formats(lxw_workbook* workbook)
      : title(workbook_add_format(workbook)),
        header(workbook_add_format(workbook)),
        count(workbook_add_format(workbook)),
        decimal(workbook_add_format(workbook)),
        percent(workbook_add_format(workbook)),
        hidden(workbook_add_format(workbook)),
        note(workbook_add_format(workbook)) {
    for (lxw_format* format : {title, header, count, decimal, percent, hidden, note}) {
      if (format == nullptr) fail("cannot add a format", LXW_ERROR_MEMORY_MALLOC_FAILED);
    }
    format_set_bold(title);
    format_set_font_size(title, 12);
    format_set_bold(header);
    format_set_text_wrap(header);
    format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(header, LXW_BORDER_THIN);
    format_set_num_format(count, "#,##0");
    format_set_num_format(decimal, "#,##0.0");
    format_set_num_format(percent, "0.0%");
    format_set_align(hidden, LXW_ALIGN_RIGHT);
    format_set_italic(note);
  }
  lxw_format* title;
  lxw_format* header;
  lxw_format* count;
  lxw_format* decimal;
  lxw_format* percent;
  lxw_format* hidden;
  lxw_format* note;
};

/// Characters, not bytes: what a column's width is measured in.
std::size_t characters(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

/// About how many characters a number takes with its grouping ("12,345.6").
std::size_t numberWidth(double value) {
  const double magnitude = std::max(1.0, std::fabs(value));
  const auto digits = static_cast<std::size_t>(std::floor(std::log10(magnitude))) + 1;
  return digits + (digits - 1) / 3 + 3;
}

class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* sheet, const Formats& formats, const Table& table)
      : sheet_(sheet), formats_(formats), table_(table) {}

  void write() {
    check(worksheet_write_string(sheet_, kTitleRow, 0, table_.title.c_str(), formats_.title),
          "title");
    for (std::size_t c = 0; c < table_.header.size(); ++c) {
      check(worksheet_write_string(sheet_, kHeaderRow, column(c), table_.header[c].c_str(),
                                   formats_.header),
            "header");
      widen(c, std::min(characters(table_.header[c]), kMaxHeaderWidth));
    }
    worksheet_freeze_panes(sheet_, kFirstDataRow, 0);
    lxw_row_t row = kFirstDataRow;
    for (const std::vector<Value>& values : table_.rows) {
      for (std::size_t c = 0; c < values.size(); ++c) writeCell(row, c, values[c]);
      ++row;
    }
    ++row;  // a blank row between the numbers and the notes
    for (const std::string& note : table_.notes) {
      check(worksheet_write_string(sheet_, row++, 0, note.c_str(), formats_.note), "note");
    }
    for (std::size_t c = 0; c < widths_.size(); ++c) {
      const double width =
          std::clamp(static_cast<double>(widths_[c]) + 2, kMinColumnWidth, kMaxColumnWidth);
      check(worksheet_set_column(sheet_, column(c), column(c), width, nullptr), "column width");
    }
  }

 private:
  static lxw_col_t column(std::size_t c) {
    if (c >= LXW_COL_MAX) fail("too many columns", LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
    return static_cast<lxw_col_t>(c);
  }

  void widen(std::size_t c, std::size_t width) {
    if (widths_.size() <= c) widths_.resize(c + 1, 0);
    widths_[c] = std::max(widths_[c], width);
  }

  bool percent(std::size_t c) const {
    return c < table_.percent_columns.size() && table_.percent_columns[c];
  }

  void writeCell(lxw_row_t row, std::size_t c, const Value& value) {
    const lxw_col_t col = column(c);
    if (const auto* text = std::get_if<std::string>(&value)) {
      check(worksheet_write_string(sheet_, row, col, text->c_str(), nullptr), "cell");
      widen(c, characters(*text));
    } else if (const auto* count = std::get_if<long long>(&value)) {
      const auto number = static_cast<double>(*count);
      check(worksheet_write_number(sheet_, row, col, number, formats_.count), "cell");
      widen(c, numberWidth(number));
    } else if (const auto* decimal = std::get_if<double>(&value)) {
      // Excel has no NaN or infinity: such a value is left blank.
      if (!std::isfinite(*decimal)) return;
      check(worksheet_write_number(sheet_, row, col, *decimal,
                                   percent(c) ? formats_.percent : formats_.decimal),
            "cell");
      widen(c, numberWidth(percent(c) ? *decimal * 100 : *decimal));
    } else if (const auto* hidden = std::get_if<Hidden>(&value)) {
      const std::string shown = words::hidden(hidden->below);
      check(worksheet_write_string(sheet_, row, col, shown.c_str(), formats_.hidden), "cell");
      widen(c, shown.size());
    }
  }

  lxw_worksheet* sheet_;
  const Formats& formats_;
  const Table& table_;
  std::vector<std::size_t> widths_;
};

}  // namespace

std::string toXlsx(const std::vector<Table>& tables) {
  TemporaryFile file;
  lxw_workbook_options options{};
  options.tmpdir = file.directory().data();
  WorkbookPtr workbook(workbook_new_opt(file.path().c_str(), &options));
  if (workbook == nullptr) fail("cannot start a workbook", LXW_ERROR_MEMORY_MALLOC_FAILED);
  const Formats formats(workbook.get());
  for (const Table& table : tables) {
    check(workbook_validate_sheet_name(workbook.get(), table.name.c_str()),
          ("sheet name \"" + table.name + "\"").c_str());
    lxw_worksheet* sheet = workbook_add_worksheet(workbook.get(), table.name.c_str());
    if (sheet == nullptr)
      fail("cannot add sheet \"" + table.name + "\"", LXW_ERROR_MEMORY_MALLOC_FAILED);
    SheetWriter(sheet, formats, table).write();
  }
  // workbook_close frees the workbook whatever it returns.
  check(workbook_close(workbook.release()), "cannot write the workbook");
  return file.read();
}

}  // namespace plugin::totals
