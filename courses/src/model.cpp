#include "courses/model.hpp"

#include "name_table.hpp"

namespace courses {
namespace {

using detail::nameOf;
using detail::NameTable;
using detail::valueOf;

// One table per enum (name_table.hpp).

constexpr NameTable<Language, 3> kLanguageNames{{
    {Language::kk, "kk"},
    {Language::ru, "ru"},
    {Language::en, "en"},
}};

constexpr NameTable<LocalityKind, 5> kLocalityKindNames{{
    {LocalityKind::region, "region"},
    {LocalityKind::district, "district"},
    {LocalityKind::settlement, "settlement"},
    {LocalityKind::rural_district, "rural_district"},
    {LocalityKind::village, "village"},
}};

constexpr NameTable<Gender, 3> kGenderNames{{
    {Gender::female, "female"},
    {Gender::male, "male"},
    {Gender::undisclosed, "undisclosed"},
}};

constexpr NameTable<Affiliation, 6> kAffiliationNames{{
    {Affiliation::local_government, "local_government"},
    {Affiliation::civil_society, "civil_society"},
    {Affiliation::community_member, "community_member"},
    {Affiliation::entrepreneur, "entrepreneur"},
    {Affiliation::public_servant, "public_servant"},
    {Affiliation::other, "other"},
}};

constexpr NameTable<VulnerableGroup, 6> kVulnerableGroupNames{{
    {VulnerableGroup::disability, "disability"},
    {VulnerableGroup::youth, "youth"},
    {VulnerableGroup::mother_of_many_children, "mother_of_many_children"},
    {VulnerableGroup::single_parent, "single_parent"},
    {VulnerableGroup::pensioner, "pensioner"},
    {VulnerableGroup::unemployed, "unemployed"},
}};

constexpr NameTable<AttendanceStatus, 4> kAttendanceStatusNames{{
    {AttendanceStatus::present, "present"},
    {AttendanceStatus::late, "late"},
    {AttendanceStatus::excused, "excused"},
    {AttendanceStatus::absent, "absent"},
}};

constexpr NameTable<Role, 3> kRoleNames{{
    {Role::admin, "admin"},
    {Role::trainer, "trainer"},
    {Role::learner, "learner"},
}};

constexpr NameTable<CertificateLanguage, 4> kCertificateLanguageNames{{
    {CertificateLanguage::kk, "kk"},
    {CertificateLanguage::ru, "ru"},
    {CertificateLanguage::en, "en"},
    {CertificateLanguage::all, "all"},
}};

constexpr NameTable<CertificateStatus, 2> kCertificateStatusNames{{
    {CertificateStatus::valid, "valid"},
    {CertificateStatus::revoked, "revoked"},
}};

}  // namespace

std::string_view toString(Language v) noexcept {
  return nameOf(kLanguageNames, v);
}
std::string_view toString(LocalityKind v) noexcept {
  return nameOf(kLocalityKindNames, v);
}
std::string_view toString(Gender v) noexcept {
  return nameOf(kGenderNames, v);
}
std::string_view toString(Affiliation v) noexcept {
  return nameOf(kAffiliationNames, v);
}
std::string_view toString(VulnerableGroup v) noexcept {
  return nameOf(kVulnerableGroupNames, v);
}
std::string_view toString(AttendanceStatus v) noexcept {
  return nameOf(kAttendanceStatusNames, v);
}
std::string_view toString(Role v) noexcept {
  return nameOf(kRoleNames, v);
}
std::string_view toString(CertificateLanguage v) noexcept {
  return nameOf(kCertificateLanguageNames, v);
}
std::string_view toString(CertificateStatus v) noexcept {
  return nameOf(kCertificateStatusNames, v);
}

std::optional<Language> languageFromString(std::string_view s) noexcept {
  return valueOf(kLanguageNames, s);
}
std::optional<LocalityKind> localityKindFromString(std::string_view s) noexcept {
  return valueOf(kLocalityKindNames, s);
}
std::optional<Gender> genderFromString(std::string_view s) noexcept {
  return valueOf(kGenderNames, s);
}
std::optional<Affiliation> affiliationFromString(std::string_view s) noexcept {
  return valueOf(kAffiliationNames, s);
}
std::optional<VulnerableGroup> vulnerableGroupFromString(std::string_view s) noexcept {
  return valueOf(kVulnerableGroupNames, s);
}
std::optional<AttendanceStatus> attendanceStatusFromString(std::string_view s) noexcept {
  return valueOf(kAttendanceStatusNames, s);
}
std::optional<Role> roleFromString(std::string_view s) noexcept {
  return valueOf(kRoleNames, s);
}
std::optional<CertificateLanguage> certificateLanguageFromString(std::string_view s) noexcept {
  return valueOf(kCertificateLanguageNames, s);
}
std::optional<CertificateStatus> certificateStatusFromString(std::string_view s) noexcept {
  return valueOf(kCertificateStatusNames, s);
}

}  // namespace courses
