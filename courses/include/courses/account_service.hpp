#pragma once
// Accounts: every rule about them, for every path that touches one (the API, the command line,
// the demo loader). Who may create, change and list accounts; the login and password rules;
// signing in with a password, and when wrong ones lock a client out; learners' access codes (who
// may give one to whom, and what redeeming one does); and which changes end an account's
// sessions. Secrets are made and checked behind the interfaces below (argon2id and libsodium in
// plugin/security); bearer tokens themselves belong to the API (plugin/api/auth.hpp).

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "courses/services.hpp"
#include "courses/text.hpp"

namespace courses {

/// Hashes and checks passwords (argon2id in plugin/security). Thread-safe.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  /// A self-describing hash of `password`, ready to store.
  virtual std::string hash(std::string_view password) const = 0;
  /// True when `password` matches `hash`; a malformed or empty hash never matches.
  virtual bool verify(std::string_view hash, std::string_view password) const = 0;
};

/// Makes access codes and the digest storage keeps of them (libsodium in plugin/security).
/// Thread-safe.
class AccessCodeSecrets {
 public:
  virtual ~AccessCodeSecrets() = default;
  /// kAccessCodeLength random characters of kAccessCodeAlphabet.
  virtual std::string newCode() const = 0;
  /// What storage keeps of a code (a hash; the code itself is shown once and never stored).
  virtual std::string digest(std::string_view code) const = 0;
};

/// Told when an account's sessions end, so whatever remembers token lookups forgets the
/// account's at once (the API's token cache). Thread-safe.
class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  virtual void sessionsEnded(Id account_id) = 0;
};

/// Error(forbidden) unless the actor is an administrator: only they manage accounts.
void requireAccountAdmin(const Actor& actor);

/// Checks a new account's login: 2–64 characters of a-z, 0-9, '.', '_' and '-', starting with
/// a letter or digit. Throws Error(invalid_argument) naming the field "login".
void validateLogin(std::string_view login);

/// A login made from a person's name: latinSpelling's words joined by '.', trimmed to 64
/// characters ("Айгерім Жұмабекова" → "aigerim.zhumabekova"); empty when the name gives no
/// usable login.
std::string loginFromName(std::string_view full_name);

/// Checks a new password: valid UTF-8 of 10..256 code points. Throws Error(invalid_argument)
/// naming the field "password".
void validatePassword(std::string_view password);

/// Learner access codes: 10 characters of Crockford base32 (digits and letters without I, L, O,
/// U), shown as "XXXXX-XXXXX".
inline constexpr std::size_t kAccessCodeLength = 10;
inline constexpr std::string_view kAccessCodeAlphabet = kCrockfordAlphabet;

/// The 10 canonical characters of a typed access code: case-insensitive, hyphens and spaces
/// ignored, and the look-alikes Crockford base32 allows read as digits (O as 0, I and L as 1).
/// nullopt when it cannot be a code.
std::optional<std::string> normalizeAccessCode(std::string_view typed);

/// "XXXXX-XXXXX" for the 10 canonical characters.
std::string formatAccessCode(std::string_view code);

/// Limits of the account rules (the production values by default).
struct AccountRules {
  /// Wrong passwords in a row from one client that lock that client out of the login (the
  /// account's holder elsewhere is never locked out). At most this many checks of one login's
  /// password from one client are ever made within a lock: an attempt is reserved before its
  /// password is verified.
  int max_failures = 5;
  int lock_minutes = 15;
  int access_code_ttl_days = 7;
};

/// A new account (POST /api/v1/accounts, `qatysu user add`, the demo loader).
struct NewAccount {
  std::string login;
  std::string display_name;  ///< may be empty; a learner's defaults to their person's name
  Role role = Role::trainer;
  std::optional<Id> participant_id;  ///< learners only: the person they are
  std::string password;
};

/// What an administrator changes on an account; empty members stay as they are.
struct AccountEdit {
  std::optional<std::string> display_name;
  std::optional<bool> disabled;
  std::optional<std::string> password;
};

/// A learner's one-time access code, shown once.
struct AccessCode {
  std::string login;  ///< the learner account's login
  std::string code;   ///< "XXXXX-XXXXX"
  Timestamp expires_at;
};

/// The event an administrator's access code for an account with a password leaves in the
/// account's audit trail.
inline constexpr std::string_view kPasswordResetCodeEvent = "password_reset_code";

class AccountService {
 public:
  /// `hasher` and `secrets` must outlive the service.
  AccountService(Repositories repos, const Clock& clock, const PasswordHasher& hasher,
                 const AccessCodeSecrets& secrets, AccountRules rules = {});

  /// Who acts at the command line: someone holding the database's credentials, with an
  /// administrator's rights and no account of their own (audit rows name nobody).
  static Actor operatorActor() noexcept { return Actor{0, Role::admin, std::nullopt}; }

  /// Tells `observer` whenever an account's sessions end (one observer at a time).
  void setSessionObserver(SessionObserver* observer) noexcept;
  /// Stops telling `observer` (when it is the one told).
  void removeSessionObserver(const SessionObserver* observer) noexcept;

