// Totals, courses/totals.hpp: the counting rules on hand-made cases, through TotalsService over
// the in-memory store (which computes the facts from the raw rows) and computeTotals directly.
// Every expected figure is worked out by hand in the comment beside it.
#include "courses/totals.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/services.hpp"
#include "support/domain_checks.hpp"
#include "support/fakes.hpp"
#include "support/memory_store.hpp"
#include "totals_fixture.hpp"

namespace courses {
namespace {

using support::errorOf;
using support::FixedClock;

using S = AttendanceStatus;
using D = Dimension;

/// The cell of a margin with this key; fails the test when there is none.
const MeasureValues& marginOf(const TotalsReport& report, std::size_t dimension,
                              const std::string& key) {
  static const MeasureValues kMissing;
  for (const TotalsCell& cell : report.margins.at(dimension)) {
    if (cell.keys.at(0) == key) return cell.values;
  }
  ADD_FAILURE() << "no value " << key << " in dimension " << dimension;
  return kMissing;
}

/// The cross cell with these keys; fails the test when there is none.
const MeasureValues& cellOf(const TotalsReport& report, const std::string& a,
                            const std::string& b) {
  static const MeasureValues kMissing;
  for (const TotalsCell& cell : report.cells) {
    if (cell.keys.at(0) == a && cell.keys.at(1) == b) return cell.values;
  }
  ADD_FAILURE() << "no cell " << a << " × " << b;
  return kMissing;
}

// --- names ---------------------------------------------------------------------------------

TEST(TotalsNames, MeasuresAndDimensionsRoundTripByTheirEnumNames) {
  for (const Measure m : kAllMeasures) EXPECT_EQ(measureFromString(toString(m)), m);
  EXPECT_EQ(toString(Measure::trained_with_waiver), "trained_with_waiver");
  EXPECT_EQ(toString(Measure::participant_hours), "participant_hours");
  for (int i = 0; i <= static_cast<int>(D::vulnerable_group); ++i) {
    const auto d = static_cast<D>(i);
    EXPECT_EQ(dimensionFromString(toString(d)), d);
  }
  EXPECT_EQ(toString(D::age_band), "age_band");
  EXPECT_EQ(toString(D::vulnerable_group), "vulnerable_group");
  EXPECT_EQ(dimensionFromString("colour"), std::nullopt);
  EXPECT_EQ(dimensionFromString("Gender"), std::nullopt);
  EXPECT_EQ(measureFromString("hours"), std::nullopt);
}

TEST(TotalsNames, PeopleMeasuresAndPersonDimensions) {
  EXPECT_TRUE(countsPeople(Measure::enrolled));
  EXPECT_TRUE(countsPeople(Measure::trained_with_waiver));
  EXPECT_TRUE(countsPeople(Measure::certified));
  EXPECT_FALSE(countsPeople(Measure::sessions));
  EXPECT_FALSE(countsPeople(Measure::participant_hours));
  EXPECT_FALSE(countsPeople(Measure::attendance_rate));
  EXPECT_FALSE(describesPerson(D::track));
  EXPECT_FALSE(describesPerson(D::course));
  EXPECT_FALSE(describesPerson(D::cohort));
  EXPECT_TRUE(describesPerson(D::gender));
  EXPECT_TRUE(describesPerson(D::district));
  EXPECT_TRUE(describesPerson(D::vulnerable_group));
}

// --- age bands and query validation
// ---------------------------------------------------------------

TEST(TotalsAgeBands, FromLowerBounds) {
  const auto bands = makeAgeBands({14, 36, 60}, YouthBand{});
  std::vector<std::string> keys;
  for (const AgeBand& b : bands) keys.push_back(b.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"0-13", "14-35", "36-59", "60+"}));
  EXPECT_FALSE(bands[0].youth);
  EXPECT_TRUE(bands[1].youth);
  EXPECT_FALSE(bands[3].to.has_value());
}

TEST(TotalsAgeBands, DefaultsFollowTheYouthDefinition) {
  std::vector<std::string> keys;
  for (const AgeBand& b : makeAgeBands({}, YouthBand{})) keys.push_back(b.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"0-13", "14-35", "36-59", "60+"}));
  keys.clear();
  for (const AgeBand& b : makeAgeBands({}, YouthBand{16, 29})) keys.push_back(b.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"0-15", "16-29", "30-59", "60+"}));
  // 60 is not above 71, so it is left out.
  keys.clear();
  const auto late = makeAgeBands({}, YouthBand{50, 70});
  for (const AgeBand& b : late) keys.push_back(b.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"0-49", "50-70", "71+"}));
  EXPECT_TRUE(late[1].youth);
  // A first bound of 1 leaves a band of newborns only.
  EXPECT_EQ(makeAgeBands({1}, YouthBand{}).front().key(), "0-0");
}

TEST(TotalsAgeBands, BadBoundsAreRefused) {
  EXPECT_ERROR(ErrorCode::invalid_argument, makeAgeBands({36, 14}, YouthBand{}));
  EXPECT_ERROR(ErrorCode::invalid_argument, makeAgeBands({14, 14}, YouthBand{}));
  EXPECT_ERROR(ErrorCode::invalid_argument, makeAgeBands({0, 14}, YouthBand{}));
  EXPECT_ERROR(ErrorCode::invalid_argument, makeAgeBands({14, 121}, YouthBand{}));
  EXPECT_ERROR(ErrorCode::invalid_argument,
               makeAgeBands({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, YouthBand{}));
  EXPECT_EQ(makeAgeBands({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, YouthBand{}).size(), 13u);
}

TEST(TotalsQueryValidation, NamesTheFieldAtFault) {
  TotalsQuery q;
  q.period = {"2018-01-01", "2018-12-31"};
  q.by = {D::gender, D::district};
  EXPECT_NO_THROW(validateTotalsQuery(q));

  TotalsQuery three = q;
  three.by = {D::gender, D::district, D::track};
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(three); }), std::vector<std::string>{"by"});
  TotalsQuery twice = q;
  twice.by = {D::gender, D::gender};
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(twice); }), std::vector<std::string>{"by"});
  TotalsQuery unknown = q;
  unknown.by = {static_cast<D>(42)};
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(unknown); }), std::vector<std::string>{"by"});

  TotalsQuery backwards = q;
  backwards.period = {"2018-12-31", "2018-01-01"};
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(backwards); }), std::vector<std::string>{"to"});
  TotalsQuery bad_date = q;
  bad_date.period = {"2018-02-30", std::nullopt};
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(bad_date); }),
            std::vector<std::string>{"from"});
  TotalsQuery same_day = q;
  same_day.period = {"2018-03-01", "2018-03-01"};
  EXPECT_NO_THROW(validateTotalsQuery(same_day));

  TotalsQuery bounds = q;
  bounds.age_bounds = {36, 14};
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(bounds); }),
            std::vector<std::string>{"age_bands"});
  TotalsQuery k = q;
  k.suppress_below = 1001;
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(k); }), std::vector<std::string>{"suppress"});
  k.suppress_below = -1;
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(k); }), std::vector<std::string>{"suppress"});
  TotalsQuery track = q;
  track.track = "Inclusive Planning";
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(track); }), std::vector<std::string>{"track"});

  // Every problem at once.
  TotalsQuery all = three;
  all.period = {"2018-12-31", "2018-01-01"};
  all.suppress_below = 5000;
  EXPECT_EQ(invalidFields([&] { validateTotalsQuery(all); }),
            (std::vector<std::string>{"to", "by", "suppress"}));
}

