-- The best hand-written SQL for the figures of
--   GET /api/v1/totals?programme=BENCH&by=gender,district
-- on the data of totals-data.sql (programme 900, the whole period): every measure (enrolled,
-- reached, trained, trained_with_waiver, certified, sessions, participant_hours, attendance_rate)
-- for each gender × district cell, each gender and each district, and the total, counting
-- distinct people by the rules of courses/include/courses/totals.hpp. run-totals-bench times each
-- section (from its "-- @name" line to the next) with the mariadb client, output discarded.
--
-- The district is the home locality of the enrolment's snapshot rolled up the locality tree (up
-- to two levels: a village's or settlement's parent, or its grandparent).
-- A person is trained in a cell when some enrolment of theirs in it met its course's rule (late
-- counts, excused when the rule says so, a share of all the cohort's sessions rounded up, or all
-- of them), or holds a valid certificate issued with a waiver; trained_with_waiver counts those
-- trained in the cell only through a waiver. MariaDB has no GROUPING SETS: the cells and the
-- gender margins come from WITH ROLLUP, the district margins from a second grouping of the same
-- per-enrolment rows, which are therefore made once into a temporary table.

-- @raw: over the raw rows (enrolments, attendance, sessions, certificates).
SET SESSION max_heap_table_size = 268435456;
CREATE TEMPORARY TABLE hand_enrolments ENGINE=MEMORY AS
SELECT e.id, e.participant_id, e.snapshot_gender AS gender,
       CASE WHEN l.kind = 'district' THEN l.id
            WHEN p.kind = 'district' THEN p.id
            WHEN g.kind = 'district' THEN g.id END AS district_id,
       COALESCE(m.attended, 0) AS attended, COALESCE(m.marked, 0) AS marked,
       COALESCE(m.minutes, 0) AS minutes,
       c.sessions > 0 AND
         LEAST(COALESCE(m.attended, 0) + IF(co.excused_counts, COALESCE(m.excused, 0), 0),
               c.sessions) >=
         IF(co.require_all, c.sessions, CEIL(c.sessions * co.min_attendance_percent / 100))
         AS by_rule,
       v.id IS NOT NULL AS certified,
       v.waiver_reason IS NOT NULL AS waived
FROM enrolments e
JOIN cohorts ch ON ch.id = e.cohort_id
JOIN courses co ON co.id = ch.course_id AND co.programme_id = 900
JOIN (SELECT ch.id AS cohort_id, COUNT(s.id) AS sessions
      FROM cohorts ch LEFT JOIN sessions s ON s.cohort_id = ch.id GROUP BY ch.id) c
  ON c.cohort_id = e.cohort_id
LEFT JOIN (SELECT a.enrolment_id,
             SUM(a.status IN ('present', 'late')) AS attended,
             SUM(a.status = 'excused') AS excused,
             COUNT(*) AS marked,
             SUM(IF(a.status IN ('present', 'late'), s.duration_minutes, 0)) AS minutes
      FROM attendance a JOIN sessions s ON s.id = a.session_id
      GROUP BY a.enrolment_id) m ON m.enrolment_id = e.id
JOIN localities l ON l.id = e.snapshot_locality_id
LEFT JOIN localities p ON p.id = l.parent_id
LEFT JOIN localities g ON g.id = p.parent_id
LEFT JOIN certificates v ON v.valid_enrolment_id = e.id;

SELECT gender, district_id,
       COUNT(DISTINCT participant_id) AS enrolled,
       COUNT(DISTINCT IF(attended > 0, participant_id, NULL)) AS reached,
       COUNT(DISTINCT IF(by_rule OR waived, participant_id, NULL)) AS trained,
       COUNT(DISTINCT IF(by_rule OR waived, participant_id, NULL)) -
         COUNT(DISTINCT IF(by_rule, participant_id, NULL)) AS trained_with_waiver,
       COUNT(DISTINCT IF(certified, participant_id, NULL)) AS certified,
       SUM(minutes) / 60 AS participant_hours,
       SUM(attended) / NULLIF(SUM(marked), 0) AS attendance_rate
FROM hand_enrolments GROUP BY gender, district_id WITH ROLLUP;