  /// Creates an account: validateLogin, a clean display name the certificate fonts can draw
  /// (`coverage`) when one is given, validatePassword; a learner names a known person
  /// (Error(invalid_argument) naming "participant_id" otherwise), staff name none. Admins only
  /// (else Error(forbidden)); a taken login is Error(conflict) naming "login".
  Account create(const Actor& actor, const NewAccount& request, const GlyphCoverage& coverage);

  /// create() for an admin or trainer (POST /api/v1/accounts), who must have a display name: a
  /// learner account belongs to a person and comes with their access code, so role learner is
  /// Error(invalid_argument).
  Account createStaff(const Actor& actor, const NewAccount& request, const GlyphCoverage& coverage);

  /// An account for a user a platform vouches for (an LTI launch, courses/lti_launch.hpp): a
  /// trainer or a learner (who names `participant_id`), no password (only launches open it),
  /// named `display_name` when it is a clean name the certificate fonts can draw (else unnamed).
  /// Its login is "<login_stem>" or, when taken, "<login_stem>-2", "-3", …; `login_stem` must
  /// pass validateLogin with room for the suffix.
  Account createForPlatformUser(Role role, std::optional<Id> participant_id,
                                std::string_view display_name, const std::string& login_stem,
                                const GlyphCoverage& coverage);

  /// Renames, disables or enables an account, or sets its password. Admins only (else
  /// Error(forbidden)); an unknown id is Error(not_found); an admin disabling their own account
  /// is Error(conflict). Disabling and a new password end every session of the account.
  Account update(const Actor& actor, Id id, const AccountEdit& edit, const GlyphCoverage& coverage);

  /// Accounts in id order, of one role when given. Admins only (else Error(forbidden)).
  Page<Account> list(const Actor& actor, std::optional<Role> role, PageRequest page);
  /// One account. Admins only (else Error(forbidden)); an unknown id is Error(not_found).
  Account find(const Actor& actor, Id id);
  /// The account with this login, if any. Admins only (else Error(forbidden)).
  std::optional<Account> findByLogin(const Actor& actor, const std::string& login);
  /// The account's audit trail, oldest first. Admins only (else Error(forbidden)).
  std::vector<AccountEvent> audit(const Actor& actor, Id id);

  /// Stores the language the actor chose for the web app.
  void setLanguage(const Actor& actor, Language language);

  /// The account a login and password open, from `client` (its address). An unknown login, a
  /// wrong password and a disabled account all throw the same Error(unauthenticated); a client
  /// locked out of the login throws Error(too_many_requests) with retry_after_seconds set,
  /// without checking the password.
  Account signIn(std::string_view login, std::string_view password, const std::string& client);

  /// Sets the actor's own password (validatePassword rules) and ends every other session of the
  /// account: `current_session` (what storage keeps of the token making the change) stays.
  /// When the account has a password, `current_password` must match it: missing or wrong is
  /// Error(invalid_argument) naming "current_password", and wrong ones count towards the
  /// client's lock as wrong logins do.
  void setOwnPassword(const Actor& actor, std::string_view password,
                      const std::optional<std::string>& current_password, const std::string& client,
                      const std::string& current_session);

  /// The login suggested to a learner for their own account: loginFromName of their person's
  /// name, with "2", "3", … appended while another account holds it; their current login when
  /// it already is one of these or the name gives none. Staff: Error(forbidden).
  std::string suggestOwnLogin(const Actor& actor);

  /// A learner chooses their own login (validateLogin), to sign in with it and their password
  /// instead of "learner-<id>". Staff logins are an administrator's: Error(forbidden); a login
  /// another account holds is Error(conflict) naming "login".
  Account setOwnLogin(const Actor& actor, const std::string& login);

  /// Gives a person a one-time access code to their learner account, creating the account
  /// ("learner-<participant id>", display name = the person's name, no password) when they have
  /// none; an earlier code stops working.
  /// - Administrators: anyone. When the account has a password the code resets it: the
  ///   account's sessions end now and the audit trail records who did it and when.
  /// - Trainers: people enrolled in a cohort they are assigned to (Error(forbidden) for others
  ///   they may see, Error(not_found) for people they may not) whose account has no password
  ///   (Error(conflict) otherwise: the holder secured it; an administrator may reset it).
  /// - Learners: Error(forbidden).
  AccessCode issueAccessCode(const Actor& actor, Id participant_id);

  /// The account a code opens, once: the code is used up, the account's password cleared (a code
  /// is a reset) and its earlier sessions end. A code given by a trainer opens only an account
  /// that still has no password. A wrong, used, expired or no longer usable code throws
  /// Error(unauthenticated).
  Account redeemAccessCode(std::string_view code);

 private:
  /// Counts one password check of the account from `client` before it is made; throws
  /// Error(too_many_requests) when the client is locked out of the login.
  void reservePasswordCheck(Id account_id, const std::string& client);
  void sessionsEnded(Id account_id);
  const std::string& dummyHash();

  Repositories repos_;
  const Clock& clock_;
  const PasswordHasher& hasher_;
  const AccessCodeSecrets& secrets_;
  AccountRules rules_;
  SessionObserver* observer_ = nullptr;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace courses
