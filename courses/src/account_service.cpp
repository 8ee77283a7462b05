#include "courses/account_service.hpp"

#include <algorithm>
#include <cctype>

#include "access.hpp"
#include "courses/error.hpp"
#include "courses/text.hpp"

namespace courses {

namespace {

constexpr std::size_t kMinPasswordCodePoints = 10;
constexpr std::size_t kMaxPasswordCodePoints = 256;
// Longer inputs cannot be an account's login or password; they are refused without a lookup
// (but after the same hashing work, so the answer takes as long as any other failure).
constexpr std::size_t kMaxLoginBytes = 256;
constexpr std::size_t kMaxPasswordBytes = 1024;

[[noreturn]] void throwBadCredentials() {
  throw Error(ErrorCode::unauthenticated, "invalid login or password");
}

[[noreturn]] void throwLoginTaken() {
  throw Error(ErrorCode::conflict, "the login is taken",
              {{"login", "is taken by another account"}});
}

[[noreturn]] void throwBadCode() {
  throw Error(ErrorCode::unauthenticated, "the access code is wrong, used or expired");
}

[[noreturn]] void throwLocked(const Timestamp& now, const Timestamp& until) {
  Error error(ErrorCode::too_many_requests, "too many failed logins; try again later");
  error.retry_after_seconds = static_cast<int>(std::max<long long>(1, secondsBetween(now, until)));
  throw error;
}

/// True when the person is enrolled in a cohort the trainer is assigned to.
bool inTrainersCohort(Repositories& repos, Id participant_id, Id trainer_id) {
  const auto enrolments = repos.enrolments.listForParticipant(participant_id);
  return std::any_of(enrolments.begin(), enrolments.end(), [&](const Enrolment& e) {
    return repos.cohorts.isTrainerOf(e.cohort_id, trainer_id);
  });
}

}  // namespace

void requireAccountAdmin(const Actor& actor) {
  if (!actor.isAdmin()) throw Error(ErrorCode::forbidden, "only administrators manage accounts");
}

void validateLogin(std::string_view login) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  const bool ok = login.size() >= 2 && login.size() <= 64 &&
                  std::all_of(login.begin(), login.end(), allowed) &&
                  std::isalnum(static_cast<unsigned char>(login.front())) != 0;
  if (!ok) {
    throw Error(ErrorCode::invalid_argument, "the login is not usable",
                {{"login",
                  "must be 2-64 characters of a-z, 0-9, '.', '_' and '-', starting "
                  "with a letter or digit"}});
  }
}

std::string loginFromName(std::string_view full_name) {
  std::string login;
  for (const char c : latinSpelling(full_name)) {
    if (c == ' ' || c == '-') {
      // One separator between words; none at either end.
      if (!login.empty() && login.back() != '.' && login.back() != '-')
        login += c == ' ' ? '.' : '-';
    } else {
      login += c;
    }
  }
  if (login.size() > 64) login.resize(64);
  while (!login.empty() && (login.back() == '.' || login.back() == '-')) login.pop_back();
  if (login.size() < 2) return {};
  return login;
}

void validatePassword(std::string_view password) {
  if (firstInvalidUtf8(password)) {
    throw Error(ErrorCode::invalid_argument, "password is not valid UTF-8",
                {{"password", "must be valid UTF-8"}});
  }
  const std::size_t length = codePointCount(password);
  if (length < kMinPasswordCodePoints || length > kMaxPasswordCodePoints) {
    throw Error(ErrorCode::invalid_argument, "password must be 10 to 256 characters long",
                {{"password", "must be 10 to 256 characters long"}});
  }
}

std::optional<std::string> normalizeAccessCode(std::string_view typed) {
  return normalizeTypedCode(typed, kAccessCodeLength);
}

std::string formatAccessCode(std::string_view code) {
  return formatTypedCode(code);
}

AccountService::AccountService(Repositories repos, const Clock& clock, const PasswordHasher& hasher,
                               const AccessCodeSecrets& secrets, AccountRules rules)
    : repos_(repos), clock_(clock), hasher_(hasher), secrets_(secrets), rules_(rules) {}

void AccountService::setSessionObserver(SessionObserver* observer) noexcept {
  observer_ = observer;
}

