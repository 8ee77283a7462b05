#include "courses/model.hpp"

#include <gtest/gtest.h>

#include <string>

namespace courses {
namespace {

// Every enumerator converts to its own C++ name and back.
template <typename Enum, typename Parse>
void expectRoundTrip(std::initializer_list<std::pair<Enum, std::string_view>> cases, Parse parse) {
  for (const auto& [value, name] : cases) {
    EXPECT_EQ(toString(value), name);
    const std::optional<Enum> parsed = parse(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, value) << name;
  }
  EXPECT_FALSE(parse("").has_value());
  EXPECT_FALSE(parse("unknown").has_value());
}

TEST(ModelTest, LanguageNames) {
  expectRoundTrip<Language>({{Language::kk, "kk"}, {Language::ru, "ru"}, {Language::en, "en"}},
                            languageFromString);
  EXPECT_FALSE(languageFromString("KK").has_value());
}

TEST(ModelTest, LocalityKindNames) {
  expectRoundTrip<LocalityKind>({{LocalityKind::region, "region"},
                                 {LocalityKind::district, "district"},
                                 {LocalityKind::settlement, "settlement"},
                                 {LocalityKind::rural_district, "rural_district"},
                                 {LocalityKind::village, "village"}},
                                localityKindFromString);
}

TEST(ModelTest, GenderNames) {
  expectRoundTrip<Gender>(
      {{Gender::female, "female"}, {Gender::male, "male"}, {Gender::undisclosed, "undisclosed"}},
      genderFromString);
}

TEST(ModelTest, AffiliationNames) {
  expectRoundTrip<Affiliation>({{Affiliation::local_government, "local_government"},
                                {Affiliation::civil_society, "civil_society"},
                                {Affiliation::community_member, "community_member"},
                                {Affiliation::entrepreneur, "entrepreneur"},
                                {Affiliation::public_servant, "public_servant"},
                                {Affiliation::other, "other"}},
                               affiliationFromString);
}

TEST(ModelTest, VulnerableGroupNames) {
  expectRoundTrip<VulnerableGroup>(
      {{VulnerableGroup::disability, "disability"},
       {VulnerableGroup::youth, "youth"},
       {VulnerableGroup::mother_of_many_children, "mother_of_many_children"},
       {VulnerableGroup::single_parent, "single_parent"},
       {VulnerableGroup::pensioner, "pensioner"},
       {VulnerableGroup::unemployed, "unemployed"}},
      vulnerableGroupFromString);
}

TEST(ModelTest, VulnerableGroupsAreDistinctBits) {
  VulnerableSet all = 0;
  for (const VulnerableGroup g : kAllVulnerableGroups) {
    const auto bit = static_cast<VulnerableSet>(g);
    EXPECT_EQ(all & bit, 0) << toString(g);
    all = static_cast<VulnerableSet>(all | bit);
  }
  EXPECT_EQ(all, 0x3F);
}

TEST(ModelTest, AttendanceStatusNames) {
  expectRoundTrip<AttendanceStatus>({{AttendanceStatus::present, "present"},
                                     {AttendanceStatus::late, "late"},
                                     {AttendanceStatus::excused, "excused"},
                                     {AttendanceStatus::absent, "absent"}},
                                    attendanceStatusFromString);
}

TEST(ModelTest, RoleNames) {
  expectRoundTrip<Role>(
      {{Role::admin, "admin"}, {Role::trainer, "trainer"}, {Role::learner, "learner"}},
      roleFromString);
  EXPECT_FALSE(roleFromString("Admin").has_value());
}

TEST(ModelTest, CertificateLanguageNames) {
  expectRoundTrip<CertificateLanguage>({{CertificateLanguage::kk, "kk"},
                                        {CertificateLanguage::ru, "ru"},
                                        {CertificateLanguage::en, "en"},
                                        {CertificateLanguage::all, "all"}},
                                       certificateLanguageFromString);
  EXPECT_FALSE(certificateLanguageFromString("ALL").has_value());
}

TEST(ModelTest, CertificateStatusNames) {
  expectRoundTrip<CertificateStatus>(
      {{CertificateStatus::valid, "valid"}, {CertificateStatus::revoked, "revoked"}},
      certificateStatusFromString);
}

TEST(ModelTest, NewCoursesAndCertificatesDefaultToAllLanguages) {
  EXPECT_EQ(Course{}.certificate_language, CertificateLanguage::all);
  EXPECT_EQ(Certificate{}.language, CertificateLanguage::all);
  EXPECT_EQ(Certificate{}.status, CertificateStatus::valid);
}

TEST(ModelTest, ActorIsAdminOnlyForAdmins) {
  EXPECT_TRUE((Actor{1, Role::admin, std::nullopt}).isAdmin());
  EXPECT_FALSE((Actor{1, Role::trainer, std::nullopt}).isAdmin());
  EXPECT_FALSE((Actor{1, Role::learner, 5}).isAdmin());
}

}  // namespace
}  // namespace courses
