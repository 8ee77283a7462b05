// The totals' aggregates of one cohort or one enrolment brought back to what the raw rows give,
// inside the transaction of a correction (a session cancelled, moved or re-timed, an enrolment
// withdrawn, two records merged). The totals_*_counts views of
// migrations 0004 and 0009 are the rule, here as in Store::rebuildTotals/checkTotals: these
// statements are the back-fill's, narrowed to the rows a correction touched.
#include "repositories.hpp"

namespace courses::mariadb {

void lockCohortSessions(Tx& tx, Id cohort_id) {
  tx.query("SELECT id FROM sessions WHERE cohort_id = ? ORDER BY id FOR UPDATE", {cohort_id});
}

void recountCohort(Tx& tx, Id cohort_id) {
  // In the order a sheet's writer takes the rows: the sessions' attended marks, the enrolments'
  // counters, then the cohort's row.
  tx.execute(
      "UPDATE sessions s JOIN totals_session_counts v ON v.session_id = s.id"
      " SET s.attended_marks = v.attended_marks WHERE s.cohort_id = ? AND v.session_id IN"
      " (SELECT id FROM sessions WHERE cohort_id = ?)",
      {cohort_id, cohort_id});
  tx.execute(
      "UPDATE enrolment_facts f JOIN totals_enrolment_counts v ON v.enrolment_id = f.enrolment_id"
      " SET f.attended = v.attended, f.excused = v.excused, f.marked = v.marked,"
      " f.attended_minutes = v.attended_minutes WHERE f.cohort_id = ?",
      {cohort_id});
  tx.execute(
      "UPDATE cohorts c JOIN totals_cohort_counts v ON v.cohort_id = c.id"
      " SET c.session_count = v.session_count, c.first_session_at = v.first_session_at,"
      " c.last_session_at = v.last_session_at, c.delivered_sessions = v.delivered_sessions"
      " WHERE c.id = ? AND v.cohort_id = ?",
      {cohort_id, cohort_id});
}

void refreshEnrolmentFacts(Tx& tx, Id enrolment_id) {
  tx.execute("DELETE FROM enrolment_facts WHERE enrolment_id = ?", {enrolment_id});
  tx.execute(
      "INSERT INTO enrolment_facts (programme_id, enrolment_id, participant_id, cohort_id, gender,"
      " birth_year, locality_id, affiliation, vulnerable, attended, excused, marked,"
      " attended_minutes, certified, waived)"
      " SELECT programme_id, enrolment_id, participant_id, cohort_id, gender, birth_year,"
      " locality_id, affiliation, vulnerable, attended, excused, marked, attended_minutes,"
      " certified, waived FROM totals_enrolment_counts WHERE enrolment_id = ?",
      {enrolment_id});
}

}  // namespace courses::mariadb
