// Programmes, localities and courses.

#include <gtest/gtest.h>

#include "courses/error.hpp"
#include "fixtures.hpp"

namespace {

using namespace integration;
using courses::ErrorCode;

TEST(ProgrammeRepository, CreatesFindsAndLists) {
  auto repo = repos();
  courses::Programme p;
  p.code = unique("CSO-LA-");
  p.title = {"Жергілікті мүдделі тараптардың белсенді қатысуы",
             "Активное участие местных заинтересованных сторон",
             "Active participation of local stakeholders"};
  p.donor = "European Union";
  p.starts_on = "2017-02-01";
  p.ends_on = "2020-01-31";
  const auto created = repo.programmes.create(p);
  ASSERT_GT(created.id, 0);

  const auto found = repo.programmes.find(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->code, p.code);
  EXPECT_EQ(found->title.kk, p.title.kk);
  EXPECT_EQ(found->title.ru, p.title.ru);
  EXPECT_EQ(found->title.en, p.title.en);
  EXPECT_EQ(found->donor, p.donor);
  EXPECT_EQ(found->starts_on, "2017-02-01");
  EXPECT_EQ(found->ends_on, "2020-01-31");
  EXPECT_FALSE(repo.programmes.find(created.id + 100000));

  const auto other = makeProgramme();
  const auto all = repo.programmes.list();
  ASSERT_GE(all.size(), 2u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].id, all[i].id);
  EXPECT_EQ(all.back().id, other.id);
}

TEST(ProgrammeRepository, DuplicateCodeIsAConflict) {
  auto p = makeProgramme();
  try {
    repos().programmes.create(p);
    FAIL() << "a second programme with the same code was stored";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::conflict);
    EXPECT_STREQ(error.what(), "a programme with this code already exists");
    EXPECT_EQ(std::string(error.what()).find(p.code), std::string::npos)
        << "the message must not carry the stored value";
  }
}

TEST(LocalityRepository, KeepsTheTreeAndKato) {
  auto repo = repos();
  const auto region = makeLocality();
  courses::Locality district;
  district.parent_id = region.id;
  district.kind = courses::LocalityKind::district;
  district.name = {"Глубокое ауданы", "Глубоковский район", "Glubokoe district"};
  district.kato = std::to_string(630000000 + region.id);
  const auto stored = repo.localities.create(district);
  const auto village = makeLocality(stored.id);

  const auto found = repo.localities.find(stored.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->parent_id, region.id);
  EXPECT_EQ(found->kind, courses::LocalityKind::district);
  EXPECT_EQ(found->name.kk, "Глубокое ауданы");
  EXPECT_EQ(found->kato, district.kato);
  EXPECT_FALSE(repo.localities.find(region.id)->kato);

  const auto children = repo.localities.list(region.id);
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(children[0].id, stored.id);
  const auto grandchildren = repo.localities.list(stored.id);
  ASSERT_EQ(grandchildren.size(), 1u);
  EXPECT_EQ(grandchildren[0].id, village.id);

  const auto roots = repo.localities.list(std::nullopt);
  bool region_is_root = false;
  for (const auto& root : roots) {
    EXPECT_FALSE(root.parent_id);
    region_is_root = region_is_root || root.id == region.id;
  }
  EXPECT_TRUE(region_is_root);
  const auto all = repo.localities.listAll();
  EXPECT_GE(all.size(), 3u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].id, all[i].id);

  // KATO codes are unique; an unknown parent is refused.
  courses::Locality twin = district;
  try {
    repo.localities.create(twin);
    FAIL() << "duplicate KATO stored";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::conflict);
  }
  courses::Locality orphan = district;
  orphan.kato.reset();
  orphan.parent_id = region.id + 1000000;
  try {
    repo.localities.create(orphan);
    FAIL() << "locality with an unknown parent stored";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
  }
}

