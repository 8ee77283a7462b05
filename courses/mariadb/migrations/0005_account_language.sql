-- The language a person chose for the web app (kk, ru or en); NULL until they choose one, when the
-- app follows the browser. Staff listings page through accounts of one role in id order.
-- Every statement is idempotent: running the file again changes nothing.

ALTER TABLE accounts ADD COLUMN IF NOT EXISTS language ENUM('kk', 'ru', 'en') NULL DEFAULT NULL
  AFTER display_name;

ALTER TABLE accounts ADD KEY IF NOT EXISTS ix_accounts_role (role, id);
