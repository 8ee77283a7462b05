#pragma once
// Entities of the training-records domain. Plain values: no storage or transport types.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace courses {

using Id = long long;

/// A date as "YYYY-MM-DD" and a timestamp as "YYYY-MM-DDTHH:MM:SSZ" (UTC). Validated on entry by
/// isValidDate/isValidTimestamp in text.hpp; kept as text because the domain never does calendar maths
/// beyond comparison, which ISO 8601 strings support lexicographically.
using Date = std::string;
using Timestamp = std::string;

enum class Language { kk, ru, en };

struct LocalizedText {
  std::string kk;
  std::string ru;
  std::string en;
};

/// The youth definition of a programme: ages, both inclusive (default 14–35).
struct YouthBand {
  int from = 14;
  int to = 35;
  friend bool operator==(const YouthBand&, const YouthBand&) = default;
};

struct Programme {
  Id id = 0;
  std::string code;  ///< short unique code, e.g. "LSG-EKZ"; starts every certificate serial
  LocalizedText title;
  std::string donor;
  Date starts_on;
  Date ends_on;
  /// The implementing organisations as printed on certificates; the first one issues them.
  /// May be empty (then the programme's title stands in as the issuer).
  std::vector<LocalizedText> organisations;
  /// Who counts as young in this programme's totals (the youth age band).
  YouthBand youth;
  int version = 1;  ///< raised by each change (courses/change_log.hpp)
};

enum class LocalityKind { region, district, settlement, rural_district, village };

struct Locality {
  Id id = 0;
  std::optional<Id> parent_id;
  LocalityKind kind = LocalityKind::village;
  LocalizedText name;
  std::optional<std::string> kato;  ///< official KATO code (9 digits) where known
  int version = 1;                  ///< raised by each change (courses/change_log.hpp)
};

/// When an enrolment counts as completed.
struct CompletionRule {
  int min_attendance_percent = 80;  ///< share of the cohort's sessions, 0–100
  bool excused_counts = false;      ///< an excused absence counts as attended
  bool require_all = false;         ///< every session must be attended (study visits)
};

/// The language of a certificate's page: one language, or all three on one page.
enum class CertificateLanguage { kk, ru, en, all };

struct Course {
  Id id = 0;
  Id programme_id = 0;
  std::string track;  ///< inclusive_planning, entrepreneurship, study_visit, information_event, …
  LocalizedText title;
  double hours = 0;
  CompletionRule rule;
  bool gives_certificate = true;
  /// Language of its certificates unless an issue request overrides it.
  CertificateLanguage certificate_language = CertificateLanguage::all;
  int version = 1;  ///< raised by each change (courses/change_log.hpp)
};

struct Cohort {
  Id id = 0;
  Id course_id = 0;
  Id locality_id = 0;
  std::string place;
  Date starts_on;
  Date ends_on;
  Language language = Language::kk;
  std::vector<Id> trainer_ids;  ///< account ids
  int version = 1;              ///< raised by each change (courses/change_log.hpp)
};

/// Why and when a session was cancelled. A cancelled session is not held: it counts nowhere
/// (not in its cohort's sessions, nobody's attendance, no total), its sheet takes no new marks,
/// and the marks it had stay stored, counting again if it is restored.
struct SessionCancellation {
  Timestamp at;
  Id by = 0;  ///< account; 0 for the command line
  std::string reason;
  friend bool operator==(const SessionCancellation&, const SessionCancellation&) = default;
};

struct Session {
  Id id = 0;
  Id cohort_id = 0;
  Timestamp starts_at;
  int duration_minutes = 0;
  std::string topic;
  std::optional<SessionCancellation> cancelled = std::nullopt;  ///< nullopt: held
  int version = 1;  ///< raised by each change (courses/change_log.hpp)
};

enum class Gender { female, male, undisclosed };

enum class Affiliation {
  local_government,
  civil_society,
  community_member,
  entrepreneur,
  public_servant,
  other
};