// --- distinct people
// ------------------------------------------------------------------------------

TEST_F(TotalsTest, APersonInTwoCohortsOfOneTrackCountsOnce) {
  const Cohort march = makeCohort(planning, "2018-03-01", "2018-03-31");
  const Cohort may = makeCohort(planning, "2018-05-01", "2018-05-31");
  const auto march_sessions = sessionsOn(march, {"2018-03-05", "2018-03-06"});
  const auto may_sessions = sessionsOn(may, {"2018-05-05", "2018-05-06"});
  const Participant twice = person("Айгүл Серікова");
  const Participant once = person("Нина Орлова");
  attendAll(march_sessions, enrol(march, twice));
  attendAll(may_sessions, enrol(may, twice));
  attendAll(march_sessions, enrol(march, once));

  const TotalsReport by_track = totals.totals(admin, year2018({D::track}));
  // Two people, each trained: the one in both cohorts counts once.
  EXPECT_EQ(by_track.total.enrolled, 2);
  EXPECT_EQ(by_track.total.reached, 2);
  EXPECT_EQ(by_track.total.trained, 2);
  // 2 + 2 sessions delivered; hours: 4 sessions × 2 h + 2 sessions × 2 h = 12 h.
  EXPECT_EQ(by_track.total.sessions, 4);
  EXPECT_DOUBLE_EQ(by_track.total.participant_hours, 12.0);
  ASSERT_EQ(keysOf(by_track.values.at(0)), std::vector<std::string>{"inclusive_planning"});
  const MeasureValues& track = marginOf(by_track, 0, "inclusive_planning");
  EXPECT_EQ(track.enrolled, 2);
  EXPECT_EQ(track.trained, 2);
  EXPECT_EQ(track.sessions, 4);
  EXPECT_FALSE(by_track.overlapping);

  // By cohort the same person is in both, so the cohorts add up to more than the total.
  const TotalsReport by_cohort = totals.totals(admin, year2018({D::cohort}));
  EXPECT_EQ(keysOf(by_cohort.values.at(0)),
            (std::vector<std::string>{std::to_string(march.id), std::to_string(may.id)}));
  EXPECT_EQ(by_cohort.values[0][0].label.en, "Akimat hall, 2018-03-01–2018-03-31");
  EXPECT_EQ(marginOf(by_cohort, 0, std::to_string(march.id)).enrolled, 2);
  EXPECT_EQ(marginOf(by_cohort, 0, std::to_string(may.id)).enrolled, 1);
  EXPECT_EQ(marginOf(by_cohort, 0, std::to_string(may.id)).sessions, 2);
  EXPECT_TRUE(by_cohort.overlapping);
}

TEST_F(TotalsTest, APersonInTwoTracksCountsOnceInTheTotalAndOnceInEachTrack) {
  const Cohort plan = makeCohort(planning, "2018-03-01", "2018-03-31");
  const Cohort shop = makeCohort(business, "2018-04-01", "2018-04-30");
  const auto plan_sessions = sessionsOn(plan, {"2018-03-05"});
  const auto shop_sessions = sessionsOn(shop, {"2018-04-05"});
  const Participant both = person("Гүлнар Әбенова");
  const Participant planner = person("Марат Жұмабаев", Gender::male);
  attendAll(plan_sessions, enrol(plan, both));
  attendAll(shop_sessions, enrol(shop, both));
  attendAll(plan_sessions, enrol(plan, planner));

  const TotalsReport report = totals.totals(admin, year2018({D::track}));
  EXPECT_EQ(report.total.trained, 2);
  EXPECT_EQ(keysOf(report.values.at(0)),
            (std::vector<std::string>{"inclusive_planning", "entrepreneurship"}));
  EXPECT_EQ(report.values[0][1].label.kk, "Кәсіпкерлік");
  EXPECT_EQ(marginOf(report, 0, "inclusive_planning").trained, 2);
  EXPECT_EQ(marginOf(report, 0, "entrepreneurship").trained, 1);
  // 2 + 1 = 3 in the tracks against 2 in the total: the report says values overlap.
  EXPECT_TRUE(report.overlapping);

  // Narrowed to one track, only that track's enrolments count.
  TotalsQuery shop_only = year2018();
  shop_only.track = "entrepreneurship";
  const TotalsReport narrowed = totals.totals(admin, shop_only);
  EXPECT_EQ(narrowed.total.enrolled, 1);
  EXPECT_EQ(narrowed.total.trained, 1);
  EXPECT_EQ(narrowed.total.sessions, 1);
}

// --- waivers, excused absences, snapshots ------------------------------------------------------

TEST_F(TotalsTest, WaiversCountAsTrainedAndAreShownUntilRevoked) {
  const Cohort c = makeCohort(planning, "2018-03-01", "2018-03-31");
  const auto sessions =
      sessionsOn(c, {"2018-03-01", "2018-03-02", "2018-03-03", "2018-03-04", "2018-03-05"});
  const Id completed = enrol(c, person("Сәуле Бекова"));
  const Id waived = enrol(c, person("Дана Ахметова"));
  const Id dropped = enrol(c, person("Ольга Белова"));
  attendAll(sessions, completed);                                         // 5 of 5: meets 80 %
  mark(sessions, waived, {S::present});                                   // 1 of 5: needs 4
  mark(sessions, dropped, {S::present, S::present, S::absent, S::late});  // 3 of 5

  TotalsReport report = totals.totals(admin, year2018());
  EXPECT_EQ(report.total.trained, 1);
  EXPECT_EQ(report.total.trained_with_waiver, 0);
  EXPECT_EQ(report.total.certified, 0);

  certificates.issueOne(admin, completed, std::nullopt, std::nullopt);
  const Certificate by_waiver =
      certificates.issueOne(admin, waived, std::nullopt, std::string("attended the makeup course"));
  report = totals.totals(admin, year2018());
  // Trained: the one who completed and the one with a waiver; the waiver is shown apart.
  EXPECT_EQ(report.total.trained, 2);
  EXPECT_EQ(report.total.trained_with_waiver, 1);
  EXPECT_EQ(report.total.certified, 2);
  EXPECT_EQ(report.total.reached, 3);

  certificates.revoke(admin, by_waiver.id, "issued by mistake");
  report = totals.totals(admin, year2018());
  EXPECT_EQ(report.total.trained, 1);
  EXPECT_EQ(report.total.trained_with_waiver, 0);
  EXPECT_EQ(report.total.certified, 1);
}

