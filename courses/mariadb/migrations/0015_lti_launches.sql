-- LTI 1.3 launches (courses/lti.hpp): the nonces launches used (each once; kept until their
-- id_token would be refused anyway), the platform users linked to Qatysu accounts, and the
-- platform contexts (courses) linked to cohorts. Every statement is idempotent.

CREATE TABLE IF NOT EXISTS lti_nonces (
  platform_id BIGINT NOT NULL,
  nonce VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  expires_at DATETIME NOT NULL,
  PRIMARY KEY (platform_id, nonce),
  KEY ix_lti_nonces_expires (expires_at),
  CONSTRAINT fk_lti_nonces_platform FOREIGN KEY (platform_id) REFERENCES lti_platforms (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- `sub` is at most 255 characters (OpenID Connect Core section 2), case-sensitive.
CREATE TABLE IF NOT EXISTS lti_users (
  platform_id BIGINT NOT NULL,
  subject VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  account_id BIGINT NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (platform_id, subject),
  KEY ix_lti_users_account (account_id),
  CONSTRAINT fk_lti_users_platform FOREIGN KEY (platform_id) REFERENCES lti_platforms (id),
  CONSTRAINT fk_lti_users_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS lti_contexts (
  platform_id BIGINT NOT NULL,
  context_id VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  cohort_id BIGINT NOT NULL,
  linked_at DATETIME NOT NULL,
  PRIMARY KEY (platform_id, context_id),
  KEY ix_lti_contexts_cohort (cohort_id),
  CONSTRAINT fk_lti_contexts_platform FOREIGN KEY (platform_id) REFERENCES lti_platforms (id),
  CONSTRAINT fk_lti_contexts_cohort FOREIGN KEY (cohort_id) REFERENCES cohorts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
