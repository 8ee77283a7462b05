#include "courses/name_match.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "courses/error.hpp"
#include "courses/text.hpp"

namespace courses {
namespace {

// A skeleton is written in lowercase ASCII letters and digits (letters of other scripts kept as
// they are), plus four capitals for the sounds
// that Latin spells with two letters: S (ш щ sh ş), C (ч ch ç), J (ж zh j dzh), H (х һ h kh).
// Capitals keep a Cyrillic "сх" (s + H) apart from "ш" (S), which Latin "sh" could not.

/// The skeleton of one Cyrillic letter, or nullptr when it is not one of them.
const char* cyrillicSkeleton(char32_t cp) noexcept {
  switch (cp) {
    case U'а': case U'ә': return "a";
    case U'б': return "b";
    case U'в': return "v";
    case U'г': case U'ғ': return "g";
    case U'д': return "d";
    case U'е': case U'ё': case U'э': case U'є': return "e";
    case U'ж': return "J";
    case U'з': return "z";
    case U'и': case U'й': case U'і': case U'ы': case U'ї': return "i";
    case U'к': case U'қ': return "k";
    case U'л': return "l";
    case U'м': return "m";
    case U'н': case U'ң': return "n";
    case U'о': case U'ө': return "o";
    case U'п': return "p";
    case U'р': return "r";
    case U'с': return "s";
    case U'т': return "t";
    case U'у': case U'ұ': case U'ү': case U'ў': return "u";
    case U'ф': return "f";
    case U'х': case U'һ': return "H";
    case U'ц': return "ts";
    case U'ч': return "C";
    case U'ш': case U'щ': return "S";
    case U'ъ': case U'ь': return "";
    case U'ю': return "iu";
    case U'я': return "ia";
    default: return nullptr;
  }
}

/// Latin letters outside ASCII: those of the Kazakh Latin alphabets that stand for two ASCII
/// letters or none, then anything else reduced to its base letter (ä → a, ğ → g, ü → u).
std::u32string latinBase(char32_t cp) {
  switch (cp) {
    case U'ş': return U"sh";
    case U'ç': return U"ch";
    case U'ı': return U"i";
    case U'ə': return U"a";
    default: break;
  }
  if (cp < 0x00C0 || cp > 0x024F) return {};
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || nfd == nullptr) {
    throw Error(ErrorCode::internal, "Unicode normalisation data is unavailable");
  }
  icu::UnicodeString decomposed;
  if (!nfd->getDecomposition(static_cast<UChar32>(cp), decomposed) || decomposed.isEmpty()) {
    return {};
  }
  const auto base = static_cast<char32_t>(decomposed.char32At(0));
  if (base >= U'a' && base <= U'z') return std::u32string(1, base);
  return {};
}

/// Latin spellings, longest first: what each becomes in a skeleton.
constexpr std::array<std::pair<std::u32string_view, std::string_view>, 12> kLatinSpellings{{
    {U"shch", "S"},
    {U"dzh", "J"},
    {U"sh", "S"},
    {U"ch", "C"},
    {U"zh", "J"},
    {U"kh", "H"},
    {U"gh", "g"},
    {U"ph", "f"},
    {U"dj", "J"},
    {U"j", "J"},
    {U"h", "H"},
    {U"x", "ks"},
}};

std::string latinLetter(char32_t cp) {
  switch (cp) {
    case U'c': case U'q': return "k";
    case U'w': return "v";
    case U'y': return "i";
    default: return std::string(1, static_cast<char>(cp));
  }
}

void appendUtf8(std::string& out, char32_t cp) {
  const icu::UnicodeString one(static_cast<UChar32>(cp));
  one.toUTF8String(out);
}

std::u32string codePoints(std::string_view valid_utf8) {
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(valid_utf8.data(), static_cast<std::int32_t>(valid_utf8.size())));
  std::u32string out;
  for (std::int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    out.push_back(static_cast<char32_t>(text.char32At(i)));
  }
  return out;
}

/// Lowercase code points of one word: Latin letters outside ASCII spelled in ASCII first, so
/// that "ş" reads as the "sh" it stands for.
std::u32string spelledOut(std::string_view folded_word) {
  std::u32string out;
  for (const char32_t cp : codePoints(folded_word)) {
    if (cp < 0x80 || cyrillicSkeleton(cp) != nullptr) {
      out.push_back(cp);
    } else {
      out += latinBase(cp);
    }
  }
  return out;
}

