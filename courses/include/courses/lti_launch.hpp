#pragma once
// What a launch from a platform opens once its id_token's signature held and checkLaunch passed
// (courses/lti.hpp): the nonce is used once; the platform's user (iss + sub) is one Qatysu
// account; the roles say what that account may do here. An Instructor or TeachingAssistant is
// a trainer (an account is made for them on their first launch) of the cohort the course is
// linked to, and of no other through the platform; a platform Administrator has no more rights
// than an instructor unless a Qatysu administrator linked their user to an administrator's
// account; a Learner is the person their learner account belongs to, which their first launch
// asks about before there is one.

#include <optional>
#include <string>
#include <variant>

#include "courses/account_service.hpp"
#include "courses/glyph_coverage.hpp"
#include "courses/lti.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "courses/services.hpp"

namespace courses {

/// How long a launch's nonce is remembered: well past the id_token's exp plus the leeway.
inline constexpr long long kNonceMemorySeconds = 3600;

/// What a launch opens.
struct LaunchOutcome {
  /// The account signed in; nullopt for a learner's first launch (their details come first).
  std::optional<Account> account;
  LtiRoles roles;
  /// The cohort the course is linked to, when it is.
  std::optional<Id> cohort_id;
};

class LtiLaunchService {
 public:
  /// `coverage` tells which names certificates can print (an instructor's account is named).
  LtiLaunchService(Repositories repos, LtiPlatformRepository& platforms, AccountService& accounts,
                   const Clock& clock, const GlyphCoverage& coverage)
      : repos_(repos), platforms_(platforms), accounts_(accounts), clock_(clock),
        coverage_(coverage) {}

  /// Opens a launch `claims` of `platform` that passed checkLaunch: replayed_nonce when its nonce
  /// was used; unsupported_role when the roles name neither an instructor nor a learner;
  /// learner_account when an instructor's user is linked to a learner's account. An instructor
  /// without an account gets a trainer account (named as the platform names them, no password:
  /// only launches open it) and becomes a trainer of the linked cohort when they are not yet.
  std::variant<LaunchProblem, LaunchOutcome> open(const LtiPlatform& platform,
                                                   const LaunchClaims& claims);

  /// Links a platform's course (context) to a cohort the actor manages (its trainer, or an
  /// administrator): later launches from the course open that cohort, and its instructors
  /// become its trainers. Error(not_found) for a cohort the actor may not see, Error(forbidden)
  /// for one they see but do not manage.
  void linkContext(const Actor& actor, Id platform_id, const std::string& context_id,
                   Id cohort_id);

  /// A Qatysu administrator links a platform's user (`sub`, 1-255 printable ASCII characters) to
  /// an existing account: a platform administrator to an administrator's account, a learner
  /// registered on paper to their learner account. Administrators only (Error(forbidden));
  /// Error(not_found) for an unknown platform or account; Error(conflict) when the user is
  /// linked already.
  void linkUser(const Actor& actor, Id platform_id, const std::string& subject, Id account_id);

 private:
  Account instructorAccount(const LtiPlatform& platform, const LaunchClaims& claims);

  Repositories repos_;
  LtiPlatformRepository& platforms_;
  AccountService& accounts_;
  const Clock& clock_;
  const GlyphCoverage& coverage_;
};

}  // namespace courses
