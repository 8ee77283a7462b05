-- A generated programme for the totals benchmark: 100,000 participants, 10,000 cohorts of 20
-- enrolments each (200,000 enrolments), 5 sessions per cohort (50,000 sessions) and one attendance
-- row per enrolment and session (1,000,000 rows), ~40,000 valid certificates. Deterministic: the
-- same file gives the same rows. Uses MariaDB's Sequence engine (seq_1_to_N tables).
SET SESSION sql_log_bin = 0;
SET unique_checks = 0;
SET foreign_key_checks = 0;

INSERT INTO programmes (id, code, title_kk, title_ru, title_en, donor, starts_on, ends_on)
VALUES (900, 'BENCH', 'Бағдарлама', 'Программа', 'Benchmark programme', 'Donor', '2017-02-01', '2020-01-31');

-- 2 regions, 6 districts, 60 settlements.
INSERT INTO localities (id, parent_id, kind, name_kk, name_ru, name_en)
SELECT 9000 + seq, NULL, 'region', CONCAT('Облыс ', seq), CONCAT('Область ', seq), CONCAT('Region ', seq)
FROM seq_1_to_2;
INSERT INTO localities (id, parent_id, kind, name_kk, name_ru, name_en)
SELECT 9100 + seq, 9001 + (seq % 2), 'district', CONCAT('Аудан ', seq), CONCAT('Район ', seq),
       CONCAT('District ', seq)
FROM seq_1_to_6;
INSERT INTO localities (id, parent_id, kind, name_kk, name_ru, name_en)
SELECT 9200 + seq, 9101 + (seq % 6), 'village', CONCAT('Ауыл ', seq), CONCAT('Село ', seq),
       CONCAT('Village ', seq)
FROM seq_1_to_60;

-- 4 tracks × 10 courses.
INSERT INTO courses (id, programme_id, track, title_kk, title_ru, title_en, hours,
                     min_attendance_percent, excused_counts, require_all, gives_certificate)
SELECT 9000 + seq, 900,
       ELT(1 + (seq % 4), 'inclusive_planning', 'entrepreneurship', 'study_visit', 'information_event'),
       CONCAT('Курс ', seq), CONCAT('Курс ', seq), CONCAT('Course ', seq), 10,
       IF(seq % 4 = 2, 100, 80), seq % 2, IF(seq % 4 = 2, 1, 0), 1
FROM seq_1_to_40;

-- Cohorts spread over three years, each lasting five days.
INSERT INTO cohorts (id, course_id, locality_id, place, starts_on, ends_on, language)
SELECT seq, 9001 + (seq % 40), 9201 + (seq % 60), 'Hall',
       DATE_ADD('2017-02-01', INTERVAL (seq * 7919) % 1090 DAY),
       DATE_ADD('2017-02-01', INTERVAL (seq * 7919) % 1090 + 4 DAY), 'kk'
FROM seq_1_to_10000;

INSERT INTO sessions (id, cohort_id, starts_at, duration_minutes, topic)
SELECT (c.id - 1) * 5 + d.seq, c.id, TIMESTAMP(DATE_ADD(c.starts_on, INTERVAL d.seq - 1 DAY), '09:00:00'),
       120, 'Topic'
FROM cohorts c JOIN seq_1_to_5 d WHERE c.id <= 10000;

INSERT INTO participants (id, full_name, name_key, birth_year, locality_id, gender, affiliation,
                          vulnerable, consent, created_at, updated_at)
SELECT seq, CONCAT('Person ', seq), CONCAT('person ', seq), 1940 + (seq * 31) % 66,
       9201 + (seq * 13) % 60, ELT(1 + (seq * 7) % 3, 'female', 'male', 'undisclosed'),
       ELT(1 + (seq * 11) % 6, 'local_government', 'civil_society', 'community_member',
           'entrepreneur', 'public_servant', 'other'),
       (seq * 37) % 64, 1, '2017-01-01', '2017-01-01'
FROM seq_1_to_100000;

-- Enrolment k of cohort c: person ((c * 20 + k) * 7) mod 100000 + 1 — every person twice.
INSERT INTO enrolments (id, participant_id, cohort_id, registered_at, snapshot_gender,
                        snapshot_birth_year, snapshot_locality_id, snapshot_affiliation,
                        snapshot_vulnerable)
SELECT (c.seq - 1) * 20 + k.seq, p.id, c.seq, '2017-01-01', p.gender, p.birth_year, p.locality_id,
       p.affiliation, p.vulnerable
FROM seq_1_to_10000 c JOIN seq_1_to_20 k
JOIN participants p ON p.id = (((c.seq - 1) * 20 + k.seq) * 7) % 100000 + 1;

-- Statuses: mostly present, some late, excused and absent.
INSERT INTO attendance (session_id, enrolment_id, status, marked_at)
SELECT s.id, e.id,
       ELT(1 + ((e.id * 17 + s.id * 5) % 20), 'present', 'present', 'present', 'present', 'present',
           'present', 'present', 'present', 'present', 'present', 'present', 'present', 'late',
           'late', 'excused', 'absent', 'absent', 'present', 'present', 'absent'),
       s.starts_at
FROM sessions s JOIN enrolments e ON e.cohort_id = s.cohort_id
WHERE s.id <= 50000;

-- A valid certificate for every fifth enrolment (40,000), one in ten of them issued with a
-- waiver. Not every holder met the rule: the totals count certificates as stored.
INSERT INTO certificates (serial, verification_token, enrolment_id, participant_id, cohort_id,
                          course_id, programme_id, language, full_name, track, title_kk, title_ru,
                          title_en, hours, starts_on, ends_on, place, locality_kk, locality_ru,
                          locality_en, sessions_attended, sessions_total, trainers, organisations,
                          issuer_kk, issuer_ru, issuer_en, waiver_reason, status, issued_at,
                          signature, etag, pdf_size)
SELECT CONCAT('BENCH-', e.id), LPAD(HEX(e.id), 22, '0'), e.id, e.participant_id, e.cohort_id,
       c.course_id, 900, 'kk', CONCAT('Person ', e.participant_id), co.track, co.title_kk,
       co.title_ru, co.title_en, co.hours, c.starts_on, c.ends_on, c.place, 'Ауыл', 'Село',
       'Village', 5, 5, '', '', 'Ұйым', 'Организация', 'Organisation',
       IF(e.id % 50 = 0, 'Bench waiver', NULL), 'valid', TIMESTAMP(c.ends_on, '18:00:00'),
       'signature', 'etag', 0
FROM enrolments e
JOIN cohorts c ON c.id = e.cohort_id
JOIN courses co ON co.id = c.course_id
WHERE e.id % 5 = 0 AND e.id <= 200000;

SET foreign_key_checks = 1;
SET unique_checks = 1;
