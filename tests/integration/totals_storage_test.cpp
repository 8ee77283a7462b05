// Totals storage: the aggregates kept with every write (enrolment counters, session and cohort
// counters, certificate state), the facts a totals computation reads for a period and a scope,
// targets, and the rebuild and check of the aggregates from the raw rows.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include "courses/error.hpp"
#include "courses/mariadb/store.hpp"
#include "fixtures.hpp"

namespace {

using namespace integration;
using courses::AttendanceMark;
using courses::AttendanceStatus;
using courses::ErrorCode;
using courses::Measure;
using courses::TotalsFacts;
using courses::TotalsScope;

std::string idText(Id id) {
  return std::to_string(id);
}

AttendanceMark mark(Id enrolment_id, AttendanceStatus status) {
  AttendanceMark m;
  m.enrolment_id = enrolment_id;
  m.status = status;
  return m;
}

// An enrolment's stored counters.
struct Counters {
  long long attended = 0;
  long long excused = 0;
  long long marked = 0;
  long long minutes = 0;
  long long certified = 0;
  long long waived = 0;
  bool operator==(const Counters&) const = default;
};

Counters countersOf(Id enrolment_id) {
  const std::string where = " FROM enrolment_facts WHERE enrolment_id = " + idText(enrolment_id);
  return {database().queryInt("SELECT attended" + where),
          database().queryInt("SELECT excused" + where),
          database().queryInt("SELECT marked" + where),
          database().queryInt("SELECT attended_minutes" + where),
          database().queryInt("SELECT certified" + where),
          database().queryInt("SELECT waived" + where)};
}

void PrintTo(const Counters& c, std::ostream* os) {
  *os << "{attended " << c.attended << ", excused " << c.excused << ", marked " << c.marked
      << ", minutes " << c.minutes << ", certified " << c.certified << ", waived " << c.waived
      << "}";
}

long long sessionMarks(Id session_id) {
  return database().queryInt("SELECT attended_marks FROM sessions WHERE id = " +
                             idText(session_id));
}

long long cohortColumn(Id cohort_id, const std::string& expression) {
  return database().queryInt("SELECT " + expression +
                             " FROM cohorts WHERE id = " + idText(cohort_id));
}

// Rows of one cohort's aggregates that differ from what its raw rows give.
long long differencesInCohort(Id cohort_id) {
  const std::string id = idText(cohort_id);
  return database().queryInt(
             "SELECT COUNT(*) FROM totals_enrolment_counts v"
             " LEFT JOIN enrolment_facts f ON f.enrolment_id = v.enrolment_id"
             " WHERE v.cohort_id = " +
             id +
             " AND (f.enrolment_id IS NULL OR f.attended <> v.attended"
             " OR f.excused <> v.excused OR f.marked <> v.marked"
             " OR f.attended_minutes <> v.attended_minutes OR f.certified <> v.certified"
             " OR f.waived <> v.waived)") +
         database().queryInt(
             "SELECT COUNT(*) FROM sessions s JOIN totals_session_counts v"
             " ON v.session_id = s.id WHERE s.cohort_id = " +
             id + " AND s.attended_marks <> v.attended_marks") +
         database().queryInt(
             "SELECT COUNT(*) FROM cohorts c JOIN totals_cohort_counts v ON v.cohort_id = c.id"
             " WHERE c.id = " +
             id +
             " AND (c.session_count <> v.session_count"
             " OR c.delivered_sessions <> v.delivered_sessions"
             " OR NOT (c.first_session_at <=> v.first_session_at)"
             " OR NOT (c.last_session_at <=> v.last_session_at))");
}

courses::Course courseIn(Id programme_id, const std::string& track) {
  courses::Course c;
  c.programme_id = programme_id;
  c.track = track;
  c.title = {"Кәсіпкерлік", "Предпринимательство", "Entrepreneurship"};
  c.hours = 12;
  c.rule = {80, true, false};
  return repos().courses.create(c);
}

courses::Cohort cohortOf(Id course_id, Id locality_id, const std::vector<Id>& trainers,
                         std::string starts_on = "2026-03-01", std::string ends_on = "2026-03-05") {
  courses::Cohort c;
  c.course_id = course_id;
  c.locality_id = locality_id;
  c.place = "School hall";
  c.starts_on = std::move(starts_on);
  c.ends_on = std::move(ends_on);
  c.language = courses::Language::kk;
  c.trainer_ids = trainers;
  return repos().cohorts.create(c);
}

// A cohort of a programme of its own with `size` people enrolled.
struct Group {
  courses::Account trainer = makeAccount();
  courses::Cohort cohort = makeCohort({trainer.id});
  Id programme_id = repos().courses.find(cohort.course_id)->programme_id;
  std::vector<courses::Enrolment> enrolments;