void AccountService::removeSessionObserver(const SessionObserver* observer) noexcept {
  if (observer_ == observer) observer_ = nullptr;
}

void AccountService::sessionsEnded(Id account_id) {
  if (observer_ != nullptr) observer_->sessionsEnded(account_id);
}

const std::string& AccountService::dummyHash() {
  // A real hash of a random password, made on the first sign-in that needs it (not at
  // construction: tools and tests that never refuse an unknown login need not pay for a
  // deliberately slow hash). Verifying against it costs what a real check costs, so an unknown
  // login takes as long to refuse as a wrong password.
  std::call_once(dummy_once_, [&] { dummy_hash_ = hasher_.hash(secrets_.newCode()); });
  return dummy_hash_;
}

// ---------------------------------------------------------------------------------------------
// Administration

Account AccountService::create(const Actor& actor, const NewAccount& request,
                               const GlyphCoverage& coverage) {
  requireAccountAdmin(actor);
  validateLogin(request.login);
  Account account;
  account.login = request.login;
  account.role = request.role;
  if (request.role == Role::learner) {
    const auto person =
        request.participant_id ? repos_.participants.find(*request.participant_id) : std::nullopt;
    if (!person) {
      throw Error(ErrorCode::invalid_argument, "a learner account belongs to a registered person",
                  {{"participant_id", "must name a registered person"}});
    }
    account.participant_id = person->id;
    account.display_name = person->full_name;
  } else if (request.participant_id) {
    throw Error(ErrorCode::invalid_argument, "only learner accounts belong to a person",
                {{"participant_id", "is for learner accounts only"}});
  }
  if (!request.display_name.empty()) {
    // The name is printed on certificates: a clean name the certificate fonts can draw.
    account.display_name = validateName(request.display_name, "display_name");
    requireDrawable(coverage, account.display_name, "display_name");
  }
  validatePassword(request.password);
  try {
    return repos_.accounts.create(account, hasher_.hash(request.password));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::conflict) throw;
    throwLoginTaken();
  }
}

Account AccountService::createForPlatformUser(Role role, std::optional<Id> participant_id,
                                              std::string_view display_name,
                                              const std::string& login_stem,
                                              const GlyphCoverage& coverage) {
  validateLogin(login_stem);
  Account account;
  account.role = role;
  if (role == Role::learner) {
    const auto person = participant_id ? repos_.participants.find(*participant_id) : std::nullopt;
    if (!person) throw Error(ErrorCode::invalid_argument, "a learner account belongs to a person");
    account.participant_id = person->id;
    account.display_name = person->full_name;
  }
  try {
    const std::string name = validateName(display_name, "display_name");
    requireDrawable(coverage, name, "display_name");
    account.display_name = name;
  } catch (const Error&) {
    // A platform's name the certificates cannot print: the account stays unnamed (learners keep
    // their person's name), and the launch goes on.
  }
  constexpr int kMaxSuffix = 1000;
  for (int n = 1; n <= kMaxSuffix; ++n) {
    const std::string suffix = n == 1 ? std::string() : "-" + std::to_string(n);
    account.login = login_stem.substr(0, 64 - suffix.size()) + suffix;
    try {
      return repos_.accounts.create(account, "");
    } catch (const Error& e) {
      if (e.code() != ErrorCode::conflict) throw;
    }
  }
  throwLoginTaken();
}

Account AccountService::createStaff(const Actor& actor, const NewAccount& request,
                                    const GlyphCoverage& coverage) {
  requireAccountAdmin(actor);
  if (request.role == Role::learner) {
    // A learner account belongs to a person: it comes with their access code.
    throw Error(ErrorCode::invalid_argument, "staff accounts are admins or trainers",
                {{"role", "must be one of admin, trainer"}});
  }
  validateLogin(request.login);
  // Staff are named on certificates, so the API asks for the name (the command line may leave it
  // for later): validateName refuses an empty one.
  if (request.display_name.empty()) validateName(request.display_name, "display_name");
  return create(actor, request, coverage);
}

