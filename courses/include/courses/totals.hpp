#pragma once
// Totals for administrators: distinct people reached, trained and certified in a period, with
// sessions, participant-hours and the attendance rate, broken down by up to two dimensions.
//
// Counting rules (docs/ARCHITECTURE.md, "Totals", says the same in prose):
// - Every people measure counts distinct participants, never enrolments or attendances.
// - reached: marked present or late at least once in a session whose start falls in the period.
// - trained: met the completion rule of at least one cohort whose completion date falls in the
//   period, or holds a valid certificate issued with a waiver for such a cohort. A cohort's
//   completion date is the date of its last session (its end date when it has none). The rule is
//   applied to all of the cohort's sessions, not only those in the period.
// - trained_with_waiver: of those trained, the people counted only through a waiver.
// - certified: holds a valid certificate of a cohort whose completion date falls in the period.
// - enrolled: enrolled in a cohort with a session in the period (or, without sessions, whose dates
//   overlap it).
// - sessions: sessions in the period at which someone was present or late; given only where a cell
//   is made of whole cohorts (no breakdown by a person's attribute).
// - participant_hours: the summed duration of the sessions in the period each person attended.
// - attendance_rate: present or late marks over all marks of sessions in the period.
// - A person falls into the cells of the enrolments they are counted through, with the
//   demographics snapshotted on that enrolment: someone trained in two tracks counts once in each
//   track and once in the total. Cells of a dimension therefore need not add up to the total.
// - Vulnerable groups overlap: a person counts in each of their groups, and the groups are never
//   summed.
// - Age is the cohort's start year minus the snapshot's birth year.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/labels.hpp"  // the report's labels in kk, ru and en
#include "courses/model.hpp"

namespace courses {

/// What is counted. Wire names as written.
enum class Measure : std::uint8_t {
  enrolled,
  reached,
  trained,
  trained_with_waiver,
  certified,
  sessions,
  participant_hours,
  attendance_rate,
};
inline constexpr Measure kAllMeasures[] = {
    Measure::enrolled,  Measure::reached,  Measure::trained,           Measure::trained_with_waiver,
    Measure::certified, Measure::sessions, Measure::participant_hours, Measure::attendance_rate};
/// The measures that count people (and so are subject to k-suppression).
bool countsPeople(Measure measure) noexcept;

/// What totals can be broken down by. region/district/settlement roll the snapshot's home locality
/// up the locality tree (settlement: the nearest ancestor-or-self that is a settlement or rural
/// district); locality is the home locality itself.
enum class Dimension : std::uint8_t {
  track,
  course,
  cohort,
  gender,
  age_band,
  region,
  district,
  settlement,
  locality,
  affiliation,
  vulnerable_group,
};
/// True for dimensions that describe the person (their snapshot), false for track/course/cohort.
bool describesPerson(Dimension dimension) noexcept;

std::string_view toString(Measure v) noexcept;
std::string_view toString(Dimension v) noexcept;
std::optional<Measure> measureFromString(std::string_view s) noexcept;
std::optional<Dimension> dimensionFromString(std::string_view s) noexcept;

/// An age band, both ends inclusive; `to` empty for the open top band.
struct AgeBand {
  int from = 0;
  std::optional<int> to;
  bool youth = false;       ///< the programme's youth band
  std::string key() const;  ///< "14-35", "60+"
};

/// Bands from strictly increasing lower bounds: {14, 36, 60} gives 0-13, 14-35, 36-59, 60+.
/// A band equal to `youth` is marked youth. Empty `lower_bounds` means {youth.from, youth.to + 1,
/// 60} (60 left out when it is not above youth.to + 1). Throws Error(invalid_argument) when the
/// bounds are not strictly increasing within 1..120 or more than 12 are given.
std::vector<AgeBand> makeAgeBands(const std::vector<int>& lower_bounds, const YouthBand& youth);

/// An inclusive date range; an empty end is open.
struct Period {
  std::optional<Date> from;
  std::optional<Date> to;
};

struct TotalsQuery {
  std::optional<Id> programme_id;  ///< empty: every programme the actor may see, counted together
  Period period;
  std::optional<std::string> track;
  std::vector<Dimension> by;    ///< 0, 1 or 2 distinct dimensions; two are crossed
  std::vector<int> age_bounds;  ///< see makeAgeBands; empty: the programme's youth definition
  int suppress_below = 0;       ///< k: hide people counts 1..k-1 (0: no suppression)
};

/// Checks a query's own values (dates valid and ordered, at most two distinct dimensions, bands,
/// 0 <= suppress_below <= 1000, track shape); throws Error(invalid_argument) naming every field at
/// fault as the API spells it: from, to, track, by, age_bands, suppress.
void validateTotalsQuery(const TotalsQuery& query);

/// Which rows storage hands the computation.
struct TotalsScope {
  std::optional<Id> programme_id;
  Period period;
  std::optional<std::string> track;
  std::optional<Id> trainer_account_id;  ///< only cohorts this trainer is assigned to
};

/// One cohort in scope whose sessions (or, without sessions, dates) overlap the period.
struct CohortFact {
  Id id = 0;
  Id course_id = 0;
  Id locality_id = 0;  ///< where it was held
  std::string place;
  Date starts_on;
  Date ends_on;
  int session_count = 0;                 ///< all its sessions
  int sessions_delivered_in_period = 0;  ///< sessions in the period with a present or late mark
  bool completes_in_period = false;      ///< its completion date falls in the period
};

/// One enrolment of such a cohort, with what the counting needs.
struct EnrolmentFact {
  Id enrolment_id = 0;
  Id participant_id = 0;
  Id cohort_id = 0;
  Demographics snapshot;
  // Over the sessions in the period:
  int attended_in_period = 0;  ///< present or late
  int marked_in_period = 0;    ///< any mark
  long long attended_minutes_in_period = 0;
  // Over all the cohort's sessions (the completion rule):
  int attended_total = 0;  ///< present or late
  int excused_total = 0;
  // Certificates:
  bool certified = false;  ///< holds a valid certificate
  bool waived = false;     ///< that certificate was issued with a waiver
};

/// Everything one totals computation reads. Ids are unique within each list.
struct TotalsFacts {
  std::vector<Programme> programmes;  ///< those in scope (their youth definition, titles)
  std::vector<Course> courses;        ///< those in scope
  std::vector<CohortFact> cohorts;
  std::vector<EnrolmentFact> enrolments;
  std::vector<Locality> localities;  ///< every locality (for the roll-up and names)
};

/// A target set by an administrator, e.g. trained in inclusive_planning: 60.
struct Target {
  Measure measure = Measure::trained;
  std::optional<std::string> track;  ///< empty: the whole programme
  long long value = 0;
};

struct TargetProgress {
  Target target;
  long long actual = 0;
  double progress = 0;  ///< actual / target (may exceed 1)
};

/// The measures of one cell.
struct MeasureValues {
  long long enrolled = 0;
  long long reached = 0;
  long long trained = 0;
  long long trained_with_waiver = 0;
  long long certified = 0;
  std::optional<long long> sessions;  ///< empty where not applicable (a person dimension)
  double participant_hours = 0;
  long long attended_marks = 0;
  long long marks = 0;
  /// Measures hidden by k-suppression: bit (1 << Measure) set. A hidden measure's value is zeroed
  /// (sessions stays engaged where it applies), so nothing downstream can print it by mistake.
  std::uint16_t hidden = 0;