/// Vulnerable groups overlap, so they are a bit set, never a single value.
enum class VulnerableGroup : std::uint8_t {
  disability = 1 << 0,
  youth = 1 << 1,
  mother_of_many_children = 1 << 2,
  single_parent = 1 << 3,
  pensioner = 1 << 4,
  unemployed = 1 << 5,
};
using VulnerableSet = std::uint8_t;

/// The attributes totals are broken down by. Copied into each enrolment when it is made, so a
/// later profile edit does not rewrite history.
struct Demographics {
  Gender gender = Gender::undisclosed;
  int birth_year = 0;
  Id locality_id = 0;
  Affiliation affiliation = Affiliation::other;
  VulnerableSet vulnerable = 0;
};

struct Participant {
  Id id = 0;
  std::string full_name;  ///< exactly as it must be printed, NFC
  Demographics demographics;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  bool consent = false;  ///< consent to data processing; required to register
  Id created_by = 0;
  Timestamp created_at;
  Timestamp updated_at;
  /// Set when this record was merged into another one (the record kept): it is then shown
  /// nowhere, and its enrolments, marks and certificates are the kept record's.
  std::optional<Id> merged_into;
  int version = 1;  ///< raised by each change (courses/change_log.hpp)
};

/// Fields a PATCH may change; unset members stay as they are.
struct ParticipantPatch {
  std::optional<std::string> full_name;
  std::optional<Gender> gender;
  std::optional<int> birth_year;
  std::optional<Id> locality_id;
  std::optional<Affiliation> affiliation;
  std::optional<VulnerableSet> vulnerable;
  std::optional<std::optional<std::string>> phone;  ///< engaged + nullopt inside = clear
  std::optional<std::optional<std::string>> email;
  std::optional<bool> consent;
};

/// What a session's PATCH changes; unset members stay as they are.
struct SessionPatch {
  std::optional<Timestamp> starts_at;
  std::optional<int> duration_minutes;
  std::optional<std::string> topic;
  /// Engaged: cancel with the reason inside, or restore when the inside is nullopt.
  std::optional<std::optional<std::string>> cancel_reason;
};

/// Why and when an enrolment was withdrawn: from then on it counts in no measure, is on no
/// sheet and gets no certificate; its marks stay stored and audited.
struct Withdrawal {
  Timestamp at;
  Id by = 0;  ///< 0 for the command line or the system
  std::string reason;
  friend bool operator==(const Withdrawal&, const Withdrawal&) = default;
};

struct Enrolment {
  Id id = 0;
  Id participant_id = 0;
  Id cohort_id = 0;
  Id registered_by = 0;
  Timestamp registered_at;
  Demographics snapshot;
  std::string participant_name;  ///< filled on reads for display
  std::optional<Withdrawal> withdrawn;  ///< set while the enrolment is withdrawn
  int version = 1;               ///< raised by each change (courses/change_log.hpp)
};

enum class AttendanceStatus { present, late, excused, absent };

struct AttendanceMark {
  Id enrolment_id = 0;
  AttendanceStatus status = AttendanceStatus::absent;
  Id marked_by = 0;        ///< filled on reads
  Timestamp marked_at;     ///< filled on reads
};

/// A session's sheet: one row per enrolment of the cohort; unmarked ones have no status.
struct SheetRow {
  Id enrolment_id = 0;
  Id participant_id = 0;
  std::string participant_name;
  std::optional<AttendanceMark> mark;
};

enum class Role { admin, trainer, learner };

struct Account {
  Id id = 0;
  std::string login;
  /// The person's name as printed (trainers on certificates); may be empty.
  std::string display_name;
  Role role = Role::learner;
  std::optional<Id> participant_id;  ///< learners only: the person they are
  bool disabled = false;
  Timestamp created_at;
  /// The language the person chose for the web app; nullopt until they choose one.
  std::optional<Language> language;
  /// Whether a password opens the account (a learner's is cleared by each access code they use).
  bool has_password = false;
};

