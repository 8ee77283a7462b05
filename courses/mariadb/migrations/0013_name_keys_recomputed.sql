-- The name rule (courses/name_match.hpp) now reads a patronymic that stands in for a surname by
-- its father's name (a Kazakh -kyzy and a Russian -ovna of one father share a key) and the
-- Cyrillic yo spelled "yo" or "io" in Latin (Pyotr, Piotr). Keys stored under the earlier rule
-- are emptied here so that `qatysu migrate`, which runs right after the migrations, computes them
-- again in C++.

UPDATE participants SET match_key = '', search_text = '';
