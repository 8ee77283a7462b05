#include "plugin/cli/demo.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>

#include "certificates/fonts.hpp"
#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "plugin/certify/maker.hpp"
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
  // The targets are the same numbers: the programme met them exactly.
  ASSERT_EQ(plan().targets.size(), 3u);
  for (const auto& t : plan().targets) {
    EXPECT_EQ(t.measure, courses::Measure::trained);
    ASSERT_TRUE(t.track);
    EXPECT_EQ(static_cast<long long>(counts.by_track.at(*t.track)), t.value) << *t.track;
  }
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
  // The implementing organisations, first the one that issues the certificates.
  ASSERT_EQ(p.programme.organisations.size(), 4u);
  EXPECT_EQ(p.programme.organisations[0].en, "ARGO civil society association");
  EXPECT_EQ(p.programme.organisations[3].en, "Foundation for Local Government Reform (Bulgaria)");
  for (const auto& o : p.programme.organisations) {
    EXPECT_FALSE(o.kk.empty() || o.ru.empty() || o.en.empty());
  }

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
  for (const auto& c : p.courses) {
    EXPECT_NO_THROW(courses::validateRule(c.rule));
    EXPECT_TRUE(c.gives_certificate);
  }
  // Trilingual pages, and one course in a single language to show the other layout.
  EXPECT_EQ(p.courses[0].certificate_language, courses::CertificateLanguage::all);
  EXPECT_EQ(p.courses[1].certificate_language, courses::CertificateLanguage::all);
  EXPECT_EQ(p.courses[2].certificate_language, courses::CertificateLanguage::ru);
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
  for (const auto& a : plan().accounts) {
    // Certificates print the trainers' names, and the learner is named as their person.
    EXPECT_NO_THROW(courses::validateName(a.display_name, "display_name")) << a.login;
    if (a.role == courses::Role::learner) {
      ASSERT_TRUE(a.participant);
      EXPECT_EQ(a.display_name, plan().participants[*a.participant].person.full_name);
    }
  }
  ASSERT_TRUE(learner);
  bool qualified = false;
  for (const auto& e : planAttendance(plan())) {
    if (e.participant != static_cast<courses::Id>(*learner)) continue;
    qualified |= courses::evaluateCompletion(e.rule, e.sessions_total, e.statuses).completed;
  }
  EXPECT_TRUE(qualified);
}

TEST(DemoPlan, EveryTextOnACertificateIsDrawnByTheCertificateFonts) {
  const plugin::certify::FontGlyphCoverage coverage(certificates::FontSet::dejavu());
  std::vector<std::string> texts;
  for (const auto& p : plan().participants) texts.push_back(p.person.full_name);
  for (const auto& a : plan().accounts) texts.push_back(a.display_name);
  for (const auto& o : plan().programme.organisations)
    texts.insert(texts.end(), {o.kk, o.ru, o.en});
  for (const auto& c : plan().courses) {
    texts.insert(texts.end(), {c.title.kk, c.title.ru, c.title.en});
  }
  for (const auto& l : plan().localities) {
    texts.insert(texts.end(), {l.locality.name.kk, l.locality.name.ru, l.locality.name.en});
  }
  for (const auto& c : plan().cohorts) texts.push_back(c.cohort.place);
  for (const auto& text : texts) EXPECT_EQ(coverage.firstMissing(text), std::nullopt) << text;
}

class FixedClock final : public courses::Clock {
 public:
  courses::Timestamp now() const override { return "2026-01-01T00:00:00Z"; }
};

/// Artefacts without rendering: these tests are about who gets a certificate, not how it looks.
class PlainMaker final : public courses::CertificateMaker {
 public:
  courses::CertificateArtifacts make(const courses::Certificate& certificate) override {
    ++made;
    return {"AAAAAAAAAAAAAAAAAAAAAA", "signature-of-" + certificate.serial,
            "%PDF-1.4 " + certificate.serial, "\"0123456789abcdef0123456789abcdef\""};
  }
  std::string checkCode(const std::string&) const override { return "00000000"; }
  std::atomic<int> made{0};
};

/// A store holding an admin account, and that admin.
struct AdminStore {
  support::MemoryStore store;
  courses::Actor admin;
  AdminStore() {
    courses::Account account;
    account.login = "admin";
    account.role = courses::Role::admin;
    account = store.repositories().accounts.create(account, "");
    admin = {account.id, courses::Role::admin, std::nullopt};
  }
};

