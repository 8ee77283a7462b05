#include "courses/lti_launch.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "access.hpp"
#include "courses/error.hpp"
#include "courses/text.hpp"

namespace courses {

namespace {

LaunchProblem refuse(LaunchRefusal refusal, std::string claim = {}) {
  LaunchProblem problem;
  problem.refusal = refusal;
  problem.claim = std::move(claim);
  return problem;
}

std::string joined(const std::vector<std::string>& roles) {
  std::string out;
  for (const std::string& role : roles) out += (out.empty() ? "" : " ") + role;
  return out.empty() ? "none" : out;
}

// The login of a platform user's account: "lti<platform>-<sub>" when sub is a short lowercase
// token (Moodle's user ids, Canvas's UUIDs), else "lti<platform>-" and a 64-bit FNV-1a of sub.
std::string loginStem(Id platform_id, const std::string& subject) {
  const std::string prefix = "lti" + std::to_string(platform_id) + "-";
  const bool plain = !subject.empty() && prefix.size() + subject.size() <= 56 &&
                     std::all_of(subject.begin(), subject.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                              c == '_' || c == '.';
                     });
  if (plain) return prefix + subject;
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : subject) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (int shift = 60; shift >= 0; shift -= 4) hex += kHex[(hash >> shift) & 0xF];
  return prefix + hex;
}

}  // namespace

std::variant<LaunchProblem, LaunchOutcome> LtiLaunchService::open(const LtiPlatform& platform,
                                                                  const LaunchClaims& claims) {
  LaunchOutcome outcome;
  outcome.roles = readRoles(claims.roles);
  const bool instructor = outcome.roles.instructor || outcome.roles.administrator;
  if (!instructor && !outcome.roles.learner) {
    return refuse(LaunchRefusal::unsupported_role, joined(claims.roles));
  }
  const Timestamp now = clock_.now();
  if (!platforms_.useNonce(platform.id, claims.nonce, addSeconds(now, kNonceMemorySeconds), now)) {
    return refuse(LaunchRefusal::replayed_nonce);
  }
  if (claims.context) outcome.cohort_id = platforms_.cohortOf(platform.id, claims.context->id);

  std::optional<Account> account;
  if (const auto linked = platforms_.accountOf(platform.id, claims.subject)) {
    account = repos_.accounts.find(*linked);
  }
  if (instructor) {
    if (account && account->role == Role::learner) return refuse(LaunchRefusal::learner_account);
    if (!account) account = instructorAccount(platform, claims);
    // An instructor of the course is a trainer of its cohort; an administrator's account already
    // sees every cohort.
    if (outcome.cohort_id && account->role == Role::trainer &&
        !repos_.cohorts.isTrainerOf(*outcome.cohort_id, account->id)) {
      if (auto cohort = repos_.cohorts.find(*outcome.cohort_id)) {
        cohort->trainer_ids.push_back(account->id);
        std::sort(cohort->trainer_ids.begin(), cohort->trainer_ids.end());
        EditBasis basis;
        basis.change.reason = "instructor of the course on " + platform.name;
        repos_.cohorts.update(cohort->id, *cohort, basis);
      }
    }
  }
  // A learner without an account is a first launch: their details come before any account.
  outcome.account = account;
  return outcome;
}

void LtiLaunchService::linkContext(const Actor& actor, Id platform_id,
                                   const std::string& context_id, Id cohort_id) {
  detail::requireManages(repos_, actor, cohort_id);
  platforms_.linkContext(platform_id, context_id, cohort_id);
}

void LtiLaunchService::linkUser(const Actor& actor, Id platform_id, const std::string& subject,
                                Id account_id) {
  detail::requireAdmin(actor, "link platform users to accounts");
  const bool printable = !subject.empty() && subject.size() <= 255 &&
                         std::all_of(subject.begin(), subject.end(),
                                     [](char c) { return c > ' ' && c < 0x7f; });
  if (!printable) {
    throw Error(ErrorCode::invalid_argument, "the platform user's id is not valid",
                {{"subject", "must be the platform's sub: 1-255 printable characters"}});
  }
  if (!platforms_.find(platform_id)) throw Error(ErrorCode::not_found, "no such LTI platform");
  if (!repos_.accounts.find(account_id)) {
    throw Error(ErrorCode::invalid_argument, "no such account",
                {{"account_id", "must be the id of an account"}});
  }
  try {
    platforms_.linkAccount(platform_id, subject, account_id);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::conflict) throw;
    throw Error(ErrorCode::conflict, "the platform's user is linked to an account already",
                {{"subject", "is linked already"}});
  }
}

Account LtiLaunchService::instructorAccount(const LtiPlatform& platform,
                                            const LaunchClaims& claims) {
  const Account made = accounts_.createForPlatformUser(
      Role::trainer, std::nullopt, claims.name, loginStem(platform.id, claims.subject), coverage_);
  try {
    platforms_.linkAccount(platform.id, claims.subject, made.id);
  } catch (const Error& e) {
    // Two first launches at once: the one linked first wins, the other account stays unused.
    if (e.code() != ErrorCode::conflict) throw;
    if (const auto linked = platforms_.accountOf(platform.id, claims.subject)) {
      if (auto account = repos_.accounts.find(*linked)) return *account;
    }
    throw;
  }
  return made;
}

}  // namespace courses