/// `letters` with each run of one ASCII letter written once (bytes of a UTF-8 sequence may repeat
/// and are kept).
std::string collapse(std::string_view letters) {
  std::string out;
  for (const char c : letters) {
    if (out.empty() || out.back() != c || static_cast<unsigned char>(c) >= 0x80) out.push_back(c);
  }
  return out;
}

std::string skeletonOfFolded(std::string_view folded_word) {
  const std::u32string text = spelledOut(folded_word);
  std::string raw;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = text[i];
    if (const char* cyrillic = cyrillicSkeleton(cp)) {
      raw += cyrillic;
      ++i;
      continue;
    }
    if (cp >= U'0' && cp <= U'9') {
      raw.push_back(static_cast<char>(cp));
      ++i;
      continue;
    }
    if (cp < U'a' || cp > U'z') {
      // A letter of another script stays as it is (a name has to have a key); marks and symbols
      // are not part of how a name sounds.
      if (cp >= 0x80 && u_isalpha(static_cast<UChar32>(cp))) appendUtf8(raw, cp);
      ++i;
      continue;
    }
    const std::u32string_view rest = std::u32string_view(text).substr(i);
    const auto spelling = std::find_if(kLatinSpellings.begin(), kLatinSpellings.end(),
                                       [&](const auto& entry) { return rest.starts_with(entry.first); });
    if (spelling != kLatinSpellings.end()) {
      raw += spelling->second;
      i += spelling->first.size();
    } else {
      raw += latinLetter(cp);
      ++i;
    }
  }
  // "Дж" is the J that Latin writes as one letter.
  std::string joined;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == 'd' && i + 1 < raw.size() && raw[i + 1] == 'J') continue;
    joined.push_back(raw[i]);
  }
  // A glide that one spelling writes and another does not: the "y" of "Yerlan", "Sarsenbayev",
  // "Aliyev" (Ерлан, Сарсенбаев, Алиев), and the "ы" of "Бауыржан" that passports leave out
  // ("Baurzhan"). Doubled letters are typed single and single ones doubled: "Жаннат", "Жанат";
  // "Мария" (iia).
  const auto isVowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
  std::string single = collapse(joined);
  // ё is typed as е about as often as not, and Latin spells it "yo", "io" or "e" (Пётр, Петр,
  // Pyotr, Piotr, Petr): an "io" at the start of a word or after a consonant, with a letter after
  // it, is that ё. After a vowel it is a й and an о ("Майорова", "Mayorova"); at the end of a word
  // it is two sounds ("Марио").
  for (std::size_t i = 0; i + 2 < single.size(); ++i) {
    if (single[i] == 'i' && single[i + 1] == 'o' && (i == 0 || !isVowel(single[i - 1]))) {
      single.replace(i, 2, "e");
    }
  }
  std::string glided;
  for (std::size_t i = 0; i < single.size(); ++i) {
    if (single[i] == 'i' && i + 1 < single.size()) {
      const char next = single[i + 1];
      if (next == 'e') continue;
      if (i > 0 && single[i - 1] == 'u' && !isVowel(next)) continue;
    }
    glided.push_back(single[i]);
  }
  return collapse(glided);
}

/// Skeletons of the father's-name endings (a son's, then a daughter's), and the words written
/// apart after the father's name.
constexpr std::array<std::string_view, 4> kSonEndings{"oviC", "eviC", "uli", "ogli"};
constexpr std::array<std::string_view, 4> kDaughterEndings{"ovna", "evna", "iCna", "kizi"};
constexpr std::array<std::string_view, 3> kPatronymicWords{"uli", "kizi", "ogli"};

/// A word shaped like a patronymic: the father's name in it and whether it is a daughter's.
struct Patronymic {
  std::string father;  ///< empty for a word of any other shape
  bool daughter = false;
};

/// The father's name in a word shaped like a patronymic ("Серікұлы", "Сарсенович" -> the
/// skeletons of "Серік", "Сарсен"), or an empty one for any other word.
Patronymic patronymicOf(std::string_view skeleton) {
  const auto stemBefore = [&](std::string_view ending) -> std::string {
    // A stem of at least three letters: "Әли" or "Ули" is a name, not a father's name.
    if (skeleton.size() <= ending.size() + 2 || !skeleton.ends_with(ending)) return {};
    std::string stem(skeleton.substr(0, skeleton.size() - ending.size()));
    // A father's name ending in к loses it to the k of -қызы once doubled letters are one
    // ("Серікқызы": serikizi), so the stem never keeps a final k: Серікқызы, Серікұлы and
    // Сериковна agree.
    if (stem.ends_with('k')) stem.pop_back();
    return stem;
  };
  for (const std::string_view ending : kSonEndings) {
    if (std::string stem = stemBefore(ending); !stem.empty()) return {std::move(stem), false};
  }
  for (const std::string_view ending : kDaughterEndings) {
    if (std::string stem = stemBefore(ending); !stem.empty()) return {std::move(stem), true};
  }
  return {};
}

