-- Corrections. Every row a user can edit carries a version, raised by one with each change (its
-- ETag: an edit names the version it was based on, and a stale one is refused). Sessions can be
-- cancelled, enrolments withdrawn, and a person merged into another record, erased, or their
-- consent recorded as withdrawn; nothing of it deletes a row. Every change is one row of
-- `changes` (who, when, why) with each field's old and new value in `change_fields`.
-- Counting (courses/totals.hpp): a cancelled session is not held (it counts nowhere: not in a
-- cohort's sessions, not in anyone's attendance), and a withdrawn enrolment counts in no measure
-- (its marks stay in `attendance` and `attendance_audit`, unshown). The views below say so for
-- `qatysu totals rebuild|check`; the services keep the aggregates to the same rule.
-- Every statement is idempotent: running the file again changes nothing.

ALTER TABLE programmes
  ADD COLUMN IF NOT EXISTS version INT NOT NULL DEFAULT 1,
  -- Contacts of the programme's people are erased this many years after it ends (NULL: kept).
  ADD COLUMN IF NOT EXISTS retention_years TINYINT UNSIGNED NULL;
ALTER TABLE courses ADD COLUMN IF NOT EXISTS version INT NOT NULL DEFAULT 1;
ALTER TABLE localities ADD COLUMN IF NOT EXISTS version INT NOT NULL DEFAULT 1;
ALTER TABLE cohorts ADD COLUMN IF NOT EXISTS version INT NOT NULL DEFAULT 1;

ALTER TABLE sessions
  ADD COLUMN IF NOT EXISTS version INT NOT NULL DEFAULT 1,
  ADD COLUMN IF NOT EXISTS cancelled_at DATETIME NULL,
  ADD COLUMN IF NOT EXISTS cancelled_by BIGINT NULL,
  ADD COLUMN IF NOT EXISTS cancel_reason VARCHAR(500) NULL;

ALTER TABLE participants
  ADD COLUMN IF NOT EXISTS version INT NOT NULL DEFAULT 1,
  -- Set when this record was merged into another one (the record kept); it is then shown nowhere.
  ADD COLUMN IF NOT EXISTS merged_into BIGINT NULL,
  ADD COLUMN IF NOT EXISTS erased_at DATETIME NULL,
  ADD COLUMN IF NOT EXISTS consent_withdrawn_at DATETIME NULL;

ALTER TABLE enrolments
  ADD COLUMN IF NOT EXISTS version INT NOT NULL DEFAULT 1,
  ADD COLUMN IF NOT EXISTS withdrawn_at DATETIME NULL,
  ADD COLUMN IF NOT EXISTS withdrawn_by BIGINT NULL,
  ADD COLUMN IF NOT EXISTS withdraw_reason VARCHAR(500) NULL;

-- One row per change of one entity, with its fields in change_fields. participant_id: the person
-- the change concerns, so a person's history also shows their enrolments, merges and erasure.
-- undo_data: what an undoable change (a merge) needs to be reversed, as JSON. account_id is NULL for
-- the command line's operator and for the system itself (retention).
CREATE TABLE IF NOT EXISTS changes (
  id BIGINT NOT NULL AUTO_INCREMENT,
  entity ENUM('programme', 'course', 'locality', 'cohort', 'session', 'participant',
              'enrolment') NOT NULL,
  entity_id BIGINT NOT NULL,
  version INT NOT NULL,
  action VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  participant_id BIGINT NULL,
  account_id BIGINT NULL,
  at DATETIME NOT NULL,
  reason VARCHAR(500) NULL,
  undo_data LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL
    CHECK (undo_data IS NULL OR JSON_VALID(undo_data)),
  PRIMARY KEY (id),
  KEY ix_changes_entity (entity, entity_id, id),
  KEY ix_changes_participant (participant_id, id),
  KEY ix_changes_account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Each field a change changed, in the order written: its old and new value as the API's JSON text
-- of the value ("\"Talgat\"", "1987", "null"). An erased person's old values are blanked to "null".
CREATE TABLE IF NOT EXISTS change_fields (
  change_id BIGINT NOT NULL,
  position SMALLINT NOT NULL,
  field VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  old_value TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  new_value TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  PRIMARY KEY (change_id, position),
  CONSTRAINT fk_change_fields_change FOREIGN KEY (change_id) REFERENCES changes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The aggregates as the raw rows give them, now without cancelled sessions and withdrawn
-- enrolments (0004_totals.sql made them first).
CREATE OR REPLACE SQL SECURITY INVOKER VIEW totals_session_counts AS
SELECT s.id AS session_id, COUNT(e.id) AS attended_marks
FROM sessions s
LEFT JOIN attendance a ON a.session_id = s.id AND a.status IN ('present', 'late')
LEFT JOIN enrolments e ON e.id = a.enrolment_id AND e.cohort_id = s.cohort_id
                      AND e.withdrawn_at IS NULL
GROUP BY s.id;

CREATE OR REPLACE SQL SECURITY INVOKER VIEW totals_cohort_counts AS
SELECT c.id AS cohort_id, COUNT(s.id) AS session_count, MIN(s.starts_at) AS first_session_at,
       MAX(s.starts_at) AS last_session_at,
       CAST(COALESCE(SUM(s.attended_marks > 0), 0) AS INT) AS delivered_sessions
FROM cohorts c
LEFT JOIN sessions s ON s.cohort_id = c.id AND s.cancelled_at IS NULL
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
  JOIN sessions s ON s.id = a.session_id AND s.cancelled_at IS NULL
  JOIN enrolments ae ON ae.id = a.enrolment_id AND ae.cohort_id = s.cohort_id
  GROUP BY a.enrolment_id
) m ON m.enrolment_id = e.id
LEFT JOIN certificates v ON v.valid_enrolment_id = e.id
WHERE e.withdrawn_at IS NULL;

-- The back-fill's last step (Store::rebuildTotals runs it after 0004's): an enrolment the views no
-- longer count (withdrawn) has no aggregate row.
DELETE f FROM enrolment_facts f
LEFT JOIN totals_enrolment_counts v ON v.enrolment_id = f.enrolment_id
WHERE v.enrolment_id IS NULL;