  explicit Group(int size) {
    for (int i = 0; i < size; ++i) {
      const auto person = makeParticipant(cohort.locality_id, trainer.id);
      enrolments.push_back(
          repos().enrolments.enrol(person.id, cohort.id, trainer.id, std::nullopt).enrolment);
    }
  }
  Id e(std::size_t i) const { return enrolments.at(i).id; }
  void save(Id session_id, const std::vector<AttendanceMark>& marks) const {
    repos().attendance.saveSheet(session_id, marks, trainer.id);
  }
  TotalsFacts facts(std::optional<std::string> from, std::optional<std::string> to) const {
    TotalsScope scope;
    scope.programme_id = programme_id;
    scope.period = {std::move(from), std::move(to)};
    return repos().totals.facts(scope);
  }

  courses::Certificate draft(std::size_t i, std::optional<std::string> waiver) const {
    const courses::Enrolment& en = enrolments.at(i);
    courses::Certificate c;
    c.enrolment_id = en.id;
    c.participant_id = en.participant_id;
    c.cohort_id = cohort.id;
    c.course_id = cohort.course_id;
    c.programme_id = programme_id;
    c.language = courses::CertificateLanguage::all;
    c.full_name = en.participant_name;
    c.track = "inclusive_planning";
    c.course_title = {"Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning"};
    c.hours = 24.5;
    c.starts_on = cohort.starts_on;
    c.ends_on = cohort.ends_on;
    c.place = cohort.place;
    c.locality = {"Нұра", "Нура", "Nura"};
    c.sessions_attended = 1;
    c.sessions_total = 2;
    c.issuer = {"Ұйым", "Организация", "Organisation"};
    c.issued_by = trainer.id;
    c.issued_at = "2026-03-06T10:00:00Z";
    c.waiver_reason = std::move(waiver);
    return c;
  }
};

courses::CertificateArtifacts artifacts(const courses::Certificate& c) {
  courses::CertificateArtifacts a;
  a.verification_token = "tok-" + c.serial;
  a.signature = "sig-" + c.serial;
  a.etag = "\"etag-" + c.serial + "\"";
  a.pdf = "%PDF-" + c.serial;
  return a;
}

const courses::EnrolmentFact* findEnrolment(const TotalsFacts& facts, Id id) {
  for (const auto& e : facts.enrolments) {
    if (e.enrolment_id == id) return &e;
  }
  return nullptr;
}

TEST(TotalsStorage, ProgrammeKeepsItsYouthBand) {
  courses::Programme p;
  p.code = unique("Y");
  p.title = {"Жастар", "Молодёжь", "Youth"};
  p.donor = "EU";
  p.starts_on = "2017-02-01";
  p.ends_on = "2020-01-31";
  p.youth = {15, 29};
  const auto stored = repos().programmes.create(p);
  EXPECT_EQ(repos().programmes.find(stored.id)->youth, (courses::YouthBand{15, 29}));
  EXPECT_EQ(repos().programmes.find(makeProgramme().id)->youth, (courses::YouthBand{14, 35}));
  const auto all = repos().programmes.list();
  const auto found = std::find_if(all.begin(), all.end(),
                                  [&](const courses::Programme& x) { return x.id == stored.id; });
  ASSERT_NE(found, all.end());
  EXPECT_EQ(found->youth, (courses::YouthBand{15, 29}));
}

TEST(TotalsStorage, EnrollingAddsARowWithTheSnapshotAndNoCounts) {
  Group g(1);
  EXPECT_EQ(countersOf(g.e(0)), Counters{});
  EXPECT_EQ(database().queryInt("SELECT programme_id FROM enrolment_facts WHERE enrolment_id = " +
                                idText(g.e(0))),
            g.programme_id);
  EXPECT_EQ(database().queryInt("SELECT birth_year FROM enrolment_facts WHERE enrolment_id = " +
                                idText(g.e(0))),
            1990);
  EXPECT_EQ(database().queryInt("SELECT vulnerable FROM enrolment_facts WHERE enrolment_id = " +
                                idText(g.e(0))),
            g.enrolments[0].snapshot.vulnerable);
  // Enrolling again changes nothing.
  repos().enrolments.enrol(g.enrolments[0].participant_id, g.cohort.id, g.trainer.id, std::nullopt);
  EXPECT_EQ(database().queryInt("SELECT COUNT(*) FROM enrolment_facts WHERE cohort_id = " +
                                idText(g.cohort.id)),
            1);
  EXPECT_EQ(differencesInCohort(g.cohort.id), 0);
}

TEST(TotalsStorage, MarksAndReMarksMoveTheCounters) {
  Group g(2);
  const auto s1 = makeSession(g.cohort.id, "2026-03-01T09:00:00Z");
  const auto s2 = makeSession(g.cohort.id, "2026-03-02T09:00:00Z");
  g.save(s1.id, {mark(g.e(0), AttendanceStatus::present), mark(g.e(1), AttendanceStatus::absent)});
  EXPECT_EQ(countersOf(g.e(0)), (Counters{1, 0, 1, 90, 0, 0}));
  EXPECT_EQ(countersOf(g.e(1)), (Counters{0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(sessionMarks(s1.id), 1);
  EXPECT_EQ(cohortColumn(g.cohort.id, "delivered_sessions"), 1);

  // present -> absent: the session is no longer delivered.
  g.save(s1.id, {mark(g.e(0), AttendanceStatus::absent)});
  EXPECT_EQ(countersOf(g.e(0)), (Counters{0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(sessionMarks(s1.id), 0);
  EXPECT_EQ(cohortColumn(g.cohort.id, "delivered_sessions"), 0);

  // absent -> excused, and a late mark in another session.
  g.save(s1.id, {mark(g.e(0), AttendanceStatus::excused)});
  g.save(s2.id, {mark(g.e(0), AttendanceStatus::late), mark(g.e(1), AttendanceStatus::present)});
  EXPECT_EQ(countersOf(g.e(0)), (Counters{1, 1, 2, 90, 0, 0}));
  EXPECT_EQ(countersOf(g.e(1)), (Counters{1, 0, 2, 90, 0, 0}));
  EXPECT_EQ(sessionMarks(s1.id), 0);
  EXPECT_EQ(sessionMarks(s2.id), 2);
  EXPECT_EQ(cohortColumn(g.cohort.id, "delivered_sessions"), 1);

  // late -> present changes no counter; the same sheet again changes nothing.
  g.save(s2.id, {mark(g.e(0), AttendanceStatus::present), mark(g.e(1), AttendanceStatus::present)});
  g.save(s2.id, {mark(g.e(0), AttendanceStatus::present), mark(g.e(1), AttendanceStatus::present)});
  EXPECT_EQ(countersOf(g.e(0)), (Counters{1, 1, 2, 90, 0, 0}));
  EXPECT_EQ(sessionMarks(s2.id), 2);
  EXPECT_EQ(differencesInCohort(g.cohort.id), 0);
}

TEST(TotalsStorage, ALongSheetIsCountedInSeveralBatches) {
  Group g(150);
  const auto s = makeSession(g.cohort.id);
  std::vector<AttendanceMark> marks;
  for (std::size_t i = 0; i < g.enrolments.size(); ++i) {
    marks.push_back(mark(g.e(i), i % 3 == 0 ? AttendanceStatus::excused : AttendanceStatus::late));
  }
  // Out of enrolment order: the storage sorts them.
  std::reverse(marks.begin(), marks.end());
  g.save(s.id, marks);
  EXPECT_EQ(sessionMarks(s.id), 100);
  EXPECT_EQ(countersOf(g.e(149)), (Counters{1, 0, 1, 90, 0, 0}));
  EXPECT_EQ(countersOf(g.e(0)), (Counters{0, 1, 1, 0, 0, 0}));
  EXPECT_EQ(differencesInCohort(g.cohort.id), 0);
}

TEST(TotalsStorage, AddingSessionsKeepsTheCohortsSpan) {
  Group g(0);
  EXPECT_EQ(cohortColumn(g.cohort.id, "session_count"), 0);
  EXPECT_EQ(cohortColumn(g.cohort.id, "first_session_at IS NULL"), 1);
  makeSession(g.cohort.id, "2026-03-03T09:00:00Z");
  makeSession(g.cohort.id, "2026-03-01T14:30:00Z");
  makeSession(g.cohort.id, "2026-03-05T09:00:00Z");
  EXPECT_EQ(cohortColumn(g.cohort.id, "session_count"), 3);
  EXPECT_EQ(cohortColumn(g.cohort.id, "first_session_at = '2026-03-01 14:30:00'"), 1);
  EXPECT_EQ(cohortColumn(g.cohort.id, "last_session_at = '2026-03-05 09:00:00'"), 1);
  EXPECT_EQ(differencesInCohort(g.cohort.id), 0);

  courses::Session missing;
  missing.cohort_id = 999999999;
  missing.starts_at = "2026-03-01T09:00:00Z";
  missing.duration_minutes = 60;
  missing.topic = "Nowhere";
  try {
    repos().cohorts.addSession(missing);
    FAIL() << "a session of an unknown cohort was stored";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::not_found);
  }
}

TEST(TotalsStorage, CertificatesSetAndRevokingClearsTheState) {
  Group g(3);
  const std::string series = unique("TS-") + "-2026";
  const auto issued = repos().certificates.issue(
      {g.draft(0, std::nullopt), g.draft(1, std::string("Long illness, work made up"))},
      {series, series}, artifacts);
  ASSERT_EQ(issued.size(), 2u);
  EXPECT_EQ(countersOf(g.e(0)), (Counters{0, 0, 0, 0, 1, 0}));
  EXPECT_EQ(countersOf(g.e(1)), (Counters{0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(countersOf(g.e(2)), Counters{});

  repos().certificates.revoke(issued[1].id, "Issued by mistake", g.trainer.id,
                              "2026-03-07T10:00:00Z");
  EXPECT_EQ(countersOf(g.e(1)), Counters{});
  EXPECT_EQ(countersOf(g.e(0)), (Counters{0, 0, 0, 0, 1, 0}));
  // Issued again without a waiver.
  repos().certificates.issue({g.draft(1, std::nullopt)}, {series}, artifacts);
  EXPECT_EQ(countersOf(g.e(1)), (Counters{0, 0, 0, 0, 1, 0}));
  EXPECT_EQ(differencesInCohort(g.cohort.id), 0);
}

// Three sessions on 1, 2 and 3 March (90 minutes each):
//   e0: present, absent, present     e1: late, excused, absent
// Session 2 has no present or late mark, so it is not delivered.
struct MarkedGroup : Group {
  courses::Session s1 = makeSession(cohort.id, "2026-03-01T09:00:00Z");
  courses::Session s2 = makeSession(cohort.id, "2026-03-02T09:00:00Z");
  courses::Session s3 = makeSession(cohort.id, "2026-03-03T09:00:00Z");
  MarkedGroup() : Group(2) {
    save(s1.id, {mark(e(0), AttendanceStatus::present), mark(e(1), AttendanceStatus::late)});
    save(s2.id, {mark(e(0), AttendanceStatus::absent), mark(e(1), AttendanceStatus::excused)});
    save(s3.id, {mark(e(0), AttendanceStatus::present), mark(e(1), AttendanceStatus::absent)});
  }
};

TEST(TotalsStorage, FactsOfAPeriodCoveringTheCohortUseItsCounters) {
  MarkedGroup g;
  const TotalsFacts facts = g.facts("2026-03-01", "2026-03-03");
  ASSERT_EQ(facts.programmes.size(), 1u);
  EXPECT_EQ(facts.programmes[0].id, g.programme_id);
  ASSERT_EQ(facts.courses.size(), 1u);
  EXPECT_EQ(facts.courses[0].id, g.cohort.course_id);
  EXPECT_FALSE(facts.localities.empty());
  ASSERT_EQ(facts.cohorts.size(), 1u);
  const auto& c = facts.cohorts[0];
  EXPECT_EQ(c.id, g.cohort.id);
  EXPECT_EQ(c.course_id, g.cohort.course_id);
  EXPECT_EQ(c.locality_id, g.cohort.locality_id);
  EXPECT_EQ(c.place, g.cohort.place);
  EXPECT_EQ(c.starts_on, "2026-03-01");
  EXPECT_EQ(c.ends_on, "2026-03-05");
  EXPECT_EQ(c.session_count, 3);
  EXPECT_EQ(c.sessions_delivered_in_period, 2);
  EXPECT_TRUE(c.completes_in_period);
  ASSERT_EQ(facts.enrolments.size(), 2u);
  const auto* e0 = findEnrolment(facts, g.e(0));
  const auto* e1 = findEnrolment(facts, g.e(1));
  ASSERT_TRUE(e0 && e1);
  EXPECT_EQ(e0->participant_id, g.enrolments[0].participant_id);
  EXPECT_EQ(e0->cohort_id, g.cohort.id);
  EXPECT_EQ(e0->snapshot.gender, courses::Gender::female);
  EXPECT_EQ(e0->snapshot.birth_year, 1990);
  EXPECT_EQ(e0->snapshot.locality_id, g.cohort.locality_id);
  EXPECT_EQ(e0->snapshot.affiliation, courses::Affiliation::civil_society);
  EXPECT_EQ(e0->snapshot.vulnerable, g.enrolments[0].snapshot.vulnerable);
  EXPECT_EQ(e0->attended_in_period, 2);
  EXPECT_EQ(e0->marked_in_period, 3);
  EXPECT_EQ(e0->attended_minutes_in_period, 180);
  EXPECT_EQ(e0->attended_total, 2);
  EXPECT_EQ(e0->excused_total, 0);
  EXPECT_EQ(e1->attended_in_period, 1);
  EXPECT_EQ(e1->marked_in_period, 3);
  EXPECT_EQ(e1->attended_minutes_in_period, 90);
  EXPECT_EQ(e1->attended_total, 1);
  EXPECT_EQ(e1->excused_total, 1);
  EXPECT_FALSE(e0->certified);

  // Open ends cover everything too.
  const TotalsFacts open = g.facts(std::nullopt, std::nullopt);
  ASSERT_EQ(open.cohorts.size(), 1u);
  EXPECT_EQ(open.cohorts[0].sessions_delivered_in_period, 2);
  ASSERT_EQ(open.enrolments.size(), 2u);
}

TEST(TotalsStorage, FactsOfAPeriodCuttingTheCohortCountOnlyItsSessions) {
  MarkedGroup g;
  // The period starts on the second session's day: sessions 2 and 3 count, the cohort completes.
  TotalsFacts facts = g.facts("2026-03-02", "2026-12-31");
  ASSERT_EQ(facts.cohorts.size(), 1u);
  EXPECT_EQ(facts.cohorts[0].session_count, 3);
  EXPECT_EQ(facts.cohorts[0].sessions_delivered_in_period, 1);
  EXPECT_TRUE(facts.cohorts[0].completes_in_period);
  const auto* e0 = findEnrolment(facts, g.e(0));
  const auto* e1 = findEnrolment(facts, g.e(1));
  ASSERT_TRUE(e0 && e1);
  EXPECT_EQ(e0->attended_in_period, 1);
  EXPECT_EQ(e0->marked_in_period, 2);
  EXPECT_EQ(e0->attended_minutes_in_period, 90);
  EXPECT_EQ(e0->attended_total, 2);
  EXPECT_EQ(e1->attended_in_period, 0);
  EXPECT_EQ(e1->marked_in_period, 2);
  EXPECT_EQ(e1->attended_minutes_in_period, 0);
  EXPECT_EQ(e1->attended_total, 1);
  EXPECT_EQ(e1->excused_total, 1);

  // The period ends on the first session's day: only it counts, and the cohort completes later.
  facts = g.facts("2026-01-01", "2026-03-01");
  ASSERT_EQ(facts.cohorts.size(), 1u);
  EXPECT_EQ(facts.cohorts[0].sessions_delivered_in_period, 1);
  EXPECT_FALSE(facts.cohorts[0].completes_in_period);
  e0 = findEnrolment(facts, g.e(0));
  e1 = findEnrolment(facts, g.e(1));
  ASSERT_TRUE(e0 && e1);
  EXPECT_EQ(e0->attended_in_period, 1);
  EXPECT_EQ(e0->marked_in_period, 1);
  EXPECT_EQ(e1->attended_in_period, 1);
  EXPECT_EQ(e1->attended_minutes_in_period, 90);
  EXPECT_EQ(e1->attended_total, 1);

  // Only the middle day: a session with no one present, so nothing is delivered.
  facts = g.facts("2026-03-02", "2026-03-02");
  ASSERT_EQ(facts.cohorts.size(), 1u);
  EXPECT_EQ(facts.cohorts[0].sessions_delivered_in_period, 0);
  EXPECT_FALSE(facts.cohorts[0].completes_in_period);
  ASSERT_EQ(facts.enrolments.size(), 2u);
  EXPECT_EQ(findEnrolment(facts, g.e(1))->marked_in_period, 1);
  EXPECT_EQ(findEnrolment(facts, g.e(1))->attended_in_period, 0);
}

TEST(TotalsStorage, FactsLeaveOutCohortsWithoutASessionInThePeriod) {
  MarkedGroup g;
  EXPECT_TRUE(g.facts("2026-04-01", "2026-12-31").cohorts.empty());
  EXPECT_TRUE(g.facts("2026-04-01", "2026-12-31").enrolments.empty());
  EXPECT_TRUE(g.facts("2025-01-01", "2026-02-28").cohorts.empty());

  // Sessions before and after the period but none inside it.
  Group gap(1);
  makeSession(gap.cohort.id, "2026-03-01T09:00:00Z");
  makeSession(gap.cohort.id, "2026-03-05T09:00:00Z");
  EXPECT_TRUE(gap.facts("2026-03-02", "2026-03-04").cohorts.empty());
  EXPECT_TRUE(gap.facts("2026-03-02", "2026-03-04").enrolments.empty());
  EXPECT_EQ(gap.facts("2026-03-02", "2026-03-05").cohorts.size(), 1u);
}

TEST(TotalsStorage, ACohortWithoutSessionsCountsByItsDates) {
  Group g(1);  // 1 to 5 March, no sessions
  TotalsFacts facts = g.facts("2026-03-04", "2026-03-31");
  ASSERT_EQ(facts.cohorts.size(), 1u);
  EXPECT_EQ(facts.cohorts[0].session_count, 0);
  EXPECT_TRUE(facts.cohorts[0].completes_in_period);
  ASSERT_EQ(facts.enrolments.size(), 1u);
  EXPECT_EQ(facts.enrolments[0].marked_in_period, 0);
  facts = g.facts("2026-02-01", "2026-03-04");
  ASSERT_EQ(facts.cohorts.size(), 1u);
  EXPECT_FALSE(facts.cohorts[0].completes_in_period);
  EXPECT_TRUE(g.facts("2026-03-06", std::nullopt).cohorts.empty());
}

TEST(TotalsStorage, FactsHoldCertificateState) {
  MarkedGroup g;
  const std::string series = unique("TF-") + "-2026";
  repos().certificates.issue({g.draft(1, std::string("Exam passed instead"))}, {series}, artifacts);
  const TotalsFacts facts = g.facts("2026-03-02", "2026-03-31");
  const auto* e1 = findEnrolment(facts, g.e(1));
  ASSERT_TRUE(e1);
  EXPECT_TRUE(e1->certified);
  EXPECT_TRUE(e1->waived);
  EXPECT_FALSE(findEnrolment(facts, g.e(0))->certified);
}

TEST(TotalsStorage, TrainerScopeAndTrackFilterPickCohorts) {
  const auto programme = makeProgramme();
  const auto locality = makeLocality();
  const auto trainer_a = makeAccount();
  const auto trainer_b = makeAccount();
  const auto planning = courseIn(programme.id, "inclusive_planning");
  const auto business = courseIn(programme.id, "entrepreneurship");
  const auto c1 = cohortOf(planning.id, locality.id, {trainer_a.id});
  const auto c2 = cohortOf(business.id, locality.id, {trainer_a.id, trainer_b.id});
  const auto c3 = cohortOf(business.id, locality.id, {trainer_b.id});
  for (const auto& cohort : {c1, c2, c3}) {
    const auto person = makeParticipant(locality.id, trainer_a.id);
    repos().enrolments.enrol(person.id, cohort.id, trainer_a.id, std::nullopt);
    makeSession(cohort.id, "2026-03-02T09:00:00Z");
  }
  const auto idsOf = [](const TotalsFacts& facts) {
    std::vector<Id> ids;
    for (const auto& c : facts.cohorts) ids.push_back(c.id);
    std::vector<Id> enrolment_cohorts;
    for (const auto& e : facts.enrolments) enrolment_cohorts.push_back(e.cohort_id);
    std::sort(enrolment_cohorts.begin(), enrolment_cohorts.end());
    EXPECT_EQ(ids, enrolment_cohorts);
    return ids;
  };
  TotalsScope scope;
  scope.programme_id = programme.id;
  scope.period = {"2026-03-01", "2026-03-31"};
  EXPECT_EQ(idsOf(repos().totals.facts(scope)), (std::vector<Id>{c1.id, c2.id, c3.id}));

  scope.trainer_account_id = trainer_a.id;
  EXPECT_EQ(idsOf(repos().totals.facts(scope)), (std::vector<Id>{c1.id, c2.id}));
  scope.trainer_account_id = trainer_b.id;
  EXPECT_EQ(idsOf(repos().totals.facts(scope)), (std::vector<Id>{c2.id, c3.id}));

  scope.track = "entrepreneurship";
  auto facts = repos().totals.facts(scope);
  EXPECT_EQ(idsOf(facts), (std::vector<Id>{c2.id, c3.id}));
  ASSERT_EQ(facts.courses.size(), 1u);
  EXPECT_EQ(facts.courses[0].id, business.id);
  scope.trainer_account_id.reset();
  scope.track = "inclusive_planning";
  facts = repos().totals.facts(scope);
  EXPECT_EQ(idsOf(facts), (std::vector<Id>{c1.id}));
  ASSERT_EQ(facts.courses.size(), 1u);
  EXPECT_EQ(facts.courses[0].id, planning.id);

  // Without a programme: every programme's cohorts, this one's among them.
  scope.programme_id.reset();
  scope.track.reset();
  scope.trainer_account_id = trainer_b.id;
  facts = repos().totals.facts(scope);
  EXPECT_EQ(idsOf(facts), (std::vector<Id>{c2.id, c3.id}));
  EXPECT_GE(facts.programmes.size(), 1u);
}

TEST(TotalsStorage, ConcurrentSheetsOfOneCohortKeepTheCountersExact) {
  Group g(30);
  const auto s1 = makeSession(g.cohort.id, "2026-03-01T09:00:00Z");
  const auto s2 = makeSession(g.cohort.id, "2026-03-02T09:00:00Z");
  constexpr AttendanceStatus kStatuses[] = {AttendanceStatus::present, AttendanceStatus::late,
                                            AttendanceStatus::excused, AttendanceStatus::absent};
  std::atomic<int> failures{0};
  const auto writer = [&](Id session_id, int seed) {
    for (int round = 0; round < 15; ++round) {
      std::vector<AttendanceMark> marks;
      for (std::size_t i = 0; i < g.enrolments.size(); ++i) {
        const auto pick = static_cast<std::size_t>(seed * 7 + round * 3) +
                          i * static_cast<std::size_t>(round + 1);
        marks.push_back(mark(g.e(i), kStatuses[pick % 4]));
      }
      // Opposite orders, so that the two writers would deadlock if the rows were locked as sent.
      if (seed % 2 == 1) std::reverse(marks.begin(), marks.end());
      try {
        g.save(session_id, marks);
      } catch (const std::exception&) {
        ++failures;
      }
    }
  };
  std::thread a(writer, s1.id, 1);
  std::thread b(writer, s2.id, 2);
  std::thread c(writer, s1.id, 3);
  a.join();
  b.join();
  c.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(differencesInCohort(g.cohort.id), 0);
  EXPECT_EQ(database().queryInt("SELECT SUM(marked) FROM enrolment_facts WHERE cohort_id = " +
                                idText(g.cohort.id)),
            60);
}

TEST(TotalsStorage, TargetsAreReplacedWhole) {
  const auto programme = makeProgramme();
  EXPECT_TRUE(repos().totals.targets(programme.id).empty());
  std::vector<courses::Target> targets(3);
  targets[0] = {Measure::trained, std::string("study_visit"), 8};
  targets[1] = {Measure::trained, std::nullopt, 120};
  targets[2] = {Measure::enrolled, std::string("inclusive_planning"), 300};
  const auto stored = repos().totals.replaceTargets(programme.id, targets);
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].measure, Measure::enrolled);
  EXPECT_EQ(stored[0].track, std::optional<std::string>("inclusive_planning"));
  EXPECT_EQ(stored[0].value, 300);
  EXPECT_EQ(stored[1].measure, Measure::trained);
  EXPECT_EQ(stored[1].track, std::nullopt);
  EXPECT_EQ(stored[1].value, 120);
  EXPECT_EQ(stored[2].track, std::optional<std::string>("study_visit"));
  EXPECT_EQ(stored[2].value, 8);
  const auto read = repos().totals.targets(programme.id);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[2].value, 8);

  EXPECT_EQ(
      repos().totals.replaceTargets(programme.id, {{Measure::certified, std::nullopt, 5}}).size(),
      1u);
  EXPECT_EQ(repos().totals.targets(programme.id).size(), 1u);
  EXPECT_TRUE(repos().totals.replaceTargets(programme.id, {}).empty());
  EXPECT_TRUE(repos().totals.targets(programme.id).empty());
  try {
    repos().totals.replaceTargets(999999999, targets);
    FAIL() << "targets of an unknown programme were stored";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::not_found);
  }
}

// A database of its own: rows written around the repositories, as a bulk load does.
TEST(TotalsStorage, RebuildAndMigrationBackFillRawRowsAndCheckFindsDifferences) {
  support::db::TestDatabase db("qatysu_totals");
  courses::mariadb::Store store(db.config());
  db.execute(
      "INSERT INTO programmes (id, code, title_kk, title_ru, title_en, donor, starts_on, ends_on)"
      " VALUES (7, 'RAW', 'Б', 'П', 'P', 'EU', '2017-02-01', '2020-01-31')");
  db.execute(
      "INSERT INTO localities (id, parent_id, kind, name_kk, name_ru, name_en)"
      " VALUES (70, NULL, 'region', 'Облыс', 'Область', 'Region')");
  db.execute(
      "INSERT INTO courses (id, programme_id, track, title_kk, title_ru, title_en, hours,"
      " min_attendance_percent, excused_counts, require_all, gives_certificate)"
      " VALUES (71, 7, 'study_visit', 'К', 'К', 'C', 8, 80, 1, 0, 1)");
  db.execute(
      "INSERT INTO cohorts (id, course_id, locality_id, place, starts_on, ends_on, language)"
      " VALUES (72, 71, 70, 'Hall', '2018-05-01', '2018-05-03', 'kk'),"
      " (73, 71, 70, 'Hall', '2018-06-01', '2018-06-02', 'kk')");
  db.execute(
      "INSERT INTO sessions (id, cohort_id, starts_at, duration_minutes, topic) VALUES"
      " (80, 72, '2018-05-01 09:00:00', 60, 'T'), (81, 72, '2018-05-03 09:00:00', 120, 'T'),"
      " (82, 73, '2018-06-01 09:00:00', 45, 'T')");
  db.execute(
      "INSERT INTO participants (id, full_name, name_key, birth_year, locality_id, gender,"
      " affiliation, vulnerable, consent, created_at, updated_at) VALUES"
      " (90, 'Person A', 'person a', 1985, 70, 'male', 'entrepreneur', 3, 1, NOW(), NOW()),"
      " (91, 'Person B', 'person b', 2001, 70, 'female', 'other', 0, 1, NOW(), NOW())");
  db.execute(
      "INSERT INTO enrolments (id, participant_id, cohort_id, registered_at, snapshot_gender,"
      " snapshot_birth_year, snapshot_locality_id, snapshot_affiliation, snapshot_vulnerable)"
      " VALUES (100, 90, 72, NOW(), 'male', 1985, 70, 'entrepreneur', 3),"
      " (101, 91, 72, NOW(), 'female', 2001, 70, 'other', 0),"
      " (102, 91, 73, NOW(), 'female', 2001, 70, 'other', 0)");
  db.execute(
      "INSERT INTO attendance (session_id, enrolment_id, status, marked_at) VALUES"
      " (80, 100, 'present', NOW()), (81, 100, 'late', NOW()), (80, 101, 'excused', NOW()),"
      " (81, 101, 'absent', NOW()), (82, 102, 'absent', NOW())");
  db.execute(
      "INSERT INTO certificates (serial, verification_token, enrolment_id, participant_id,"
      " cohort_id, course_id, programme_id, language, full_name, track, title_kk, title_ru,"
      " title_en, hours, starts_on, ends_on, place, locality_kk, locality_ru, locality_en,"
      " sessions_attended, sessions_total, trainers, organisations, issuer_kk, issuer_ru,"
      " issuer_en, waiver_reason, status, issued_at, signature, etag, pdf_size) VALUES"
      " ('RAW-1', 't1', 100, 90, 72, 71, 7, 'all', 'Person A', 'study_visit', 'К', 'К', 'C', 8,"
      " '2018-05-01', '2018-05-03', 'Hall', 'О', 'О', 'R', 2, 2, '', '', 'И', 'И', 'I', NULL,"
      " 'valid', NOW(), 's', '\"e\"', 1),"
      " ('RAW-2', 't2', 101, 91, 72, 71, 7, 'all', 'Person B', 'study_visit', 'К', 'К', 'C', 8,"
      " '2018-05-01', '2018-05-03', 'Hall', 'О', 'О', 'R', 0, 2, '', '', 'И', 'И', 'I',"
      " 'Sick leave', 'valid', NOW(), 's', '\"e\"', 1)");

  const auto check = [&] {
    TotalsScope scope;
    scope.programme_id = 7;
    scope.period = {"2018-01-01", "2018-12-31"};
    const TotalsFacts facts = store.repositories().totals.facts(scope);
    ASSERT_EQ(facts.cohorts.size(), 2u);
    EXPECT_EQ(facts.cohorts[0].session_count, 2);
    EXPECT_EQ(facts.cohorts[0].sessions_delivered_in_period, 2);
    EXPECT_EQ(facts.cohorts[1].sessions_delivered_in_period, 0);
    ASSERT_EQ(facts.enrolments.size(), 3u);
    const auto* a = findEnrolment(facts, 100);
    const auto* b = findEnrolment(facts, 101);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->attended_total, 2);
    EXPECT_EQ(a->attended_minutes_in_period, 180);
    EXPECT_EQ(a->snapshot.vulnerable, 3);
    EXPECT_TRUE(a->certified);
    EXPECT_FALSE(a->waived);
    EXPECT_EQ(b->excused_total, 1);
    EXPECT_EQ(b->marked_in_period, 2);
    EXPECT_TRUE(b->certified);
    EXPECT_TRUE(b->waived);
  };

  // Nothing of it is in the aggregates yet.
  EXPECT_GT(store.checkTotals(), 0);
  store.rebuildTotals();
  EXPECT_EQ(store.checkTotals(), 0);
  check();

  // A hand-broken counter of each kind is found, and rebuilding repairs it. A session's attended
  // marks decide whether its cohort delivered it, so a broken session shows in its cohort too.
  db.execute("UPDATE enrolment_facts SET attended = attended + 1 WHERE enrolment_id = 101");
  EXPECT_EQ(store.checkTotals(), 1);
  db.execute("UPDATE sessions SET attended_marks = 5 WHERE id = 82");
  EXPECT_EQ(store.checkTotals(), 3);
  db.execute("UPDATE cohorts SET last_session_at = NULL WHERE id = 72");
  EXPECT_EQ(store.checkTotals(), 4);
  db.execute("DELETE FROM enrolment_facts WHERE enrolment_id = 102");
  EXPECT_EQ(store.checkTotals(), 5);
  store.rebuildTotals();
  EXPECT_EQ(store.checkTotals(), 0);
  check();

  // The migration's back-fill does the same for a database migrated before totals existed.
  db.execute("UPDATE sessions SET attended_marks = 0");
  db.execute(
      "UPDATE cohorts SET session_count = 0, first_session_at = NULL, last_session_at = NULL,"
      " delivered_sessions = 0");
  db.execute("DELETE FROM enrolment_facts");
  db.execute("DELETE FROM schema_migrations WHERE version = 4");
  EXPECT_GT(store.checkTotals(), 0);
  const auto migrated = courses::mariadb::migrate(db.config());
  EXPECT_EQ(migrated.applied, (std::vector<std::string>{"0004_totals"}));
  EXPECT_EQ(store.checkTotals(), 0);
  check();
  // Running the migration's statements once more changes nothing.
  db.execute("DELETE FROM schema_migrations WHERE version = 4");
  courses::mariadb::migrate(db.config());
  EXPECT_EQ(store.checkTotals(), 0);
}

}  // namespace
