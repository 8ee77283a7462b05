#include "statement.hpp"

#include <errmsg.h>
#include <mysql.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <new>

#include "courses/error.hpp"
#include "db_error.hpp"

namespace courses::mariadb {
namespace {

[[noreturn]] void wrongKind(std::size_t column, std::string_view wanted) {
  logStorage("column " + std::to_string(column) + " read as " + std::string(wanted) +
             " holds another kind of value");
  throw Error(ErrorCode::internal, "storage error");
}

// A string column's first buffer; longer values are fetched again with a buffer of their size.
constexpr unsigned long kInitialTextBuffer = 256;

enum class ColumnKind { integer, real, text, datetime };

ColumnKind columnKind(const MYSQL_FIELD& field) {
  switch (field.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      return ColumnKind::integer;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return ColumnKind::real;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
      return ColumnKind::datetime;
    default:
      return ColumnKind::text;
  }
}

// "YYYY-MM-DD HH:MM:SS" -> "YYYY-MM-DDTHH:MM:SSZ"
std::string isoTimestamp(std::string text) {
  if (text.size() >= 19 && text[10] == ' ') {
    text.resize(19);
    text[10] = 'T';
    text.push_back('Z');
  }
  return text;
}

struct ResultGuard {
  MYSQL_STMT* stmt;
  MYSQL_RES* meta;
  ~ResultGuard() {
    if (meta != nullptr) mysql_free_result(meta);
    mysql_stmt_free_result(stmt);
  }
};

}  // namespace

const Row::Cell& Row::cell(std::size_t column) const {
  if (column >= cells_.size()) wrongKind(column, "an existing column");
  return cells_[column];
}

bool Row::isNull(std::size_t column) const {
  return cell(column).kind == Cell::Kind::null;
}

long long Row::int64(std::size_t column) const {
  const Cell& c = cell(column);
  if (c.kind != Cell::Kind::integer) wrongKind(column, "integer");
  return c.integer;
}

int Row::int32(std::size_t column) const {
  const long long value = int64(column);
  if (value < INT_MIN || value > INT_MAX) wrongKind(column, "32-bit integer");
  return static_cast<int>(value);
}

double Row::real(std::size_t column) const {
  const Cell& c = cell(column);
  if (c.kind == Cell::Kind::real) return c.real;
  if (c.kind == Cell::Kind::integer) return static_cast<double>(c.integer);
  wrongKind(column, "number");
}

const std::string& Row::text(std::size_t column) const {
  const Cell& c = cell(column);
  if (c.kind != Cell::Kind::text) wrongKind(column, "text");
  return c.text;
}

std::optional<long long> Row::optInt64(std::size_t column) const {
  if (isNull(column)) return std::nullopt;
  return int64(column);
}

std::optional<std::string> Row::optText(std::size_t column) const {
  if (isNull(column)) return std::nullopt;
  return text(column);
}

Statement::Statement(MYSQL* mysql, std::string sql) : mysql_(mysql), sql_(std::move(sql)) {
  stmt_ = mysql_stmt_init(mysql);
  if (stmt_ == nullptr) {
    throw DbError(mysql_errno(mysql), mysql_sqlstate(mysql),
                  redactQuoted(mysql_error(mysql)) + " [stmt_init] " + sql_);
  }
  if (mysql_stmt_prepare(stmt_, sql_.data(), sql_.size()) != 0) {
    DbError error(mysql_stmt_errno(stmt_), mysql_stmt_sqlstate(stmt_),
                  redactQuoted(mysql_stmt_error(stmt_)) + " [prepare] " + sql_);
    mysql_stmt_close(stmt_);
    throw error;
  }
}

Statement::~Statement() {
  mysql_stmt_close(stmt_);
}

void Statement::fail(std::string_view step) const {
  const std::string where = " [" + std::string(step) + "] " + sql_;
  if (mysql_stmt_errno(stmt_) != 0) {
    throw DbError::fromConnector(mysql_stmt_errno(stmt_), mysql_stmt_sqlstate(stmt_),
                                 mysql_stmt_error(stmt_), where);
  }
  // An error packet in place of a row (e.g. a duplicate key in INSERT … RETURNING) is recorded
  // on the connection, not on the statement.
  if (mysql_errno(mysql_) != 0) {
    throw DbError::fromConnector(mysql_errno(mysql_), mysql_sqlstate(mysql_), mysql_error(mysql_),
                                 where);
  }
  throw DbError(CR_UNKNOWN_ERROR, "HY000", "no error reported" + where);
}

void Statement::bindAndExecute(std::span<const Param> params) {
  const unsigned long expected = mysql_stmt_param_count(stmt_);
  if (expected != params.size()) {
    logStorage("statement expects " + std::to_string(expected) + " parameters, got " +
               std::to_string(params.size()) + ": " + sql_);
    throw Error(ErrorCode::internal, "storage error");
  }
  if (!params.empty()) {
    std::vector<MYSQL_BIND> binds(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      MYSQL_BIND& b = binds[i];
      const Param& p = params[i];
      switch (p.kind()) {
        case Param::Kind::null:
          b.buffer_type = MYSQL_TYPE_NULL;
          break;
        case Param::Kind::integer:
          b.buffer_type = MYSQL_TYPE_LONGLONG;
          b.buffer = const_cast<long long*>(&p.integer());
          break;
        case Param::Kind::real:
          b.buffer_type = MYSQL_TYPE_DOUBLE;
          b.buffer = const_cast<double*>(&p.real());
          break;
        case Param::Kind::text:
        case Param::Kind::bytes: {
          static char empty[1] = {0};
          b.buffer_type = p.kind() == Param::Kind::bytes ? MYSQL_TYPE_LONG_BLOB : MYSQL_TYPE_STRING;
          b.buffer = p.text().empty() ? empty : const_cast<char*>(p.text().data());
          b.buffer_length = p.text().size();
          break;
        }
      }
    }
    if (mysql_stmt_bind_param(stmt_, binds.data()) != 0) fail("bind_param");
    if (mysql_stmt_execute(stmt_) != 0) fail("execute");
    return;
  }
  if (mysql_stmt_execute(stmt_) != 0) fail("execute");
}

ExecResult Statement::execute(std::span<const Param> params) {
  bindAndExecute(params);
  ExecResult result{mysql_stmt_affected_rows(stmt_), mysql_stmt_insert_id(stmt_)};
  if (mysql_stmt_field_count(stmt_) > 0) mysql_stmt_free_result(stmt_);
  return result;
}

Rows Statement::query(std::span<const Param> params) {
  Rows rows;
  each(params, [&](const Row& row) { rows.push_back(row); });
  return rows;
}

void Statement::each(std::span<const Param> params, const std::function<void(const Row&)>& visit) {
  bindAndExecute(params);
  MYSQL_RES* meta = mysql_stmt_result_metadata(stmt_);
  ResultGuard guard{stmt_, meta};
  if (meta == nullptr) {
    if (mysql_stmt_errno(stmt_) != 0) fail("result_metadata");
    return;
  }
  const unsigned columns = mysql_num_fields(meta);
  const MYSQL_FIELD* fields = mysql_fetch_fields(meta);

  std::vector<ColumnKind> kinds(columns);
  std::vector<MYSQL_BIND> binds(columns);
  std::vector<long long> integers(columns);
  std::vector<double> reals(columns);
  std::vector<std::string> texts(columns);
  std::vector<unsigned long> lengths(columns);
  std::vector<my_bool> nulls(columns);
  std::vector<my_bool> errors(columns);
  for (unsigned i = 0; i < columns; ++i) {
    kinds[i] = columnKind(fields[i]);
    MYSQL_BIND& b = binds[i];
    b.length = &lengths[i];
    b.is_null = &nulls[i];
    b.error = &errors[i];
    switch (kinds[i]) {
      case ColumnKind::integer:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &integers[i];
        b.is_unsigned = (fields[i].flags & UNSIGNED_FLAG) != 0;
        break;
      case ColumnKind::real:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = &reals[i];
        break;
      case ColumnKind::text:
      case ColumnKind::datetime:
        texts[i].resize(std::min<unsigned long>(fields[i].length, kInitialTextBuffer) + 1);
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = texts[i].data();
        b.buffer_length = texts[i].size();
        break;
    }
  }
  if (mysql_stmt_bind_result(stmt_, binds.data()) != 0) fail("bind_result");

  Row row{std::vector<Row::Cell>(columns)};
  while (true) {
    const int rc = mysql_stmt_fetch(stmt_);
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) fail("fetch");
    if (rc == MYSQL_DATA_TRUNCATED) {
      // A text longer than its buffer: grow the buffer, fetch that column again, and keep the
      // bigger buffer for the rows that follow.
      bool rebind = false;
      for (unsigned i = 0; i < columns; ++i) {
        if (errors[i] == 0 || nulls[i] != 0) continue;
        if (kinds[i] != ColumnKind::text && kinds[i] != ColumnKind::datetime) {
          wrongKind(i, "a value that fits its buffer");
        }
        texts[i].resize(lengths[i] + 1);
        binds[i].buffer = texts[i].data();
        binds[i].buffer_length = texts[i].size();
        if (mysql_stmt_fetch_column(stmt_, &binds[i], i, 0) != 0) fail("fetch_column");
        rebind = true;
      }
      if (rebind && mysql_stmt_bind_result(stmt_, binds.data()) != 0) fail("bind_result");
    }
    for (unsigned i = 0; i < columns; ++i) {
      Row::Cell& c = row.cells_[i];
      if (nulls[i] != 0) {
        c.kind = Row::Cell::Kind::null;
        continue;
      }
      switch (kinds[i]) {
        case ColumnKind::integer:
          c.kind = Row::Cell::Kind::integer;
          c.integer = integers[i];
          break;
        case ColumnKind::real:
          c.kind = Row::Cell::Kind::real;
          c.real = reals[i];
          break;
        case ColumnKind::text:
          c.kind = Row::Cell::Kind::text;
          c.text.assign(texts[i].data(), lengths[i]);
          break;
        case ColumnKind::datetime:
          c.kind = Row::Cell::Kind::text;
          c.text = isoTimestamp(std::string(texts[i].data(), lengths[i]));
          break;
      }
    }
    visit(row);
  }
}

}  // namespace courses::mariadb
