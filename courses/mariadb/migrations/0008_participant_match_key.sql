-- The key people are looked up by when a trainer registers someone (courses::personNameKey: the
-- skeletons of the name's words, sorted, without the patronymic) and the text a search by name
-- looks into (courses::nameSearchText). Both are compared byte for byte; the rule that
-- makes them lives in courses/name_match.hpp alone. Rows stored before this migration get them
-- from `qatysu migrate`, which computes them in C++ for every row still holding the empty default.
-- name_key (nameMatchKey, the name as typed) stays: it ranks a candidate spelled as typed first
-- and it is what a literal search compares; its index served only the old lookup.
-- Every statement is idempotent: running the file again changes nothing.

ALTER TABLE participants
  ADD COLUMN IF NOT EXISTS match_key VARCHAR(600) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
    DEFAULT '',
  ADD COLUMN IF NOT EXISTS search_text VARCHAR(700) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
    DEFAULT '';

CREATE INDEX IF NOT EXISTS ix_participants_match ON participants (match_key, birth_year, locality_id);

DROP INDEX IF EXISTS ix_participants_key ON participants;
