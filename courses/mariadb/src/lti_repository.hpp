#pragma once
// The MariaDB implementation of courses::LtiPlatformRepository (courses/lti.hpp).

#include "courses/lti.hpp"
#include "repositories.hpp"

namespace courses::mariadb {

class SqlLtiPlatformRepository final : public LtiPlatformRepository {
 public:
  explicit SqlLtiPlatformRepository(TransactionRunner& runner) : runner_(runner) {}
  LtiPlatform add(const LtiPlatform& platform) override;
  std::vector<LtiPlatform> list() override;
  std::optional<LtiPlatform> find(Id id) override;
  std::vector<LtiPlatform> byIssuer(std::string_view issuer) override;
  LtiPlatform setDisabled(Id id, bool disabled) override;

 private:
  TransactionRunner& runner_;
};

}  // namespace courses::mariadb