TEST_F(TotalsTest, APersonTrainedByTheRuleElsewhereIsNotCountedAsWaived) {
  const Cohort first = makeCohort(planning, "2018-03-01", "2018-03-31");
  const Cohort second = makeCohort(planning, "2018-05-01", "2018-05-31");
  const auto first_sessions = sessionsOn(first, {"2018-03-01"});
  const auto second_sessions = sessionsOn(second, {"2018-05-01", "2018-05-02"});
  const Participant who = person("Жанар Қасымова");
  attendAll(first_sessions, enrol(first, who));
  const Id waived = enrol(second, who);
  certificates.issueOne(admin, waived, std::nullopt, std::string("moved to another village"));
  const TotalsReport report = totals.totals(admin, year2018());
  // Trained by the rule in March, so the May waiver adds nothing to trained_with_waiver.
  EXPECT_EQ(report.total.trained, 1);
  EXPECT_EQ(report.total.trained_with_waiver, 0);
  EXPECT_EQ(report.total.certified, 1);
}

TEST_F(TotalsTest, ExcusedAbsencesCountOnlyWhereTheRuleSaysSo) {
  const Cohort plan = makeCohort(planning, "2018-03-01", "2018-03-31");
  const Cohort shop = makeCohort(business, "2018-04-01", "2018-04-30");
  const auto plan_sessions =
      sessionsOn(plan, {"2018-03-01", "2018-03-02", "2018-03-03", "2018-03-04", "2018-03-05"});
  const auto shop_sessions =
      sessionsOn(shop, {"2018-04-01", "2018-04-02", "2018-04-03", "2018-04-04", "2018-04-05"});
  const Participant who = person("Асель Нұрова");
  const std::vector<S> three_and_two_excused{S::present, S::present, S::late, S::excused,
                                             S::excused};
  mark(plan_sessions, enrol(plan, who), three_and_two_excused);
  mark(shop_sessions, enrol(shop, who), three_and_two_excused);

  const TotalsReport report = totals.totals(admin, year2018({D::track}));
  // 80 % of 5 needs 4: planning counts 3, entrepreneurship 3 + 2 excused = 5.
  EXPECT_EQ(marginOf(report, 0, "inclusive_planning").trained, 0);
  EXPECT_EQ(marginOf(report, 0, "inclusive_planning").reached, 1);
  EXPECT_EQ(marginOf(report, 0, "entrepreneurship").trained, 1);
  EXPECT_EQ(report.total.trained, 1);
  // Excused marks are marks but not attendance: 6 attended of 10 marks.
  EXPECT_EQ(report.total.attended_marks, 6);
  EXPECT_EQ(report.total.marks, 10);
  EXPECT_DOUBLE_EQ(report.total.attendanceRate().value(), 0.6);
  EXPECT_DOUBLE_EQ(report.total.value(Measure::attendance_rate).value(), 0.6);
}

TEST_F(TotalsTest, AProfileEditedAfterEnrolmentDoesNotMoveThePerson) {
  const Cohort spring = makeCohort(planning, "2018-03-01", "2018-03-31");
  const Cohort autumn = makeCohort(planning, "2018-10-01", "2018-10-31");
  const auto spring_sessions = sessionsOn(spring, {"2018-03-01"});
  const auto autumn_sessions = sessionsOn(autumn, {"2018-10-01"});
  const Participant who = person("Ақерке Төлеуова", Gender::female, 1985, ulba.id);
  attendAll(spring_sessions, enrol(spring, who));

  ParticipantPatch patch;
  patch.gender = Gender::male;
  patch.locality_id = verkh.id;
  Participant edited = who;
  applyPatch(edited, patch);
  repos.participants.update(who.id, patch, duplicateKey(edited));

  TotalsReport report = totals.totals(admin, year2018({D::gender, D::district}));
  // The March enrolment keeps its snapshot: female, Glubokoe.
  EXPECT_EQ(keysOf(report.values.at(0)), std::vector<std::string>{"female"});
  EXPECT_EQ(keysOf(report.values.at(1)), std::vector<std::string>{std::to_string(glubokoe.id)});
  EXPECT_FALSE(report.overlapping);

  // A later enrolment snapshots the edited profile, so the person now counts under both.
  attendAll(autumn_sessions, enrol(autumn, edited));
  report = totals.totals(admin, year2018({D::gender, D::district}));
  EXPECT_EQ(report.total.enrolled, 1);
  EXPECT_EQ(marginOf(report, 0, "female").enrolled, 1);
  EXPECT_EQ(marginOf(report, 0, "male").enrolled, 1);
  EXPECT_EQ(marginOf(report, 1, std::to_string(glubokoe.id)).enrolled, 1);
  EXPECT_EQ(marginOf(report, 1, std::to_string(shemonaikha.id)).enrolled, 1);
  EXPECT_EQ(cellOf(report, "female", std::to_string(glubokoe.id)).enrolled, 1);
  EXPECT_EQ(cellOf(report, "male", std::to_string(shemonaikha.id)).enrolled, 1);
  EXPECT_EQ(report.cells.size(), 2u);
  EXPECT_TRUE(report.overlapping);
}

TEST_F(TotalsTest, VulnerableGroupsOverlapAndAreNeverSummed) {
  const Cohort c = makeCohort(planning, "2018-03-01", "2018-03-31");
  const auto sessions = sessionsOn(c, {"2018-03-01"});
  const auto set = [](std::initializer_list<VulnerableGroup> groups) {
    VulnerableSet s = 0;
    for (const VulnerableGroup g : groups)
      s = static_cast<VulnerableSet>(s | static_cast<VulnerableSet>(g));
    return s;
  };
  attendAll(sessions, enrol(c, person("Әсем Бақытова", Gender::female, 1999, 0,
                                      set({VulnerableGroup::disability, VulnerableGroup::youth}))));
  attendAll(sessions, enrol(c, person("Ерлан Сейітов", Gender::male, 2000, 0,
                                      set({VulnerableGroup::youth}))));
  attendAll(sessions, enrol(c, person("Галина Козлова", Gender::female, 1960)));

  const TotalsReport report = totals.totals(admin, year2018({D::vulnerable_group}));
  EXPECT_EQ(report.total.enrolled, 3);
  // Only the groups someone is in appear, in declaration order; 1 + 2 = 3 says nothing.
  EXPECT_EQ(keysOf(report.values.at(0)), (std::vector<std::string>{"disability", "youth"}));
  EXPECT_EQ(marginOf(report, 0, "disability").enrolled, 1);
  EXPECT_EQ(marginOf(report, 0, "youth").enrolled, 2);
  EXPECT_EQ(marginOf(report, 0, "youth").trained, 2);
  EXPECT_FALSE(marginOf(report, 0, "youth").sessions.has_value());
  EXPECT_TRUE(report.overlapping);
}