Account AccountService::update(const Actor& actor, Id id, const AccountEdit& edit,
                               const GlyphCoverage& coverage) {
  requireAccountAdmin(actor);
  if (!repos_.accounts.find(id)) throw Error(ErrorCode::not_found, "no such account");
  if (edit.disabled.value_or(false) && id == actor.account_id) {
    // Nobody would be left to undo it if this was the last administrator.
    throw Error(ErrorCode::conflict, "you cannot disable your own account",
                {{"disabled", "cannot be set on your own account"}});
  }
  AccountChange change;
  if (edit.display_name) {
    change.display_name = validateName(*edit.display_name, "display_name");
    requireDrawable(coverage, *change.display_name, "display_name");
  }
  if (edit.password) {
    validatePassword(*edit.password);
    change.password_hash = hasher_.hash(*edit.password);
  }
  change.disabled = edit.disabled;
  Account updated = repos_.accounts.update(id, change);
  // Storage deleted the tokens in the same transaction; this process forgets them at once.
  if (updated.disabled || change.password_hash) sessionsEnded(id);
  return updated;
}

Page<Account> AccountService::list(const Actor& actor, std::optional<Role> role, PageRequest page) {
  requireAccountAdmin(actor);
  return repos_.accounts.list(role, page);
}

Account AccountService::find(const Actor& actor, Id id) {
  requireAccountAdmin(actor);
  auto account = repos_.accounts.find(id);
  if (!account) throw Error(ErrorCode::not_found, "no such account");
  return *account;
}

std::optional<Account> AccountService::findByLogin(const Actor& actor, const std::string& login) {
  requireAccountAdmin(actor);
  auto credentials = repos_.accounts.findByLogin(login);
  if (!credentials) return std::nullopt;
  return credentials->account;
}

std::vector<AccountEvent> AccountService::audit(const Actor& actor, Id id) {
  find(actor, id);
  return repos_.accounts.audit(id);
}

void AccountService::setLanguage(const Actor& actor, Language language) {
  repos_.accounts.setLanguage(actor.account_id, language);
}

// ---------------------------------------------------------------------------------------------
// Passwords

void AccountService::reservePasswordCheck(Id account_id, const std::string& client) {
  // The attempt is counted before the password is checked, so parallel guesses cannot all be
  // checked before the first of them is counted.
  const Timestamp now = clock_.now();
  const auto locked = repos_.accounts.reserveLoginAttempt(
      account_id, client, rules_.max_failures, now, addSeconds(now, 60LL * rules_.lock_minutes));
  if (locked) throwLocked(now, *locked);
}

Account AccountService::signIn(std::string_view login, std::string_view password,
                               const std::string& client) {
  if (login.empty() || login.size() > kMaxLoginBytes || password.size() > kMaxPasswordBytes) {
    hasher_.verify(dummyHash(), password.substr(0, kMaxPasswordBytes));
    throwBadCredentials();
  }
  const auto credentials = repos_.accounts.findByLogin(std::string(login));
  if (!credentials) {
    hasher_.verify(dummyHash(), password);
    throwBadCredentials();
  }
  const Account& account = credentials->account;
  const bool has_password = !credentials->password_hash.empty();
  if (has_password && !account.disabled) {
    reservePasswordCheck(account.id, client);
  }
  const bool matches =
      hasher_.verify(has_password ? credentials->password_hash : dummyHash(), password) &&
      has_password;
  if (!matches || account.disabled) throwBadCredentials();
  repos_.accounts.clearLoginAttempts(account.id, client);
  return account;
}

void AccountService::setOwnPassword(const Actor& actor, std::string_view password,
                                    const std::optional<std::string>& current_password,
                                    const std::string& client, const std::string& current_session) {
  validatePassword(password);
  const auto account = repos_.accounts.find(actor.account_id);
  if (!account) throw Error(ErrorCode::unauthenticated, "no such account");
  const auto credentials = repos_.accounts.findByLogin(account->login);
  if (!credentials) throw Error(ErrorCode::unauthenticated, "no such account");
  if (!credentials->password_hash.empty()) {
    if (!current_password) {
      throw Error(ErrorCode::invalid_argument, "the current password is required to change it",
                  {{"current_password", "is required when a password is set"}});
    }
    reservePasswordCheck(account->id, client);
    if (current_password->size() > kMaxPasswordBytes ||
        !hasher_.verify(credentials->password_hash, *current_password)) {
      throw Error(ErrorCode::invalid_argument, "the current password is wrong",
                  {{"current_password", "does not match"}});
    }
  }
  AccountChange change;
  change.password_hash = hasher_.hash(password);
  // Whoever else holds a session of the account may be who the new password is meant to keep
  // out: every other session ends.
  change.keep_token_hash = current_session;
  repos_.accounts.update(account->id, change);
  sessionsEnded(account->id);
}

