#include <algorithm>

#include "courses/error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

constexpr std::string_view kColumns =
    "SELECT a.id, a.login, a.role, a.participant_id, a.disabled, a.created_at,"
    " a.password_hash, a.failed_logins, a.locked_until, a.display_name, a.language"
    " FROM accounts a ";

// The most accounts one page of a listing holds, whatever the caller asks for.
constexpr int kMaxPageSize = 500;

Account accountFrom(const Row& row) {
  Account a;
  a.id = row.int64(0);
  a.login = row.text(1);
  a.role = storedEnum(roleFromString(row.text(2)), "accounts.role");
  a.participant_id = row.optInt64(3);
  a.disabled = row.boolean(4);
  a.created_at = row.text(5);
  a.display_name = row.text(9);
  a.has_password = !row.optText(6).value_or("").empty();
  if (const auto language = row.optText(10)) {
    a.language = storedEnum(languageFromString(*language), "accounts.language");
  }
  return a;
}

void requireOne(const ExecResult& result) {
  // The connections use CLIENT_FOUND_ROWS: affected_rows counts matched rows, changed or not.
  if (result.affected_rows == 0) throw Error(ErrorCode::not_found, "account not found");
}

}  // namespace

Account SqlAccountRepository::create(const Account& account, const std::string& password_hash) {
  return runner_.run([&](Tx& tx) {
    Account stored = account;
    const Rows inserted = tx.query(
        "INSERT INTO accounts (login, display_name, role, password_hash, participant_id, disabled,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP()) RETURNING id, created_at",
        {account.login, account.display_name, toString(account.role), password_hash,
         account.participant_id, account.disabled});
    stored.id = inserted.at(0).int64(0);
    stored.created_at = inserted.at(0).text(1);
    return stored;
  });
}

std::optional<Account> SqlAccountRepository::find(Id id) {
  static const std::string sql = std::string(kColumns) + "WHERE a.id = ?";
  return runner_.read([&](Tx& tx) -> std::optional<Account> {
    auto row = tx.queryOne(sql, {id});
    if (!row) return std::nullopt;
    return accountFrom(*row);
  });
}

std::optional<AccountCredentials> SqlAccountRepository::findByLogin(const std::string& login) {
  static const std::string sql = std::string(kColumns) + "WHERE a.login = ?";
  return runner_.read([&](Tx& tx) -> std::optional<AccountCredentials> {
    auto row = tx.queryOne(sql, {login});
    if (!row) return std::nullopt;
    AccountCredentials credentials;
    credentials.account = accountFrom(*row);
    credentials.password_hash = row->text(6);
    return credentials;
  });
}

void SqlAccountRepository::setPassword(Id id, const std::string& password_hash) {
  runner_.run([&](Tx& tx) {
    requireOne(
        tx.execute("UPDATE accounts SET password_hash = ? WHERE id = ?", {password_hash, id}));
  });
}

void SqlAccountRepository::setDisabled(Id id, bool disabled) {
  runner_.run([&](Tx& tx) {
    requireOne(tx.execute("UPDATE accounts SET disabled = ? WHERE id = ?", {disabled, id}));
    // A disabled account's sessions end now, not when their tokens expire.
    if (disabled) tx.execute("DELETE FROM auth_tokens WHERE account_id = ?", {id});
  });
}

Account SqlAccountRepository::update(Id id, const AccountChange& change) {
  static const std::string sql = std::string(kColumns) + "WHERE a.id = ? FOR UPDATE";
  return runner_.run([&](Tx& tx) {
    if (!tx.queryOne(sql, {id})) throw Error(ErrorCode::not_found, "account not found");
    if (change.login) tx.execute("UPDATE accounts SET login = ? WHERE id = ?", {*change.login, id});
    if (change.display_name) {
      tx.execute("UPDATE accounts SET display_name = ? WHERE id = ?", {*change.display_name, id});
    }
    if (change.password_hash) {
      tx.execute("UPDATE accounts SET password_hash = ? WHERE id = ?", {*change.password_hash, id});
      // A password reset is what an administrator does when one leaked: the sessions opened with
      // the old one end with it (but the one making the change, when it is the holder's own).
      tx.execute("DELETE FROM auth_tokens WHERE account_id = ? AND token_hash <> ?",
                 {id, change.keep_token_hash.value_or("")});
      // Wrong guesses at the old password say nothing about the new one.
      tx.execute("DELETE FROM login_attempts WHERE account_id = ?", {id});
    }
    if (change.disabled) {
      tx.execute("UPDATE accounts SET disabled = ? WHERE id = ?", {*change.disabled, id});
      // A disabled account's sessions end now, not when their tokens expire.
      if (*change.disabled) tx.execute("DELETE FROM auth_tokens WHERE account_id = ?", {id});
    }
    auto row = tx.queryOne(sql, {id});
    if (!row) throw Error(ErrorCode::not_found, "account not found");
    return accountFrom(*row);
  });
}

