// TotalsService, courses/totals_service.hpp: who may read totals and targets, and setting targets.
// The counting rules themselves are tested in totals_test.cpp.
#include "courses/totals_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "support/domain_checks.hpp"
#include "totals_fixture.hpp"

namespace courses {
namespace {

using S = AttendanceStatus;
using D = Dimension;

// --- who may see what
// -----------------------------------------------------------------------------

TEST_F(TotalsTest, ATrainerSeesOnlyTheirCohortsAndNoTargets) {
  const Cohort mine = makeCohort(planning, "2018-03-01", "2018-03-31", trainer_a);
  const Cohort theirs = makeCohort(planning, "2018-04-01", "2018-04-30", trainer_b);
  attendAll(sessionsOn(mine, {"2018-03-01"}), enrol(mine, person("Гүлмира Ерлан")));
  attendAll(sessionsOn(theirs, {"2018-04-01"}), enrol(theirs, person("Вера Соколова")));
  attendAll(sessionsOn(theirs, {"2018-04-02"}), enrol(theirs, person("Қуаныш Бек", Gender::male)));
  totals.setTargets(admin, programme.id, {Target{Measure::trained, std::nullopt, 10}});

  const TotalsReport for_trainer = totals.totals(trainer_a, year2018({D::cohort}));
  EXPECT_EQ(for_trainer.total.enrolled, 1);
  EXPECT_EQ(keysOf(for_trainer.values.at(0)), std::vector<std::string>{std::to_string(mine.id)});
  EXPECT_TRUE(for_trainer.targets.empty());
  EXPECT_EQ(totals.totals(trainer_b, year2018()).total.enrolled, 2);

  const TotalsReport for_admin = totals.totals(admin, year2018());
  EXPECT_EQ(for_admin.total.enrolled, 3);
  ASSERT_EQ(for_admin.targets.size(), 1u);
  // Trained: the March person; in April each attended 1 of the cohort's 2 sessions.
  EXPECT_EQ(for_admin.targets[0].actual, 1);
  // Trainers read targets but may not set them.
  EXPECT_EQ(totals.targets(trainer_a, programme.id).size(), 1u);
  EXPECT_ERROR(ErrorCode::forbidden, totals.setTargets(trainer_a, programme.id, {}));
}

TEST_F(TotalsTest, LearnersAreForbiddenAndUnknownProgrammesNotFound) {
  EXPECT_ERROR(ErrorCode::forbidden, totals.totals(learner, year2018()));
  EXPECT_ERROR(ErrorCode::forbidden, totals.targets(learner, programme.id));
  EXPECT_ERROR(ErrorCode::forbidden, totals.setTargets(learner, programme.id, {}));
  TotalsQuery unknown = year2018();
  unknown.programme_id = 987654;
  EXPECT_ERROR(ErrorCode::not_found, totals.totals(admin, unknown));
  EXPECT_ERROR(ErrorCode::not_found, totals.targets(admin, 987654));
  EXPECT_ERROR(ErrorCode::not_found, totals.setTargets(admin, 987654, {}));
  TotalsQuery three = year2018({D::gender, D::district, D::track});
  EXPECT_ERROR(ErrorCode::invalid_argument, totals.totals(admin, three));
  TotalsQuery backwards = query("2018-12-31", "2018-01-01");
  EXPECT_ERROR(ErrorCode::invalid_argument, totals.totals(admin, backwards));
}

// --- targets
// --------------------------------------------------------------------------------------

TEST_F(TotalsTest, TargetsShowProgressOverTheirTrackWhateverTheQueryNarrowsTo) {
  const Cohort plan = makeCohort(planning, "2018-03-01", "2018-03-31");
  const Cohort shop = makeCohort(business, "2018-04-01", "2018-04-30");
  const auto plan_sessions = sessionsOn(plan, {"2018-03-01", "2018-03-02"});
  const auto shop_sessions = sessionsOn(shop, {"2018-04-01"});
  const Participant both = person("Қарлығаш Серік");
  attendAll(plan_sessions, enrol(plan, both));
  attendAll(shop_sessions, enrol(shop, both));
  attendAll(plan_sessions, enrol(plan, person("Анна Миронова")));
  mark(plan_sessions, enrol(plan, person("Арман Төре", Gender::male)), {S::present});

  const std::vector<Target> set = totals.setTargets(
      admin, programme.id,
      {Target{Measure::trained, std::string("inclusive_planning"), 4},
       Target{Measure::sessions, std::nullopt, 6}, Target{Measure::trained, std::nullopt, 5},
       Target{Measure::participant_hours, std::string("entrepreneurship"), 4}});
  // Stored ordered by measure, then track with the whole programme first.
  ASSERT_EQ(set.size(), 4u);
  EXPECT_EQ(set[0].measure, Measure::trained);
  EXPECT_FALSE(set[0].track.has_value());
  EXPECT_EQ(set[1].track, "inclusive_planning");
  EXPECT_EQ(set[2].measure, Measure::sessions);
  EXPECT_EQ(totals.targets(admin, programme.id).size(), 4u);

  TotalsQuery shop_only = year2018();
  shop_only.track = "entrepreneurship";
  const TotalsReport report = totals.totals(admin, shop_only);
  EXPECT_EQ(report.total.trained, 1);  // the report is narrowed to entrepreneurship...
  ASSERT_EQ(report.targets.size(), 4u);
  // ...but the targets are not: 2 trained in planning (1 of 2 sessions does not train), 2 in all.
  EXPECT_EQ(report.targets[0].actual, 2);
  EXPECT_DOUBLE_EQ(report.targets[0].progress, 2.0 / 5.0);
  EXPECT_EQ(report.targets[1].actual, 2);
  EXPECT_DOUBLE_EQ(report.targets[1].progress, 0.5);
  // Sessions: 2 in planning + 1 in entrepreneurship.
  EXPECT_EQ(report.targets[2].actual, 3);
  // Participant-hours in entrepreneurship: one person, one 2-hour session.
  EXPECT_EQ(report.targets[3].actual, 2);
  EXPECT_DOUBLE_EQ(report.targets[3].progress, 0.5);

  // Without a programme there are no targets.
  TotalsQuery everything = year2018();
  everything.programme_id.reset();
  EXPECT_TRUE(totals.totals(admin, everything).targets.empty());
}

TEST_F(TotalsTest, BadTargetsChangeNothing) {
  totals.setTargets(admin, programme.id, {Target{Measure::trained, std::nullopt, 60}});
  const auto fields = [&](std::vector<Target> targets) {
    return invalidFields([&] { totals.setTargets(admin, programme.id, targets); });
  };
  EXPECT_EQ(fields({Target{Measure::attendance_rate, std::nullopt, 1}}),
            std::vector<std::string>{"targets[0].measure"});
  EXPECT_EQ(fields({Target{Measure::trained, std::nullopt, 0}}),
            std::vector<std::string>{"targets[0].value"});
  EXPECT_EQ(fields({Target{Measure::trained, std::nullopt, 1'000'000'001}}),
            std::vector<std::string>{"targets[0].value"});
  EXPECT_EQ(fields({Target{Measure::trained, std::string("Study Visit"), 8}}),
            std::vector<std::string>{"targets[0].track"});
  EXPECT_EQ(fields({Target{Measure::trained, std::string("study_visit"), 8},
                    Target{Measure::trained, std::string("study_visit"), 9}}),
            std::vector<std::string>{"targets[1]"});
  const auto kept = totals.targets(admin, programme.id);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].value, 60);
  // An empty list clears them.
  EXPECT_TRUE(totals.setTargets(admin, programme.id, {}).empty());
  EXPECT_TRUE(totals.targets(admin, programme.id).empty());
}

}  // namespace
}  // namespace courses
