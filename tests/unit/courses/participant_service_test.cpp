// ParticipantService, courses/participant_service.hpp: registration, duplicates, search, edits.
#include "courses/participant_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "services_fixture.hpp"
#include "support/domain_checks.hpp"

namespace courses {
namespace {

using support::errorOf;

// --- participants -------------------------------------------------------------------------------

TEST_F(ServicesTest, RegistersANewPerson) {
  const auto result =
      participants.registerPerson(trainer_a, {person("  Әлия   Ғабитқызы "), std::nullopt, false});
  EXPECT_TRUE(result.created);
  EXPECT_GT(result.participant.id, 0);
  EXPECT_EQ(result.participant.full_name, "Әлия Ғабитқызы");
  EXPECT_EQ(result.participant.created_by, trainer_a.account_id);
  EXPECT_EQ(result.participant.created_at, "2026-11-27T10:00:00Z");
  EXPECT_TRUE(repos.participants.isVisibleTo(result.participant.id, trainer_a.account_id));
  EXPECT_FALSE(repos.participants.isVisibleTo(result.participant.id, trainer_b.account_id));
}

TEST_F(ServicesTest, SamePersonSpelledDifferentlyIsADuplicate) {
  const Participant first = registerBy(trainer_a, "Ёлкина Анна-Мария");
  const auto caught = errorOf([&] {
    participants.registerPerson(trainer_b, {person("ЕЛКИНА  АННА–МАРИЯ"), std::nullopt, false});
  });
  ASSERT_TRUE(caught.has_value());
  EXPECT_EQ(caught->code(), ErrorCode::conflict);
  ASSERT_EQ(caught->candidates.size(), 1u);
  // Trainer B may not see the person trainer A registered: no id, a confirmation instead.
  EXPECT_EQ(caught->candidates[0].id, 0);
  EXPECT_FALSE(caught->candidates[0].confirmation.empty());
  EXPECT_EQ(caught->candidates[0].full_name, "Ёлкина Анна-Мария");
  EXPECT_EQ(caught->candidates[0].birth_year, 1985);
  EXPECT_EQ(caught->candidates[0].locality_id, village.id);
  // Nothing was stored.
  EXPECT_EQ(participants.search(admin, "", {}).items.size(), 1u);
}

TEST_F(ServicesTest, DifferentYearOrLocalityIsNotADuplicate) {
  registerBy(trainer_a, "Айгүл Серікқызы", 1985);
  EXPECT_TRUE(
      participants.registerPerson(trainer_a, {person("Айгүл Серікқызы", 1986), std::nullopt, false})
          .created);
  Participant elsewhere = person("Айгүл Серікқызы", 1985);
  elsewhere.demographics.locality_id = district.id;
  EXPECT_TRUE(participants.registerPerson(trainer_a, {elsewhere, std::nullopt, false}).created);
}

TEST_F(ServicesTest, TheSamePersonTypedAnotherWayIsAskedAbout) {
  const Participant first = registerBy(trainer_a, "Ахметов Талғат");
  // г typed for ғ, the given name first, a Latin passport spelling, a patronymic added.
  for (const char* typed :
       {"Ахметов Талгат", "Талғат Ахметов", "Akhmetov Talgat", "Ахметов Талғат Серікұлы"}) {
    SCOPED_TRACE(typed);
    const auto caught = errorOf(
        [&] { participants.registerPerson(trainer_a, {person(typed), std::nullopt, false}); });
    ASSERT_TRUE(caught.has_value());
    EXPECT_EQ(caught->code(), ErrorCode::conflict);
    ASSERT_EQ(caught->candidates.size(), 1u);
    EXPECT_EQ(caught->candidates[0].id, first.id);
    // And the question is answered with the same candidate.
    const auto confirmed =
        participants.registerPerson(trainer_a, {person(typed), first.id, false});
    EXPECT_FALSE(confirmed.created);
    EXPECT_EQ(confirmed.participant.id, first.id);
  }
  EXPECT_EQ(participants.search(admin, "", {}).items.size(), 1u);
}

TEST_F(ServicesTest, SimilarNamesOfDifferentPeopleAreNotAskedAbout) {
  registerBy(trainer_a, "Ахметов Талғат Серікұлы");
  // A brother, another father's son, a sister with the same given name.
  EXPECT_TRUE(participants.registerPerson(trainer_a, {person("Ахметов Асқар"), {}, false}).created);
  EXPECT_TRUE(
      participants.registerPerson(trainer_a, {person("Ахметов Талғат Болатұлы"), {}, false})
          .created);
  EXPECT_TRUE(participants.registerPerson(trainer_a, {person("Ахметова Талғат"), {}, false})
                  .created);
  // A man and a woman of one name are two people.
  registerBy(trainer_a, "Жанар Серікова");
  Participant man = person("Жанар Серікова");
  man.demographics.gender = Gender::male;
  EXPECT_TRUE(participants.registerPerson(trainer_a, {man, {}, false}).created);
}

TEST_F(ServicesTest, CandidatesAreRankedSpellingFirstThenLocality) {
  const Locality next_village = catalogue.createLocality(
      admin, Locality{0, district.id, LocalityKind::settlement, {"Көктал", "Коктал", "Koktal"},
                      std::nullopt});
  // The same person's name as typed, but in the neighbouring village; and here, spelled
  // another way.
  Participant there = person("Ахметов Талғат");
  there.demographics.locality_id = next_village.id;
  const Participant spelled_alike =
      participants.registerPerson(trainer_a, {there, std::nullopt, false}).participant;
  const Participant spelled_otherwise =
      participants.registerPerson(trainer_a, {person("Талгат Ахметов"), std::nullopt, true})
          .participant;
  const auto caught = errorOf([&] {
    participants.registerPerson(trainer_a, {person("Ахметов Талғат"), std::nullopt, false});
  });
  ASSERT_TRUE(caught.has_value());
  ASSERT_EQ(caught->candidates.size(), 2u);
  EXPECT_EQ(caught->candidates[0].id, spelled_alike.id);
  EXPECT_EQ(caught->candidates[1].id, spelled_otherwise.id);
  // "Талгат Ахметов" again: spelled as the second, who also lives here.
  const auto again = errorOf([&] {
    participants.registerPerson(trainer_a, {person("Талгат Ахметов"), std::nullopt, false});
  });
  ASSERT_TRUE(again.has_value());
  ASSERT_EQ(again->candidates.size(), 2u);
  EXPECT_EQ(again->candidates[0].id, spelled_otherwise.id);
}

TEST_F(ServicesTest, SearchFindsANameHoweverItIsTyped) {
  const Participant talgat = registerBy(trainer_a, "Ахметов Талғат Серікұлы");
  registerBy(trainer_a, "Ахметов Асқар");
  for (const char* typed : {"Талгат", "талғат ахметов", "Talgat Akhmetov", "akhm tal"}) {
    SCOPED_TRACE(typed);
    const auto found = participants.search(trainer_a, typed, {});
    ASSERT_EQ(found.items.size(), 1u);
    EXPECT_EQ(found.items[0].id, talgat.id);
  }
  EXPECT_EQ(participants.search(trainer_a, "Ahmetov", {}).items.size(), 2u);
  // Someone else's people stay out of sight.
  EXPECT_TRUE(participants.search(trainer_b, "Talgat", {}).items.empty());
}

TEST_F(ServicesTest, ConfirmingTheExistingPersonGrantsAccess) {
  const Participant first = registerBy(trainer_a, "Серік Нұрланұлы");
  EXPECT_ERROR(ErrorCode::not_found, participants.find(trainer_b, first.id));
  // Trainer B may not see the person: a bare id confirms nobody, the confirmation they were
  // shown does.
  EXPECT_INVALID_FIELD("same_person", participants.registerPerson(
                                          trainer_b, {person("СЕРІК  нұрланұлы"), first.id, false}));
  const auto conflict = errorOf([&] {
    participants.registerPerson(trainer_b, {person("СЕРІК  нұрланұлы"), std::nullopt, false});
  });
  ASSERT_TRUE(conflict.has_value());
  ASSERT_EQ(conflict->candidates.size(), 1u);
  ParticipantService::Registration confirm{person("СЕРІК  нұрланұлы"), std::nullopt, false};
  confirm.same_person_confirmation = conflict->candidates[0].confirmation;
  const auto confirmed = participants.registerPerson(trainer_b, confirm);
  EXPECT_FALSE(confirmed.created);
  EXPECT_EQ(confirmed.participant.id, first.id);
  EXPECT_EQ(participants.find(trainer_b, first.id).full_name, "Серік Нұрланұлы");
  EXPECT_EQ(participants.search(admin, "", {}).items.size(), 1u);
}

TEST_F(ServicesTest, ConfirmingSomeoneWhoDoesNotMatchIsRejected) {
  const Participant first = registerBy(trainer_a, "Серік Нұрланұлы");
  const Participant other = registerBy(trainer_a, "Болат Жанұзақов");
  EXPECT_INVALID_FIELD("same_person", participants.registerPerson(
                                          trainer_a, {person("Серік Нұрланұлы"), other.id, false}));
  EXPECT_INVALID_FIELD("same_person", participants.registerPerson(
                                          trainer_a, {person("Жаңа Адам"), first.id, false}));
  EXPECT_INVALID_FIELD("same_person", participants.registerPerson(
                                          trainer_a, {person("Серік Нұрланұлы"), first.id, true}));
}

TEST_F(ServicesTest, NotDuplicateRegistersASecondPerson) {
  const Participant first = registerBy(trainer_a, "Серік Нұрланұлы");
  const auto second =
      participants.registerPerson(trainer_a, {person("Серік Нұрланұлы"), std::nullopt, true});
  EXPECT_TRUE(second.created);
  EXPECT_NE(second.participant.id, first.id);
  // Both are now candidates for the next one.
  const auto caught = errorOf([&] {
    participants.registerPerson(trainer_a, {person("Серік Нұрланұлы"), {}, false});
  });
  ASSERT_TRUE(caught.has_value());
  EXPECT_EQ(caught->candidates.size(), 2u);
}

TEST_F(ServicesTest, RegistrationValuesAreChecked) {
  Participant p = person("Айгүл Серікқызы");
  p.consent = false;
  EXPECT_INVALID_FIELD("consent", participants.registerPerson(trainer_a, {p, {}, false}));
  p = person("Айгүл Серікқызы");
  p.demographics.locality_id = 999999;
  EXPECT_INVALID_FIELD("locality_id", participants.registerPerson(trainer_a, {p, {}, false}));
  p = person("Айгүл\xE2\x80\x8BСерікқызы");
  EXPECT_INVALID_FIELD("full_name", participants.registerPerson(trainer_a, {p, {}, false}));
  p = person("Айгүл Серікқызы", 2027);
  EXPECT_INVALID_FIELD("birth_year", participants.registerPerson(trainer_a, {p, {}, false}));
  const Actor learner = makeActor(Role::learner, "learner", std::nullopt);
  EXPECT_ERROR(ErrorCode::forbidden,
               participants.registerPerson(learner, {person("Айгүл Серікқызы"), {}, false}));
  EXPECT_TRUE(participants.search(admin, "", {}).items.empty());
}

TEST_F(ServicesTest, AnUnknownLocalityIsRefusedOnEveryRegistrationPath) {
  Participant p = person("Айгүл Серікқызы");
  p.demographics.locality_id = 999999;
  for (const bool not_duplicate : {false, true}) {
    SCOPED_TRACE(not_duplicate ? "confirmed as new" : "first attempt");
    const auto caught = errorOf([&] {
      participants.registerPerson(trainer_a, {p, std::nullopt, not_duplicate});
    });
    ASSERT_TRUE(caught.has_value());
    ASSERT_FALSE(caught->fields().empty());
    EXPECT_EQ(caught->fields().front().field, "locality_id");
    EXPECT_EQ(caught->fields().front().message, "does not name a known locality");
    EXPECT_INVALID_FIELD("locality_id",
                         participants.checkRegistration(trainer_a, {p, std::nullopt, not_duplicate}));
  }
  EXPECT_TRUE(participants.search(admin, "", {}).items.empty());
}

TEST_F(ServicesTest, ParticipantVisibility) {
  const Participant mine = registerBy(trainer_a, "Дана Қасымова");
  EXPECT_EQ(participants.find(trainer_a, mine.id).id, mine.id);
  EXPECT_EQ(participants.find(admin, mine.id).id, mine.id);
  EXPECT_ERROR(ErrorCode::not_found, participants.find(trainer_b, mine.id));
  EXPECT_ERROR(ErrorCode::not_found, participants.find(trainer_a, 999999));
  // Enrolling someone into trainer B's cohort makes them visible to trainer B.
  Cohort shared = sampleCohort();
  shared.trainer_ids = {trainer_b.account_id};
  shared = cohorts.create(admin, shared);
  enrol(admin, shared.id, mine.id);
  EXPECT_EQ(participants.find(trainer_b, mine.id).id, mine.id);
}

TEST_F(ServicesTest, LearnerSeesOnlyThemselves) {
  const Participant me = registerBy(trainer_a, "Гүлнар Ахметова");
  const Participant other = registerBy(trainer_a, "Гүлмира Ахметова");
  const Actor learner = makeActor(Role::learner, "gulnar", me.id);
  EXPECT_EQ(participants.find(learner, me.id).full_name, "Гүлнар Ахметова");
  EXPECT_ERROR(ErrorCode::not_found, participants.find(learner, other.id));
  const auto found = participants.search(learner, "ахметова", {});
  ASSERT_EQ(found.items.size(), 1u);
  EXPECT_EQ(found.items[0].id, me.id);
  EXPECT_TRUE(participants.search(learner, "гүлмира", {}).items.empty());
  ParticipantPatch patch;
  patch.phone = std::optional<std::string>("+7 701 000 00 00");
  EXPECT_ERROR(ErrorCode::forbidden, participants.update(learner, me.id, patch));
}

TEST_F(ServicesTest, SearchMatchesNormalisedNamesAndPages) {
  registerBy(trainer_a, "Ёлкина Анна");
  registerBy(trainer_a, "Елкин Пётр");
  registerBy(trainer_a, "Қанат Бекұлы");
  registerBy(trainer_b, "Ёлкин Иван");
  EXPECT_EQ(participants.search(trainer_a, "ЁЛКИН", {}).items.size(), 2u);
  EXPECT_EQ(participants.search(trainer_b, "елкин", {}).items.size(), 1u);
  EXPECT_EQ(participants.search(admin, "елкин", {}).items.size(), 3u);

  const auto first = participants.search(admin, "", PageRequest{0, 2});
  ASSERT_EQ(first.items.size(), 2u);
  ASSERT_TRUE(first.next_after.has_value());
  const auto second = participants.search(admin, "", PageRequest{*first.next_after, 2});
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_FALSE(second.next_after.has_value());
  EXPECT_LT(first.items.back().id, second.items.front().id);

  EXPECT_INVALID_FIELD("limit", participants.search(admin, "", PageRequest{0, 0}));
  EXPECT_INVALID_FIELD("limit", participants.search(admin, "", PageRequest{0, 201}));
  EXPECT_INVALID_FIELD("after", participants.search(admin, "", PageRequest{-1, 10}));
  EXPECT_INVALID_FIELD("q", participants.search(admin, "\xC0\xAF", {}));
}

TEST_F(ServicesTest, UpdateNormalisesAndMovesTheDuplicateKey) {
  const Participant p = registerBy(trainer_a, "Дана Қасымова");
  ParticipantPatch patch;
  patch.full_name = "  Дана   Қасымқызы ";
  patch.email = std::optional<std::string>(" dana@example.kz ");
  const Participant updated = participants.update(trainer_a, p.id, patch);
  EXPECT_EQ(updated.full_name, "Дана Қасымқызы");
  EXPECT_EQ(updated.email, "dana@example.kz");
  EXPECT_EQ(repos.participants.findByKey(duplicateKey(updated)).size(), 1u);
  EXPECT_TRUE(repos.participants.findByKey(duplicateKey(p)).empty());

  patch = {};
  patch.email = std::optional<std::string>();  // clear
  EXPECT_FALSE(participants.update(trainer_a, p.id, patch).email.has_value());
}

TEST_F(ServicesTest, UpdateIsCheckedAndScoped) {
  const Participant p = registerBy(trainer_a, "Дана Қасымова");
  ParticipantPatch patch;
  patch.birth_year = 1800;
  EXPECT_INVALID_FIELD("birth_year", participants.update(trainer_a, p.id, patch));
  patch = {};
  patch.consent = false;
  EXPECT_INVALID_FIELD("consent", participants.update(trainer_a, p.id, patch));
  patch = {};
  patch.locality_id = 999999;
  EXPECT_INVALID_FIELD("locality_id", participants.update(trainer_a, p.id, patch));
  patch = {};
  patch.full_name = "Someone Else";
  EXPECT_ERROR(ErrorCode::not_found, participants.update(trainer_b, p.id, patch));
  EXPECT_EQ(participants.find(admin, p.id).full_name, "Дана Қасымова");
}

// --- names the certificate fonts cannot draw ---------------------------------------------------

// Expects Error(unprocessable) with one problem on full_name naming `character`.
#define EXPECT_UNDRAWABLE_NAME(character, ...)                                 \
  do {                                                                         \
    const auto caught_ = errorOf([&] { __VA_ARGS__; });                        \
    ASSERT_TRUE(caught_.has_value()) << "no error from: " #__VA_ARGS__;        \
    EXPECT_EQ(caught_->code(), ErrorCode::unprocessable) << caught_->what();   \
    ASSERT_EQ(caught_->fields().size(), 1u) << caught_->what();                \
    EXPECT_EQ(caught_->fields().front().field, "full_name");                   \
    EXPECT_EQ(caught_->fields().front().message,                               \
              std::string(character) + " cannot be printed on a certificate"); \
  } while (false)
TEST_F(ServicesTest, RegistrationRefusesANameTheFontsCannotDraw) {
  EXPECT_UNDRAWABLE_NAME("U+1F600 '\xF0\x9F\x98\x80'",
                         participants.registerPerson(
                             trainer_a, {person("Айгүл \xF0\x9F\x98\x80"), std::nullopt, false}));
  EXPECT_UNDRAWABLE_NAME("U+5F20 '张'", participants.registerPerson(
                                            trainer_a, {person("张 Wei"), std::nullopt, false}));
  // Nothing was stored.
  EXPECT_TRUE(participants.search(admin, "", {}).items.empty());
}

TEST_F(ServicesTest, EditRefusesANameTheFontsCannotDraw) {
  const Participant p = registerBy(trainer_a, "Дана Қасымова");
  ParticipantPatch patch;
  patch.full_name = "Дана \xF0\x9F\x98\x80";
  patch.birth_year = 1990;
  EXPECT_UNDRAWABLE_NAME("U+1F600 '\xF0\x9F\x98\x80'", participants.update(trainer_a, p.id, patch));
  const Participant unchanged = participants.find(admin, p.id);
  EXPECT_EQ(unchanged.full_name, "Дана Қасымова");
  EXPECT_EQ(unchanged.demographics.birth_year, 1985);

  // A name stored before the check existed does not block edits that leave it alone.
  ParticipantPatch legacy;
  legacy.full_name = "Дана 王";
  repos.participants.update(p.id, legacy, duplicateKey(p));
  ParticipantPatch phone;
  phone.phone.emplace("+7 701 000 00 00");
  EXPECT_EQ(participants.update(trainer_a, p.id, phone).phone, "+7 701 000 00 00");
}

}  // namespace
}  // namespace courses
