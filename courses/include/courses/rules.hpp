#pragma once
// Domain rules as plain functions: no storage, no I/O, unit-tested directly.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "courses/change_log.hpp"
#include "courses/model.hpp"

namespace courses {

/// Outcome of a completion rule for one enrolment.
struct CompletionResult {
  int sessions_total = 0;   ///< sessions the cohort has
  int attended = 0;         ///< sessions that count as attended under the rule
  int required = 0;         ///< sessions needed to complete
  bool completed = false;
};

/// Applies `rule` to one enrolment. `statuses` holds the marks the enrolment has; sessions with no
/// mark count as absent. Late always counts as attended; excused only when the rule says so.
/// A cohort with no sessions completes nobody.
CompletionResult evaluateCompletion(const CompletionRule& rule, int sessions_total,
                                    std::span<const AttendanceStatus> statuses) noexcept;

/// The same from counts: `attended` sessions marked present or late and `excused` marked excused.
CompletionResult evaluateCompletion(const CompletionRule& rule, int sessions_total, int attended,
                                    int excused) noexcept;

/// Human-readable reason, e.g. "attended 5 of 8 sessions, needs 7".
std::string describe(const CompletionResult& result);

/// A track's name as courses, targets and totals write it: 1 to 40 lowercase Latin letters and
/// underscores ("inclusive_planning").
bool isTrackName(std::string_view track) noexcept;
/// What a bad track name is told.
inline constexpr const char* kTrackNameRule =
    "must be 1 to 40 characters: lowercase Latin letters and underscores";

/// Short code of a track for certificate serials: the initials of its words when it has several
/// ("inclusive_planning" -> "IP", "study_visit" -> "SV"), else its first two letters
/// ("entrepreneurship" -> "EN"); upper case ASCII.
std::string trackCode(std::string_view track);

/// The series a certificate's serial is numbered in: programme code, track code and the year the
/// cohort ended, e.g. "LSG-EKZ-IP-2019". Numbers are gap-free within one series.
std::string certificateSeries(std::string_view programme_code, std::string_view track,
                              const Date& cohort_ends_on);

/// "SERIES-NNNNNN": the number zero-padded to six digits (more digits once it outgrows them).
std::string formatSerial(std::string_view series, long long number);

/// True for text shaped like a serial formatSerial makes: upper-case ASCII letters, digits and
/// hyphens, ending in "-YYYY-" and at least six digits, at most 64 characters.
bool isValidSerial(std::string_view text) noexcept;

/// Checks a completion rule's own values; throws Error(invalid_argument) when out of range.
void validateRule(const CompletionRule& rule);

/// The most marks one attendance sheet may save at once.
inline constexpr std::size_t kMaxMarksPerSheet = 1000;

/// Checks the marks of one attendance sheet against the enrolments of its session's cohort: at
/// most kMaxMarksPerSheet marks, each of an enrolment in `cohort_enrolments`, none twice, each
/// status present, late, excused or absent. Throws Error(invalid_argument) naming every mark at
/// fault ("marks[2].enrolment_id"; at most 50 of them), or "marks" for too many.
void validateSheet(std::span<const AttendanceMark> marks, std::span<const Id> cohort_enrolments);

/// The de-duplication key of a person: people with the same match key and birth year whose home
/// localities are the same or neighbours (ParticipantRepository::findByKey) are the candidates
/// a trainer is asked about before a new person is created; rankDuplicates() decides which of
/// them may be the same person (docs/DUPLICATES.md).
struct DuplicateKey {
  std::string name_key;     ///< nameMatchKey(full_name): the name as typed, folded
  int birth_year = 0;
  Id locality_id = 0;
  std::string match_key;    ///< personNameKey(full_name): what people are looked up by
  std::string search_text;  ///< nameSearchText(full_name): what a search by name looks into
  friend bool operator==(const DuplicateKey&, const DuplicateKey&) = default;
};
DuplicateKey duplicateKey(const Participant& person);

/// Of the people found by `person`'s key, those who may be the same person, best first. Kept:
/// the same name by sameName() (name_match.hpp) and no contradicting gender (a man and a woman
/// are two people; "undisclosed" contradicts nothing). Ranked: the name spelled as typed
/// (same nameMatchKey) first, then the same locality before a neighbouring one, then oldest.
/// Empty unless one of them lives in `person`'s own locality: a namesake in the next village
/// alone is no reason to ask, but once the question is asked they are shown too, after.
std::vector<Participant> rankDuplicates(const Participant& person,
                                        std::vector<Participant> found);

/// Validates and normalises a participant for storage (name via validateName, birth year within
/// 1900..current_year, phone and e-mail shapes, consent given). Returns the normalised copy.
Participant validateParticipant(Participant person, int current_year);

/// Copies the fields a patch sets onto `person`; the result still needs validateParticipant.
void applyPatch(Participant& person, const ParticipantPatch& patch);
/// The fields that differ between a person before and after an edit, named and valued as the API
/// spells them (courses/change_log.hpp).
std::vector<FieldChange> participantChanges(const Participant& before, const Participant& after);
/// The fields that differ between an enrolment before and after a withdrawal or its undoing:
/// "withdrawn", null or {"reason": …} as the API spells it (when and by whom are the change's).
std::vector<FieldChange> withdrawalChanges(const Enrolment& before, const Enrolment& after);

/// Copies the fields a patch sets onto `session`; cancelling a held session records `by` (the
/// time is storage's to set), cancelling a cancelled one only changes its reason, restoring clears
/// the cancellation.
void applyPatch(Session& session, const SessionPatch& patch, Id by);
/// The fields that differ between a session before and after an edit, as the API spells them;
/// its cancellation is the field "cancelled", valued by its reason (null when held).
std::vector<FieldChange> sessionChanges(const Session& before, const Session& after);
/// The fields that differ between a cohort before and after an edit, as the API spells them.
std::vector<FieldChange> cohortChanges(const Cohort& before, const Cohort& after);

/// The fields that differ between a course before and after an edit, as the API spells them (the
/// rule's members as "rule.min_attendance_percent" and so on).
std::vector<FieldChange> courseChanges(const Course& before, const Course& after);

/// The fields that differ between a programme before and after an edit, as the API spells them.
std::vector<FieldChange> programmeChanges(const Programme& before, const Programme& after);
/// The fields that differ between a locality before and after an edit, as the API spells them.
std::vector<FieldChange> localityChanges(const Locality& before, const Locality& after);

/// Whether an edit changes what a session counts in the totals (held or not, when, how long).
bool changesCounting(const Session& before, const Session& after);
/// The sessions of a cohort that are held (not cancelled): what completion is counted over.
int heldSessions(const std::vector<Session>& sessions);

}  // namespace courses
