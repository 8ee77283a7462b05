#include "courses/rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "courses/error.hpp"
#include "courses/name_match.hpp"
#include "support/domain_checks.hpp"

namespace courses {
namespace {

using S = AttendanceStatus;

CompletionResult evaluate(const CompletionRule& rule, int total, std::vector<S> statuses) {
  return evaluateCompletion(rule, total, statuses);
}

CompletionRule percentRule(int percent, bool excused_counts = false) {
  return CompletionRule{percent, excused_counts, false};
}

// --- completion ---------------------------------------------------------------------------------

TEST(CompletionTest, EightyPercentOfEightNeedsSeven) {
  const auto six = evaluate(percentRule(80), 8,
                            {S::present, S::present, S::present, S::present, S::present, S::present,
                             S::absent, S::absent});
  EXPECT_EQ(six.required, 7);
  EXPECT_EQ(six.attended, 6);
  EXPECT_EQ(six.sessions_total, 8);
  EXPECT_FALSE(six.completed);

  const auto seven = evaluate(
      percentRule(80), 8,
      {S::present, S::present, S::present, S::present, S::present, S::present, S::present});
  EXPECT_EQ(seven.required, 7);
  EXPECT_TRUE(seven.completed);
}

TEST(CompletionTest, RequiredIsTheCeilingOfTheShare) {
  EXPECT_EQ(evaluate(percentRule(80), 10, {}).required, 8);
  EXPECT_EQ(evaluate(percentRule(75), 4, {}).required, 3);
  EXPECT_EQ(evaluate(percentRule(1), 1, {}).required, 1);
  EXPECT_EQ(evaluate(percentRule(50), 3, {}).required, 2);
  EXPECT_EQ(evaluate(percentRule(100), 7, {}).required, 7);
}

TEST(CompletionTest, NoSessionsCompletesNobody) {
  const auto result = evaluate(percentRule(80), 0, {});
  EXPECT_EQ(result.sessions_total, 0);
  EXPECT_EQ(result.required, 0);
  EXPECT_FALSE(result.completed);
  EXPECT_FALSE(evaluate(percentRule(0), 0, {}).completed);
  EXPECT_FALSE(evaluate(CompletionRule{80, true, true}, 0, {}).completed);
}

TEST(CompletionTest, LateCountsAsAttended) {
  const auto result = evaluate(percentRule(100), 3, {S::late, S::present, S::late});
  EXPECT_EQ(result.attended, 3);
  EXPECT_TRUE(result.completed);
}

TEST(CompletionTest, UnmarkedSessionsAreAbsences) {
  const auto result = evaluate(percentRule(80), 5, {S::present, S::present, S::present});
  EXPECT_EQ(result.attended, 3);
  EXPECT_EQ(result.required, 4);
  EXPECT_FALSE(result.completed);
}

TEST(CompletionTest, AbsentNeverCounts) {
  const auto result = evaluate(percentRule(50), 2, {S::absent, S::absent});
  EXPECT_EQ(result.attended, 0);
  EXPECT_FALSE(result.completed);
}

TEST(CompletionTest, ExcusedCountsOnlyWhenTheRuleSaysSo) {
  const std::vector<S> all_excused{S::excused, S::excused, S::excused};
  const auto strict = evaluate(percentRule(80, false), 3, all_excused);
  EXPECT_EQ(strict.attended, 0);
  EXPECT_FALSE(strict.completed);

  const auto lenient = evaluate(percentRule(80, true), 3, all_excused);
  EXPECT_EQ(lenient.attended, 3);
  EXPECT_TRUE(lenient.completed);
}

TEST(CompletionTest, HundredPercentNeedsEverySession) {
  EXPECT_FALSE(
      evaluate(percentRule(100), 5, {S::present, S::present, S::present, S::present, S::absent})
          .completed);
  EXPECT_TRUE(
      evaluate(percentRule(100), 5, {S::present, S::present, S::present, S::present, S::late})
          .completed);
}

TEST(CompletionTest, RequireAllOverridesThePercentage) {
  const CompletionRule study_visit{50, false, true};
  const auto missed_one = evaluate(study_visit, 4, {S::present, S::present, S::present});
  EXPECT_EQ(missed_one.required, 4);
  EXPECT_FALSE(missed_one.completed);
  EXPECT_TRUE(evaluate(study_visit, 4, {S::present, S::late, S::present, S::present}).completed);
  EXPECT_FALSE(evaluate(study_visit, 2, {S::present, S::excused}).completed);
  EXPECT_TRUE(evaluate(CompletionRule{50, true, true}, 2, {S::present, S::excused}).completed);
}

TEST(CompletionTest, ZeroPercentCompletesAnyoneEnrolledOnceSessionsExist) {
  const auto result = evaluate(percentRule(0), 3, {});
  EXPECT_EQ(result.required, 0);
  EXPECT_TRUE(result.completed);
}

TEST(CompletionTest, NeverCountsMoreThanTheSessionsHeld) {
  const auto result = evaluate(percentRule(100), 2, {S::present, S::present, S::present});
  EXPECT_EQ(result.attended, 2);
}

TEST(CompletionTest, DescribesTheOutcome) {
  const auto result =
      evaluate(percentRule(80), 8, {S::present, S::present, S::present, S::present, S::present});
  EXPECT_EQ(describe(result), "attended 5 of 8 sessions, needs 7");
  EXPECT_EQ(describe(evaluate(percentRule(80), 1, {S::late})), "attended 1 of 1 session, needs 1");
  EXPECT_EQ(describe(evaluate(percentRule(80), 0, {})), "the cohort has no sessions yet");
}

// --- rule values --------------------------------------------------------------------------------

// --- serials ------------------------------------------------------------------------------------

TEST(TrackNameTest, LowercaseLatinAndUnderscoresUpToForty) {
  EXPECT_TRUE(courses::isTrackName("inclusive_planning"));
  EXPECT_TRUE(courses::isTrackName(std::string(40, 'a')));
  EXPECT_FALSE(courses::isTrackName(std::string(41, 'a')));
  EXPECT_FALSE(courses::isTrackName(""));
  EXPECT_FALSE(courses::isTrackName("Study_visit"));
  EXPECT_FALSE(courses::isTrackName("study-visit"));
  EXPECT_FALSE(courses::isTrackName("жоспарлау"));
}

TEST(SerialTest, TrackCodeTakesInitialsOfSeveralWords) {
  EXPECT_EQ(trackCode("inclusive_planning"), "IP");
  EXPECT_EQ(trackCode("study_visit"), "SV");
  EXPECT_EQ(trackCode("information_event"), "IE");
  EXPECT_EQ(trackCode("local_self_government"), "LSG");
}

TEST(SerialTest, TrackCodeTakesTwoLettersOfOneWord) {
  EXPECT_EQ(trackCode("entrepreneurship"), "EN");
  EXPECT_EQ(trackCode("x"), "X");
  EXPECT_EQ(trackCode("_leadership_"), "LE");  // stray separators are not words
}

TEST(SerialTest, TrackWithoutLettersIsRefused) {
  EXPECT_THROW(trackCode(""), Error);
  EXPECT_THROW(trackCode("__"), Error);
}

TEST(SerialTest, SeriesIsProgrammeTrackAndYearTheCohortEnded) {
  EXPECT_EQ(certificateSeries("LSG-EKZ", "inclusive_planning", "2019-03-31"), "LSG-EKZ-IP-2019");
  EXPECT_EQ(certificateSeries("LSG", "entrepreneurship", "2018-12-01"), "LSG-EN-2018");
  EXPECT_THROW(certificateSeries("LSG", "entrepreneurship", "2018-13-01"), Error);
}

TEST(SerialTest, NumbersArePaddedToSixDigits) {
  EXPECT_EQ(formatSerial("LSG-EKZ-IP-2019", 123), "LSG-EKZ-IP-2019-000123");
  EXPECT_EQ(formatSerial("LSG-EKZ-IP-2019", 1), "LSG-EKZ-IP-2019-000001");
  EXPECT_EQ(formatSerial("LSG-EKZ-IP-2019", 999999), "LSG-EKZ-IP-2019-999999");
}

TEST(SerialTest, NumbersOutgrowSixDigitsWithoutTruncation) {
  EXPECT_EQ(formatSerial("LSG-EKZ-IP-2019", 1000000), "LSG-EKZ-IP-2019-1000000");
  EXPECT_EQ(formatSerial("LSG-EKZ-IP-2019", 1234567), "LSG-EKZ-IP-2019-1234567");
  EXPECT_THROW(formatSerial("LSG-EKZ-IP-2019", -1), Error);
}

TEST(SerialTest, FormattedSerialsAreValid) {
  EXPECT_TRUE(isValidSerial(formatSerial("LSG-EKZ-IP-2019", 123)));
  EXPECT_TRUE(isValidSerial(formatSerial("LSG-EKZ-IP-2019", 1234567)));
  EXPECT_TRUE(isValidSerial(formatSerial(certificateSeries("A1", "study_visit", "2020-01-10"), 7)));
  EXPECT_TRUE(isValidSerial("LSG-IP-2019-000123"));
}

TEST(SerialTest, OtherTextIsNotASerial) {
  EXPECT_FALSE(isValidSerial(""));
  EXPECT_FALSE(isValidSerial("LSG-EKZ-IP-2019-00012"));     // five digits
  EXPECT_FALSE(isValidSerial("lsg-ekz-ip-2019-000123"));    // lower case
  EXPECT_FALSE(isValidSerial("LSG-EKZ-IP-19-000123"));      // two-digit year
  EXPECT_FALSE(isValidSerial("LSG-EKZ-IP2019-000123"));     // no hyphen before the year
  EXPECT_FALSE(isValidSerial("-2019-000123"));              // no series prefix
  EXPECT_FALSE(isValidSerial("LSG--2019-000123"));          // empty track code
  EXPECT_FALSE(isValidSerial("LSG-EKZ-IP-2019-00012A"));    // letter in the number
  EXPECT_FALSE(isValidSerial("LSG-EKZ-IP-2019-000123 "));   // trailing space
  EXPECT_FALSE(isValidSerial("LSG-EKZ-IP-2019-000123\n"));  // trailing newline
  EXPECT_FALSE(isValidSerial("ЛСГ-IP-2019-000123"));        // non-ASCII
  EXPECT_FALSE(isValidSerial("000123"));
  EXPECT_TRUE(isValidSerial(std::string(50, 'A') + "-2019-000123"));   // 62 characters is fine…
  EXPECT_TRUE(isValidSerial(std::string(52, 'A') + "-2019-000123"));   // …64 is the limit…
  EXPECT_FALSE(isValidSerial(std::string(53, 'A') + "-2019-000123"));  // …65 is too long
}

TEST(RulesTest, RulePercentageMustBeZeroToHundred) {
  EXPECT_NO_THROW(validateRule(percentRule(0)));
  EXPECT_NO_THROW(validateRule(percentRule(100)));
  for (const int bad : {-1, 101}) {
    try {
      validateRule(percentRule(bad));
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      ASSERT_EQ(e.fields().size(), 1u);
      EXPECT_EQ(e.fields()[0].field, "rule.min_attendance_percent");
    }
  }
}

// --- participants -------------------------------------------------------------------------------

Participant validPerson() {
  Participant p;
  p.full_name = "Әлия Ғабитқызы";
  p.demographics.gender = Gender::female;
  p.demographics.birth_year = 1985;
  p.demographics.locality_id = 7;
  p.demographics.affiliation = Affiliation::community_member;
  p.demographics.vulnerable = static_cast<VulnerableSet>(VulnerableGroup::mother_of_many_children);
  p.consent = true;
  return p;
}

std::vector<std::string> invalidFields(const Participant& person, int current_year = 2026) {
  try {
    validateParticipant(person, current_year);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    std::vector<std::string> fields;
    for (const auto& f : e.fields()) fields.push_back(f.field);
    return fields;
  }
  return {};
}

TEST(RulesTest, DuplicateKeyIgnoresSpellingVariants) {
  Participant a = validPerson();
  Participant b = validPerson();
  a.full_name = "Ёлкина  Анна-Мария";
  b.full_name = "елкина анна – мария";
  EXPECT_EQ(duplicateKey(a), duplicateKey(b));
  b.demographics.birth_year = 1986;
  EXPECT_FALSE(duplicateKey(a) == duplicateKey(b));
  b = a;
  b.demographics.locality_id = 8;
  EXPECT_FALSE(duplicateKey(a) == duplicateKey(b));
}

TEST(RulesTest, DuplicateKeyHoldsTheMatchKeyAndTheSearchText) {
  Participant a = validPerson();
  Participant b = validPerson();
  a.full_name = "Ахметов Талғат";
  b.full_name = "Talgat Akhmetov";
  EXPECT_NE(duplicateKey(a).name_key, duplicateKey(b).name_key);
  EXPECT_EQ(duplicateKey(a).match_key, duplicateKey(b).match_key);
  EXPECT_EQ(duplicateKey(a).match_key, personNameKey(a.full_name));
  EXPECT_EQ(duplicateKey(b).search_text, nameSearchText(b.full_name));
}

TEST(RulesTest, RankDuplicatesKeepsTheSamePersonBestFirst) {
  Participant typed = validPerson();
  typed.full_name = "Ахметов Талғат";
  const auto other = [&](Id id, std::string name, Id locality, Gender gender) {
    Participant p = typed;
    p.id = id;
    p.full_name = std::move(name);
    p.demographics.locality_id = locality;
    p.demographics.gender = gender;
    return p;
  };
  const Id here = typed.demographics.locality_id;
  const Id nearby = here + 1;
  const Gender same = typed.demographics.gender;
  const Gender opposite = same == Gender::male ? Gender::female : Gender::male;
  const std::vector<Participant> ranked = rankDuplicates(
      typed, {other(1, "Талгат Ахметов", nearby, same), other(2, "Ахметов Талгат", here, same),
              other(3, "Ахметов Талғат", nearby, same), other(4, "Ахметов Талғат", here, same),
              other(5, "Ахметов Талғат", here, opposite),
              other(6, "Ахметов Талғат", here, Gender::undisclosed),
              other(7, "Ахметов Асқар", here, same)});
  std::vector<Id> ids;
  for (const Participant& p : ranked) ids.push_back(p.id);
  EXPECT_EQ(ids, (std::vector<Id>{4, 6, 3, 2, 1}));
  // Namesakes in the next village alone are no question.
  EXPECT_TRUE(rankDuplicates(typed, {other(1, "Талгат Ахметов", nearby, same),
                                     other(3, "Ахметов Талғат", nearby, same)})
                  .empty());
}

TEST(RulesTest, ValidPersonIsNormalised) {
  Participant p = validPerson();
  p.full_name = "  Әлия   Ғабитқызы ";
  p.phone = " +7 (701) 123-45-67 ";
  p.email = "  ";
  const Participant out = validateParticipant(p, 2026);
  EXPECT_EQ(out.full_name, "Әлия Ғабитқызы");
  EXPECT_EQ(out.phone, "+7 (701) 123-45-67");
  EXPECT_FALSE(out.email.has_value());
}

TEST(RulesTest, BirthYearFrom1900ToThisYear) {
  Participant p = validPerson();
  p.demographics.birth_year = 1900;
  EXPECT_TRUE(invalidFields(p).empty());
  p.demographics.birth_year = 2026;
  EXPECT_TRUE(invalidFields(p).empty());
  p.demographics.birth_year = 1899;
  EXPECT_EQ(invalidFields(p), std::vector<std::string>{"birth_year"});
  p.demographics.birth_year = 2027;
  EXPECT_EQ(invalidFields(p), std::vector<std::string>{"birth_year"});
}

TEST(RulesTest, PhoneShapes) {
  Participant p = validPerson();
  for (const char* good : {"+77011234567", "8 701 123 45 67", "(7212) 41-23-45", "12345"}) {
    p.phone = good;
    EXPECT_TRUE(invalidFields(p).empty()) << good;
  }
  for (const char* bad : {"1234", "phone", "+7 701 ext 5", "7+701", "++77011234567",
                          "123456789012345678901", "+7.701.123"}) {
    p.phone = bad;
    EXPECT_EQ(invalidFields(p), std::vector<std::string>{"phone"}) << bad;
  }
}

TEST(RulesTest, EmailShapes) {
  Participant p = validPerson();
  for (const char* good : {"aigul@example.kz", "a.b+c@mail.example.com", "әлия@пример.қаз"}) {
    p.email = good;
    EXPECT_TRUE(invalidFields(p).empty()) << good;
  }
  const std::string too_long = std::string(64, 'a') + "@" + std::string(60, 'b') + "." +
                               std::string(60, 'c') + "." + std::string(60, 'd') + "." +
                               std::string(5, 'e') + ".kz";  // 257 characters
  for (const std::string& bad :
       {std::string("aigul"), std::string("a@b"), std::string("a@@b.kz"), std::string("a b@c.kz"),
        std::string("@example.kz"), std::string("a@.kz"), std::string("a@example."),
        std::string("a@-x.kz"), std::string("a@example.k"), std::string("a@1.2.3.4"),
        std::string(".a@example.kz"), std::string("a\xC0\xAF@example.kz"),
        std::string("a\xC2\x85"
                    "b@example.kz"),
        std::string("a\xE2\x80\x8B"
                    "b@example.kz"),
        too_long}) {
    p.email = bad;
    EXPECT_EQ(invalidFields(p), std::vector<std::string>{"email"}) << bad;
  }
}

TEST(RulesTest, ConsentIsRequired) {
  Participant p = validPerson();
  p.consent = false;
  EXPECT_EQ(invalidFields(p), std::vector<std::string>{"consent"});
}

TEST(RulesTest, ReportsEveryInvalidFieldAtOnce) {
  Participant p = validPerson();
  p.full_name = "";
  p.demographics.locality_id = 0;
  p.demographics.vulnerable = 0x40;
  p.consent = false;
  const auto fields = invalidFields(p);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"full_name", "locality_id", "vulnerable", "consent"}));
}

