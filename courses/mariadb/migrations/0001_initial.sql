-- Qatysu schema, first version. Every statement is idempotent: running the file again changes
-- nothing. InnoDB, utf8mb4; timestamps are DATETIME in UTC (the connections' time zone is +00:00).
-- Columns naming who did something (created_by, registered_by, marked_by, changed_by) are NULL
-- for work done by the system itself (imports, demo data) rather than by an account.

CREATE TABLE IF NOT EXISTS accounts (
  id BIGINT NOT NULL AUTO_INCREMENT,
  login VARCHAR(100) NOT NULL,
  role ENUM('admin', 'trainer', 'learner') NOT NULL,
  password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  participant_id BIGINT NULL,
  disabled TINYINT(1) NOT NULL DEFAULT 0,
  failed_logins INT NOT NULL DEFAULT 0,
  locked_until DATETIME NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_accounts_login (login),
  KEY ix_accounts_participant (participant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS auth_tokens (
  token_hash VARBINARY(64) NOT NULL,
  account_id BIGINT NOT NULL,
  expires_at DATETIME NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (token_hash),
  KEY ix_auth_tokens_account (account_id, expires_at),
  CONSTRAINT fk_auth_tokens_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS programmes (
  id BIGINT NOT NULL AUTO_INCREMENT,
  code VARCHAR(32) NOT NULL,
  title_kk VARCHAR(500) NOT NULL,
  title_ru VARCHAR(500) NOT NULL,
  title_en VARCHAR(500) NOT NULL,
  donor VARCHAR(500) NOT NULL,
  starts_on DATE NOT NULL,
  ends_on DATE NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_programmes_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS localities (
  id BIGINT NOT NULL AUTO_INCREMENT,
  parent_id BIGINT NULL,
  kind ENUM('region', 'district', 'settlement', 'rural_district', 'village') NOT NULL,
  name_kk VARCHAR(200) NOT NULL,
  name_ru VARCHAR(200) NOT NULL,
  name_en VARCHAR(200) NOT NULL,
  kato VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_localities_kato (kato),
  KEY ix_localities_parent (parent_id, id),
  CONSTRAINT fk_localities_parent FOREIGN KEY (parent_id) REFERENCES localities (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS courses (
  id BIGINT NOT NULL AUTO_INCREMENT,
  programme_id BIGINT NOT NULL,
  track VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  title_kk VARCHAR(500) NOT NULL,
  title_ru VARCHAR(500) NOT NULL,
  title_en VARCHAR(500) NOT NULL,
  hours DECIMAL(7,2) NOT NULL,
  min_attendance_percent TINYINT UNSIGNED NOT NULL,
  excused_counts TINYINT(1) NOT NULL,
  require_all TINYINT(1) NOT NULL,
  gives_certificate TINYINT(1) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_courses_programme (programme_id, id),
  KEY ix_courses_track (track),
  CONSTRAINT fk_courses_programme FOREIGN KEY (programme_id) REFERENCES programmes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS cohorts (
  id BIGINT NOT NULL AUTO_INCREMENT,
  course_id BIGINT NOT NULL,
  locality_id BIGINT NOT NULL,
  place VARCHAR(500) NOT NULL,
  starts_on DATE NOT NULL,
  ends_on DATE NOT NULL,
  language ENUM('kk', 'ru', 'en') NOT NULL,
  PRIMARY KEY (id),
  KEY ix_cohorts_course (course_id, id),
  KEY ix_cohorts_locality (locality_id),
  CONSTRAINT fk_cohorts_course FOREIGN KEY (course_id) REFERENCES courses (id),
  CONSTRAINT fk_cohorts_locality FOREIGN KEY (locality_id) REFERENCES localities (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS cohort_trainers (
  cohort_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  PRIMARY KEY (cohort_id, account_id),
  KEY ix_cohort_trainers_account (account_id, cohort_id),
  CONSTRAINT fk_cohort_trainers_cohort FOREIGN KEY (cohort_id) REFERENCES cohorts (id),
  CONSTRAINT fk_cohort_trainers_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS sessions (
  id BIGINT NOT NULL AUTO_INCREMENT,
  cohort_id BIGINT NOT NULL,
  starts_at DATETIME NOT NULL,
  duration_minutes INT NOT NULL,
  topic VARCHAR(500) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_sessions_cohort (cohort_id, starts_at, id),
  CONSTRAINT fk_sessions_cohort FOREIGN KEY (cohort_id) REFERENCES cohorts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- name_key is compared byte for byte: courses::nameMatchKey alone decides which spellings match.
CREATE TABLE IF NOT EXISTS participants (
  id BIGINT NOT NULL AUTO_INCREMENT,
  full_name VARCHAR(200) NOT NULL,
  name_key VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  birth_year SMALLINT NOT NULL,
  locality_id BIGINT NOT NULL,
  gender ENUM('female', 'male', 'undisclosed') NOT NULL,
  affiliation ENUM('local_government', 'civil_society', 'community_member', 'entrepreneur',
                   'public_servant', 'other') NOT NULL,
  vulnerable TINYINT UNSIGNED NOT NULL DEFAULT 0,
  phone VARCHAR(32) NULL,
  email VARCHAR(254) NULL,
  consent TINYINT(1) NOT NULL,
  created_by BIGINT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY ix_participants_key (name_key, birth_year, locality_id),
  KEY ix_participants_locality (locality_id),
  KEY ix_participants_created_by (created_by),
  CONSTRAINT fk_participants_locality FOREIGN KEY (locality_id) REFERENCES localities (id),
  CONSTRAINT fk_participants_created_by FOREIGN KEY (created_by) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

ALTER TABLE accounts ADD CONSTRAINT fk_accounts_participant
  FOREIGN KEY IF NOT EXISTS (participant_id) REFERENCES participants (id);

CREATE TABLE IF NOT EXISTS participant_access (
  participant_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  PRIMARY KEY (participant_id, account_id),
  KEY ix_participant_access_account (account_id, participant_id),
  CONSTRAINT fk_participant_access_participant FOREIGN KEY (participant_id)
    REFERENCES participants (id),
  CONSTRAINT fk_participant_access_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- snapshot_*: the participant's demographics when enrolled; totals read these, never the profile.
CREATE TABLE IF NOT EXISTS enrolments (
  id BIGINT NOT NULL AUTO_INCREMENT,
  participant_id BIGINT NOT NULL,
  cohort_id BIGINT NOT NULL,
  registered_by BIGINT NULL,
  registered_at DATETIME NOT NULL,
  snapshot_gender ENUM('female', 'male', 'undisclosed') NOT NULL,
  snapshot_birth_year SMALLINT NOT NULL,
  snapshot_locality_id BIGINT NOT NULL,
  snapshot_affiliation ENUM('local_government', 'civil_society', 'community_member',
                            'entrepreneur', 'public_servant', 'other') NOT NULL,
  snapshot_vulnerable TINYINT UNSIGNED NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_enrolments_pair (participant_id, cohort_id),
  KEY ix_enrolments_cohort (cohort_id, id),
  KEY ix_enrolments_registered_by (registered_by),
  KEY ix_enrolments_snapshot_locality (snapshot_locality_id),
  CONSTRAINT fk_enrolments_participant FOREIGN KEY (participant_id) REFERENCES participants (id),
  CONSTRAINT fk_enrolments_cohort FOREIGN KEY (cohort_id) REFERENCES cohorts (id),
  CONSTRAINT fk_enrolments_registered_by FOREIGN KEY (registered_by) REFERENCES accounts (id),
  CONSTRAINT fk_enrolments_snapshot_locality FOREIGN KEY (snapshot_locality_id)
    REFERENCES localities (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- An Idempotency-Key is the client's: compared byte for byte, scoped to the account sending it.
CREATE TABLE IF NOT EXISTS enrolment_idempotency (
  account_id BIGINT NOT NULL,
  idem_key VARBINARY(255) NOT NULL,
  enrolment_id BIGINT NOT NULL,
  participant_id BIGINT NOT NULL,
  cohort_id BIGINT NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (account_id, idem_key),
  KEY ix_enrolment_idempotency_enrolment (enrolment_id),
  CONSTRAINT fk_enrolment_idempotency_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT fk_enrolment_idempotency_enrolment FOREIGN KEY (enrolment_id)
    REFERENCES enrolments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS attendance (
  session_id BIGINT NOT NULL,
  enrolment_id BIGINT NOT NULL,
  status ENUM('present', 'late', 'excused', 'absent') NOT NULL,
  marked_by BIGINT NULL,
  marked_at DATETIME NOT NULL,
  PRIMARY KEY (session_id, enrolment_id),
  KEY ix_attendance_enrolment (enrolment_id, session_id),
  KEY ix_attendance_marked_by (marked_by),
  CONSTRAINT fk_attendance_session FOREIGN KEY (session_id) REFERENCES sessions (id),
  CONSTRAINT fk_attendance_enrolment FOREIGN KEY (enrolment_id) REFERENCES enrolments (id),
  CONSTRAINT fk_attendance_marked_by FOREIGN KEY (marked_by) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Every change of an attendance status; old_status is NULL for the first mark. Rows are only
-- ever inserted, and only together with the attendance row they describe, so they carry no
-- foreign keys (which would cost the attendance PUT a lookup per row for nothing).
CREATE TABLE IF NOT EXISTS attendance_audit (
  id BIGINT NOT NULL AUTO_INCREMENT,
  session_id BIGINT NOT NULL,
  enrolment_id BIGINT NOT NULL,
  old_status ENUM('present', 'late', 'excused', 'absent') NULL,
  new_status ENUM('present', 'late', 'excused', 'absent') NOT NULL,
  changed_by BIGINT NULL,
  changed_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY ix_attendance_audit_pair (session_id, enrolment_id, id),
  KEY ix_attendance_audit_enrolment (enrolment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