Page<Account> SqlAccountRepository::list(std::optional<Role> role, const PageRequest& page) {
  const int limit = std::clamp(page.limit, 1, kMaxPageSize);
  std::string sql = std::string(kColumns) + "WHERE a.id > ?";
  std::vector<Param> params{page.after};
  if (role) {
    sql += " AND a.role = ?";
    params.emplace_back(toString(*role));
  }
  // One more than asked tells whether another page follows.
  sql += " ORDER BY a.id LIMIT ?";
  params.emplace_back(limit + 1);
  return runner_.read([&](Tx& tx) {
    Page<Account> result;
    for (const Row& row : tx.query(sql, params)) result.items.push_back(accountFrom(row));
    if (result.items.size() > static_cast<std::size_t>(limit)) {
      result.items.pop_back();
      result.next_after = result.items.back().id;
    }
    return result;
  });
}

void SqlAccountRepository::setLanguage(Id id, Language language) {
  runner_.run([&](Tx& tx) {
    requireOne(
        tx.execute("UPDATE accounts SET language = ? WHERE id = ?", {toString(language), id}));
  });
}

namespace {

// Client addresses are IP literals (at most 45 characters); anything longer is cut to the column.
constexpr std::size_t kMaxClientBytes = 64;

}  // namespace

std::optional<Timestamp> SqlAccountRepository::reserveLoginAttempt(Id id, const std::string& client,
                                                                   int max_attempts,
                                                                   const Timestamp& now,
                                                                   const Timestamp& lock_until) {
  const std::string key = client.substr(0, kMaxClientBytes);
  const std::string at = sqlDateTime(now);
  const std::string until = sqlDateTime(lock_until);
  return runner_.run([&](Tx& tx) -> std::optional<Timestamp> {
    // The upsert makes the row exist and holds its lock until commit, so concurrent attempts of
    // one login from one client are counted one after another: no more than max_attempts of them
    // are ever allowed before the lock is set.
    tx.execute(
        "INSERT INTO login_attempts (account_id, client, attempts) VALUES (?, ?, 0)"
        " ON DUPLICATE KEY UPDATE attempts = attempts",
        {id, key});
    const auto row = tx.queryOne(
        "SELECT attempts, locked_until FROM login_attempts WHERE account_id = ? AND client = ?"
        " FOR UPDATE",
        {id, key});
    if (!row) throw Error(ErrorCode::not_found, "account not found");
    int attempts = row->int32(0);
    if (const auto locked = row->optText(1)) {
      if (now < *locked) return locked;
      attempts = 0;  // the lock has run out: a fresh set of attempts
    }
    ++attempts;
    tx.execute(
        "UPDATE login_attempts SET attempts = ?, locked_until = IF(? >= ?, ?, NULL)"
        " WHERE account_id = ? AND client = ?",
        {attempts, attempts, max_attempts, until, id, key});
    // Rows of other clients whose lock ran out are a fresh start anyway: they go on the way.
    tx.execute(
        "DELETE FROM login_attempts WHERE account_id = ? AND client <> ? AND locked_until <= ?",
        {id, key, at});
    return std::nullopt;
  });
}

void SqlAccountRepository::clearLoginAttempts(Id id, const std::optional<std::string>& client) {
  runner_.run([&](Tx& tx) {
    if (client) {
      tx.execute("DELETE FROM login_attempts WHERE account_id = ? AND client = ?",
                 {id, client->substr(0, kMaxClientBytes)});
    } else {
      tx.execute("DELETE FROM login_attempts WHERE account_id = ?", {id});
    }
  });
}

std::vector<AccountEvent> SqlAccountRepository::audit(Id id) {
  return runner_.read([&](Tx& tx) {
    std::vector<AccountEvent> out;
    for (const Row& row : tx.query(
             "SELECT action, actor_id, at FROM account_events WHERE account_id = ? ORDER BY id",
             {id})) {
      out.push_back(AccountEvent{row.text(0), row.optInt64(1).value_or(0), row.text(2)});
    }
    return out;
  });
}