SELECT district_id,
       COUNT(DISTINCT participant_id) AS enrolled,
       COUNT(DISTINCT IF(attended > 0, participant_id, NULL)) AS reached,
       COUNT(DISTINCT IF(by_rule OR waived, participant_id, NULL)) AS trained,
       COUNT(DISTINCT IF(by_rule OR waived, participant_id, NULL)) -
         COUNT(DISTINCT IF(by_rule, participant_id, NULL)) AS trained_with_waiver,
       COUNT(DISTINCT IF(certified, participant_id, NULL)) AS certified,
       SUM(minutes) / 60 AS participant_hours,
       SUM(attended) / NULLIF(SUM(marked), 0) AS attendance_rate
FROM hand_enrolments GROUP BY district_id;

-- Sessions delivered (someone present or late) exist only for the total: gender cuts cohorts.
SELECT COUNT(DISTINCT s.id) AS sessions
FROM sessions s
JOIN cohorts ch ON ch.id = s.cohort_id
JOIN courses co ON co.id = ch.course_id AND co.programme_id = 900
JOIN attendance a ON a.session_id = s.id AND a.status IN ('present', 'late');

DROP TEMPORARY TABLE hand_enrolments;

-- @aggregates: over the aggregates kept with the raw rows (enrolment_facts, cohorts' counters).
SET SESSION max_heap_table_size = 268435456;
CREATE TEMPORARY TABLE hand_enrolments ENGINE=MEMORY AS
SELECT f.enrolment_id AS id, f.participant_id, f.gender,
       CASE WHEN l.kind = 'district' THEN l.id
            WHEN p.kind = 'district' THEN p.id
            WHEN g.kind = 'district' THEN g.id END AS district_id,
       f.attended, f.marked, f.attended_minutes AS minutes,
       ch.session_count > 0 AND
         LEAST(f.attended + IF(co.excused_counts, f.excused, 0), ch.session_count) >=
         IF(co.require_all, ch.session_count,
            CEIL(ch.session_count * co.min_attendance_percent / 100)) AS by_rule,
       f.certified, f.certified AND f.waived AS waived
FROM enrolment_facts f
JOIN cohorts ch ON ch.id = f.cohort_id
JOIN courses co ON co.id = ch.course_id
JOIN localities l ON l.id = f.locality_id
LEFT JOIN localities p ON p.id = l.parent_id
LEFT JOIN localities g ON g.id = p.parent_id
WHERE f.programme_id = 900;

SELECT gender, district_id,
       COUNT(DISTINCT participant_id) AS enrolled,
       COUNT(DISTINCT IF(attended > 0, participant_id, NULL)) AS reached,
       COUNT(DISTINCT IF(by_rule OR waived, participant_id, NULL)) AS trained,
       COUNT(DISTINCT IF(by_rule OR waived, participant_id, NULL)) -
         COUNT(DISTINCT IF(by_rule, participant_id, NULL)) AS trained_with_waiver,
       COUNT(DISTINCT IF(certified, participant_id, NULL)) AS certified,
       SUM(minutes) / 60 AS participant_hours,
       SUM(attended) / NULLIF(SUM(marked), 0) AS attendance_rate
FROM hand_enrolments GROUP BY gender, district_id WITH ROLLUP;

SELECT district_id,
       COUNT(DISTINCT participant_id) AS enrolled,
       COUNT(DISTINCT IF(attended > 0, participant_id, NULL)) AS reached,
       COUNT(DISTINCT IF(by_rule OR waived, participant_id, NULL)) AS trained,
       COUNT(DISTINCT IF(by_rule OR waived, participant_id, NULL)) -
         COUNT(DISTINCT IF(by_rule, participant_id, NULL)) AS trained_with_waiver,
       COUNT(DISTINCT IF(certified, participant_id, NULL)) AS certified,
       SUM(minutes) / 60 AS participant_hours,
       SUM(attended) / NULLIF(SUM(marked), 0) AS attendance_rate
FROM hand_enrolments GROUP BY district_id;

SELECT SUM(ch.delivered_sessions) AS sessions
FROM cohorts ch JOIN courses co ON co.id = ch.course_id AND co.programme_id = 900;

DROP TEMPORARY TABLE hand_enrolments;
