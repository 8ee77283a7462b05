-- Failed logins are counted per account and client address, so wrong passwords from one client
-- lock only that client out of the login, never its holder elsewhere. A check is reserved here
-- before the password is verified (see SqlAccountRepository::reserveLoginAttempt). The
-- accounts.failed_logins and accounts.locked_until columns are no longer read.
-- Access codes remember whether an administrator made them to reset an account's password: only
-- those open an account whose holder has set one. Account events keep who did such a thing when.
-- Every statement is idempotent: running the file again changes nothing.

CREATE TABLE IF NOT EXISTS login_attempts (
  account_id BIGINT NOT NULL,
  client VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  locked_until DATETIME NULL,
  PRIMARY KEY (account_id, client),
  CONSTRAINT fk_login_attempts_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

ALTER TABLE access_codes ADD COLUMN IF NOT EXISTS resets_password TINYINT(1) NOT NULL DEFAULT 0
  AFTER expires_at;

-- actor_id is NULL for the command line's operator, who has no account.
CREATE TABLE IF NOT EXISTS account_events (
  id BIGINT NOT NULL AUTO_INCREMENT,
  account_id BIGINT NOT NULL,
  action VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  actor_id BIGINT NULL,
  at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY ix_account_events_account (account_id, id),
  CONSTRAINT fk_account_events_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE,
  CONSTRAINT fk_account_events_actor FOREIGN KEY (actor_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
