#include "courses/account_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "courses/error.hpp"
#include "support/fakes.hpp"
#include "support/memory_store.hpp"

namespace courses {
namespace {

class ManualClock final : public Clock {
 public:
  Timestamp now() const override { return now_; }
  void set(Timestamp now) { now_ = std::move(now); }

 private:
  Timestamp now_ = "2026-03-01T09:00:00Z";
};

constexpr const char* kPassword = "correct horse battery";
const std::string kClient = "10.0.0.9";

/// The code of the error `run` throws, or internal when it throws none.
template <typename Run>
ErrorCode codeOf(Run run) {
  try {
    run();
  } catch (const Error& error) {
    return error.code();
  }
  return ErrorCode::internal;
}

class AccountServiceTest : public ::testing::Test {
 protected:
  AccountServiceTest()
      : repos_(store_.repositories()),
        accounts_(repos_, clock_, hasher_, secrets_),
        participants_(repos_, clock_, coverage_) {
    store_.setNow("2026-03-01T09:00:00Z");
    admin_ = account("admin1", Role::admin);
    trainer_ = account("trainer1", Role::trainer);
    Locality region;
    region.kind = LocalityKind::region;
    region.name = {"Нұра", "Нура", "Nura"};
    locality_ = repos_.localities.create(region).id;
  }

  Actor account(const std::string& login, Role role) {
    Account a;
    a.login = login;
    a.role = role;
    const Account created = repos_.accounts.create(a, hasher_.hash(kPassword));
    return Actor{created.id, role, std::nullopt};
  }

  Participant person(const std::string& name, const Actor& by) {
    ParticipantService::Registration registration;
    registration.person.full_name = name;
    registration.person.demographics.birth_year = 1990;
    registration.person.demographics.locality_id = locality_;
    registration.person.consent = true;
    registration.not_duplicate = true;
    return participants_.registerPerson(by, registration).participant;
  }

  /// A cohort of `trainer` with `person` enrolled.
  void enrolWith(const Actor& trainer, Id person_id) {
    Programme programme;
    programme.code = "P" + std::to_string(person_id);
    const Id programme_id = repos_.programmes.create(programme).id;
    Course course;
    course.programme_id = programme_id;
    const Id course_id = repos_.courses.create(course).id;
    Cohort cohort;
    cohort.course_id = course_id;
    cohort.locality_id = locality_;
    cohort.trainer_ids = {trainer.account_id};
    const Id cohort_id = repos_.cohorts.create(cohort).id;
    repos_.enrolments.enrol(person_id, cohort_id, trainer.account_id, std::nullopt);
  }

