// Labels of the totals' vocabulary, courses/labels.hpp.
#include "courses/labels.hpp"

#include <gtest/gtest.h>

#include <string>

#include "courses/totals.hpp"

namespace courses {
namespace {

using D = Dimension;

TEST(TotalsNames, LabelsInThreeLanguages) {
  const LocalizedText planning = trackLabel("inclusive_planning");
  EXPECT_EQ(planning.kk, "Инклюзивті жоспарлау");
  EXPECT_EQ(planning.ru, "Инклюзивное планирование");
  EXPECT_EQ(planning.en, "Inclusive planning");
  EXPECT_EQ(trackLabel("entrepreneurship").kk, "Кәсіпкерлік");
  EXPECT_EQ(trackLabel("study_visit").ru, "Учебный визит");
  EXPECT_EQ(trackLabel("information_event").en, "Information event");
  const LocalizedText other = trackLabel("community_radio");
  EXPECT_EQ(other.kk, "community radio");
  EXPECT_EQ(other.en, "community radio");
  EXPECT_EQ(label(Measure::trained).ru, "Обучено");
  EXPECT_EQ(label(D::district).kk, "Аудан");
  for (const Measure m : kAllMeasures) {
    const LocalizedText text = label(m);
    EXPECT_FALSE(text.kk.empty() || text.ru.empty() || text.en.empty()) << toString(m);
    EXPECT_NE(text.kk, text.en) << toString(m);
  }
}

TEST(Labels, PersonAttributesInThreeLanguages) {
  EXPECT_EQ(genderLabel(Gender::female).kk, "Әйел");
  EXPECT_EQ(genderLabel(Gender::male).ru, "Мужской");
  EXPECT_EQ(genderLabel(Gender::undisclosed).en, notStatedLabel().en);
  EXPECT_EQ(notStatedLabel().ru, "Не указано");
  EXPECT_EQ(affiliationLabel(Affiliation::local_government).en, "Local government");
  EXPECT_EQ(affiliationLabel(Affiliation::other).kk, "Басқа");
  EXPECT_EQ(vulnerableGroupLabel(VulnerableGroup::mother_of_many_children).ru,
            "Многодетные матери");
  EXPECT_EQ(vulnerableGroupLabel(VulnerableGroup::unemployed).en, "Unemployed");
  for (const VulnerableGroup g : kAllVulnerableGroups) {
    const LocalizedText text = vulnerableGroupLabel(g);
    EXPECT_FALSE(text.kk.empty() || text.ru.empty() || text.en.empty()) << toString(g);
  }
}

TEST(Labels, AgeBandsSayWhichIsTheYouthBand) {
  const LocalizedText youth = ageBandLabel(AgeBand{14, 35, true});
  EXPECT_EQ(youth.kk, "14–35 (жастар)");
  EXPECT_EQ(youth.ru, "14–35 (молодёжь)");
  EXPECT_EQ(youth.en, "14–35 (youth)");
  const LocalizedText top = ageBandLabel(AgeBand{60, std::nullopt, false});
  EXPECT_EQ(top.kk, "60+");
  EXPECT_EQ(top.en, "60+");
}

TEST(Labels, ACohortIsItsPlaceAndDatesInEveryLanguage) {
  const LocalizedText cohort = cohortLabel("Akimat hall", "2018-03-01", "2018-03-31");
  EXPECT_EQ(cohort.kk, "Akimat hall, 2018-03-01–2018-03-31");
  EXPECT_EQ(cohort.ru, cohort.kk);
  EXPECT_EQ(cohort.en, cohort.kk);
}

}  // namespace
}  // namespace courses
