#include "courses/change_log.hpp"

#include <gtest/gtest.h>

#include "courses/rules.hpp"

namespace courses {
namespace {

TEST(ChangeLog, AVersionIsItsOwnStrongTagAndBack) {
  EXPECT_EQ(versionTag(1), "\"v1\"");
  EXPECT_EQ(versionTag(42), "\"v42\"");
  for (const int version : {1, 7, 123456789})
    EXPECT_EQ(versionFromTag(versionTag(version)), version);
  for (const char* other : {"v1", "\"v\"", "\"v0\"", "\"v01\"", "\"v-1\"", "\"x1\"", "\"v1x\"",
                            "\"v1234567890\"", "W/\"v1\"", "\"\""}) {
    SCOPED_TRACE(other);
    EXPECT_FALSE(versionFromTag(other).has_value());
  }
}

TEST(ChangeLog, ValuesAreWrittenAsTheApiSpellsThem) {
  EXPECT_EQ(jsonText(std::string_view("Сәуле")), "\"Сәуле\"");
  EXPECT_EQ(jsonText(std::string_view("a\"b\\c\n\x01")), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(jsonText(std::optional<std::string>()), "null");
  EXPECT_EQ(jsonText(1987), "1987");
  EXPECT_EQ(jsonText(std::optional<long long>(12)), "12");
  EXPECT_EQ(jsonText(12.5), "12.5");
  EXPECT_EQ(jsonText(true), "true");
  EXPECT_EQ(jsonText(std::vector<std::string_view>{"youth", "disability"}),
            "[\"youth\",\"disability\"]");
  EXPECT_EQ(jsonText(std::vector<std::string_view>{}), "[]");
}

TEST(ChangeLog, OnlyTheFieldsThatDifferAreRecorded) {
  Participant before;
  before.full_name = "Сәуле Бекова";
  before.demographics.birth_year = 1991;
  before.demographics.vulnerable = static_cast<VulnerableSet>(VulnerableGroup::youth);
  Participant after = before;
  EXPECT_TRUE(participantChanges(before, after).empty());
  after.demographics.birth_year = 1992;
  after.phone = "+77015550101";
  after.demographics.vulnerable |= static_cast<VulnerableSet>(VulnerableGroup::disability);
  const auto fields = participantChanges(before, after);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0], (FieldChange{"birth_year", "1991", "1992"}));
  EXPECT_EQ(fields[1], (FieldChange{"vulnerable", "[\"youth\"]", "[\"disability\",\"youth\"]"}));
  EXPECT_EQ(fields[2], (FieldChange{"phone", "null", "\"+77015550101\""}));
}

TEST(ChangeLog, EntitiesHaveStableNames) {
  for (const auto entity : {Entity::programme, Entity::course, Entity::locality, Entity::cohort,
                            Entity::session, Entity::participant, Entity::enrolment}) {
    EXPECT_EQ(entityFromString(toString(entity)), entity);
  }
  EXPECT_FALSE(entityFromString("account").has_value());
}

}  // namespace
}  // namespace courses
