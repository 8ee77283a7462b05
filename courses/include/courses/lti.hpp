#pragma once
// LTI 1.3: the platforms (a Moodle or Canvas site) an administrator registered, and the rules a
// launch from one of them must meet before anyone is signed in (1EdTech Security Framework 1.0
// §5.1.3, LTI Core 1.3 §5.3–5.4): the claims that must be there, the audience, the times, the
// deployment, and the Qatysu role a platform's roles give. The signature of the id_token is the
// plugin's (plugin/lti), checked before these rules see its claims.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/model.hpp"

namespace courses {

/// A platform registered with Qatysu: one issuer and client id, its endpoints and deployments.
struct LtiPlatform {
  Id id = 0;
  std::string name;       ///< what administrators call it ("Moodle of the district akimat")
  std::string issuer;     ///< `iss` of its id_tokens
  std::string client_id;  ///< the client id the platform gave Qatysu: `aud` of its id_tokens
  std::string auth_url;   ///< its OIDC authorization endpoint (the login redirect's target)
  std::string token_url;  ///< its OAuth 2 token endpoint (roster and gradebook services)
  std::string jwks_url;   ///< where its signing keys are published
  std::vector<std::string> deployment_ids;  ///< the deployments of the tool on it, at least one
  bool disabled = false;  ///< a disabled platform's launches are refused
  Timestamp created_at;
};

/// Storage of registered platforms.
class LtiPlatformRepository {
 public:
  virtual ~LtiPlatformRepository() = default;
  /// Stores a new platform; Error(conflict) when its issuer and client id are registered.
  virtual LtiPlatform add(const LtiPlatform& platform) = 0;
  /// Every platform, by id.
  virtual std::vector<LtiPlatform> list() = 0;
  virtual std::optional<LtiPlatform> find(Id id) = 0;
  /// The platforms of an issuer (one per client id), by id.
  virtual std::vector<LtiPlatform> byIssuer(std::string_view issuer) = 0;
  /// Disables or enables a platform; Error(not_found) for an unknown id.
  virtual LtiPlatform setDisabled(Id id, bool disabled) = 0;

  /// Records that a launch from platform `platform_id` used `nonce`, remembered until
  /// `expires_at` (after which its id_token is refused anyway); false when it was used before (a
  /// replay). Forgets nonces whose time is past `now`.
  virtual bool useNonce(Id platform_id, std::string_view nonce, const Timestamp& expires_at,
                        const Timestamp& now) = 0;
  /// The Qatysu account a platform's user (`sub`) is linked to.
  virtual std::optional<Id> accountOf(Id platform_id, std::string_view subject) = 0;
  /// Links a platform's user to an account; Error(conflict) when the user is linked already.
  virtual void linkAccount(Id platform_id, std::string_view subject, Id account_id) = 0;
  /// The cohort a platform's context (course) is linked to.
  virtual std::optional<Id> cohortOf(Id platform_id, std::string_view context_id) = 0;
  /// Links a context to a cohort (replacing an earlier link).
  virtual void linkContext(Id platform_id, std::string_view context_id, Id cohort_id) = 0;
};

/// Whether `url` is one a platform's endpoint may have: https, or http on a loopback host
/// (127.0.0.0/8, [::1], localhost) for a platform on the same machine.
bool isPlatformUrl(std::string_view url);

/// The platform a launch or login names: by issuer and client id, or by issuer alone when it has
/// one registration. nullopt when none (or several, without a client id).
std::optional<LtiPlatform> platformOf(const std::vector<LtiPlatform>& of_issuer,
                                      std::string_view client_id);

/// Registering platforms: administrators only (everyone else Error(forbidden)).
class LtiPlatformService {
 public:
  explicit LtiPlatformService(LtiPlatformRepository& platforms) : platforms_(platforms) {}

  /// Checks and stores a platform: name 1–200 characters; issuer and endpoints platform URLs
  /// (isPlatformUrl), at most 2,000 characters; client id and each deployment id 1–255 printable
  /// characters; 1–50 deployments, none twice. Error(invalid_argument) naming each bad field.
  LtiPlatform add(const Actor& actor, LtiPlatform platform);
  std::vector<LtiPlatform> list(const Actor& actor);
  LtiPlatform find(const Actor& actor, Id id);
  LtiPlatform setDisabled(const Actor& actor, Id id, bool disabled);

