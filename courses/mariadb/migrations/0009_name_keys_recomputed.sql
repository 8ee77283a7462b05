-- The name rule (courses/name_match.hpp) now reads a patronymic that stands in for a surname by
-- its father's name ("Айгерім Нұрланқызы" and "Айгерим Нурлановна" share a key) and ё spelled
-- "yo" or "io" (Pyotr, Piotr). Keys stored under the earlier rule are emptied here so that
-- `qatysu migrate`, which runs right after the migrations, computes them again in C++.

UPDATE participants SET match_key = '', search_text = '';
