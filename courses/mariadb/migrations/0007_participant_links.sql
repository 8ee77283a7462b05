-- Who confirmed an existing person as the one they were registering (same_person), when, and for
-- which cohort: a trainer gains sight of a person that way, so an administrator can see who did.
-- Every statement is idempotent: running the file again changes nothing.

CREATE TABLE IF NOT EXISTS participant_links (
  id BIGINT NOT NULL AUTO_INCREMENT,
  participant_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  cohort_id BIGINT NULL,
  linked_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY ix_participant_links_participant (participant_id, id),
  CONSTRAINT fk_participant_links_participant FOREIGN KEY (participant_id)
    REFERENCES participants (id),
  CONSTRAINT fk_participant_links_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT fk_participant_links_cohort FOREIGN KEY (cohort_id) REFERENCES cohorts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