TEST(CourseRepository, CreatesFindsAndListsByProgramme) {
  auto repo = repos();
  const auto programme = makeProgramme();
  courses::Course c;
  c.programme_id = programme.id;
  c.track = "study_visit";
  c.title = {"Болгарияға оқу сапары", "Учебный визит в Болгарию", "Study visit to Bulgaria"};
  c.hours = 40.25;
  c.rule = {100, false, true};
  c.gives_certificate = false;
  const auto created = repo.courses.create(c);
  const auto second = makeCourse(programme.id);
  makeCourse(makeProgramme().id);

  const auto found = repo.courses.find(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->programme_id, programme.id);
  EXPECT_EQ(found->track, "study_visit");
  EXPECT_EQ(found->title.en, "Study visit to Bulgaria");
  EXPECT_DOUBLE_EQ(found->hours, 40.25);
  EXPECT_EQ(found->rule.min_attendance_percent, 100);
  EXPECT_FALSE(found->rule.excused_counts);
  EXPECT_TRUE(found->rule.require_all);
  EXPECT_FALSE(found->gives_certificate);
  EXPECT_FALSE(repo.courses.find(created.id + 1000000));

  const auto of_programme = repo.courses.list(programme.id);
  ASSERT_EQ(of_programme.size(), 2u);
  EXPECT_EQ(of_programme[0].id, created.id);
  EXPECT_EQ(of_programme[1].id, second.id);
  EXPECT_GE(repo.courses.list(std::nullopt).size(), 3u);
}

TEST(ProgrammeRepository, KeepsOrganisationsInOrder) {
  auto repo = repos();
  courses::Programme p;
  p.code = unique("ORG-");
  p.title = {"Бағдарлама", "Программа", "Programme"};
  p.donor = "EU";
  p.starts_on = "2017-02-01";
  p.ends_on = "2020-01-31";
  p.organisations = {
      {"«Арго» азаматтық қоғам қауымдастығы", "Ассоциация гражданского общества «Арго»",
       "ARGO civil society association"},
      {"Жергілікті өзін-өзі басқаруды дамыту орталығы", "Центр развития местного самоуправления",
       "Local Self-Government Development Centre"},
      {"Қарағанды облыстық ЭКООРТАЛЫҒЫ", "Карагандинский областной ЭКОЦЕНТР", ""}};
  const auto created = repo.programmes.create(p);
  const auto plain = makeProgramme();

  const auto found = repo.programmes.find(created.id);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->organisations.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(found->organisations[i].kk, p.organisations[i].kk);
    EXPECT_EQ(found->organisations[i].ru, p.organisations[i].ru);
    EXPECT_EQ(found->organisations[i].en, p.organisations[i].en);
  }
  EXPECT_TRUE(repo.programmes.find(plain.id)->organisations.empty());

  bool seen_created = false;
  bool seen_plain = false;
  for (const auto& listed : repo.programmes.list()) {
    if (listed.id == created.id) {
      seen_created = true;
      ASSERT_EQ(listed.organisations.size(), 3u);
      EXPECT_EQ(listed.organisations[1].en, "Local Self-Government Development Centre");
      EXPECT_EQ(listed.organisations[2].ru, "Карагандинский областной ЭКОЦЕНТР");
    }
    if (listed.id == plain.id) {
      seen_plain = true;
      EXPECT_TRUE(listed.organisations.empty());
    }
  }
  EXPECT_TRUE(seen_created);
  EXPECT_TRUE(seen_plain);

  // A programme whose code clashes stores none of its organisations either.
  courses::Programme twin = p;
  twin.organisations.push_back({"a", "b", "c"});
  EXPECT_THROW(repo.programmes.create(twin), courses::Error);
  EXPECT_EQ(database().queryInt("SELECT COUNT(*) FROM programme_organisations WHERE name_en = 'c'"),
            0);
}

TEST(CourseRepository, KeepsTheCertificateLanguage) {
  auto repo = repos();
  const auto programme = makeProgramme();
  const auto by_default = makeCourse(programme.id);
  EXPECT_EQ(repo.courses.find(by_default.id)->certificate_language,
            courses::CertificateLanguage::all);
  for (const auto language : {courses::CertificateLanguage::kk, courses::CertificateLanguage::ru,
                              courses::CertificateLanguage::en}) {
    courses::Course c = by_default;
    c.certificate_language = language;
    const auto created = repo.courses.create(c);
    EXPECT_EQ(repo.courses.find(created.id)->certificate_language, language);
    bool listed = false;
    for (const auto& course : repo.courses.list(programme.id)) {
      if (course.id == created.id) {
        listed = true;
        EXPECT_EQ(course.certificate_language, language);
      }
    }
    EXPECT_TRUE(listed);
  }
}

}  // namespace
