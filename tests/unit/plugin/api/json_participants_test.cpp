#include "plugin/api/json_participants.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <optional>
#include <string>

#include "json_fixture.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using namespace json_fixture;

TEST(JsonParticipant, RoundTrip) {
  const courses::Participant person = sampleParticipant();
  const json::object wire = toJson(person);
  EXPECT_EQ(json::serialize(wire.at("vulnerable")), R"(["disability","single_parent"])");
  EXPECT_TRUE(wire.at("phone").is_null());
  EXPECT_FALSE(wire.contains("created_by"));

  const auto registration =
      registrationFromJson(
          withoutMembers(wire, {"id", "created_at", "updated_at", "merged_into", "version"}));
  const courses::Participant& back = registration.person;
  EXPECT_EQ(back.full_name, person.full_name);
  EXPECT_EQ(back.demographics.gender, courses::Gender::female);
  EXPECT_EQ(back.demographics.birth_year, 1984);
  EXPECT_EQ(back.demographics.locality_id, 9);
  EXPECT_EQ(back.demographics.affiliation, courses::Affiliation::civil_society);
  EXPECT_EQ(back.demographics.vulnerable, person.demographics.vulnerable);
  EXPECT_FALSE(back.phone);
  EXPECT_EQ(back.email, person.email);
  EXPECT_TRUE(back.consent);
  EXPECT_FALSE(registration.same_person);
  EXPECT_FALSE(registration.not_duplicate);
}

TEST(JsonParticipant, DuplicateAnswers) {
  const auto same = registrationFromJson(parseJson(registration(R"(,"same_person":12)")));
  EXPECT_EQ(same.same_person, std::optional<courses::Id>(12));
  const auto fresh = registrationFromJson(parseJson(registration(R"(,"not_duplicate":true)")));
  EXPECT_TRUE(fresh.not_duplicate);
  EXPECT_TRUE(hasField(fieldProblems(registration(R"(,"same_person":12,"not_duplicate":true)"),
                                     registrationFromJson),
                       "not_duplicate"));
}

TEST(JsonPatch, NullClearsAndAbsentKeeps) {
  const auto patch = participantPatchFromJson(parseJson(R"({"phone":null,"birth_year":1991})"));
  ASSERT_TRUE(patch.phone.has_value());
  EXPECT_FALSE(patch.phone->has_value());
  EXPECT_FALSE(patch.email.has_value());
  EXPECT_EQ(patch.birth_year, std::optional<int>(1991));
  EXPECT_FALSE(patch.full_name.has_value());

  const auto set = participantPatchFromJson(
      parseJson(R"({"email":"a@b.kz","vulnerable":["youth"],"gender":"undisclosed"})"));
  EXPECT_EQ(set.email, std::optional<std::optional<std::string>>(std::string("a@b.kz")));
  EXPECT_EQ(set.vulnerable, static_cast<courses::VulnerableSet>(courses::VulnerableGroup::youth));
  EXPECT_EQ(set.gender, courses::Gender::undisclosed);

  EXPECT_TRUE(
      hasField(fieldProblems(R"({"full_name":null})", participantPatchFromJson), "full_name"));
  EXPECT_FALSE(badRequestDetail(R"({"same_person":3})", participantPatchFromJson).empty());
  EXPECT_NO_THROW(participantPatchFromJson(parseJson("{}")));
}

}  // namespace
}  // namespace plugin::api
