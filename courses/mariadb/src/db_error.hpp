#pragma once
// Errors of the MariaDB layer. A DbError carries the server's or the connector's error number;
// toDomainError turns it into the courses::Error the repositories' callers see, whose message is
// generic: SQL text and server messages go to the log only.

#include <stdexcept>
#include <string>
#include <string_view>

#include "courses/error.hpp"

namespace courses::mariadb {

/// A failed call into MariaDB Connector/C.
class DbError : public std::runtime_error {
 public:
  /// `detail` is for the log: the connector's message (quoted values redacted) and the SQL text.
  DbError(unsigned code, std::string sqlstate, std::string detail);

  /// From a connector's error: the message is redacted for the log, and for a duplicate key
  /// (1062) the name of the unique key is kept.
  static DbError fromConnector(unsigned code, std::string sqlstate, std::string_view message,
                               std::string_view where);

  unsigned code() const noexcept { return code_; }
  /// The unique key a duplicate-key error names ("uq_accounts_login"); empty otherwise.
  const std::string& key() const noexcept { return key_; }
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  const std::string& detail() const noexcept { return detail_; }

 private:
  unsigned code_;
  std::string sqlstate_;
  std::string detail_;
  std::string key_;
};

/// The connection is gone (2002, 2003, 2006, 2013, 2055); the connection must be discarded.
bool isLostConnection(unsigned code) noexcept;

/// The connector reported a client-side problem (2000–2999): the connection is unusable.
bool isClientError(unsigned code) noexcept;

/// A transient conflict the whole transaction may be retried on: deadlock or certification
/// failure (1213), lock wait timeout (1205), node not ready (1047), statement to re-prepare (1615),
/// too many prepared statements on the server (1461).
bool isRetryable(unsigned code) noexcept;

/// The domain error for a DbError that is not retried any more. Logs the unexpected ones.
courses::Error toDomainError(const DbError& error);

/// Writes one line to the storage log (standard error).
void logStorage(std::string_view line);

/// Replaces every single-quoted part of a server message by '…', so that values (names, logins)
/// do not reach the log.
std::string redactQuoted(std::string_view message);

}  // namespace courses::mariadb
