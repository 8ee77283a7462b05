-- Room for what the domain accepts: phone numbers of up to 40 characters (courses/src/rules.cpp),
-- and match keys of names whose case folding grows them (a 200-character name may fold to more).
-- Widening a VARCHAR in place; running it again changes nothing.

ALTER TABLE participants
  MODIFY phone VARCHAR(40) NULL,
  MODIFY name_key VARCHAR(600) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
