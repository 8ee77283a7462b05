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

}  // namespace courses::mariadb
