#include "plugin/cli/participant_csv_format.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "courses/model.hpp"

namespace plugin::cli {
namespace {

const ParticipantCsvFormat& format() { return ParticipantCsvFormat::standard(); }

TEST(ParticipantCsvFormat, EveryWordNamesACodeTheDomainKnows) {
  for (const auto& [column, words] : format().words) {
    ASSERT_FALSE(words.empty()) << column;
    for (const auto& [word, code] : words) {
      EXPECT_FALSE(word.empty()) << column << " " << code;
      bool known = false;
      if (column == "gender") known = courses::genderFromString(code).has_value();
      if (column == "affiliation") known = courses::affiliationFromString(code).has_value();
      if (column == "vulnerable") known = courses::vulnerableGroupFromString(code).has_value();
      if (column == "consent") known = code == "yes" || code == "no";
      EXPECT_TRUE(known) << column << ": " << word << " -> " << code;
    }
  }
  // And every value the domain has can be written (its code at least).
  for (const auto gender : {courses::Gender::female, courses::Gender::male,
                            courses::Gender::undisclosed}) {
    EXPECT_EQ(format().code("gender", courses::toString(gender)), courses::toString(gender));
  }
  for (const auto group : courses::kAllVulnerableGroups) {
    EXPECT_EQ(format().code("vulnerable", courses::toString(group)), courses::toString(group));
  }
}

TEST(ParticipantCsvFormat, WordsMatchFoldedInEveryLanguage) {
  EXPECT_EQ(format().code("gender", "  ӘЙЕЛ "), "female");
  EXPECT_EQ(format().code("gender", "Мужской"), "male");
  EXPECT_EQ(format().code("affiliation", "Жеке   кәсіпкер"), "entrepreneur");
  EXPECT_EQ(format().code("vulnerable", "Молодежь"), "youth");  // ё written as е
  EXPECT_EQ(format().code("vulnerable", "жалғызбасты ата–ана"), "single_parent");  // en dash
  EXPECT_EQ(format().code("consent", "Иә"), "yes");
  EXPECT_EQ(format().code("consent", "НЕТ"), "no");
  EXPECT_FALSE(format().code("consent", ""));
  EXPECT_FALSE(format().code("consent", "может быть"));
  EXPECT_FALSE(format().code("gender", "\xFF"));  // not UTF-8: matches nothing
  EXPECT_FALSE(format().code("nationality", "female"));
}

TEST(ParticipantCsvFormat, AShortLocalityNameLeavesOutTheKindOfPlace) {
  const ParticipantCsvFormat& format = ParticipantCsvFormat::standard();
  EXPECT_EQ(format.shortLocalityName("Нұра кенті"), "нұра");
  EXPECT_EQ(format.shortLocalityName("посёлок Нура"), "нура");
  EXPECT_EQ(format.shortLocalityName("Нуринский  район"), "нуринский");
  EXPECT_EQ(format.shortLocalityName("Nura District"), "nura");
  EXPECT_EQ(format.shortLocalityName("Қ. Мыңбаев ауылдық округі"), "қ. мыңбаев");
  EXPECT_EQ(format.shortLocalityName("ауданы"), "");
}

TEST(ParticipantCsvFormat, ALocalityKeyReadsTheNameAsNamesAreRead) {
  const ParticipantCsvFormat& format = ParticipantCsvFormat::standard();
  EXPECT_EQ(format.localityKey("Нұра кенті"), format.localityKey("нура кенти"));
  EXPECT_EQ(format.localityKey("Нұра кенті"), "nura kenti");
  EXPECT_EQ(format.localityKey("Қ. Мыңбаев"), "k minbaev");
  EXPECT_EQ(format.shortLocalityKey("Нұра кенті"), "nura");
  EXPECT_EQ(format.shortLocalityKey("поселок Нура"), "nura");
  EXPECT_EQ(format.shortLocalityKey("Nura settlement"), "nura");
  EXPECT_EQ(format.shortLocalityKey("Акмешит ауылдык округи"), format.localityKey("Ақмешіт"));
  EXPECT_EQ(format.shortLocalityKey("ауданы"), "");
  EXPECT_NE(format.localityKey("Нұра"), format.localityKey("Нұрлы"));
}

TEST(ParticipantCsvFormat, ColumnsAndTheirOtherNames) {
  EXPECT_EQ(format().columns.at("kato"), "locality");
  EXPECT_EQ(format().columns.at("locality_kato"), "locality");
  EXPECT_EQ(format().columns.at("full_name"), "full_name");
  EXPECT_EQ(format().delimiters, ",;\t");
  EXPECT_EQ(format().list_separators, ";,|");
}

TEST(ParticipantCsvFormat, AWordForTwoCodesIsRefused) {
  EXPECT_THROW(ParticipantCsvFormat::fromJson(R"({"delimiters":[","],"list_separators":[";"],
      "columns":{"gender":[]},"required":["gender"],
      "values":{"gender":{"female":["x"],"male":["X"]}}})"),
               std::runtime_error);
}

}  // namespace
}  // namespace plugin::cli