// ---------------------------------------------------------------------------------------------
// A learner's own login

namespace {

/// The learner account of `actor`, or Error(forbidden) for staff.
Account ownLearnerAccount(Repositories& repos, const Actor& actor) {
  if (actor.role != Role::learner) {
    throw Error(ErrorCode::forbidden, "staff logins are set by an administrator");
  }
  const auto account = repos.accounts.find(actor.account_id);
  if (!account) throw Error(ErrorCode::unauthenticated, "no such account");
  return *account;
}

}  // namespace

std::string AccountService::suggestOwnLogin(const Actor& actor) {
  const Account account = ownLearnerAccount(repos_, actor);
  const auto person =
      account.participant_id ? repos_.participants.find(*account.participant_id) : std::nullopt;
  const std::string base = person ? loginFromName(person->full_name) : std::string();
  if (base.empty()) return account.login;
  // A handful of namesakes at most; past them the learner types their own.
  constexpr int kMaxSuffix = 50;
  for (int n = 1; n <= kMaxSuffix; ++n) {
    const std::string suffix = n == 1 ? std::string() : std::to_string(n);
    const std::string login = base.substr(0, 64 - suffix.size()) + suffix;
    if (login == account.login) return login;
    if (!repos_.accounts.findByLogin(login)) return login;
  }
  return account.login;
}

Account AccountService::setOwnLogin(const Actor& actor, const std::string& login) {
  const Account account = ownLearnerAccount(repos_, actor);
  validateLogin(login);
  if (login == account.login) return account;
  AccountChange change;
  change.login = login;
  try {
    return repos_.accounts.update(account.id, change);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::conflict) throw;
    throwLoginTaken();
  }
}

// ---------------------------------------------------------------------------------------------
// Access codes

AccessCode AccountService::issueAccessCode(const Actor& actor, Id participant_id) {
  if (actor.role == Role::learner) {
    throw Error(ErrorCode::forbidden, "learners cannot issue access codes");
  }
  const Participant person = detail::visibleParticipant(repos_, actor, participant_id);
  std::optional<Account> account = repos_.accounts.findByParticipant(person.id);
  bool has_password = false;
  if (account) {
    const auto credentials = repos_.accounts.findByLogin(account->login);
    has_password = credentials && !credentials->password_hash.empty();
  }
  if (!actor.isAdmin()) {
    if (!inTrainersCohort(repos_, person.id, actor.account_id)) {
      throw Error(ErrorCode::forbidden,
                  "a trainer gives access codes only to people enrolled in their cohorts");
    }
    if (has_password) {
      throw Error(ErrorCode::conflict,
                  "this person has set a password for their account; only an administrator can "
                  "reset it");
    }
  }
  if (!account) {
    Account learner;
    learner.login = "learner-" + std::to_string(person.id);
    learner.display_name = person.full_name;
    learner.role = Role::learner;
    learner.participant_id = person.id;
    account = repos_.accounts.create(learner, "");
  }
  const Timestamp now = clock_.now();
  std::optional<AccountEvent> reset;
  if (has_password)
    reset = AccountEvent{std::string(kPasswordResetCodeEvent), actor.account_id, now};
  const std::string code = secrets_.newCode();
  AccessCode result;
  result.login = account->login;
  result.code = formatAccessCode(code);
  result.expires_at = addSeconds(now, 24LL * 60 * 60 * rules_.access_code_ttl_days);
  repos_.accounts.storeAccessCode(account->id, secrets_.digest(code), result.expires_at, reset);
  if (reset) sessionsEnded(account->id);
  return result;
}

Account AccountService::redeemAccessCode(std::string_view code) {
  const auto normalized = normalizeAccessCode(code);
  if (!normalized) throwBadCode();
  const auto account = repos_.accounts.redeemAccessCode(secrets_.digest(*normalized), clock_.now());
  if (!account) throwBadCode();
  sessionsEnded(account->id);
  return *account;
}

}  // namespace courses
