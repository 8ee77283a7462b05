#include "values.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "courses/error.hpp"
#include "db_error.hpp"

namespace courses::mariadb {

std::string sqlDateTime(std::string_view timestamp) {
  // Shape only; the domain validated the calendar (courses::isValidTimestamp).
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  bool ok = timestamp.size() == kShape.size();
  for (std::size_t i = 0; ok && i < kShape.size(); ++i) {
    ok = kShape[i] == 'd' ? std::isdigit(static_cast<unsigned char>(timestamp[i])) != 0
                          : timestamp[i] == kShape[i];
  }
  if (!ok)
    throw Error(ErrorCode::invalid_argument, "a timestamp must look like 2026-01-31T09:30:00Z");
  std::string out(timestamp.substr(0, 19));
  out[10] = ' ';
  return out;
}

void unknownStoredValue(std::string_view column) {
  logStorage("unknown value stored in column " + std::string(column));
  throw Error(ErrorCode::internal, "storage error");
}

VulnerableSet vulnerableColumn(const Row& row, std::size_t column) {
  const long long value = row.int64(column);
  if (value < 0 || value > 0xFF) unknownStoredValue("vulnerable");
  return static_cast<VulnerableSet>(value);
}

std::string likeContains(std::string_view fragment) {
  std::string out = "%";
  for (const char c : fragment) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

}  // namespace courses::mariadb

namespace courses::mariadb {

std::string repeatRows(std::string_view row, std::size_t rows) {
  std::string out;
  out.reserve((row.size() + 2) * rows);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) out += ", ";
    out += row;
  }
  return out;
}

std::string caseRows(std::string_view key, std::size_t rows) {
  std::string out = "CASE " + std::string(key);
  out.reserve(out.size() + rows * 14 + 12);
  for (std::size_t i = 0; i < rows; ++i) out += " WHEN ? THEN ?";
  out += " ELSE 0 END";
  return out;
}

JsonRows& JsonRows::add(std::initializer_list<Cell> cells) {
  if (rows_++ > 0) body_ += ',';
  body_ += '[';
  bool first = true;
  for (const Cell& cell : cells) {
    if (!first) body_ += ',';
    first = false;
    if (std::holds_alternative<std::nullopt_t>(cell)) {
      body_ += "null";
    } else if (const long long* number = std::get_if<long long>(&cell)) {
      body_ += std::to_string(*number);
    } else {
      const std::string_view word = std::get<std::string_view>(cell);
      const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
      });
      if (!plain) throw std::invalid_argument("JsonRows: not a plain word");
      body_ += '"';
      body_ += word;
      body_ += '"';
    }
  }
  body_ += ']';
  return *this;
}

std::size_t paddedRows(std::size_t rows) noexcept {
  std::size_t padded = 1;
  while (padded < rows) padded *= 2;
  return padded;
}

}  // namespace courses::mariadb
