#pragma once
// The MariaDB implementation of courses::LtiPlatformRepository (courses/lti.hpp).

#include <atomic>

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
  bool useNonce(Id platform_id, std::string_view nonce, const Timestamp& expires_at,
                const Timestamp& now) override;
  std::optional<Id> accountOf(Id platform_id, std::string_view subject) override;
  void linkAccount(Id platform_id, std::string_view subject, Id account_id) override;
  std::optional<Id> cohortOf(Id platform_id, std::string_view context_id) override;
  void linkContext(Id platform_id, std::string_view context_id, Id cohort_id) override;

 private:
  TransactionRunner& runner_;
  std::atomic<unsigned> nonces_used_{0};
};

}  // namespace courses::mariadb
