#include "lti_repository.hpp"

#include <map>
#include <string>

#include "courses/error.hpp"
#include "values.hpp"

namespace courses::mariadb {

namespace {

constexpr const char* kColumns =
    "SELECT id, name, issuer, client_id, auth_url, token_url, jwks_url, disabled, created_at"
    " FROM lti_platforms ";

LtiPlatform platformFrom(const Row& row) {
  LtiPlatform p;
  p.id = row.int64(0);
  p.name = row.text(1);
  p.issuer = row.text(2);
  p.client_id = row.text(3);
  p.auth_url = row.text(4);
  p.token_url = row.text(5);
  p.jwks_url = row.text(6);
  p.disabled = row.boolean(7);
  p.created_at = row.text(8);
  return p;
}

// The platforms `sql` selects, each with its deployments in the order they were registered.
std::vector<LtiPlatform> platforms(Tx& tx, const std::string& sql,
                                   std::initializer_list<Param> params) {
  std::vector<LtiPlatform> out;
  std::map<Id, std::size_t> at;
  for (const Row& row : tx.query(sql, params)) {
    at[row.int64(0)] = out.size();
    out.push_back(platformFrom(row));
  }
  if (out.empty()) return out;
  std::string ids;
  for (const auto& [id, index] : at) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  for (const Row& row : tx.query("SELECT platform_id, deployment_id FROM lti_deployments"
                                 " WHERE platform_id IN (" +
                                     ids + ") ORDER BY platform_id, position",
                                 {})) {
    out[at.at(row.int64(0))].deployment_ids.push_back(row.text(1));
  }
  return out;
}

}  // namespace

LtiPlatform SqlLtiPlatformRepository::add(const LtiPlatform& platform) {
  return runner_.run([&](Tx& tx) {
    LtiPlatform stored = platform;
    const Rows inserted = tx.query(
        "INSERT INTO lti_platforms (name, issuer, client_id, auth_url, token_url, jwks_url,"
        " disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, UTC_TIMESTAMP())"
        " RETURNING id, created_at",
        {platform.name, platform.issuer, platform.client_id, platform.auth_url, platform.token_url,
         platform.jwks_url});
    stored.id = inserted.at(0).int64(0);
    stored.created_at = inserted.at(0).text(1);
    stored.disabled = false;
    int position = 0;
    for (const std::string& deployment : platform.deployment_ids) {
      tx.execute(
          "INSERT INTO lti_deployments (platform_id, deployment_id, position) VALUES (?, ?, ?)",
          {stored.id, deployment, position++});
    }
    return stored;
  });
}

std::vector<LtiPlatform> SqlLtiPlatformRepository::list() {
  static const std::string sql = std::string(kColumns) + "ORDER BY id";
  return runner_.read([&](Tx& tx) { return platforms(tx, sql, {}); });
}

std::optional<LtiPlatform> SqlLtiPlatformRepository::find(Id id) {
  static const std::string sql = std::string(kColumns) + "WHERE id = ?";
  return runner_.read([&](Tx& tx) -> std::optional<LtiPlatform> {
    auto found = platforms(tx, sql, {id});
    if (found.empty()) return std::nullopt;
    return found.front();
  });
}

std::vector<LtiPlatform> SqlLtiPlatformRepository::byIssuer(std::string_view issuer) {
  static const std::string sql =
      std::string(kColumns) + "WHERE issuer_hash = UNHEX(SHA2(?, 256)) AND issuer = ? ORDER BY id";
  const std::string text(issuer);
  return runner_.read([&](Tx& tx) { return platforms(tx, sql, {text, text}); });
}

LtiPlatform SqlLtiPlatformRepository::setDisabled(Id id, bool disabled) {
  static const std::string sql = std::string(kColumns) + "WHERE id = ?";
  return runner_.run([&](Tx& tx) {
    tx.execute("UPDATE lti_platforms SET disabled = ? WHERE id = ?", {disabled, id});
    auto found = platforms(tx, sql, {id});
    if (found.empty())
      throw Error(ErrorCode::not_found, "LTI platform " + std::to_string(id) + " was not found");
    return found.front();
  });
}

bool SqlLtiPlatformRepository::useNonce(Id platform_id, std::string_view nonce,
                                        const Timestamp& expires_at, const Timestamp& now) {
  const std::string text(nonce);
  const std::string expires = sqlDateTime(expires_at);
  const std::string before = sqlDateTime(now);
  try {
    runner_.run([&](Tx& tx) {
      tx.execute("INSERT INTO lti_nonces (platform_id, nonce, expires_at) VALUES (?, ?, ?)",
                 {platform_id, text, expires});
    });
  } catch (const Error& e) {
    if (e.code() == ErrorCode::conflict) return false;
    throw;
  }
  // Forgetting is a small batch now and then, not a statement on every launch.
  if (nonces_used_.fetch_add(1, std::memory_order_relaxed) % 64 == 0) {
    runner_.run([&](Tx& tx) {
      tx.execute("DELETE FROM lti_nonces WHERE expires_at < ? LIMIT 1000", {before});
    });
  }
  return true;
}

std::optional<Id> SqlLtiPlatformRepository::accountOf(Id platform_id, std::string_view subject) {
  const std::string text(subject);
  return runner_.read([&](Tx& tx) -> std::optional<Id> {
    const Rows rows = tx.query(
        "SELECT account_id FROM lti_users WHERE platform_id = ? AND subject = ?",
        {platform_id, text});
    if (rows.empty()) return std::nullopt;
    return rows.front().int64(0);
  });
}

void SqlLtiPlatformRepository::linkAccount(Id platform_id, std::string_view subject,
                                           Id account_id) {
  const std::string text(subject);
  runner_.run([&](Tx& tx) {
    tx.execute(
        "INSERT INTO lti_users (platform_id, subject, account_id, created_at)"
        " VALUES (?, ?, ?, UTC_TIMESTAMP())",
        {platform_id, text, account_id});
  });
}

std::optional<Id> SqlLtiPlatformRepository::cohortOf(Id platform_id,
                                                    std::string_view context_id) {
  const std::string text(context_id);
  return runner_.read([&](Tx& tx) -> std::optional<Id> {
    const Rows rows = tx.query(
        "SELECT cohort_id FROM lti_contexts WHERE platform_id = ? AND context_id = ?",
        {platform_id, text});
    if (rows.empty()) return std::nullopt;
    return rows.front().int64(0);
  });
}

void SqlLtiPlatformRepository::linkContext(Id platform_id, std::string_view context_id,
                                           Id cohort_id) {
  const std::string text(context_id);
  runner_.run([&](Tx& tx) {
    tx.execute(
        "INSERT INTO lti_contexts (platform_id, context_id, cohort_id, linked_at)"
        " VALUES (?, ?, ?, UTC_TIMESTAMP())"
        " ON DUPLICATE KEY UPDATE cohort_id = VALUES(cohort_id), linked_at = VALUES(linked_at)",
        {platform_id, text, cohort_id});
  });
}

}  // namespace courses::mariadb
