#include "courses/lti.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "access.hpp"
#include "checks.hpp"
#include "courses/error.hpp"
#include "invalid.hpp"

namespace courses {

using detail::checkText;
using detail::Problems;
using detail::requireAdmin;
using detail::throwNotFound;

namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxUrl = 2000;
constexpr std::size_t kMaxId = 255;
constexpr std::size_t kMaxDeployments = 50;

constexpr std::string_view kLtiVersion = "1.3.0";

// Printable ASCII without spaces: client and deployment ids are opaque tokens on every platform
// seen (Moodle: a random string and a number; Canvas: numbers joined by ':' and '~').
bool isIdChar(char c) {
  return c > ' ' && c < 0x7f;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The host of an http(s) URL: what follows the scheme up to the port, path, query or fragment.
std::string_view hostOf(std::string_view rest) {
  const std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return {};  // no credentials in URLs
  if (startsWith(authority, "[")) {
    const std::size_t close = authority.find(']');
    return close == std::string_view::npos ? std::string_view{} : authority.substr(0, close + 1);
  }
  return authority.substr(0, authority.find(':'));
}

bool isLoopback(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  if (!startsWith(host, "127.")) return false;
  return std::all_of(host.begin(), host.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

void checkUrl(Problems& problems, const std::string& value, const std::string& field) {
  if (value.empty() || value.size() > kMaxUrl || !isPlatformUrl(value)) {
    problems.add(field, "must be an https URL (http only on this machine's loopback) of at most " +
                            std::to_string(kMaxUrl) + " characters");
  }
}

void checkId(Problems& problems, const std::string& value, const std::string& field) {
  if (!detail::matchesPattern(value, 1, kMaxId, isIdChar)) {
    problems.add(field, "must be 1-" + std::to_string(kMaxId) + " printable characters without spaces");
  }
}

const std::string kClaim = "https://purl.imsglobal.org/spec/lti/claim/";

// Roles: the LIS v2 vocabularies (LTI Core 1.3 appendix A.2) and the LTI 1.1 URNs.
constexpr std::string_view kMembership = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
constexpr std::string_view kMembershipSub = "http://purl.imsglobal.org/vocab/lis/v2/membership/";
constexpr std::string_view kInstitution = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";
constexpr std::string_view kSystem = "http://purl.imsglobal.org/vocab/lis/v2/system/person#";
constexpr std::string_view kLisUrn = "urn:lti:role:ims/lis/";
constexpr std::string_view kInstitutionUrn = "urn:lti:instrole:ims/lis/";
constexpr std::string_view kSystemUrn = "urn:lti:sysrole:ims/lis/";

LaunchProblem refuse(LaunchRefusal refusal, long long seconds = 0, std::string claim = {}) {
  return LaunchProblem{refusal, seconds, std::move(claim)};
}

void readContextRole(LtiRoles& out, std::string_view name) {
  // A sub-role names its principal role first: "Instructor#TeachingAssistant",
  // "Instructor/TeachingAssistant" in 1.1 URNs.
  const std::string_view principal = name.substr(0, name.find_first_of("#/"));
  if (principal == "Instructor" || principal == "TeachingAssistant") out.instructor = true;
  if (principal == "Learner") out.learner = true;
  if (principal == "Administrator") out.administrator = true;
}

}  // namespace

bool isPlatformUrl(std::string_view url) {
  if (url.find_first_of(" \t\r\n\"<>\\^`{|}") != std::string_view::npos) return false;
  if (startsWith(url, "https://")) return !hostOf(url.substr(8)).empty();
  if (startsWith(url, "http://")) return isLoopback(hostOf(url.substr(7)));
  return false;
}

std::optional<LtiPlatform> platformOf(const std::vector<LtiPlatform>& of_issuer,
                                      std::string_view client_id) {
  if (client_id.empty()) {
    if (of_issuer.size() == 1) return of_issuer.front();
    return std::nullopt;
  }
  for (const LtiPlatform& p : of_issuer) {
    if (p.client_id == client_id) return p;
  }
  return std::nullopt;
}

LtiPlatform LtiPlatformService::add(const Actor& actor, LtiPlatform platform) {
  requireAdmin(actor, "register LTI platforms");
  Problems problems;
  checkText(problems, platform.name, "name", 1, kMaxName);
  checkUrl(problems, platform.issuer, "issuer");
  checkId(problems, platform.client_id, "client_id");
  checkUrl(problems, platform.auth_url, "auth_url");
  checkUrl(problems, platform.token_url, "token_url");
  checkUrl(problems, platform.jwks_url, "jwks_url");
  if (platform.deployment_ids.empty() || platform.deployment_ids.size() > kMaxDeployments) {
    problems.add("deployment_ids", "must name 1-" + std::to_string(kMaxDeployments) + " deployments");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < platform.deployment_ids.size(); ++i) {
    const std::string field = "deployment_ids[" + std::to_string(i) + "]";
    checkId(problems, platform.deployment_ids[i], field);
    if (!seen.insert(platform.deployment_ids[i]).second) problems.add(field, "is named twice");
  }
  problems.throwIfAny("the platform");
  platform.id = 0;
  platform.disabled = false;
  return platforms_.add(platform);
}

std::vector<LtiPlatform> LtiPlatformService::list(const Actor& actor) {
  requireAdmin(actor, "read LTI platforms");
  return platforms_.list();
}

LtiPlatform LtiPlatformService::find(const Actor& actor, Id id) {
  requireAdmin(actor, "read LTI platforms");
  auto found = platforms_.find(id);
  if (!found) throwNotFound("LTI platform", id);
  return *found;
}

LtiPlatform LtiPlatformService::setDisabled(const Actor& actor, Id id, bool disabled) {
  requireAdmin(actor, "disable LTI platforms");
  return platforms_.setDisabled(id, disabled);
}

std::string_view toString(LaunchRefusal refusal) noexcept {
  switch (refusal) {
    case LaunchRefusal::wrong_issuer:
      return "wrong_issuer";
    case LaunchRefusal::wrong_audience:
      return "wrong_audience";
    case LaunchRefusal::azp_required:
      return "azp_required";
    case LaunchRefusal::wrong_azp:
      return "wrong_azp";
    case LaunchRefusal::no_times:
      return "no_times";
    case LaunchRefusal::expired:
      return "expired";
    case LaunchRefusal::issued_in_future:
      return "issued_in_future";
    case LaunchRefusal::no_nonce:
      return "no_nonce";
    case LaunchRefusal::unknown_deployment:
      return "unknown_deployment";
    case LaunchRefusal::wrong_version:
      return "wrong_version";
    case LaunchRefusal::unknown_message_type:
      return "unknown_message_type";
    case LaunchRefusal::missing_claim:
      return "missing_claim";
    case LaunchRefusal::platform_disabled:
      return "platform_disabled";
    case LaunchRefusal::unknown_platform:
      return "unknown_platform";
    case LaunchRefusal::bad_state:
      return "bad_state";
    case LaunchRefusal::other_browser:
      return "other_browser";
    case LaunchRefusal::bad_token:
      return "bad_token";
    case LaunchRefusal::bad_signature:
      return "bad_signature";
    case LaunchRefusal::unknown_key:
      return "unknown_key";
    case LaunchRefusal::keys_unavailable:
      return "keys_unavailable";
    case LaunchRefusal::wrong_nonce:
      return "wrong_nonce";
    case LaunchRefusal::replayed_nonce:
      return "replayed_nonce";
    case LaunchRefusal::unsupported_role:
      return "unsupported_role";
    case LaunchRefusal::learner_account:
      return "learner_account";
  }
  return "missing_claim";
}

std::string describe(const LaunchProblem& problem) {
  switch (problem.refusal) {
    case LaunchRefusal::wrong_issuer:
      return "the id_token's issuer is not the platform's";
    case LaunchRefusal::wrong_audience:
      return "the id_token is not addressed to this tool's client id";
    case LaunchRefusal::azp_required:
      return "the id_token names several audiences and no authorized party (azp)";
    case LaunchRefusal::wrong_azp:
      return "the id_token's authorized party (azp) is not this tool's client id";
    case LaunchRefusal::no_times:
      return "the id_token has no issue time (iat) or expiry (exp)";
    case LaunchRefusal::expired:
      return "the id_token expired " + std::to_string(problem.seconds) +
             " s ago: the platform's clock may be behind this server's, or the launch was slow";
    case LaunchRefusal::issued_in_future:
      return "the platform's clock is " + std::to_string(problem.seconds) +
             " s ahead of this server's (the id_token was issued in the future)";
    case LaunchRefusal::no_nonce:
      return "the id_token has no nonce";
    case LaunchRefusal::unknown_deployment:
      return "unknown deployment \"" + problem.claim +
             "\": add it to the platform's deployment ids in Qatysu";
    case LaunchRefusal::wrong_version:
      return "the launch is not LTI 1.3.0";
    case LaunchRefusal::unknown_message_type:
      return "the message type \"" + problem.claim + "\" is not one this tool accepts";
    case LaunchRefusal::missing_claim:
      return "the launch lacks the required claim " + problem.claim;
    case LaunchRefusal::platform_disabled:
      return "the platform is disabled in Qatysu";
    case LaunchRefusal::unknown_platform:
      return "no platform registered in Qatysu has the issuer \"" + problem.claim +
             "\" (and client id): register it, or check the issuer the platform sends";
    case LaunchRefusal::bad_state:
      return "the launch's state is not one this tool made or it is older than 10 minutes: the "
             "login was slow, or the launch was forged";
    case LaunchRefusal::other_browser:
      return "the launch did not come back to the browser that began it (the browser blocks "
             "the tool's cookie and the platform offers no LTI storage, or the launch was forged)";
    case LaunchRefusal::bad_token:
      return "the id_token is refused: " + problem.claim;
    case LaunchRefusal::bad_signature:
      return "the id_token's signature does not verify with the platform's key: check the "
             "platform's key set URL in Qatysu";
    case LaunchRefusal::unknown_key:
      return "the id_token names key \"" + problem.claim +
             "\", which the platform's key set does not publish (fetched again once)";
    case LaunchRefusal::keys_unavailable:
      return "the platform's key set could not be read: " + problem.claim;
    case LaunchRefusal::wrong_nonce:
      return "the id_token's nonce is not the one this browser's login asked for";
    case LaunchRefusal::replayed_nonce:
      return "the id_token's nonce was used by an earlier launch (a replay)";
    case LaunchRefusal::unsupported_role:
      return "the user is neither an instructor nor a learner of the course (roles: " +
             problem.claim + ")";
    case LaunchRefusal::learner_account:
      return "the platform's user is an instructor of the course, but their Qatysu account is a "
             "learner's: a Qatysu administrator can link them to a trainer account";
  }
  return "refused";
}

std::optional<LaunchProblem> checkLaunch(const LaunchClaims& claims, const LtiPlatform& platform,
                                         long long now) {
  if (platform.disabled) return refuse(LaunchRefusal::platform_disabled);
  if (claims.issuer != platform.issuer) return refuse(LaunchRefusal::wrong_issuer);
  // Security Framework §5.1.3: aud contains the client id; with several audiences azp is
  // required; an azp present must be the client id.
  if (std::find(claims.audience.begin(), claims.audience.end(), platform.client_id) ==
      claims.audience.end()) {
    return refuse(LaunchRefusal::wrong_audience);
  }
  if (claims.audience.size() > 1 && !claims.azp) return refuse(LaunchRefusal::azp_required);
  if (claims.azp && *claims.azp != platform.client_id) {
    return refuse(LaunchRefusal::wrong_azp);
  }
  if (!claims.issued_at || !claims.expires_at) return refuse(LaunchRefusal::no_times);
  if (now > *claims.expires_at + kLaunchLeewaySeconds) {
    return refuse(LaunchRefusal::expired, now - *claims.expires_at);
  }
  if (*claims.issued_at > now + kLaunchLeewaySeconds) {
    return refuse(LaunchRefusal::issued_in_future, *claims.issued_at - now);
  }
  if (claims.nonce.empty()) return refuse(LaunchRefusal::no_nonce);
  if (claims.deployment_id.empty()) {
    return refuse(LaunchRefusal::missing_claim, 0, kClaim + "deployment_id");
  }
  if (std::find(platform.deployment_ids.begin(), platform.deployment_ids.end(),
                claims.deployment_id) == platform.deployment_ids.end()) {
    return refuse(LaunchRefusal::unknown_deployment, 0, claims.deployment_id);
  }
  if (claims.version != kLtiVersion) return refuse(LaunchRefusal::wrong_version);
  const bool resource = claims.message_type == kResourceLinkRequest;
  const bool deep_linking = claims.message_type == kDeepLinkingRequest;
  if (!resource && !deep_linking) {
    return refuse(LaunchRefusal::unknown_message_type, 0, claims.message_type);
  }
  // LTI Core §5.3: sub is required of launches by a user (Qatysu has no anonymous launch), roles
  // always (possibly empty); a resource link launch needs the link's id and its target.
  if (claims.subject.empty()) return refuse(LaunchRefusal::missing_claim, 0, "sub");
  if (!claims.has_roles) return refuse(LaunchRefusal::missing_claim, 0, kClaim + "roles");
  if (resource && claims.resource_link_id.empty()) {
    return refuse(LaunchRefusal::missing_claim, 0, kClaim + "resource_link");
  }
  if (resource && claims.target_link_uri.empty()) {
    return refuse(LaunchRefusal::missing_claim, 0, kClaim + "target_link_uri");
  }
  if (deep_linking && claims.deep_link_return_url.empty()) {
    return refuse(LaunchRefusal::missing_claim, 0,
                         "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings");
  }
  return std::nullopt;
}

LtiRoles readRoles(const std::vector<std::string>& roles) {
  LtiRoles out;
  for (const std::string& role : roles) {
    const std::string_view r = role;
    if (startsWith(r, kMembership)) {
      readContextRole(out, r.substr(kMembership.size()));
    } else if (startsWith(r, kMembershipSub)) {
      readContextRole(out, r.substr(kMembershipSub.size()));
    } else if (startsWith(r, kLisUrn)) {
      readContextRole(out, r.substr(kLisUrn.size()));
    } else if (startsWith(r, kInstitution) || startsWith(r, kSystem)) {
      const std::string_view name = r.substr(r.find('#') + 1);
      if (name == "Administrator" || name == "SysAdmin") out.administrator = true;
    } else if (startsWith(r, kInstitutionUrn) || startsWith(r, kSystemUrn)) {
      const std::string_view name = r.substr(r.rfind('/') + 1);
      if (name == "Administrator" || name == "SysAdmin") out.administrator = true;
    } else if (r.find(':') == std::string_view::npos) {
      // A simple name, which LTI 1.3 still accepts for context roles.
      readContextRole(out, r);
    }
  }
  return out;
}

}  // namespace courses