// --- periods
// --------------------------------------------------------------------------------------

TEST_F(TotalsTest, EmptyPeriodsGiveZerosNotErrors) {
  const Cohort c = makeCohort(planning, "2018-03-01", "2018-03-31");
  attendAll(sessionsOn(c, {"2018-03-01"}), enrol(c, person("Әлия Ғабитқызы")));
  for (const auto& by : std::vector<std::vector<D>>{{}, {D::gender}, {D::track, D::district}}) {
    const TotalsReport report = totals.totals(admin, query("2030-01-01", "2030-12-31", by));
    EXPECT_EQ(report.total.enrolled, 0);
    EXPECT_EQ(report.total.reached, 0);
    EXPECT_EQ(report.total.trained, 0);
    EXPECT_EQ(report.total.certified, 0);
    EXPECT_EQ(report.total.sessions, 0);
    EXPECT_DOUBLE_EQ(report.total.participant_hours, 0);
    EXPECT_FALSE(report.total.attendanceRate().has_value());
    EXPECT_FALSE(report.total.value(Measure::attendance_rate).has_value());
    EXPECT_EQ(report.values.size(), by.size());
    for (const auto& values : report.values) EXPECT_TRUE(values.empty());
    EXPECT_TRUE(report.cells.empty());
    EXPECT_FALSE(report.overlapping);
  }
  // A programme with nothing in it at all.
  const Programme empty = makeProgramme("EMPTY-1", YouthBand{});
  TotalsQuery q = year2018({D::gender, D::age_band});
  q.programme_id = empty.id;
  const TotalsReport report = totals.totals(admin, q);
  EXPECT_EQ(report.total.enrolled, 0);
  EXPECT_TRUE(report.cells.empty());
}

TEST_F(TotalsTest, ReachedCountsSessionsInThePeriodAndTrainedTheCompletionDate) {
  const Cohort c = makeCohort(planning, "2018-03-01", "2018-04-30");
  // 90 and 120 minutes; the cohort completes on its last session, 10 April.
  const auto march = sessionsOn(c, {"2018-03-10"}, 90);
  const auto april = sessionsOn(c, {"2018-04-10"}, 120);
  const Id both = enrol(c, person("Бибігүл Оспанова"));
  const Id april_only = enrol(c, person("Зарина Исаева"));
  attendAll(march, both);
  attendAll(april, both);
  attendAll(april, april_only);

  const TotalsReport in_march = totals.totals(admin, query("2018-03-01", "2018-03-31"));
  EXPECT_EQ(in_march.total.enrolled, 2);
  EXPECT_EQ(in_march.total.reached, 1);
  EXPECT_EQ(in_march.total.trained, 0);  // completes in April
  EXPECT_EQ(in_march.total.sessions, 1);
  EXPECT_DOUBLE_EQ(in_march.total.participant_hours, 1.5);

  const TotalsReport in_april = totals.totals(admin, query("2018-04-01", "2018-04-30"));
  EXPECT_EQ(in_april.total.reached, 2);
  // The rule applies to all sessions: 2 of 2 trains, 1 of 2 (50 %) does not.
  EXPECT_EQ(in_april.total.trained, 1);
  EXPECT_EQ(in_april.total.sessions, 1);
  EXPECT_DOUBLE_EQ(in_april.total.participant_hours, 4.0);

  // Both period ends are inclusive, and an open end takes everything.
  EXPECT_EQ(totals.totals(admin, query("2018-04-10", "2018-04-10")).total.trained, 1);
  EXPECT_EQ(totals.totals(admin, query("2018-03-10", "2018-03-10")).total.reached, 1);
  EXPECT_EQ(totals.totals(admin, query(std::nullopt, std::nullopt)).total.sessions, 2);

  const TotalsReport in_may = totals.totals(admin, query("2018-05-01", "2018-05-31"));
  EXPECT_EQ(in_may.total.enrolled, 0);
  EXPECT_EQ(in_may.total.reached, 0);
}

