-- Certificates: what was issued (a snapshot of everything printed), its PDF, its audit trail and
-- the gap-free counters of its serials; learner access codes; the names printed on certificates
-- (account display names, programme organisations) and the language of a course's certificates.
-- Every statement is idempotent: running the file again changes nothing.

ALTER TABLE accounts ADD COLUMN IF NOT EXISTS display_name VARCHAR(200) NOT NULL DEFAULT ''
  AFTER login;

-- A person has at most one learner account: an access code issued for a person finds "their"
-- account. The unique key also serves the foreign key on participant_id, so the plain one goes.
ALTER TABLE accounts ADD UNIQUE KEY IF NOT EXISTS uq_accounts_participant (participant_id);
ALTER TABLE accounts DROP KEY IF EXISTS ix_accounts_participant;

-- One code per account (issuing a new one replaces the old); only its hash is stored, compared
-- byte for byte.
CREATE TABLE IF NOT EXISTS access_codes (
  account_id BIGINT NOT NULL,
  code_hash VARBINARY(64) NOT NULL,
  expires_at DATETIME NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (account_id),
  UNIQUE KEY uq_access_codes_hash (code_hash),
  CONSTRAINT fk_access_codes_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The implementing organisations of a programme in the order they are printed (position 0 issues
-- the certificates).
CREATE TABLE IF NOT EXISTS programme_organisations (
  programme_id BIGINT NOT NULL,
  position SMALLINT UNSIGNED NOT NULL,
  name_kk VARCHAR(500) NOT NULL,
  name_ru VARCHAR(500) NOT NULL,
  name_en VARCHAR(500) NOT NULL,
  PRIMARY KEY (programme_id, position),
  CONSTRAINT fk_programme_organisations_programme FOREIGN KEY (programme_id)
    REFERENCES programmes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

ALTER TABLE courses ADD COLUMN IF NOT EXISTS
  certificate_language ENUM('kk', 'ru', 'en', 'all') NOT NULL DEFAULT 'all';

-- The last number given out in each serial series ("LSG-EKZ-IP-2019"). An issuing transaction
-- holds the row's lock until it commits, so numbers are handed out in order and never skipped.
CREATE TABLE IF NOT EXISTS certificate_series (
  series VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  last_number BIGINT NOT NULL,
  PRIMARY KEY (series)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- A certificate as issued: everything it prints is copied here at issue and never changes (only
-- the status moves from valid to revoked). trainers and organisations are lists of texts that hold
-- no control characters: every item ends with U+001E, and an organisation's kk/ru/en names are
-- separated by U+001F. valid_enrolment_id is the enrolment while the certificate is valid and NULL
-- once revoked: its unique key allows one valid certificate per enrolment and any number of
-- revoked ones.
CREATE TABLE IF NOT EXISTS certificates (
  id BIGINT NOT NULL AUTO_INCREMENT,
  serial VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  verification_token VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  enrolment_id BIGINT NOT NULL,
  participant_id BIGINT NOT NULL,
  cohort_id BIGINT NOT NULL,
  course_id BIGINT NOT NULL,
  programme_id BIGINT NOT NULL,
  language ENUM('kk', 'ru', 'en', 'all') NOT NULL,
  full_name VARCHAR(200) NOT NULL,
  track VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  title_kk VARCHAR(500) NOT NULL,
  title_ru VARCHAR(500) NOT NULL,
  title_en VARCHAR(500) NOT NULL,
  hours DECIMAL(7,2) NOT NULL,
  starts_on DATE NOT NULL,
  ends_on DATE NOT NULL,
  place VARCHAR(500) NOT NULL,
  locality_kk VARCHAR(200) NOT NULL,
  locality_ru VARCHAR(200) NOT NULL,
  locality_en VARCHAR(200) NOT NULL,
  sessions_attended INT NOT NULL,
  sessions_total INT NOT NULL,
  trainers TEXT NOT NULL,
  organisations TEXT NOT NULL,
  issuer_kk VARCHAR(500) NOT NULL,
  issuer_ru VARCHAR(500) NOT NULL,
  issuer_en VARCHAR(500) NOT NULL,
  waiver_reason VARCHAR(500) NULL,
  status ENUM('valid', 'revoked') NOT NULL,
  revoked_reason VARCHAR(500) NULL,
  revoked_at DATETIME NULL,
  revoked_by BIGINT NULL,
  issued_by BIGINT NULL,
  issued_at DATETIME NOT NULL,
  signature VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  etag VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  pdf_size BIGINT NOT NULL,
  valid_enrolment_id BIGINT AS (IF(status = 'valid', enrolment_id, NULL)) PERSISTENT,
  PRIMARY KEY (id),
  UNIQUE KEY uq_certificates_serial (serial),
  UNIQUE KEY uq_certificates_valid_enrolment (valid_enrolment_id),
  KEY ix_certificates_cohort (cohort_id, serial),
  KEY ix_certificates_participant (participant_id, id),
  KEY ix_certificates_enrolment (enrolment_id),
  KEY ix_certificates_course (course_id),
  KEY ix_certificates_programme (programme_id),
  KEY ix_certificates_revoked_by (revoked_by),
  KEY ix_certificates_issued_by (issued_by),
  CONSTRAINT fk_certificates_enrolment FOREIGN KEY (enrolment_id) REFERENCES enrolments (id),
  CONSTRAINT fk_certificates_participant FOREIGN KEY (participant_id) REFERENCES participants (id),
  CONSTRAINT fk_certificates_cohort FOREIGN KEY (cohort_id) REFERENCES cohorts (id),
  CONSTRAINT fk_certificates_course FOREIGN KEY (course_id) REFERENCES courses (id),
  CONSTRAINT fk_certificates_programme FOREIGN KEY (programme_id) REFERENCES programmes (id),
  CONSTRAINT fk_certificates_revoked_by FOREIGN KEY (revoked_by) REFERENCES accounts (id),
  CONSTRAINT fk_certificates_issued_by FOREIGN KEY (issued_by) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The rendered PDF, apart from the certificate's row so that listing certificates never reads
-- the bytes.
CREATE TABLE IF NOT EXISTS certificate_files (
  certificate_id BIGINT NOT NULL,
  pdf MEDIUMBLOB NOT NULL,
  PRIMARY KEY (certificate_id),
  CONSTRAINT fk_certificate_files_certificate FOREIGN KEY (certificate_id)
    REFERENCES certificates (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Issues (with the waiver's reason when the rule was waived) and revocations. account_id is NULL
-- for work done by the system itself.
CREATE TABLE IF NOT EXISTS certificate_audit (
  id BIGINT NOT NULL AUTO_INCREMENT,
  certificate_id BIGINT NOT NULL,
  action ENUM('issued', 'issued_with_waiver', 'revoked') NOT NULL,
  account_id BIGINT NULL,
  at DATETIME NOT NULL,
  reason VARCHAR(500) NULL,
  PRIMARY KEY (id),
  KEY ix_certificate_audit_certificate (certificate_id, id),
  KEY ix_certificate_audit_account (account_id),
  CONSTRAINT fk_certificate_audit_certificate FOREIGN KEY (certificate_id)
    REFERENCES certificates (id),
  CONSTRAINT fk_certificate_audit_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
