// CatalogueService, courses/catalogue_service.hpp: programmes, localities, courses.
#include "courses/catalogue_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "services_fixture.hpp"
#include "support/domain_checks.hpp"

namespace courses {
namespace {

// --- catalogue ----------------------------------------------------------------------------------

TEST_F(ServicesTest, CatalogueIsWrittenByAdminsOnly) {
  Programme p = sampleProgramme();
  p.code = "NEW-1";
  EXPECT_ERROR(ErrorCode::forbidden, catalogue.createProgramme(trainer_a, p));
  const Actor learner = makeActor(Role::learner, "learner", std::nullopt);
  EXPECT_ERROR(ErrorCode::forbidden, catalogue.createProgramme(learner, p));
  EXPECT_ERROR(ErrorCode::forbidden, catalogue.createCourse(trainer_a, sampleCourse()));
  EXPECT_ERROR(ErrorCode::forbidden,
               catalogue.createLocality(
                   trainer_a,
                   Locality{0, std::nullopt, LocalityKind::region, {"a", "b", "c"}, std::nullopt}));
  EXPECT_EQ(catalogue.listProgrammes(admin).size(), 1u);
}

TEST_F(ServicesTest, CatalogueIsReadByEveryone) {
  const Actor learner = makeActor(Role::learner, "learner", std::nullopt);
  EXPECT_EQ(catalogue.listProgrammes(learner).size(), 1u);
  EXPECT_EQ(catalogue.listCourses(trainer_b, programme.id).size(), 1u);
  EXPECT_EQ(catalogue.listCourses(trainer_b, programme.id + 1000).size(), 0u);
  EXPECT_EQ(catalogue.listLocalities(learner, std::nullopt).size(), 1u);
  EXPECT_EQ(catalogue.listLocalities(learner, region.id).size(), 1u);
  EXPECT_EQ(catalogue.course(trainer_a, course.id).track, "inclusive_planning");
  EXPECT_EQ(catalogue.programme(learner, programme.id).code, "LSG-EKZ");
  EXPECT_ERROR(ErrorCode::not_found, catalogue.course(admin, 999999));
  EXPECT_ERROR(ErrorCode::not_found, catalogue.programme(admin, 999999));
}

TEST_F(ServicesTest, ProgrammeValuesAreChecked) {
  Programme p = sampleProgramme();
  p.code = "lsg";
  EXPECT_INVALID_FIELD("code", catalogue.createProgramme(admin, p));
  p = sampleProgramme();
  p.code = "X";
  EXPECT_INVALID_FIELD("code", catalogue.createProgramme(admin, p));
  p = sampleProgramme();
  p.code = "NEW";
  p.ends_on = "2016-12-31";
  EXPECT_INVALID_FIELD("ends_on", catalogue.createProgramme(admin, p));
  p.ends_on = "2020-02-30";
  EXPECT_INVALID_FIELD("ends_on", catalogue.createProgramme(admin, p));
  p = sampleProgramme();
  p.code = "NEW";
  p.title.kk = " ";
  EXPECT_INVALID_FIELD("title.kk", catalogue.createProgramme(admin, p));
  p = sampleProgramme();
  EXPECT_ERROR(ErrorCode::conflict, catalogue.createProgramme(admin, p));  // same code
  p.code = "NEW";
  p.title.en = "  Trimmed  ";
  EXPECT_EQ(catalogue.createProgramme(admin, p).title.en, "Trimmed");
}

TEST_F(ServicesTest, LocalityTreeIsChecked) {
  Locality l{0, 999999, LocalityKind::village, {"а", "б", "c"}, std::nullopt};
  EXPECT_INVALID_FIELD("parent_id", catalogue.createLocality(admin, l));
  l.parent_id = village.id;
  l.kind = LocalityKind::district;
  EXPECT_INVALID_FIELD("parent_id", catalogue.createLocality(admin, l));
  l.kind = LocalityKind::village;
  l.kato = "12345";
  EXPECT_INVALID_FIELD("kato", catalogue.createLocality(admin, l));
  l.kato = "63A000000";
  EXPECT_INVALID_FIELD("kato", catalogue.createLocality(admin, l));
  l.kato = "634037100";
  const Locality created = catalogue.createLocality(admin, l);
  EXPECT_EQ(created.parent_id, village.id);
}

TEST_F(ServicesTest, CourseValuesAreChecked) {
  Course c = sampleCourse();
  c.programme_id = 999999;
  EXPECT_INVALID_FIELD("programme_id", catalogue.createCourse(admin, c));
  c = sampleCourse();
  c.track = "Inclusive Planning";
  EXPECT_INVALID_FIELD("track", catalogue.createCourse(admin, c));
  c.track = std::string(41, 'a');
  EXPECT_INVALID_FIELD("track", catalogue.createCourse(admin, c));
  for (const double hours : {0.0, -1.0, 1000.5}) {
    c = sampleCourse();
    c.hours = hours;
    EXPECT_INVALID_FIELD("hours", catalogue.createCourse(admin, c));
  }
  c = sampleCourse();
  c.rule.min_attendance_percent = 101;
  EXPECT_INVALID_FIELD("rule.min_attendance_percent", catalogue.createCourse(admin, c));
  c = sampleCourse();
  c.track = "study_visit";
  c.hours = 1000;
  c.rule = CompletionRule{100, false, true};
  EXPECT_EQ(catalogue.createCourse(admin, c).track, "study_visit");
}

}  // namespace
}  // namespace courses
