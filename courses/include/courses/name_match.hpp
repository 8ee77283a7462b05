#pragma once
// When two typed names are one person's name: the rule behind the duplicate question and the
// search for people (docs/DUPLICATES.md has the rule with its cases).
//
// Each word of a name is folded to a skeleton that Kazakh, Russian and Latin spellings of it share:
// Kazakh letters typed as their Russian-keyboard neighbours (ә/а, ғ/г, қ/к, ң/н, ө/о, ұ/у, ү/у,
// һ/х, і/и), ё/е and ё spelled yo/io, the official 2021 Kazakh Latin alphabet (ä ğ q ñ ö ū ü ı ş
// ç) and the common passport spellings (Zh/J/Dzh, Kh/H, Sh, Ch, Ya, Yu, Y/I), apostrophes
// dropped, hyphens splitting words, doubled letters written once. A name is its words in any
// order; a patronymic (-ович, -овна, -ұлы, -қызы, also written apart: "Серік ұлы") may be left
// out, and one that stands in for a surname is read by its father's name ("Айгерім Нұрланқызы" is
// "Айгерим Нурлановна").

#include <string>
#include <string_view>
#include <vector>

namespace courses {

/// The skeleton of one word (no spaces or hyphens in it): "Жұмабекова", "Zhumabekova" and
/// "Jumabekova" all give the same text. Empty for a word with no letters or digits.
std::string wordSkeleton(std::string_view valid_word);

/// A name taken apart: the skeletons of its words, and which one is the patronymic.
struct NameWords {
  std::vector<std::string> core;  ///< every word but the patronymic, sorted
  std::string patronymic;  ///< the father's name in it, a final k dropped ("Серікұлы": seri); or ""
  friend bool operator==(const NameWords&, const NameWords&) = default;
};

/// The words of a valid name. A word shaped like a patronymic (ending in -ович/-евич/-овна/-евна/
/// -ична or -ұлы/-қызы, or one written apart after the father's name) counts as the patronymic
/// only when two other words remain: "Серікұлы Талғат" is a surname and a given name. A core
/// word shaped like a patronymic is written as its father's name and -uli or -kizi, so that
/// "Нұрланқызы" and "Нурлановна" are one core word.
NameWords nameWords(std::string_view valid_name);

/// The key people are looked up by: the sorted core skeletons joined by spaces. Two names with
/// the same key are the same name unless both have a patronymic and they differ (sameName).
std::string personNameKey(std::string_view valid_name);

/// Every word's skeleton in typed order, patronymic included, each followed by a space and the
/// whole led by one (" ahmetov talgat "): what a search by name looks into.
std::string nameSearchText(std::string_view valid_name);

/// The skeletons of what someone typed to search by name: every word of it, in order. None when
/// it has anything but letters, digits, spaces, hyphens and apostrophes: "%_" or "x_0" is looked
/// for as it is typed, never as a name.
std::vector<std::string> searchWords(std::string_view valid_text);

/// True when `search_text` (made by nameSearchText) has, for every word of `words`, a word that
/// begins with it. True for no words.
bool matchesSearch(std::string_view search_text, const std::vector<std::string>& words);

/// Whether a person is found by a search for `fragment` (nameMatchKey of what was typed): their
/// `name_key` (nameMatchKey) contains it, or their `search_text` (nameSearchText) matches its
/// searchWords(). Every name matches an empty fragment.
bool foundBySearch(std::string_view name_key, std::string_view search_text,
                   std::string_view fragment);

/// The rule: the same core words in any order, and the same patronymic when both have one.
bool sameName(std::string_view valid_a, std::string_view valid_b);

}  // namespace courses