/// A word shaped like a patronymic that stays among a name's core words (a name of two words,
/// or a surname such as "Абрамович") written one way for every form of it: the father's name and
/// -uli or -kizi. "Нұрланқызы" and "Нурлановна", "Серікұлы" and "Серикович" are one word then,
/// as a Kazakh surname made of the father's name and a Russian patronymic written in its place
/// say the same; fathers' names and sons against daughters still differ.
std::string coreWord(std::string skeleton) {
  const Patronymic patronymic = patronymicOf(skeleton);
  if (patronymic.father.empty()) return skeleton;
  return patronymic.father + (patronymic.daughter ? "kizi" : "uli");
}

/// Skeletons of a name's words in typed order, with "Серік ұлы" joined into one word.
std::vector<std::string> typedWords(std::string_view valid_name) {
  const std::string folded = nameMatchKey(valid_name);
  std::vector<std::string> words;
  std::string current;
  const auto flush = [&] {
    std::string skeleton = skeletonOfFolded(current);
    current.clear();
    if (skeleton.empty()) return;
    const bool apart = std::find(kPatronymicWords.begin(), kPatronymicWords.end(), skeleton) !=
                       kPatronymicWords.end();
    if (apart && !words.empty()) {
      // Joined as if written together: "Серік қызы" is "Серікқызы", whose кқ is one k.
      words.back() = collapse(words.back() + skeleton);
    } else {
      words.push_back(std::move(skeleton));
    }
  };
  for (const char c : folded) {
    if (c == ' ' || c == '-') {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return words;
}

}  // namespace

std::string wordSkeleton(std::string_view valid_word) {
  return skeletonOfFolded(nameMatchKey(valid_word));
}

NameWords nameWords(std::string_view valid_name) {
  NameWords out;
  out.core = typedWords(valid_name);
  if (out.core.size() >= 3) {
    // The last word shaped like a patronymic: "Абрамович Роман Аркадьевич" keeps its surname.
    // Compared by the father's name, so that "Сәрсенұлы" and "Сарсенович" agree.
    for (auto word = out.core.rbegin(); word != out.core.rend(); ++word) {
      Patronymic patronymic = patronymicOf(*word);
      if (patronymic.father.empty()) continue;
      out.patronymic = std::move(patronymic.father);
      out.core.erase(std::next(word).base());
      break;
    }
  }
  for (std::string& word : out.core) word = coreWord(std::move(word));
  std::sort(out.core.begin(), out.core.end());
  return out;
}

std::string personNameKey(std::string_view valid_name) {
  std::string key;
  for (const std::string& word : nameWords(valid_name).core) {
    if (!key.empty()) key.push_back(' ');
    key += word;
  }
  return key;
}

std::string nameSearchText(std::string_view valid_name) {
  std::string text = " ";
  for (const std::string& word : typedWords(valid_name)) text += word + " ";
  return text;
}

std::vector<std::string> searchWords(std::string_view valid_text) {
  for (const char32_t cp : codePoints(nameMatchKey(valid_text))) {
    if (cp != U' ' && cp != U'-' && !u_isalnum(static_cast<UChar32>(cp))) return {};
  }
  return typedWords(valid_text);
}

bool foundBySearch(std::string_view name_key, std::string_view search_text,
                   std::string_view fragment) {
  if (name_key.find(fragment) != std::string_view::npos) return true;
  const std::vector<std::string> words = searchWords(fragment);
  return !words.empty() && matchesSearch(search_text, words);
}

bool matchesSearch(std::string_view search_text, const std::vector<std::string>& words) {
  return std::all_of(words.begin(), words.end(), [&](const std::string& word) {
    return search_text.find(" " + word) != std::string_view::npos;
  });
}

bool sameName(std::string_view valid_a, std::string_view valid_b) {
  const NameWords a = nameWords(valid_a);
  const NameWords b = nameWords(valid_b);
  if (a.core.empty() || a.core != b.core) return false;
  return a.patronymic.empty() || b.patronymic.empty() || a.patronymic == b.patronymic;
}

}  // namespace courses