TEST(RulesTest, RejectsNamesWithControlsOrBadBytes) {
  Participant p = validPerson();
  p.full_name = "Әлия\xE2\x80\x8BҒабитқызы";
  EXPECT_EQ(invalidFields(p), std::vector<std::string>{"full_name"});
  p.full_name =
      "Әлия"
      "\xC0\xAF";
  EXPECT_EQ(invalidFields(p), std::vector<std::string>{"full_name"});
}

TEST(ApplyPatch, ChangesOnlyTheFieldsThePatchSets) {
  Participant p;
  p.full_name = "Айгүл Серікова";
  p.demographics.birth_year = 1990;
  p.demographics.gender = Gender::female;
  p.phone = "+7 701 000 00 00";
  p.email = "aigul@example.kz";

  ParticipantPatch patch;
  patch.birth_year = 1991;
  patch.phone.emplace();  // engaged and empty: clear the phone
  applyPatch(p, patch);

  EXPECT_EQ(p.full_name, "Айгүл Серікова");
  EXPECT_EQ(p.demographics.birth_year, 1991);
  EXPECT_EQ(p.demographics.gender, Gender::female);
  EXPECT_FALSE(p.phone.has_value());
  EXPECT_EQ(p.email, std::optional<std::string>("aigul@example.kz"));
}