void SqlAccountRepository::storeToken(const std::string& token_hash, Id account_id,
                                      const Timestamp& expires_at) {
  const std::string expires = sqlDateTime(expires_at);
  runner_.run([&](Tx& tx) {
    // Expired tokens of the same account go on the way, so the table does not grow forever.
    tx.execute("DELETE FROM auth_tokens WHERE account_id = ? AND expires_at < UTC_TIMESTAMP()",
               {account_id});
    tx.execute(
        "INSERT INTO auth_tokens (token_hash, account_id, expires_at, created_at)"
        " VALUES (?, ?, ?, UTC_TIMESTAMP())",
        {token_hash, account_id, expires});
  });
}

std::optional<Account> SqlAccountRepository::findByToken(const std::string& token_hash,
                                                         const Timestamp& now) {
  static const std::string sql = std::string(kColumns) +
                                 "JOIN auth_tokens t ON t.account_id = a.id"
                                 " WHERE t.token_hash = ? AND t.expires_at > ? AND a.disabled = 0";
  const std::string at = sqlDateTime(now);
  return runner_.read([&](Tx& tx) -> std::optional<Account> {
    auto row = tx.queryOne(sql, {token_hash, at});
    if (!row) return std::nullopt;
    return accountFrom(*row);
  });
}

void SqlAccountRepository::deleteToken(const std::string& token_hash) {
  runner_.run(
      [&](Tx& tx) { tx.execute("DELETE FROM auth_tokens WHERE token_hash = ?", {token_hash}); });
}

std::optional<Account> SqlAccountRepository::findByParticipant(Id participant_id) {
  static const std::string sql =
      std::string(kColumns) + "WHERE a.participant_id = ? AND a.role = 'learner'";
  return runner_.read([&](Tx& tx) -> std::optional<Account> {
    auto row = tx.queryOne(sql, {participant_id});
    if (!row) return std::nullopt;
    return accountFrom(*row);
  });
}

void SqlAccountRepository::storeAccessCode(Id account_id, const std::string& code_hash,
                                           const Timestamp& expires_at,
                                           const std::optional<AccountEvent>& reset) {
  const std::string expires = sqlDateTime(expires_at);
  const std::optional<std::string> reset_at =
      reset ? std::optional(sqlDateTime(reset->at)) : std::nullopt;
  runner_.run([&](Tx& tx) {
    // Locking the account row makes two codes issued at once for one account replace each other
    // in order, and tells an unknown account (not_found) from a failed foreign key.
    if (!tx.queryOne("SELECT id FROM accounts WHERE id = ? FOR UPDATE", {account_id})) {
      throw Error(ErrorCode::not_found, "account not found");
    }
    tx.execute(
        "INSERT INTO access_codes (account_id, code_hash, expires_at, resets_password, created_at)"
        " VALUES (?, ?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE"
        " code_hash = VALUES(code_hash), expires_at = VALUES(expires_at),"
        " resets_password = VALUES(resets_password), created_at = VALUES(created_at)",
        {account_id, Param::bytes(code_hash), expires, reset.has_value()});
    if (reset) {
      // A reset starts now: whoever holds a session of the account loses it.
      tx.execute("DELETE FROM auth_tokens WHERE account_id = ?", {account_id});
      tx.execute("INSERT INTO account_events (account_id, action, actor_id, at) VALUES (?, ?, ?, ?)",
                 {account_id, reset->action, accountParam(reset->actor_id), *reset_at});
    }
  });
}

std::optional<Account> SqlAccountRepository::redeemAccessCode(const std::string& code_hash,
                                                              const Timestamp& now) {
  static const std::string sql = std::string(kColumns) +
                                 "JOIN access_codes c ON c.account_id = a.id"
                                 " WHERE c.code_hash = ? AND c.expires_at > ? AND a.disabled = 0"
                                 " AND (a.password_hash = '' OR c.resets_password = 1)"
                                 " FOR UPDATE";
  const std::string at = sqlDateTime(now);
  return runner_.run([&](Tx& tx) -> std::optional<Account> {
    // The locking read makes a second redemption of the same code wait for the first; once the
    // first commits, the code is gone and the second finds nothing.
    auto row = tx.queryOne(sql, {Param::bytes(code_hash), at});
    if (!row) return std::nullopt;
    Account account = accountFrom(*row);
    tx.execute("DELETE FROM access_codes WHERE account_id = ?", {account.id});
    // A code is a password reset: the learner may set a new password without the old one.
    tx.execute("UPDATE accounts SET password_hash = '' WHERE id = ?", {account.id});
    account.has_password = false;
    // Whoever held the old password may hold a session too: a reset ends every earlier one.
    tx.execute("DELETE FROM auth_tokens WHERE account_id = ?", {account.id});
    tx.execute("DELETE FROM login_attempts WHERE account_id = ?", {account.id});
    return account;
  });
}

}  // namespace courses::mariadb