  support::MemoryStore store_;
  Repositories repos_;
  ManualClock clock_;
  support::FakePasswordHasher hasher_;
  support::FakeAccessCodeSecrets secrets_;
  support::FakeGlyphCoverage coverage_;
  AccountService accounts_;
  ParticipantService participants_;
  Actor admin_;
  Actor trainer_;
  Id locality_ = 0;
};

/// Records the accounts whose sessions ended.
class RecordingObserver final : public SessionObserver {
 public:
  void sessionsEnded(Id account_id) override { ended.push_back(account_id); }
  std::vector<Id> ended;
};

TEST(ValidateLogin, FollowsTheUserAddRules) {
  for (const char* good : {"ab", "aliya.k", "trainer_2", "9lives", "a-b"}) {
    EXPECT_NO_THROW(validateLogin(good)) << good;
  }
  EXPECT_NO_THROW(validateLogin(std::string(64, 'a')));
  for (const std::string& bad : std::vector<std::string>{"a", "", "Aliya", "-ab", ".ab", "al iya",
                                                         "әлия", "a@b", std::string(65, 'a')}) {
    try {
      validateLogin(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      ASSERT_EQ(e.fields().size(), 1u);
      EXPECT_EQ(e.fields()[0].field, "login");
    }
  }
}

ErrorCode passwordCodeOf(std::string_view password) {
  try {
    validatePassword(password);
  } catch (const Error& error) {
    EXPECT_FALSE(error.fields().empty());
    if (!error.fields().empty()) {
      EXPECT_EQ(error.fields()[0].field, "password");
    }
    return error.code();
  }
  return ErrorCode::internal;  // "no error" marker for these tests
}

TEST(ValidatePassword, CountsCodePoints) {
  EXPECT_NO_THROW(validatePassword("0123456789"));
  EXPECT_EQ(passwordCodeOf("012345678"), ErrorCode::invalid_argument);
  // 10 Cyrillic letters are 20 bytes but 10 characters.
  EXPECT_NO_THROW(validatePassword("әғқңөұүһіә"));
  std::string longest;
  for (int i = 0; i < 256; ++i) longest += "ә";
  EXPECT_NO_THROW(validatePassword(longest));
  EXPECT_EQ(passwordCodeOf(longest + "a"), ErrorCode::invalid_argument);
}

TEST(ValidatePassword, RejectsInvalidUtf8) {
  EXPECT_EQ(passwordCodeOf("0123456789\xC0\xAF"), ErrorCode::invalid_argument);
  EXPECT_EQ(passwordCodeOf("0123456789\xED\xA0\x80"), ErrorCode::invalid_argument);
}

TEST(AccessCodeText, NormalisesWhatPeopleType) {
  EXPECT_EQ(normalizeAccessCode("ABCDE-FGHJK"), std::optional<std::string>("ABCDEFGHJK"));
  EXPECT_EQ(normalizeAccessCode("abcde fghjk"), std::optional<std::string>("ABCDEFGHJK"));
  EXPECT_EQ(normalizeAccessCode("abcdefghjk"), std::optional<std::string>("ABCDEFGHJK"));
  // Crockford's look-alikes read as the digits they resemble.
  EXPECT_EQ(normalizeAccessCode("O1234-IL567"), std::optional<std::string>("0123411567"));
  EXPECT_FALSE(normalizeAccessCode("ABCDE-FGHJU"));  // U is not in the alphabet
  EXPECT_FALSE(normalizeAccessCode("ABCDE-FGHJ"));   // too short
  EXPECT_FALSE(normalizeAccessCode("ABCDE-FGHJKM"));
  EXPECT_FALSE(normalizeAccessCode("ÄBCDE-FGHJK"));
  EXPECT_FALSE(normalizeAccessCode(""));
  EXPECT_FALSE(normalizeAccessCode(std::string(1000, '-') + "ABCDEFGHJK"));
  EXPECT_EQ(formatAccessCode("ABCDEFGHJK"), "ABCDE-FGHJK");
}

TEST_F(AccountServiceTest, OnlyAdminsManageAccountsAndNobodyDisablesThemselves) {
  const Actor learner{0, Role::learner, 5};
  const NewAccount request{"new.trainer", "Жаңа Тренер", Role::trainer, std::nullopt, "0123456789"};
  for (const Actor& actor : {trainer_, learner}) {
    EXPECT_EQ(codeOf([&] { accounts_.createStaff(actor, request, coverage_); }),
              ErrorCode::forbidden);
    EXPECT_EQ(codeOf([&] { accounts_.list(actor, std::nullopt, {}); }), ErrorCode::forbidden);
    EXPECT_EQ(codeOf([&] { accounts_.update(actor, trainer_.account_id, {}, coverage_); }),
              ErrorCode::forbidden);
    EXPECT_EQ(codeOf([&] { accounts_.find(actor, trainer_.account_id); }), ErrorCode::forbidden);
  }
  const Account created = accounts_.createStaff(admin_, request, coverage_);
  EXPECT_EQ(created.role, Role::trainer);
  EXPECT_EQ(created.display_name, "Жаңа Тренер");
  EXPECT_EQ(accounts_.signIn("new.trainer", "0123456789", kClient).id, created.id);

  AccountEdit disable_self;
  disable_self.disabled = true;
  EXPECT_EQ(codeOf([&] { accounts_.update(admin_, admin_.account_id, disable_self, coverage_); }),
            ErrorCode::conflict);
  EXPECT_FALSE(repos_.accounts.find(admin_.account_id)->disabled);
}

TEST_F(AccountServiceTest, TheOperatorCreatesLearnersNamedAsTheirPerson) {
  const Participant aliya = person("Әлия Нұрланқызы", admin_);
  const Actor op = AccountService::operatorActor();
  const Account learner = accounts_.create(
      op, NewAccount{"aliya", "", Role::learner, aliya.id, "0123456789"}, coverage_);
  EXPECT_EQ(learner.display_name, "Әлия Нұрланқызы");
  EXPECT_EQ(learner.participant_id, aliya.id);
  EXPECT_EQ(codeOf([&] {
              accounts_.create(op, NewAccount{"nobody", "", Role::learner, 987654, "0123456789"},
                               coverage_);
            }),
            ErrorCode::invalid_argument);
  EXPECT_EQ(codeOf([&] {
              accounts_.create(op,
                               NewAccount{"aliya", "", Role::trainer, std::nullopt, "0123456789"},
                               coverage_);
            }),
            ErrorCode::conflict);
  // Staff from the command line may have no name yet; the API asks for one.
  EXPECT_NO_THROW(accounts_.create(
      op, NewAccount{"quiet", "", Role::trainer, std::nullopt, "0123456789"}, coverage_));
  EXPECT_EQ(codeOf([&] {
              accounts_.createStaff(
                  admin_, NewAccount{"quiet2", "", Role::trainer, std::nullopt, "0123456789"},
                  coverage_);
            }),
            ErrorCode::invalid_argument);
}

TEST_F(AccountServiceTest, PasswordsSetOrDisablingEndEverySessionAndTellTheObserver) {
  RecordingObserver observer;
  accounts_.setSessionObserver(&observer);
  repos_.accounts.storeToken("session-1", trainer_.account_id, "2026-03-02T00:00:00Z");
  AccountEdit reset;
  reset.password = "a password from the admin";
  accounts_.update(AccountService::operatorActor(), trainer_.account_id, reset, coverage_);
  EXPECT_FALSE(repos_.accounts.findByToken("session-1", clock_.now()));
  repos_.accounts.storeToken("session-2", trainer_.account_id, "2026-03-02T00:00:00Z");
  AccountEdit disable;
  disable.disabled = true;
  accounts_.update(AccountService::operatorActor(), trainer_.account_id, disable, coverage_);
  EXPECT_FALSE(repos_.accounts.findByToken("session-2", clock_.now()));
  EXPECT_EQ(observer.ended, (std::vector<Id>{trainer_.account_id, trainer_.account_id}));
  accounts_.removeSessionObserver(&observer);
}

TEST_F(AccountServiceTest, OwnPasswordEndsEveryOtherSession) {
  repos_.accounts.storeToken("this-session", trainer_.account_id, "2026-03-02T00:00:00Z");
  repos_.accounts.storeToken("other-session", trainer_.account_id, "2026-03-02T00:00:00Z");
  accounts_.setOwnPassword(trainer_, "a brand new password", std::string(kPassword), kClient,
                           "this-session");
  EXPECT_TRUE(repos_.accounts.findByToken("this-session", clock_.now()));
  EXPECT_FALSE(repos_.accounts.findByToken("other-session", clock_.now()));
  EXPECT_NO_THROW(accounts_.signIn("trainer1", "a brand new password", kClient));
}

TEST_F(AccountServiceTest, WrongPasswordsLockOnlyTheClientThatSentThem) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(codeOf([&] { accounts_.signIn("admin1", "wrong password!", "203.0.113.9"); }),
              ErrorCode::unauthenticated);
  }
  const int checked = hasher_.verifications();
  EXPECT_EQ(codeOf([&] { accounts_.signIn("admin1", kPassword, "203.0.113.9"); }),
            ErrorCode::too_many_requests);
  EXPECT_EQ(hasher_.verifications(), checked) << "a locked-out client's password is not checked";
  EXPECT_EQ(accounts_.signIn("admin1", kPassword, "198.51.100.2").id, admin_.account_id);
}

TEST_F(AccountServiceTest, ParallelGuessesAreVerifiedAtMostMaxFailuresTimes) {
  hasher_.slowDown(20);
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 60; ++i) {
    threads.emplace_back([&] {
      if (codeOf([&] { accounts_.signIn("admin1", "wrong password!", "203.0.113.9"); }) ==
          ErrorCode::too_many_requests) {
        ++refused;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(hasher_.verifications(), AccountRules{}.max_failures);
  EXPECT_EQ(refused.load(), 60 - AccountRules{}.max_failures);
}

TEST_F(AccountServiceTest, TrainersGiveCodesOnlyToTheirCohortsPeopleWithoutAPassword) {
  const Participant stranger = person("Бөтен Адам", admin_);
  EXPECT_EQ(codeOf([&] { accounts_.issueAccessCode(trainer_, stranger.id); }),
            ErrorCode::not_found);
  const Participant dana = person("Дана Серікқызы", trainer_);
  EXPECT_EQ(codeOf([&] { accounts_.issueAccessCode(trainer_, dana.id); }), ErrorCode::forbidden);
  enrolWith(trainer_, dana.id);
  const AccessCode code = accounts_.issueAccessCode(trainer_, dana.id);
  const Account learner = accounts_.redeemAccessCode(code.code);
  const Actor dana_actor{learner.id, Role::learner, dana.id};
  accounts_.setOwnPassword(dana_actor, "dana's own password", std::nullopt, kClient, "");
  EXPECT_EQ(codeOf([&] { accounts_.issueAccessCode(trainer_, dana.id); }), ErrorCode::conflict);
  EXPECT_EQ(codeOf([&] { accounts_.issueAccessCode(dana_actor, dana.id); }), ErrorCode::forbidden);
  EXPECT_TRUE(repos_.accounts.audit(learner.id).empty());
}

TEST_F(AccountServiceTest, AnAdministratorsCodeForASecuredAccountIsAResetAndAudited) {
  const Participant dana = person("Дана Серікқызы", admin_);
  const Account learner =
      accounts_.redeemAccessCode(accounts_.issueAccessCode(admin_, dana.id).code);
  const Actor dana_actor{learner.id, Role::learner, dana.id};
  accounts_.setOwnPassword(dana_actor, "dana's own password", std::nullopt, kClient, "");
  repos_.accounts.storeToken("dana-session", learner.id, "2026-03-02T00:00:00Z");
  RecordingObserver observer;
  accounts_.setSessionObserver(&observer);

  clock_.set("2026-03-01T10:00:00Z");
  const AccessCode reset = accounts_.issueAccessCode(admin_, dana.id);
  EXPECT_FALSE(repos_.accounts.findByToken("dana-session", clock_.now()));
  EXPECT_EQ(observer.ended, std::vector<Id>{learner.id});
  const auto audit = accounts_.audit(admin_, learner.id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, kPasswordResetCodeEvent);
  EXPECT_EQ(audit[0].actor_id, admin_.account_id);
  EXPECT_EQ(audit[0].at, "2026-03-01T10:00:00Z");
  EXPECT_EQ(accounts_.redeemAccessCode(reset.code).id, learner.id);
  EXPECT_EQ(codeOf([&] { accounts_.signIn(learner.login, "dana's own password", kClient); }),
            ErrorCode::unauthenticated);
  accounts_.removeSessionObserver(&observer);
}

TEST_F(AccountServiceTest, ATrainersCodeStopsWorkingOnceTheHolderHasAPassword) {
  const Participant dana = person("Дана Серікқызы", trainer_);
  enrolWith(trainer_, dana.id);
  const AccessCode first = accounts_.issueAccessCode(trainer_, dana.id);
  const Account learner = accounts_.redeemAccessCode(first.code);
  const AccessCode pending = accounts_.issueAccessCode(trainer_, dana.id);
  AccountEdit edit;
  edit.password = "set by the admin 1";
  accounts_.update(admin_, learner.id, edit, coverage_);
  EXPECT_EQ(codeOf([&] { accounts_.redeemAccessCode(pending.code); }), ErrorCode::unauthenticated);
  EXPECT_NO_THROW(accounts_.signIn(learner.login, "set by the admin 1", kClient));
}

TEST(LoginFromName, SpellsTheNameInLatinWordsJoinedByDots) {
  EXPECT_EQ(loginFromName("Айгерім Жұмабекова"), "aigerim.zhumabekova");
  EXPECT_EQ(loginFromName("Ұлболсын Әбілқасымқызы"), "ulbolsyn.abilkasymkyzy");
  EXPECT_EQ(loginFromName("Щукина-Ярцева Юлия Ёжикова"), "shchukina-yartseva.yuliya.ezhikova");
  EXPECT_EQ(loginFromName("John  O'Brien"), "john.obrien");
  EXPECT_EQ(loginFromName("Ғалым Һ."), "galym.h");
  // Nothing that spells in Latin, or a single letter: no suggestion.
  EXPECT_EQ(loginFromName("漢字"), "");
  EXPECT_EQ(loginFromName("Ы"), "");
  const std::string long_name(80, 'a');
  EXPECT_EQ(loginFromName(long_name).size(), 64u);
  EXPECT_NO_THROW(validateLogin(loginFromName("Айгерім Жұмабекова")));
}

TEST_F(AccountServiceTest, ALearnerChoosesTheirOwnLoginFromTheSuggestion) {
  const Participant aigerim = person("Айгерім Жұмабекова", admin_);
  const Account learner =
      accounts_.redeemAccessCode(accounts_.issueAccessCode(admin_, aigerim.id).code);
  const Actor me{learner.id, Role::learner, aigerim.id};
  EXPECT_EQ(learner.login, "learner-" + std::to_string(aigerim.id));
  EXPECT_FALSE(learner.has_password);
  EXPECT_EQ(accounts_.suggestOwnLogin(me), "aigerim.zhumabekova");
  // A namesake's login is taken: the next number is suggested, and choosing the taken one fails.
  account("aigerim.zhumabekova", Role::trainer);
  EXPECT_EQ(accounts_.suggestOwnLogin(me), "aigerim.zhumabekova2");
  EXPECT_EQ(codeOf([&] { accounts_.setOwnLogin(me, "aigerim.zhumabekova"); }), ErrorCode::conflict);
  EXPECT_EQ(codeOf([&] { accounts_.setOwnLogin(me, "Aigerim"); }), ErrorCode::invalid_argument);
  const Account renamed = accounts_.setOwnLogin(me, "aigerim.zhumabekova2");
  EXPECT_EQ(renamed.login, "aigerim.zhumabekova2");
  EXPECT_EQ(accounts_.suggestOwnLogin(me), "aigerim.zhumabekova2");
  accounts_.setOwnPassword(me, "aigerim's own password", std::nullopt, kClient, "");
  const Account signed_in =
      accounts_.signIn("aigerim.zhumabekova2", "aigerim's own password", kClient);
  EXPECT_EQ(signed_in.id, learner.id);
  EXPECT_TRUE(signed_in.has_password);
  // Staff logins are an administrator's.
  EXPECT_EQ(codeOf([&] { accounts_.setOwnLogin(trainer_, "trainer.new"); }), ErrorCode::forbidden);
  EXPECT_EQ(codeOf([&] { accounts_.suggestOwnLogin(admin_); }), ErrorCode::forbidden);
}

}  // namespace
}  // namespace courses