TEST(SheetRule, MarksMustBeOfTheCohortOnceEachWithAKnownStatus) {
  const std::vector<Id> cohort{11, 12, 13};
  const auto markOf = [](Id enrolment_id, AttendanceStatus status) {
    AttendanceMark mark;
    mark.enrolment_id = enrolment_id;
    mark.status = status;
    return mark;
  };
  EXPECT_NO_THROW(validateSheet({}, cohort));
  const std::vector<AttendanceMark> good{markOf(11, AttendanceStatus::present),
                                         markOf(13, AttendanceStatus::excused)};
  EXPECT_NO_THROW(validateSheet(good, cohort));

  const std::vector<AttendanceMark> bad{markOf(11, AttendanceStatus::late),
                                        markOf(99, AttendanceStatus::present),
                                        markOf(11, AttendanceStatus::absent),
                                        markOf(12, static_cast<AttendanceStatus>(9))};
  try {
    validateSheet(bad, cohort);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    std::vector<std::string> fields;
    for (const FieldProblem& p : e.fields()) fields.push_back(p.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"marks[1].enrolment_id", "marks[2].enrolment_id",
                                                "marks[3].status"}));
  }

  const std::vector<AttendanceMark> too_many(kMaxMarksPerSheet + 1,
                                             markOf(11, AttendanceStatus::present));
  EXPECT_INVALID_FIELD("marks", validateSheet(too_many, cohort));
}