TEST_F(TotalsTest, ParticipantHoursAndAttendanceRate) {
  const Cohort c = makeCohort(planning, "2018-03-01", "2018-03-31");
  std::vector<Session> sessions = sessionsOn(c, {"2018-03-01"}, 60);
  sessions.push_back(sessionsOn(c, {"2018-03-02"}, 90).front());
  sessions.push_back(sessionsOn(c, {"2018-03-03"}, 120).front());
  mark(sessions, enrol(c, person("Айнұр Сапарова")), {S::present, S::late, S::absent});
  mark(sessions, enrol(c, person("Тимур Ким", Gender::male)), {S::present, S::excused});

  const TotalsReport report = totals.totals(admin, year2018({D::gender}));
  // Hours: (60 + 90) + 60 minutes = 210 minutes = 3.5 h. Rate: 3 attended of 5 marks.
  EXPECT_DOUBLE_EQ(report.total.participant_hours, 3.5);
  EXPECT_EQ(report.total.value(Measure::participant_hours), 3.5);
  EXPECT_DOUBLE_EQ(report.total.attendanceRate().value(), 0.6);
  // Sessions with someone present or late: the first two; the third had only an absence.
  EXPECT_EQ(report.total.sessions, 2);
  EXPECT_DOUBLE_EQ(marginOf(report, 0, "female").participant_hours, 2.5);
  EXPECT_DOUBLE_EQ(marginOf(report, 0, "female").attendanceRate().value(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(marginOf(report, 0, "male").participant_hours, 1.0);
  EXPECT_DOUBLE_EQ(marginOf(report, 0, "male").attendanceRate().value(), 0.5);
  // No sessions for a breakdown by a person's attribute.
  EXPECT_FALSE(marginOf(report, 0, "male").sessions.has_value());
  EXPECT_FALSE(marginOf(report, 0, "male").value(Measure::sessions).has_value());
}

// --- breakdowns
// -----------------------------------------------------------------------------------

TEST_F(TotalsTest, AgeBandsUseTheCohortStartYearAndTheProgrammesYouthBand) {
  const Cohort c = makeCohort(planning, "2018-03-01", "2018-03-31");
  const auto sessions = sessionsOn(c, {"2018-03-01"});
  // Ages in 2018: 10, 18, 35, 36, 68.
  for (const int born : {2008, 2000, 1983, 1982, 1950}) {
    attendAll(sessions,
              enrol(c, person("Person born " + std::to_string(born), Gender::female, born)));
  }
  TotalsReport report = totals.totals(admin, year2018({D::age_band}));
  ASSERT_EQ(report.age_bands.size(), 4u);
  EXPECT_EQ(keysOf(report.values.at(0)),
            (std::vector<std::string>{"0-13", "14-35", "36-59", "60+"}));
  EXPECT_EQ(marginOf(report, 0, "0-13").enrolled, 1);
  EXPECT_EQ(marginOf(report, 0, "14-35").enrolled, 2);
  EXPECT_EQ(marginOf(report, 0, "36-59").enrolled, 1);
  EXPECT_EQ(marginOf(report, 0, "60+").enrolled, 1);
  EXPECT_TRUE(report.values[0][1].youth);
  EXPECT_EQ(report.values[0][1].label.en, "14–35 (youth)");
  EXPECT_FALSE(report.values[0][2].youth);

  TotalsQuery custom = year2018({D::age_band});
  custom.age_bounds = {18, 30};
  report = totals.totals(admin, custom);
  EXPECT_EQ(keysOf(report.values.at(0)), (std::vector<std::string>{"0-17", "18-29", "30+"}));
  EXPECT_EQ(marginOf(report, 0, "0-17").enrolled, 1);
  EXPECT_EQ(marginOf(report, 0, "18-29").enrolled, 1);
  EXPECT_EQ(marginOf(report, 0, "30+").enrolled, 3);

  // A programme that calls 16–29 young.
  const Programme youthful = makeProgramme("YOUTH-16", YouthBand{16, 29});
  const Course course = makeCourse(youthful, "information_event", CompletionRule{});
  const Cohort event = makeCohort(course, "2018-06-01", "2018-06-01");
  const auto event_sessions = sessionsOn(event, {"2018-06-01"});
  attendAll(event_sessions, enrol(event, person("Дәурен Әлиев", Gender::male, 2000)));   // 18
  attendAll(event_sessions, enrol(event, person("Роза Ильина", Gender::female, 1988)));  // 30
  TotalsQuery theirs = year2018({D::age_band});
  theirs.programme_id = youthful.id;
  report = totals.totals(admin, theirs);
  std::vector<std::string> bands;
  for (const AgeBand& b : report.age_bands) bands.push_back(b.key());
  EXPECT_EQ(bands, (std::vector<std::string>{"0-15", "16-29", "30-59", "60+"}));
  EXPECT_EQ(keysOf(report.values.at(0)), (std::vector<std::string>{"16-29", "30-59"}));
  EXPECT_TRUE(report.values[0][0].youth);
}

TEST_F(TotalsTest, LocalitiesRollUpToRegionDistrictAndSettlement) {
  const Cohort c = makeCohort(planning, "2018-03-01", "2018-03-31");
  const auto sessions = sessionsOn(c, {"2018-03-01"});
  for (const Id home : {ulba.id, belousovka.id, verkh.id, region.id}) {
    attendAll(sessions,
              enrol(c, person("Person of " + std::to_string(home), Gender::female, 1985, home)));
  }
  const std::string not_stated = "not_stated";
  const auto id = [](const Locality& l) { return std::to_string(l.id); };

  TotalsReport report = totals.totals(admin, year2018({D::region}));
  EXPECT_EQ(keysOf(report.values.at(0)), std::vector<std::string>{id(region)});
  EXPECT_EQ(marginOf(report, 0, id(region)).enrolled, 4);

  // Ulba and Belousovka lie in Glubokoe, Verkh in Shemonaikha; the region itself in no district.
  report = totals.totals(admin, year2018({D::district}));
  EXPECT_EQ(keysOf(report.values.at(0)),
            (std::vector<std::string>{id(glubokoe), id(shemonaikha), not_stated}));
  EXPECT_EQ(report.values[0][0].label.en, "Glubokoe district");
  EXPECT_EQ(report.values[0][2].label.ru, "Не указано");
  EXPECT_EQ(marginOf(report, 0, id(glubokoe)).enrolled, 2);
  EXPECT_EQ(marginOf(report, 0, id(shemonaikha)).enrolled, 1);
  EXPECT_EQ(marginOf(report, 0, not_stated).enrolled, 1);
  EXPECT_FALSE(report.overlapping);

  // Belousovka is a settlement itself and Ulba's; Verkh and the region have none above them.
  report = totals.totals(admin, year2018({D::settlement}));
  EXPECT_EQ(keysOf(report.values.at(0)), (std::vector<std::string>{id(belousovka), not_stated}));
  EXPECT_EQ(marginOf(report, 0, id(belousovka)).enrolled, 2);
  EXPECT_EQ(marginOf(report, 0, not_stated).enrolled, 2);

  // The home locality itself, ordered by name.
  report = totals.totals(admin, year2018({D::locality}));
  EXPECT_EQ(keysOf(report.values.at(0)),
            (std::vector<std::string>{id(belousovka), id(region), id(ulba), id(verkh)}));
}

TEST_F(TotalsTest, GenderCrossedWithDistrictHasCellsAndMargins) {
  const Cohort c = makeCohort(planning, "2018-03-01", "2018-03-31");
  const auto sessions = sessionsOn(c, {"2018-03-01", "2018-03-02"});
  attendAll(sessions, enrol(c, person("Алма Жақсылықова", Gender::female, 1985, ulba.id)));
  attendAll(sessions, enrol(c, person("Светлана Гончар", Gender::female, 1985, ulba.id)));
  attendAll(sessions, enrol(c, person("Берік Оразов", Gender::male, 1985, ulba.id)));
  mark(sessions, enrol(c, person("Мира Досова", Gender::female, 1985, verkh.id)), {S::present});
  attendAll(sessions, enrol(c, person("Ким Ли", Gender::undisclosed, 1985, verkh.id)));

  const TotalsReport report = totals.totals(admin, year2018({D::gender, D::district}));
  const std::string g = std::to_string(glubokoe.id);
  const std::string sh = std::to_string(shemonaikha.id);
  ASSERT_EQ(report.cells.size(), 4u);
  // Cells in the dimensions' orders: gender by declaration, districts by name.
  EXPECT_EQ(report.cells[0].keys, (std::vector<std::string>{"female", g}));
  EXPECT_EQ(report.cells[1].keys, (std::vector<std::string>{"female", sh}));
  EXPECT_EQ(report.cells[2].keys, (std::vector<std::string>{"male", g}));
  EXPECT_EQ(report.cells[3].keys, (std::vector<std::string>{"undisclosed", sh}));
  EXPECT_EQ(cellOf(report, "female", g).enrolled, 2);
  EXPECT_EQ(cellOf(report, "female", g).trained, 2);
  EXPECT_EQ(cellOf(report, "female", sh).enrolled, 1);
  EXPECT_EQ(cellOf(report, "female", sh).trained, 0);  // 1 of 2 sessions
  EXPECT_EQ(cellOf(report, "male", g).trained, 1);
  EXPECT_EQ(cellOf(report, "undisclosed", sh).trained, 1);
  EXPECT_FALSE(cellOf(report, "female", g).sessions.has_value());
  // Margins: female 3, male 1, undisclosed 1; Glubokoe 3, Shemonaikha 2.
  EXPECT_EQ(marginOf(report, 0, "female").enrolled, 3);
  EXPECT_EQ(marginOf(report, 0, "female").trained, 2);
  EXPECT_EQ(marginOf(report, 0, "male").enrolled, 1);
  EXPECT_EQ(marginOf(report, 0, "undisclosed").enrolled, 1);
  EXPECT_EQ(marginOf(report, 1, g).enrolled, 3);
  EXPECT_EQ(marginOf(report, 1, sh).enrolled, 2);
  EXPECT_EQ(report.values[0][0].label.kk, "Әйел");
  EXPECT_EQ(report.total.enrolled, 5);
  EXPECT_EQ(report.total.trained, 4);
  EXPECT_EQ(report.total.sessions, 2);
  EXPECT_FALSE(report.overlapping);
}

TEST_F(TotalsTest, CrossesOfWholeCohortsCarrySessions) {
  const Cohort plan = makeCohort(planning, "2018-03-01", "2018-03-31");
  const Cohort shop = makeCohort(business, "2018-04-01", "2018-04-30");
  attendAll(sessionsOn(plan, {"2018-03-01", "2018-03-02"}), enrol(plan, person("Айжан Мұратова")));
  attendAll(sessionsOn(shop, {"2018-04-01"}), enrol(shop, person("Данияр Қали", Gender::male)));
  const TotalsReport report = totals.totals(admin, year2018({D::track, D::course}));
  ASSERT_EQ(report.cells.size(), 2u);
  EXPECT_EQ(cellOf(report, "inclusive_planning", std::to_string(planning.id)).sessions, 2);
  EXPECT_EQ(cellOf(report, "entrepreneurship", std::to_string(business.id)).sessions, 1);
  EXPECT_EQ(marginOf(report, 1, std::to_string(planning.id)).sessions, 2);
  EXPECT_EQ(report.values.at(1).at(0).label.en, "entrepreneurship en");  // by course title
  EXPECT_EQ(report.total.sessions, 3);
}

// --- suppression
// ----------------------------------------------------------------------------------

TEST_F(TotalsTest, SmallCountsAreSuppressedButNeverTheTotal) {
  const Cohort c = makeCohort(planning, "2018-03-01", "2018-03-31");
  const auto sessions = sessionsOn(c, {"2018-03-01", "2018-03-02"});
  // Women: four enrolled and reached, two trained, one certified. Men: two, both trained.
  const Id certified = enrol(c, person("Әйгерім Сұлтан"));
  attendAll(sessions, certified);
  attendAll(sessions, enrol(c, person("Лаура Мақсат")));
  mark(sessions, enrol(c, person("Инна Фёдорова")), {S::present});
  mark(sessions, enrol(c, person("Мәдина Есім")), {S::late});
  attendAll(sessions, enrol(c, person("Нұрлан Әли", Gender::male)));
  attendAll(sessions, enrol(c, person("Пётр Зуев", Gender::male)));
  // Three more, gender undisclosed, at one session each (reached, not trained, 6 h): the smallest
  // shown cell beside the men's hidden one, hidden too so the men cannot be worked out.
  for (const char* name : {"Алма Жан", "Сәуле Ер", "Ольга Ким"}) {
    mark(sessions, enrol(c, person(name, Gender::undisclosed)), {S::present});
  }
  certificates.issueOne(admin, certified, std::nullopt, std::nullopt);

  TotalsQuery q = year2018({D::gender});
  q.suppress_below = 3;
  const TotalsReport report = totals.totals(admin, q);

  const MeasureValues& women = marginOf(report, 0, "female");
  EXPECT_EQ(women.enrolled, 4);
  EXPECT_EQ(women.reached, 4);
  EXPECT_TRUE(women.isHidden(Measure::trained));    // 2 is in 1..2
  EXPECT_TRUE(women.isHidden(Measure::certified));  // 1 is in 1..2
  EXPECT_EQ(women.trained, 0);                      // hidden values are not kept
  EXPECT_FALSE(women.value(Measure::trained).has_value());
  EXPECT_FALSE(women.isHidden(Measure::trained_with_waiver));  // zero is not hidden
  EXPECT_EQ(women.value(Measure::trained_with_waiver), 0.0);
  EXPECT_FALSE(women.isHidden(Measure::participant_hours));
  // (2 + 2 + 1 + 1) sessions of 2 h.
  EXPECT_DOUBLE_EQ(women.participant_hours, 12.0);
  EXPECT_FALSE(women.isHidden(Measure::attendance_rate));

  // Two men enrolled, fewer than 3: the whole cell is hidden.
  const MeasureValues& men = marginOf(report, 0, "male");
  for (const Measure m : kAllMeasures) {
    // Sessions do not apply to a breakdown by gender: absent rather than hidden.
    EXPECT_EQ(men.isHidden(m), m != Measure::sessions) << toString(m);
    EXPECT_FALSE(men.value(m).has_value()) << toString(m);
  }
  EXPECT_EQ(men.enrolled, 0);
  EXPECT_DOUBLE_EQ(men.participant_hours, 0);
  EXPECT_EQ(men.marks, 0);

  // Secondary suppression: the men's enrolled, reached and hours would be the total less the
  // shown cells, so the smallest shown cell of each is hidden as well: the undisclosed (3 < 4
  // enrolled and reached, 6 h < 12 h). Trained and certified already hide two cells each, and the
  // men's zero waivers need no cover (the subtraction gives 0).
  const MeasureValues& undisclosed = marginOf(report, 0, "undisclosed");
  EXPECT_TRUE(undisclosed.isHidden(Measure::enrolled));
  EXPECT_TRUE(undisclosed.isHidden(Measure::reached));
  EXPECT_TRUE(undisclosed.isHidden(Measure::participant_hours));
  EXPECT_FALSE(undisclosed.isHidden(Measure::trained));
  EXPECT_EQ(undisclosed.enrolled, 0);
  EXPECT_FALSE(undisclosed.isHidden(Measure::attendance_rate));

  // The total is never hidden, even where it is small.
  EXPECT_EQ(report.total.hidden, 0);
  EXPECT_EQ(report.total.enrolled, 9);
  EXPECT_EQ(report.total.trained, 4);
  EXPECT_EQ(report.total.certified, 1);

  // Without suppression nothing is hidden.
  const TotalsReport open = totals.totals(admin, year2018({D::gender}));
  EXPECT_EQ(marginOf(open, 0, "male").hidden, 0);
  EXPECT_EQ(marginOf(open, 0, "male").enrolled, 2);
  EXPECT_EQ(marginOf(open, 0, "female").certified, 1);
}

TEST_F(TotalsTest, SuppressionHidesSmallCohortsAndCrossCellsWhole) {
  // An earlier cohort of three, the first of the smallest shown cells beside the small one: it
  // is hidden by secondary suppression, so the big one stays shown.
  const Cohort early = makeCohort(planning, "2018-02-01", "2018-02-28");
  const Cohort big = makeCohort(planning, "2018-03-01", "2018-03-31");
  const Cohort small = makeCohort(planning, "2018-04-01", "2018-04-30");
  const auto early_sessions = sessionsOn(early, {"2018-02-01"});
  for (const char* name : {"Әсел Тай", "Жанар Бек", "Роза Ли"}) {
    attendAll(early_sessions, enrol(early, person(name)));
  }
  const auto big_sessions = sessionsOn(big, {"2018-03-01"});
  for (const char* name : {"Айша Бек", "Бота Сар", "Гуля Нур"}) {
    attendAll(big_sessions, enrol(big, person(name)));
  }
  attendAll(sessionsOn(small, {"2018-04-01"}), enrol(small, person("Дина Ом")));
  TotalsQuery q = year2018({D::cohort, D::gender});
  q.suppress_below = 3;
  const TotalsReport report = totals.totals(admin, q);
  // The big cohort (3 people, 1 session) shows; the small one (1 person) is hidden with its
  // sessions, which apply to a cohort.
  const MeasureValues& shown = marginOf(report, 0, std::to_string(big.id));
  EXPECT_EQ(shown.hidden, 0);
  EXPECT_EQ(shown.sessions, 1);
  const MeasureValues& hidden = marginOf(report, 0, std::to_string(small.id));
  EXPECT_TRUE(hidden.isHidden(Measure::sessions));
  EXPECT_TRUE(hidden.isHidden(Measure::enrolled));
  EXPECT_FALSE(hidden.value(Measure::sessions).has_value());
  EXPECT_EQ(cellOf(report, std::to_string(big.id), "female").enrolled, 3);
  EXPECT_TRUE(cellOf(report, std::to_string(small.id), "female").isHidden(Measure::reached));
  EXPECT_TRUE(marginOf(report, 0, std::to_string(early.id)).isHidden(Measure::enrolled));
  EXPECT_FALSE(marginOf(report, 0, std::to_string(early.id)).isHidden(Measure::sessions));
  // The column of women: the small cohort's cell hidden, so the early one's is hidden too.
  EXPECT_TRUE(cellOf(report, std::to_string(early.id), "female").isHidden(Measure::enrolled));
  EXPECT_EQ(report.total.enrolled, 7);
  EXPECT_EQ(report.total.sessions, 3);
}

// --- secondary suppression on hand-made tables
// ----------------------------------------------------

/// A report with dimensions of `rows` and `columns` (value keys "A", "B"… and "1", "2"…) whose
/// cross cells hold `grid` as `measure` (others from `enrolled`, 100 when it is not the measure),
/// margins and total their sums; with no rows, one dimension of the columns, `grid` one row.
TotalsReport handMade(const std::vector<std::vector<long long>>& grid, Measure measure,
                      bool crossed) {
  const auto values = [&](long long n) {
    MeasureValues v;
    v.enrolled = measure == Measure::enrolled ? n : 100;
    if (measure == Measure::trained) v.trained = n;
    if (measure == Measure::participant_hours) v.participant_hours = static_cast<double>(n);
    return v;
  };
  const auto add = [&](MeasureValues& to, const MeasureValues& v) {
    to.enrolled += v.enrolled;
    to.trained += v.trained;
    to.participant_hours += v.participant_hours;
  };
  TotalsReport report;
  report.margins.resize(crossed ? 2 : 1);
  auto& columns = report.margins.back();
  for (std::size_t c = 0; c < grid.at(0).size(); ++c) {
    columns.push_back(TotalsCell{{std::to_string(c + 1)}, MeasureValues{}});
    columns.back().values.enrolled = 0;
  }
  for (std::size_t r = 0; r < grid.size(); ++r) {
    const std::string row(1, static_cast<char>('A' + r));
    if (crossed) report.margins[0].push_back(TotalsCell{{row}, MeasureValues{}});
    for (std::size_t c = 0; c < grid[r].size(); ++c) {
      const MeasureValues v = values(grid[r][c]);
      if (crossed) {
        report.cells.push_back(TotalsCell{{row, std::to_string(c + 1)}, v});
        add(report.margins[0][r].values, v);
      }
      add(columns[c].values, v);
      add(report.total, v);
    }
  }
  return report;
}

/// The names of the cells hiding `measure`: margins by key ("A", "1"), cross cells by both ("A1").
std::string hiddenCells(const TotalsReport& report, Measure measure) {
  std::string names;
  const auto name = [&](const TotalsCell& cell) {
    if (!cell.values.isHidden(measure)) return;
    if (!names.empty()) names += ' ';
    for (const std::string& key : cell.keys) names += key;
  };
  for (const auto& margin : report.margins) {
    for (const TotalsCell& cell : margin) name(cell);
  }
  for (const TotalsCell& cell : report.cells) name(cell);
  return names;
}

struct SecondaryCase {
  const char* what;
  Measure measure;
  bool crossed;
  std::vector<std::vector<long long>> grid;
  std::string hidden;  ///< hiddenCells with k = 5
};

TEST(SecondarySuppression, HidesTheSmallestCellThatWouldGiveAHiddenOneAway) {
  using M = Measure;
  const std::vector<SecondaryCase> cases = {
      {"nothing small: nothing hidden", M::enrolled, false, {{10, 20, 7}}, ""},
      {"one small value: the smallest other one too", M::enrolled, false, {{12, 3, 20}}, "1 2"},
      {"the first of equals", M::enrolled, false, {{9, 3, 9}}, "1 2"},
      {"two small values cover each other", M::enrolled, false, {{2, 1, 9, 30}}, "1 2"},
      {"a zero may be the cover", M::trained, false, {{0, 3, 7}}, "1 2"},
      // Rows: A1 is small, so A's smallest other (A3) goes; columns 1 and 3 then each hide one,
      // so B1 and B3 go; row B then hides two.
      {"a row and its columns", M::enrolled, true, {{3, 10, 8}, {9, 12, 20}}, "A1 A3 B1 B3"},
      // B2 is small: row B hides B1 (6 < 30) beside it; column 1 then hides C1 (7 < 20) and
      // column 2 C2 (9 < 30), and row C hides two.
      {"a column and its rows",
       M::enrolled,
       true,
       {{20, 30, 40}, {6, 2, 30}, {7, 9, 8}},
       "B1 B2 C1 C2"},
      // Row A is small as a whole: the margin of rows hides B too (the total less A), and each
      // column then hides B's cell beside A's.
      {"a small margin", M::enrolled, true, {{1, 2}, {10, 12}}, "A B A1 A2 B1 B2"},
      {"trained in a cross-tab", M::trained, true, {{4, 6}, {8, 9}}, "A1 A2 B1 B2"},
  };
  for (const SecondaryCase& c : cases) {
    TotalsReport report = handMade(c.grid, c.measure, c.crossed);
    const MeasureValues total = report.total;
    suppressSmallCounts(report, 5);
    EXPECT_EQ(hiddenCells(report, c.measure), c.hidden) << c.what;
    EXPECT_EQ(report.total.hidden, 0) << c.what;
    EXPECT_EQ(report.total.enrolled, total.enrolled) << c.what;
  }
}

TEST(SecondarySuppression, CoversHoursButNotAZeroTheSubtractionWouldGive) {
  TotalsReport report = handMade({{12, 3, 20}}, Measure::enrolled, false);
  const double hours[] = {40, 6, 30};
  for (std::size_t i = 0; i < 3; ++i) report.margins[0][i].values.participant_hours = hours[i];
  report.total.participant_hours = 76;
  suppressSmallCounts(report, 5);
  // The small cell is hidden whole: its 6 h would be 76 less 70, so the smaller other goes.
  EXPECT_EQ(hiddenCells(report, Measure::participant_hours), "2 3");
  // Nobody is trained: the small cell's hidden zero would come out as 0, which needs no cover.
  EXPECT_EQ(hiddenCells(report, Measure::trained), "2");
}

TEST(SecondarySuppression, HiddenValuesAreZeroedAndTheOthersKept) {
  TotalsReport report = handMade({{12, 3, 20}}, Measure::enrolled, false);
  suppressSmallCounts(report, 5);
  EXPECT_EQ(report.margins[0][0].values.enrolled, 0);  // hidden as the cover
  EXPECT_EQ(report.margins[0][1].values.enrolled, 0);  // hidden as small
  EXPECT_EQ(report.margins[0][2].values.enrolled, 20);
  EXPECT_FALSE(report.margins[0][0].values.value(Measure::enrolled).has_value());
  // The cover keeps its other measures: only the one that gave the small cell away is hidden.
  EXPECT_FALSE(report.margins[0][0].values.isHidden(Measure::reached));
  EXPECT_TRUE(report.margins[0][1].values.isHidden(Measure::reached));
}

TEST_F(TotalsTest, AProgrammesYouthBandIsValidated) {
  for (const YouthBand bad : {YouthBand{36, 14}, YouthBand{0, 35}, YouthBand{14, 121}}) {
    Programme p;
    p.code = "BAD-YOUTH";
    p.title = {"Жастар", "Молодёжь", "Youth"};
    p.donor = "Invented Donor Fund";
    p.starts_on = "2018-01-01";
    p.ends_on = "2018-12-31";
    p.youth = bad;
    EXPECT_EQ(invalidFields([&] { catalogue.createProgramme(admin, p); }),
              std::vector<std::string>{"youth"});
  }
  EXPECT_EQ(programme.youth, (YouthBand{14, 35}));
}

// --- computeTotals directly
// -----------------------------------------------------------------------

TEST(ComputeTotals, CountsStraightFromFacts) {
  TotalsFacts facts;
  Programme p;
  p.id = 1;
  facts.programmes = {p};
  Course course;
  course.id = 2;
  course.programme_id = 1;
  course.track = "study_visit";
  course.rule = CompletionRule{100, false, true};
  facts.courses = {course};
  CohortFact cohort;
  cohort.id = 3;
  cohort.course_id = 2;
  cohort.place = "Sofia";
  cohort.starts_on = "2019-05-01";
  cohort.ends_on = "2019-05-04";
  cohort.session_count = 4;
  cohort.sessions_delivered_in_period = 4;
  cohort.completes_in_period = true;
  facts.cohorts = {cohort};
  const auto enrolment = [](Id id, Id person, int attended, bool certified, bool waived) {
    EnrolmentFact e;
    e.enrolment_id = id;
    e.participant_id = person;
    e.cohort_id = 3;
    e.attended_in_period = attended;
    e.marked_in_period = 4;
    e.attended_minutes_in_period = attended * 480LL;
    e.attended_total = attended;
    e.certified = certified;
    e.waived = waived;
    return e;
  };
  // Four days, every one required: 10 and 11 completed, 12 missed a day but holds a waiver,
  // 13 missed a day, 14 never came; an enrolment of an unknown cohort is ignored.
  facts.enrolments = {enrolment(100, 10, 4, true, false), enrolment(101, 11, 4, false, false),
                      enrolment(102, 12, 3, true, true), enrolment(103, 13, 3, false, false),
                      enrolment(104, 14, 0, false, false)};
  EnrolmentFact stray = enrolment(105, 15, 4, true, false);
  stray.cohort_id = 99;
  facts.enrolments.push_back(stray);

  TotalsQuery q;
  q.programme_id = 1;
  const TotalsReport report =
      computeTotals(q, facts, {Target{Measure::trained, std::string("study_visit"), 8}});
  EXPECT_EQ(report.total.enrolled, 5);
  EXPECT_EQ(report.total.reached, 4);
  EXPECT_EQ(report.total.trained, 3);
  EXPECT_EQ(report.total.trained_with_waiver, 1);
  EXPECT_EQ(report.total.certified, 2);
  EXPECT_EQ(report.total.sessions, 4);
  // (4 + 4 + 3 + 3) days × 8 h = 112 h; 14 attended of 20 marks.
  EXPECT_DOUBLE_EQ(report.total.participant_hours, 112.0);
  EXPECT_DOUBLE_EQ(report.total.attendanceRate().value(), 0.7);
  ASSERT_EQ(report.targets.size(), 1u);
  EXPECT_EQ(report.targets[0].actual, 3);
  EXPECT_DOUBLE_EQ(report.targets[0].progress, 3.0 / 8.0);

  // Not completing in the period: nobody is trained or certified, attendance still counts.
  facts.cohorts[0].completes_in_period = false;
  const TotalsReport open = computeTotals(q, facts, {});
  EXPECT_EQ(open.total.trained, 0);
  EXPECT_EQ(open.total.certified, 0);
  EXPECT_EQ(open.total.reached, 4);
  EXPECT_TRUE(open.targets.empty());
}

}  // namespace
}  // namespace courses