 private:
  LtiPlatformRepository& platforms_;
};

// ---- Launches -----------------------------------------------------------------------------

/// Seconds a launch's `iat` may be ahead of this server's clock and its `exp` behind it.
inline constexpr long long kLaunchLeewaySeconds = 10;

/// The LTI message types Qatysu accepts.
inline constexpr std::string_view kResourceLinkRequest = "LtiResourceLinkRequest";
inline constexpr std::string_view kDeepLinkingRequest = "LtiDeepLinkingRequest";

/// The course (context) a launch comes from.
struct LtiContext {
  std::string id;
  std::string label;
  std::string title;
};

/// The claims of a launch's id_token whose signature was verified, as the rules need them
/// (names of the LTI claims in the comments; absent claims stay empty).
struct LaunchClaims {
  std::string issuer;                 ///< iss
  std::vector<std::string> audience;  ///< aud (a string is one element)
  std::optional<std::string> azp;     ///< azp
  std::string subject;                ///< sub
  std::optional<long long> issued_at;   ///< iat, seconds since 1970
  std::optional<long long> expires_at;  ///< exp
  std::string nonce;                    ///< nonce
  std::string message_type;             ///< …/claim/message_type
  std::string version;                  ///< …/claim/version
  std::string deployment_id;            ///< …/claim/deployment_id
  std::string target_link_uri;          ///< …/claim/target_link_uri
  std::string resource_link_id;         ///< …/claim/resource_link.id
  bool has_roles = false;               ///< …/claim/roles is there (it may be empty)
  std::vector<std::string> roles;       ///< …/claim/roles
  std::optional<LtiContext> context;    ///< …/claim/context
  std::string locale;                   ///< …/claim/launch_presentation.locale
  std::string deep_link_return_url;     ///< …/claim/deep_linking_settings.deep_link_return_url
  std::string name;                     ///< name (given_name family_name when absent)
  std::string email;                    ///< email
};

/// Why a launch is refused. Each says what an administrator can act on.
enum class LaunchRefusal {
  wrong_issuer,        ///< iss is not the platform's
  wrong_audience,      ///< the client id is not in aud
  azp_required,        ///< several audiences and no azp
  wrong_azp,           ///< azp is not the client id
  no_times,            ///< iat or exp missing
  expired,             ///< exp is past (seconds: how long ago, beyond the leeway)
  issued_in_future,    ///< iat is ahead of this clock (seconds: by how much)
  no_nonce,            ///< nonce missing
  unknown_deployment,  ///< deployment_id is not one the platform registered
  wrong_version,       ///< not LTI 1.3.0
  unknown_message_type,
  missing_claim,       ///< a required claim is missing (claim: which)
  platform_disabled,
  unknown_platform,    ///< no registered platform has the issuer (and client id) named
  bad_state,           ///< the state is not one this tool made, or it has expired
  other_browser,       ///< the launch did not come back to the browser that began it
  bad_token,           ///< the id_token is malformed or not RS256 (claim: why)
  bad_signature,       ///< the signature does not verify with the platform's key
  unknown_key,         ///< no key of the platform's key set has the token's kid
  keys_unavailable,    ///< the platform's key set could not be fetched (claim: why)
  wrong_nonce,         ///< the nonce is not the one of this browser's login
  replayed_nonce,      ///< the nonce was used by an earlier launch
  unsupported_role,    ///< neither instructor nor learner of the context
  learner_account,     ///< an instructor's launch from a user whose Qatysu account is a learner's
};

/// A refusal with what it found.
struct LaunchProblem {
  LaunchRefusal refusal = LaunchRefusal::missing_claim;
  long long seconds = 0;  ///< expired, issued_in_future: by how many seconds
  std::string claim;      ///< missing_claim: its name; unknown_deployment: the id sent
};

/// Short stable name of a refusal ("issued_in_future"), for logs and problem types.
std::string_view toString(LaunchRefusal refusal) noexcept;

/// What an administrator reads in the log about a refusal ("the platform's clock is 95 s ahead
/// of this server's").
std::string describe(const LaunchProblem& problem);

/// Checks a verified launch from `platform` at `now` (seconds since 1970): issuer, audience and
/// azp, times with kLaunchLeewaySeconds, nonce present (its single use is the caller's),
/// deployment, version, message type and the claims that type requires (sub, roles, resource
/// link id; a deep linking return URL). nullopt when it may go on.
std::optional<LaunchProblem> checkLaunch(const LaunchClaims& claims, const LtiPlatform& platform,
                                         long long now);

// ---- Roles --------------------------------------------------------------------------------

/// What a launch's roles say, in Qatysu's terms.
struct LtiRoles {
  bool instructor = false;     ///< Instructor or TeachingAssistant of the context: its trainer
  bool learner = false;        ///< Learner of the context
  bool administrator = false;  ///< the platform's or institution's administrator (no more
                               ///< rights here than an instructor unless linked by Qatysu's)
};

/// Reads the roles of a launch: full LIS v2 role URIs (context roles, their sub-roles such as
/// membership/Instructor#TeachingAssistant, institution and system roles), the simple names the
/// LTI 1.3 specification still accepts for context roles ("Instructor", "Learner"), and the LTI
/// 1.1 URNs Moodle may send (urn:lti:role:ims/lis/Instructor). Anything else gives nothing.
LtiRoles readRoles(const std::vector<std::string>& roles);

}  // namespace courses