TEST(SessionPatch, CancelsRestoresAndNamesWhatChanged) {
  Session held{1, 2, "2018-03-05T04:00:00Z", 120, "Карта", std::nullopt};
  SessionPatch cancel;
  cancel.cancel_reason = std::optional<std::string>("Қар");
  Session cancelled = held;
  applyPatch(cancelled, cancel, 7);
  ASSERT_TRUE(cancelled.cancelled.has_value());
  EXPECT_EQ(cancelled.cancelled->by, 7);
  EXPECT_EQ(cancelled.cancelled->reason, "Қар");
  EXPECT_TRUE(changesCounting(held, cancelled));
  const auto fields = sessionChanges(held, cancelled);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0], (FieldChange{"cancelled", "null", "\"Қар\""}));
  EXPECT_EQ(heldSessions({held, cancelled}), 1);

  // Cancelling again only changes the reason, keeping who cancelled it.
  cancel.cancel_reason = std::optional<std::string>("Жол жабық");
  Session again = cancelled;
  applyPatch(again, cancel, 9);
  EXPECT_EQ(again.cancelled->by, 7);
  EXPECT_FALSE(changesCounting(cancelled, again));

  SessionPatch restore;
  restore.cancel_reason = std::optional<std::string>();
  Session restored = again;
  applyPatch(restored, restore, 9);
  EXPECT_FALSE(restored.cancelled.has_value());
  EXPECT_TRUE(changesCounting(again, restored));

  SessionPatch topic;
  topic.topic = "Бюджет";
  Session retitled = held;
  applyPatch(retitled, topic, 7);
  EXPECT_FALSE(changesCounting(held, retitled));
  EXPECT_EQ(sessionChanges(held, retitled).at(0).field, "topic");
  SessionPatch longer;
  longer.duration_minutes = 150;
  Session longer_session = held;
  applyPatch(longer_session, longer, 7);
  EXPECT_TRUE(changesCounting(held, longer_session));
  EXPECT_TRUE(sessionChanges(held, held).empty());
}

}  // namespace
}  // namespace courses
