#include "plugin/cli/demo.hpp"

#include <gtest/gtest.h>

#include <set>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "support/memory_store.hpp"

namespace plugin::cli {
namespace {

const DemoPlan& plan() {
  static const DemoPlan kPlan = buildDemoPlan();
  return kPlan;
}

TEST(DemoPlan, ExactlyTheSeedsNumbersMeetTheCompletionRules) {
  const auto attendance = planAttendance(plan());
  const QualificationCounts counts = countQualified(attendance);
  EXPECT_EQ(counts.by_track.at("inclusive_planning"), 60u);
  EXPECT_EQ(counts.by_track.at("entrepreneurship"), 50u);
  EXPECT_EQ(counts.by_track.at("study_visit"), 8u);
  EXPECT_EQ(counts.qualified_nowhere, 12u);
  EXPECT_EQ(counts.enrolled, plan().participants.size());
}

TEST(DemoPlan, IsTheSameOnEveryBuild) {
  const DemoPlan again = buildDemoPlan();
  ASSERT_EQ(again.participants.size(), plan().participants.size());
  for (std::size_t i = 0; i < again.participants.size(); ++i) {
    EXPECT_EQ(again.participants[i].person.full_name, plan().participants[i].person.full_name);
    EXPECT_EQ(again.participants[i].person.demographics.birth_year,
              plan().participants[i].person.demographics.birth_year);
  }
  ASSERT_EQ(again.enrolments.size(), plan().enrolments.size());
  for (std::size_t i = 0; i < again.enrolments.size(); ++i) {
    EXPECT_EQ(again.enrolments[i].marks, plan().enrolments[i].marks);
  }
}

TEST(DemoPlan, TellsTheProgrammesStory) {
  const auto& p = plan();
  EXPECT_EQ(p.programme.code, "LSG-EKZ");
  EXPECT_EQ(p.programme.title.en,
            "Active participation of local stakeholders in East and Central Kazakhstan");
  EXPECT_EQ(p.programme.donor, "European Union");
  EXPECT_EQ(p.programme.starts_on, "2017-02-01");
  EXPECT_EQ(p.programme.ends_on, "2020-01-31");

  std::size_t regions = 0, districts = 0, places = 0;
  for (const auto& l : p.localities) {
    EXPECT_FALSE(l.locality.kato) << "the demo invents no KATO codes";
    EXPECT_FALSE(l.locality.name.kk.empty() || l.locality.name.ru.empty() ||
                 l.locality.name.en.empty());
    switch (l.locality.kind) {
      case courses::LocalityKind::region:
        ++regions;
        EXPECT_FALSE(l.parent);
        break;
      case courses::LocalityKind::district:
        ++districts;
        ASSERT_TRUE(l.parent);
        EXPECT_EQ(p.localities[*l.parent].locality.kind, courses::LocalityKind::region);
        break;
      default:
        ++places;
        ASSERT_TRUE(l.parent);
        EXPECT_EQ(p.localities[*l.parent].locality.kind, courses::LocalityKind::district);
    }
  }
  EXPECT_EQ(regions, 2u);
  EXPECT_EQ(districts, 3u);
  EXPECT_EQ(places, 10u);

  ASSERT_EQ(p.courses.size(), 3u);
  EXPECT_EQ(p.courses[0].track, "inclusive_planning");
  EXPECT_EQ(p.courses[0].hours, 24);
  EXPECT_EQ(p.courses[0].rule.min_attendance_percent, 80);
  EXPECT_EQ(p.courses[1].track, "entrepreneurship");
  EXPECT_EQ(p.courses[1].hours, 36);
  EXPECT_TRUE(p.courses[1].rule.excused_counts);
  EXPECT_EQ(p.courses[2].track, "study_visit");
  EXPECT_EQ(p.courses[2].hours, 40);
  EXPECT_TRUE(p.courses[2].rule.require_all);
  for (const auto& c : p.courses) EXPECT_NO_THROW(courses::validateRule(c.rule));
}

TEST(DemoPlan, SessionsAddUpToTheCourseHoursAndAreValid) {
  for (const auto& c : plan().cohorts) {
    int minutes = 0;
    for (const auto& s : c.sessions) {
      minutes += s.duration_minutes;
      EXPECT_TRUE(courses::isValidTimestamp(s.starts_at)) << s.starts_at;
      EXPECT_GE(s.starts_at.substr(0, 10), c.cohort.starts_on);
      EXPECT_LE(s.starts_at.substr(0, 10), c.cohort.ends_on);
    }
    EXPECT_EQ(minutes, static_cast<int>(plan().courses[c.course].hours * 60));
    EXPECT_TRUE(courses::isValidDate(c.cohort.starts_on));
    EXPECT_FALSE(c.trainers.empty());
    for (const std::size_t t : c.trainers) {
      EXPECT_EQ(plan().accounts[t].role, courses::Role::trainer);
    }
  }
  for (const auto& e : plan().enrolments) {
    EXPECT_EQ(e.marks.size(), plan().cohorts[e.cohort].sessions.size());
  }
}

TEST(DemoPlan, PeopleAreValidUniqueAndWrittenWithEveryKazakhLetter) {
  std::set<std::string> keys;
  std::string all_names;
  for (std::size_t i = 0; i < plan().participants.size(); ++i) {
    courses::Participant person = plan().participants[i].person;
    person.demographics.locality_id = static_cast<courses::Id>(plan().participants[i].locality) + 1;
    EXPECT_NO_THROW(courses::validateParticipant(person, 2026)) << person.full_name;
    const auto key = courses::duplicateKey(person);
    EXPECT_TRUE(keys.insert(key.name_key + "|" + std::to_string(key.birth_year)).second)
        << person.full_name;
    all_names += person.full_name + " ";
  }
  for (const char* letter : {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і"}) {
    EXPECT_NE(all_names.find(letter), std::string::npos) << letter;
  }
}

TEST(DemoPlan, AccountsHaveUsableDemoPasswordsAndTheLearnerQualified) {
  std::set<std::string> logins;
  std::optional<std::size_t> learner;
  for (const auto& a : plan().accounts) {
    EXPECT_TRUE(logins.insert(a.login).second);
    EXPECT_GE(a.password.size(), 10u);
    if (a.role == courses::Role::learner) learner = a.participant;
  }
  EXPECT_TRUE(logins.contains("trainer.nura"));
  EXPECT_TRUE(logins.contains("trainer.glubokoe"));
  ASSERT_TRUE(learner);
  bool qualified = false;
  for (const auto& e : planAttendance(plan())) {
    if (e.participant != static_cast<courses::Id>(*learner)) continue;
    qualified |= courses::evaluateCompletion(e.rule, e.sessions_total, e.statuses).completed;
  }
  EXPECT_TRUE(qualified);
}

class FixedClock final : public courses::Clock {
 public:
  courses::Timestamp now() const override { return "2026-01-01T00:00:00Z"; }
};

TEST(DemoLoad, WritesThePlanThroughTheServicesAndTheStoredDataGivesTheSameCounts) {
  support::MemoryStore store;
  auto repos = store.repositories();
  courses::Account admin_account;
  admin_account.login = "admin";
  admin_account.role = courses::Role::admin;
  admin_account = repos.accounts.create(admin_account, "");
  const courses::Actor admin{admin_account.id, courses::Role::admin, std::nullopt};
  const FixedClock clock;

  EXPECT_FALSE(demoLoaded(repos, plan()));
  loadDemoPlan(plan(), repos, clock, admin);
  EXPECT_TRUE(demoLoaded(repos, plan()));

  const QualificationCounts counts = countStoredQualified(repos, admin, "LSG-EKZ");
  EXPECT_EQ(counts.by_track.at("inclusive_planning"), 60u);
  EXPECT_EQ(counts.by_track.at("entrepreneurship"), 50u);
  EXPECT_EQ(counts.by_track.at("study_visit"), 8u);
  EXPECT_EQ(counts.qualified_nowhere, 12u);
  EXPECT_EQ(counts.enrolled, plan().participants.size());

  const auto learner = repos.accounts.findByLogin("learner.demo");
  ASSERT_TRUE(learner);
  EXPECT_EQ(learner->account.role, courses::Role::learner);
  EXPECT_TRUE(learner->account.participant_id);
  const auto trainer = repos.accounts.findByLogin("trainer.nura");
  ASSERT_TRUE(trainer);
  EXPECT_FALSE(trainer->password_hash.empty());
  EXPECT_FALSE(repos.cohorts.list({trainer->account.id, std::nullopt, std::nullopt}).empty());

  EXPECT_THROW(loadDemoPlan(plan(), repos, clock, admin), courses::Error);
}

}  // namespace
}  // namespace plugin::cli