/// Who is acting: the authenticated account behind a request or a CLI run.
struct Actor {
  Id account_id = 0;
  Role role = Role::learner;
  std::optional<Id> participant_id;
  bool isAdmin() const noexcept { return role == Role::admin; }
};

enum class CertificateStatus { valid, revoked };

/// A certificate as issued. Everything it says is fixed at issue (a snapshot, like an enrolment's
/// demographics): later edits of the person, course or cohort never change an issued certificate.
struct Certificate {
  Id id = 0;
  std::string serial;  ///< e.g. "LSG-EKZ-IP-2019-000123", gap-free per series
  std::string verification_token;  ///< 128-bit random, base64url (22 characters)
  Id enrolment_id = 0;
  Id participant_id = 0;
  Id cohort_id = 0;
  Id course_id = 0;
  Id programme_id = 0;
  CertificateLanguage language = CertificateLanguage::all;

  std::string full_name;  ///< as printed
  std::string track;
  LocalizedText course_title;
  double hours = 0;
  Date starts_on;  ///< the cohort's dates
  Date ends_on;
  std::string place;         ///< the cohort's place
  LocalizedText locality;    ///< name of the cohort's locality
  int sessions_attended = 0;
  int sessions_total = 0;
  std::vector<std::string> trainers;         ///< display names (login when none)
  std::vector<LocalizedText> organisations;  ///< the programme's implementing organisations
  LocalizedText issuer;                      ///< first organisation, else the programme title
  std::optional<std::string> waiver_reason;  ///< set when an admin waived the completion rule

  CertificateStatus status = CertificateStatus::valid;
  std::optional<std::string> revoked_reason;
  std::optional<Timestamp> revoked_at;
  std::optional<Id> revoked_by;
  Id issued_by = 0;
  Timestamp issued_at;

  std::string signature;  ///< Ed25519 over the canonical payload, base64url
  std::string etag;       ///< strong ETag of the stored PDF (quoted), e.g. "\"3f2a…\""
  long long pdf_size = 0;
};

/// Keyset pagination: items with id > after, at most limit of them.
struct PageRequest {
  Id after = 0;
  int limit = 50;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<Id> next_after;  ///< pass as `after` for the next page; empty at the end
};

// Enum <-> stable wire/storage names. fromString returns nullopt on an unknown name.
std::string_view toString(Language v) noexcept;
std::string_view toString(LocalityKind v) noexcept;
std::string_view toString(Gender v) noexcept;
std::string_view toString(Affiliation v) noexcept;
std::string_view toString(VulnerableGroup v) noexcept;
std::string_view toString(AttendanceStatus v) noexcept;
std::string_view toString(Role v) noexcept;
std::string_view toString(CertificateLanguage v) noexcept;
std::string_view toString(CertificateStatus v) noexcept;
std::optional<Language> languageFromString(std::string_view s) noexcept;
std::optional<LocalityKind> localityKindFromString(std::string_view s) noexcept;
std::optional<Gender> genderFromString(std::string_view s) noexcept;
std::optional<Affiliation> affiliationFromString(std::string_view s) noexcept;
std::optional<VulnerableGroup> vulnerableGroupFromString(std::string_view s) noexcept;
std::optional<AttendanceStatus> attendanceStatusFromString(std::string_view s) noexcept;
std::optional<Role> roleFromString(std::string_view s) noexcept;
std::optional<CertificateLanguage> certificateLanguageFromString(std::string_view s) noexcept;
std::optional<CertificateStatus> certificateStatusFromString(std::string_view s) noexcept;

/// All vulnerable groups in declaration order, for iterating a VulnerableSet.
inline constexpr VulnerableGroup kAllVulnerableGroups[] = {
    VulnerableGroup::disability,      VulnerableGroup::youth,
    VulnerableGroup::mother_of_many_children, VulnerableGroup::single_parent,
    VulnerableGroup::pensioner,       VulnerableGroup::unemployed};

}  // namespace courses
