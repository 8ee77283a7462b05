-- A person's data rights (courses/data_rights.hpp). An erased person's valid certificates are
-- revoked "at the holder's request" and lose the name and the PDF, but they were earned: the
-- donor's figures must not change, so such a certificate still counts as issued in the totals.
-- certificates.erased_at says it was revoked by an erasure; counted_enrolment_id is the
-- enrolment a certificate counts for (a valid one, or one revoked by an erasure), at most one
-- per enrolment. The enrolments' view counts those (0009_corrections.sql made it; unchanged
-- otherwise). Every statement is idempotent: running the file again changes nothing.

ALTER TABLE certificates
  ADD COLUMN IF NOT EXISTS erased_at DATETIME NULL,
  ADD COLUMN IF NOT EXISTS counted_enrolment_id BIGINT
    AS (IF(status = 'valid' OR erased_at IS NOT NULL, enrolment_id, NULL)) PERSISTENT,
  ADD UNIQUE KEY IF NOT EXISTS uq_certificates_counted_enrolment (counted_enrolment_id);

CREATE OR REPLACE SQL SECURITY INVOKER VIEW totals_enrolment_counts AS
SELECT co.programme_id, e.id AS enrolment_id, e.participant_id, e.cohort_id,
       e.snapshot_gender AS gender, e.snapshot_birth_year AS birth_year,
       e.snapshot_locality_id AS locality_id, e.snapshot_affiliation AS affiliation,
       e.snapshot_vulnerable AS vulnerable,
       COALESCE(m.attended, 0) AS attended, COALESCE(m.excused, 0) AS excused,
       COALESCE(m.marked, 0) AS marked, COALESCE(m.attended_minutes, 0) AS attended_minutes,
       v.id IS NOT NULL AS certified, v.waiver_reason IS NOT NULL AS waived
FROM enrolments e
JOIN cohorts c ON c.id = e.cohort_id
JOIN courses co ON co.id = c.course_id
LEFT JOIN (
  SELECT a.enrolment_id, SUM(a.status IN ('present', 'late')) AS attended,
         SUM(a.status = 'excused') AS excused, COUNT(*) AS marked,
         SUM(IF(a.status IN ('present', 'late'), s.duration_minutes, 0)) AS attended_minutes
  FROM attendance a
  JOIN sessions s ON s.id = a.session_id AND s.cancelled_at IS NULL
  JOIN enrolments ae ON ae.id = a.enrolment_id AND ae.cohort_id = s.cohort_id
  GROUP BY a.enrolment_id
) m ON m.enrolment_id = e.id
LEFT JOIN certificates v ON v.counted_enrolment_id = e.id
WHERE e.withdrawn_at IS NULL;
