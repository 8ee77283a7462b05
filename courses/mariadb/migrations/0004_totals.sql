-- Totals: each programme's youth band and targets, and the aggregates totals read instead of the
-- raw rows. The raw rows stay the truth: every aggregate is changed in the same transaction as the
-- rows it sums (enrolling, an attendance PUT, adding a session, issuing or revoking a certificate),
-- and the totals_*_counts views below compute the same figures from the raw rows. The back-fill at
-- the end of this file and `qatysu totals rebuild` (Store::rebuildTotals) copy the views into the
-- aggregates; `qatysu totals check` (Store::checkTotals) counts where they differ.
-- Every statement is idempotent: running the file again changes nothing.

-- The youth age band of a programme's totals, both ends inclusive.
ALTER TABLE programmes
  ADD COLUMN IF NOT EXISTS youth_from TINYINT UNSIGNED NOT NULL DEFAULT 14,
  ADD COLUMN IF NOT EXISTS youth_to TINYINT UNSIGNED NOT NULL DEFAULT 35;

-- A cohort's sessions in short (sessions are never edited or deleted, so adding one is the only
-- change): how many, the first and last start, and how many were delivered (someone was present
-- or late).
ALTER TABLE cohorts
  ADD COLUMN IF NOT EXISTS session_count INT NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS first_session_at DATETIME NULL,
  ADD COLUMN IF NOT EXISTS last_session_at DATETIME NULL,
  ADD COLUMN IF NOT EXISTS delivered_sessions INT NOT NULL DEFAULT 0;

-- Present or late marks of the session's own enrolments.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS attended_marks INT NOT NULL DEFAULT 0;

-- One row per enrolment, clustered by programme so that a programme's totals read one primary-key
-- range. The snapshot columns copy the enrolment's. The counters cover all the cohort's sessions:
-- attended (present or late), excused, marked (any status) and the minutes of the attended
-- sessions. certified: the enrolment holds a valid certificate; waived: it was issued with a
-- waiver.
CREATE TABLE IF NOT EXISTS enrolment_facts (
  programme_id BIGINT NOT NULL,
  enrolment_id BIGINT NOT NULL,
  participant_id BIGINT NOT NULL,
  cohort_id BIGINT NOT NULL,
  gender ENUM('female', 'male', 'undisclosed') NOT NULL,
  birth_year SMALLINT NOT NULL,
  locality_id BIGINT NOT NULL,
  affiliation ENUM('local_government', 'civil_society', 'community_member', 'entrepreneur',
                   'public_servant', 'other') NOT NULL,
  vulnerable TINYINT UNSIGNED NOT NULL,
  attended INT NOT NULL DEFAULT 0,
  excused INT NOT NULL DEFAULT 0,
  marked INT NOT NULL DEFAULT 0,
  attended_minutes BIGINT NOT NULL DEFAULT 0,
  certified TINYINT(1) NOT NULL DEFAULT 0,
  waived TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (programme_id, enrolment_id),
  UNIQUE KEY uq_enrolment_facts_enrolment (enrolment_id),
  CONSTRAINT fk_enrolment_facts_enrolment FOREIGN KEY (enrolment_id) REFERENCES enrolments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Targets set by administrators: measure (a courses::Measure wire name) in track ('' for the whole
-- programme) should reach value.
CREATE TABLE IF NOT EXISTS programme_targets (
  programme_id BIGINT NOT NULL,
  measure VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  track VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (programme_id, measure, track),
  CONSTRAINT fk_programme_targets_programme FOREIGN KEY (programme_id) REFERENCES programmes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The aggregates as the raw rows give them. A mark counts only when its enrolment belongs to the
-- session's cohort (the service stores no other).
CREATE OR REPLACE SQL SECURITY INVOKER VIEW totals_session_counts AS
SELECT s.id AS session_id, COUNT(e.id) AS attended_marks
FROM sessions s
LEFT JOIN attendance a ON a.session_id = s.id AND a.status IN ('present', 'late')
LEFT JOIN enrolments e ON e.id = a.enrolment_id AND e.cohort_id = s.cohort_id
GROUP BY s.id;

-- delivered_sessions reads sessions.attended_marks: rebuild the sessions first.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW totals_cohort_counts AS
SELECT c.id AS cohort_id, COUNT(s.id) AS session_count, MIN(s.starts_at) AS first_session_at,
       MAX(s.starts_at) AS last_session_at,
       CAST(COALESCE(SUM(s.attended_marks > 0), 0) AS INT) AS delivered_sessions
FROM cohorts c
LEFT JOIN sessions s ON s.cohort_id = c.id
GROUP BY c.id;

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
  JOIN sessions s ON s.id = a.session_id
  JOIN enrolments ae ON ae.id = a.enrolment_id AND ae.cohort_id = s.cohort_id
  GROUP BY a.enrolment_id
) m ON m.enrolment_id = e.id
LEFT JOIN certificates v ON v.valid_enrolment_id = e.id;

-- The back-fill: the same statements as Store::rebuildTotals (courses/mariadb/src/store.cpp).
UPDATE sessions s JOIN totals_session_counts v ON v.session_id = s.id
SET s.attended_marks = v.attended_marks;

UPDATE cohorts c JOIN totals_cohort_counts v ON v.cohort_id = c.id
SET c.session_count = v.session_count, c.first_session_at = v.first_session_at,
    c.last_session_at = v.last_session_at, c.delivered_sessions = v.delivered_sessions;

INSERT INTO enrolment_facts (programme_id, enrolment_id, participant_id, cohort_id, gender,
                             birth_year, locality_id, affiliation, vulnerable, attended, excused,
                             marked, attended_minutes, certified, waived)
SELECT programme_id, enrolment_id, participant_id, cohort_id, gender, birth_year, locality_id,
       affiliation, vulnerable, attended, excused, marked, attended_minutes, certified, waived
FROM totals_enrolment_counts
ON DUPLICATE KEY UPDATE programme_id = VALUES(programme_id),
  participant_id = VALUES(participant_id), cohort_id = VALUES(cohort_id), gender = VALUES(gender),
  birth_year = VALUES(birth_year), locality_id = VALUES(locality_id),
  affiliation = VALUES(affiliation), vulnerable = VALUES(vulnerable), attended = VALUES(attended),
  excused = VALUES(excused), marked = VALUES(marked), attended_minutes = VALUES(attended_minutes),
  certified = VALUES(certified), waived = VALUES(waived);