TEST(DemoLoad, WritesThePlanThroughTheServicesAndTheStoredDataGivesTheSameCounts) {
  AdminStore fixture;
  auto repos = fixture.store.repositories();
  const courses::Actor admin = fixture.admin;
  const FixedClock clock;
  const plugin::certify::FontGlyphCoverage coverage(certificates::FontSet::dejavu());

  EXPECT_FALSE(demoLoaded(repos, plan()));
  loadDemoPlan(plan(), repos, clock, coverage, admin);
  EXPECT_TRUE(demoLoaded(repos, plan()));

  // The totals of the stored data give the plan's numbers, and the targets are set.
  const courses::TotalsReport report = storedTotalsByTrack(repos, admin, "LSG-EKZ");
  std::map<std::string, long long> trained;
  ASSERT_EQ(report.margins.size(), 1u);
  for (const auto& cell : report.margins[0]) trained[cell.keys.at(0)] = cell.values.trained;
  EXPECT_EQ(trained,
            (std::map<std::string, long long>{
                {"entrepreneurship", 50}, {"inclusive_planning", 60}, {"study_visit", 8}}));
  EXPECT_EQ(report.total.enrolled, static_cast<long long>(plan().participants.size()));
  EXPECT_EQ(report.total.enrolled - report.total.trained, 12);
  ASSERT_EQ(report.targets.size(), 3u);
  for (const auto& t : report.targets) {
    EXPECT_EQ(t.target.measure, courses::Measure::trained);
    ASSERT_TRUE(t.target.track);
    EXPECT_EQ(t.actual, t.target.value) << *t.target.track;
    EXPECT_EQ(t.actual, trained.at(*t.target.track));
  }
  EXPECT_FALSE(setDemoTargets(repos, admin, plan())) << "the targets were set by the load";

  const auto learner = repos.accounts.findByLogin("learner.demo");
  ASSERT_TRUE(learner);
  EXPECT_EQ(learner->account.role, courses::Role::learner);
  EXPECT_TRUE(learner->account.participant_id);
  const auto trainer = repos.accounts.findByLogin("trainer.nura");
  ASSERT_TRUE(trainer);
  EXPECT_FALSE(trainer->password_hash.empty());
  EXPECT_EQ(trainer->account.display_name, "Жақыпова Сәуле");
  EXPECT_FALSE(repos.cohorts.list({trainer->account.id, std::nullopt, std::nullopt}).empty());
  const auto programmes = repos.programmes.list();
  ASSERT_EQ(programmes.size(), 1u);
  ASSERT_EQ(programmes[0].organisations.size(), plan().programme.organisations.size());
  for (std::size_t i = 0; i < programmes[0].organisations.size(); ++i) {
    EXPECT_EQ(programmes[0].organisations[i].kk, plan().programme.organisations[i].kk);
    EXPECT_EQ(programmes[0].organisations[i].en, plan().programme.organisations[i].en);
  }

  EXPECT_THROW(loadDemoPlan(plan(), repos, clock, coverage, admin), courses::Error);
}

TEST(DemoLoad, IssuesACertificateToEachOfThe118QualifiedEnrolmentsOnce) {
  AdminStore fixture;
  auto repos = fixture.store.repositories();
  const FixedClock clock;
  const plugin::certify::FontGlyphCoverage coverage(certificates::FontSet::dejavu());
  loadDemoPlan(plan(), repos, clock, coverage, fixture.admin);
  EXPECT_EQ(countStoredCertificates(repos, fixture.admin, "LSG-EKZ"), 0u);

  PlainMaker maker;
  EXPECT_EQ(issueDemoCertificates(repos, maker, clock, fixture.admin, "LSG-EKZ"), 118u);
  EXPECT_EQ(maker.made.load(), 118);
  EXPECT_EQ(countStoredCertificates(repos, fixture.admin, "LSG-EKZ"), 118u);

  // The demo learner holds certificates: inclusive planning and entrepreneurship.
  const auto learner = repos.accounts.findByLogin("learner.demo");
  ASSERT_TRUE(learner && learner->account.participant_id);
  const auto own = repos.certificates.listForParticipant(*learner->account.participant_id);
  ASSERT_EQ(own.size(), 2u);
  std::set<std::string> tracks;
  for (const auto& c : own) {
    tracks.insert(c.track);
    EXPECT_EQ(c.full_name, learner->account.display_name);
    EXPECT_EQ(c.issuer.en, "ARGO civil society association");
    EXPECT_EQ(c.organisations.size(), 4u);
    EXPECT_EQ(c.trainers, std::vector<std::string>{"Жақыпова Сәуле"});
    EXPECT_EQ(c.language, courses::CertificateLanguage::all);
    EXPECT_TRUE(courses::isValidSerial(c.serial)) << c.serial;
  }
  EXPECT_EQ(tracks, (std::set<std::string>{"entrepreneurship", "inclusive_planning"}));

  // Running it again issues nothing new.
  EXPECT_EQ(issueDemoCertificates(repos, maker, clock, fixture.admin, "LSG-EKZ"), 0u);
  EXPECT_EQ(maker.made.load(), 118);
  EXPECT_EQ(countStoredCertificates(repos, fixture.admin, "LSG-EKZ"), 118u);
}

}  // namespace
}  // namespace plugin::cli
