#include "db_error.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include <cctype>
#include <iostream>
#include <mutex>
#include <string>

namespace courses::mariadb {

DbError::DbError(unsigned code, std::string sqlstate, std::string detail)
    : std::runtime_error("MariaDB error " + std::to_string(code) + " (" + sqlstate + ")"),
      code_(code),
      sqlstate_(std::move(sqlstate)),
      detail_(std::move(detail)) {}

DbError DbError::fromConnector(unsigned code, std::string sqlstate, std::string_view message,
                               std::string_view where) {
  DbError error(code, std::move(sqlstate), redactQuoted(message) + std::string(where));
  if (code == ER_DUP_ENTRY) {
    // "Duplicate entry '…' for key 'uq_accounts_login'": the key is the last quoted part.
    const auto close = message.rfind('\'');
    const auto open = close == std::string_view::npos || close == 0
                          ? std::string_view::npos
                          : message.rfind('\'', close - 1);
    if (open != std::string_view::npos) {
      error.key_ = std::string(message.substr(open + 1, close - open - 1));
    }
  }
  return error;
}

bool isLostConnection(unsigned code) noexcept {
  switch (code) {
    case CR_CONNECTION_ERROR:      // 2002
    case CR_CONN_HOST_ERROR:       // 2003
    case CR_SERVER_GONE_ERROR:     // 2006
    case CR_SERVER_LOST:           // 2013
    case CR_SERVER_LOST_EXTENDED:  // 2055
    case ER_CONNECTION_KILLED:     // 1927: the server killed this connection
    case ER_SERVER_SHUTDOWN:       // 1053
      return true;
    default:
      return false;
  }
}

bool isClientError(unsigned code) noexcept {
  return code >= 2000 && code < 3000;
}

bool isRetryable(unsigned code) noexcept {
  switch (code) {
    case ER_LOCK_DEADLOCK:      // 1213
    case ER_LOCK_WAIT_TIMEOUT:  // 1205
    case ER_UNKNOWN_COM_ERROR:  // 1047: WSREP has not yet prepared node for application use
    case ER_NEED_REPREPARE:     // 1615
    case ER_MAX_PREPARED_STMT_COUNT_REACHED:  // 1461: the server-wide limit; ours are dropped
      return true;
    default:
      return false;
  }
}

namespace {

// What a clash on each unique key means to the person who caused it.
std::string conflictMessage(std::string_view key) {
  if (key == "uq_accounts_login") return "an account with this login already exists";
  if (key == "uq_programmes_code") return "a programme with this code already exists";
  if (key == "uq_localities_kato") return "a locality with this KATO code already exists";
  if (key == "uq_enrolments_pair") return "this person is already enrolled in this cohort";
  if (key == "uq_accounts_participant") return "this person already has a learner account";
  if (key == "uq_access_codes_hash") return "this access code is already in use";
  if (key == "uq_certificates_serial") return "a certificate with this serial already exists";
  if (key == "uq_lti_platforms_issuer_client") {
    return "a platform with this issuer and client id is registered already";
  }
  if (key == "uq_certificates_valid_enrolment") {
    return "this enrolment already holds a valid certificate";
  }
  return "a record with the same unique value already exists";
}

}  // namespace

courses::Error toDomainError(const DbError& error) {
  const unsigned code = error.code();
  switch (code) {
    case ER_DUP_ENTRY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
      return Error(ErrorCode::conflict, conflictMessage(error.key()));
    case ER_ROW_IS_REFERENCED:
    case ER_ROW_IS_REFERENCED_2:
      return Error(ErrorCode::conflict, "the record is still referenced by other records");
    case ER_NO_REFERENCED_ROW:
    case ER_NO_REFERENCED_ROW_2:
      return Error(ErrorCode::invalid_argument, "a referenced record does not exist");
    case ER_DATA_TOO_LONG:
    case ER_TRUNCATED_WRONG_VALUE:
    case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
    case ER_WARN_DATA_OUT_OF_RANGE:
    case ER_BAD_NULL_ERROR:
    case WARN_DATA_TRUNCATED:
      return Error(ErrorCode::invalid_argument, "a value does not fit its field");
    default:
      break;
  }
  logStorage(std::string(error.what()) + ": " + error.detail());
  if (isClientError(code) || isLostConnection(code) || isRetryable(code) ||
      code == ER_CON_COUNT_ERROR || code == ER_TOO_MANY_USER_CONNECTIONS ||
      code == ER_QUERY_INTERRUPTED || code == ER_STATEMENT_TIMEOUT) {
    return Error(ErrorCode::unavailable, "storage is unavailable; try again later");
  }
  return Error(ErrorCode::internal, "storage error");
}

void logStorage(std::string_view line) {
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  std::cerr << "qatysu storage: " << line << '\n';
}

std::string redactQuoted(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  bool quoted = false;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    // An apostrophe inside a word ("Can't") neither opens nor closes a quoted value.
    const bool after_word =
        i > 0 && std::isalnum(static_cast<unsigned char>(message[i - 1])) != 0 && !quoted;
    if (c == '\'' && !after_word) {
      out += quoted ? "\xE2\x80\xA6'" : "'";  // '…'
      quoted = !quoted;
      continue;
    }
    if (!quoted) out.push_back(c);
  }
  if (quoted) out += "\xE2\x80\xA6";
  return out;
}

}  // namespace courses::mariadb