  std::optional<double> attendanceRate() const;  ///< attended_marks / marks; empty with no marks
  bool isHidden(Measure measure) const noexcept;
  /// The value as a number (counts as doubles); empty when hidden or not applicable.
  std::optional<double> value(Measure measure) const;
};

/// One value of a dimension as it appears in the report.
struct DimensionValue {
  /// Stable: track name, id as text, enum wire name, age band key; "not_stated" for a person
  /// whose home has no locality of a region/district/settlement level above it (or none known).
  std::string key;
  LocalizedText label;  ///< in kk, ru and en
  bool youth = false;   ///< age bands: the programme's youth band
};

struct TotalsCell {
  std::vector<std::string> keys;  ///< one per dimension of `by`, in order
  MeasureValues values;
};

struct TotalsReport {
  TotalsQuery query;
  std::vector<AgeBand> age_bands;
  /// Per dimension of query.by: the values that occur, in their natural order (enum order, age,
  /// locality name (en) with "not_stated" last, course title (en), cohort start date; tracks:
  /// inclusive_planning, entrepreneurship, study_visit, information_event, then others by name),
  /// with labels. A person in no vulnerable group appears in no vulnerable_group value.
  std::vector<std::vector<DimensionValue>> values;
  MeasureValues total;
  /// Per dimension of query.by: one cell per value (keys of size 1).
  std::vector<std::vector<TotalsCell>> margins;
  /// With two dimensions: one cell per pair that occurs (keys of size 2), ordered by the
  /// dimensions' orders. Empty otherwise.
  std::vector<TotalsCell> cells;
  std::vector<TargetProgress> targets;  ///< empty unless one programme was asked for
  /// Some dimension of query.by can place a person in several of its values (vulnerable groups
  /// always; any dimension for people counted through several enrolments), so values need not
  /// add up to the total.
  bool overlapping = false;
};

/// k-suppression of a computed report (k > 0), in place, on its margins and cross cells (the grand
/// total is never hidden):
/// - primary: a people count in 1..k-1 is hidden, and a cell with fewer than k people enrolled has
///   all its measures hidden;
/// - secondary: a hidden people count or participant-hours figure must not be recoverable by
///   subtraction. Wherever a line of cells has a shown sum (a dimension's values and the total; a
///   row of the cross-tab and its margin cell; a column likewise) and exactly one of its cells
///   hides a measure whose value the subtraction would give as more than zero, the smallest shown
///   value of that measure in the line (the first of equals) is hidden too; repeated until no
///   line has such a lone hidden cell. Lines are treated as if their
///   cells never overlapped, which hides more rather than less.
void suppressSmallCounts(TotalsReport& report, int k);

/// Computes the report from `facts` (scoped by storage) and a programme's targets. Pure: the
/// counting rules above and nothing else. Applies suppressSmallCounts when
/// query.suppress_below > 0.
TotalsReport computeTotals(const TotalsQuery& query, const TotalsFacts& facts,
                           const std::vector<Target>& targets);

}  // namespace courses
