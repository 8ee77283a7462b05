#include "courses/text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "courses/error.hpp"

namespace courses {
namespace {

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

/// Runs `action`, expecting Error(invalid_argument) naming `field`.
template <typename Action>
void expectInvalid(Action action, std::string_view field) {
  try {
    action();
    ADD_FAILURE() << "no error for field " << field;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    ASSERT_FALSE(e.fields().empty());
    EXPECT_EQ(e.fields().front().field, field);
  }
}

// --- strict UTF-8 -------------------------------------------------------------------------------

TEST(Utf8Test, AcceptsKazakhRussianAndLatinLetters) {
  EXPECT_EQ(firstInvalidUtf8("ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І"), std::nullopt);
  EXPECT_EQ(firstInvalidUtf8("Ёлкина Йосиф ё й"), std::nullopt);
  EXPECT_EQ(firstInvalidUtf8("O'Brien-Smith"), std::nullopt);
  EXPECT_EQ(firstInvalidUtf8(""), std::nullopt);
}

TEST(Utf8Test, AcceptsTheEdgesOfEachSequenceLength) {
  EXPECT_EQ(firstInvalidUtf8("\x7F"), std::nullopt);              // U+007F
  EXPECT_EQ(firstInvalidUtf8("\xC2\x80"), std::nullopt);          // U+0080
  EXPECT_EQ(firstInvalidUtf8("\xDF\xBF"), std::nullopt);          // U+07FF
  EXPECT_EQ(firstInvalidUtf8("\xE0\xA0\x80"), std::nullopt);      // U+0800
  EXPECT_EQ(firstInvalidUtf8("\xED\x9F\xBF"), std::nullopt);      // U+D7FF
  EXPECT_EQ(firstInvalidUtf8("\xEE\x80\x80"), std::nullopt);      // U+E000
  EXPECT_EQ(firstInvalidUtf8("\xEF\xBF\xBF"), std::nullopt);      // U+FFFF
  EXPECT_EQ(firstInvalidUtf8("\xF0\x90\x80\x80"), std::nullopt);  // U+10000
  EXPECT_EQ(firstInvalidUtf8("\xF4\x8F\xBF\xBF"), std::nullopt);  // U+10FFFF
}

TEST(Utf8Test, RejectsOverlongForms) {
  EXPECT_EQ(firstInvalidUtf8("\xC0\xAF"), 0u);
  EXPECT_EQ(firstInvalidUtf8("\xC1\xBF"), 0u);
  EXPECT_EQ(firstInvalidUtf8("ab"
                             "\xC0\x80"),
            2u);
  EXPECT_EQ(firstInvalidUtf8("\xE0\x80\xAF"), 0u);
  EXPECT_EQ(firstInvalidUtf8("\xE0\x9F\xBF"), 0u);
  EXPECT_EQ(firstInvalidUtf8("\xF0\x80\x80\xAF"), 0u);
  EXPECT_EQ(firstInvalidUtf8("\xF0\x8F\xBF\xBF"), 0u);
}

TEST(Utf8Test, RejectsSurrogates) {
  EXPECT_EQ(firstInvalidUtf8("\xED\xA0\x80"), 0u);  // U+D800
  EXPECT_EQ(firstInvalidUtf8("\xED\xBF\xBF"), 0u);  // U+DFFF
  EXPECT_EQ(firstInvalidUtf8("ә"
                             "\xED\xB0\x80"),
            2u);
}

TEST(Utf8Test, RejectsCodePointsAboveTheUnicodeRange) {
  EXPECT_EQ(firstInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(firstInvalidUtf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(firstInvalidUtf8("\xFF"), 0u);
  EXPECT_EQ(firstInvalidUtf8("\xFE"), 0u);
}

TEST(Utf8Test, RejectsStrayContinuationBytes) {
  EXPECT_EQ(firstInvalidUtf8("\x80"), 0u);
  EXPECT_EQ(firstInvalidUtf8("abc"
                             "\x80"),
            3u);
  EXPECT_EQ(firstInvalidUtf8("қ"
                             "\xBF"
                             "қ"),
            2u);
}

TEST(Utf8Test, RejectsTruncatedSequences) {
  EXPECT_EQ(firstInvalidUtf8("\xE2\x82"), 0u);
  EXPECT_EQ(firstInvalidUtf8("x"
                             "\xE2\x82"),
            1u);
  EXPECT_EQ(firstInvalidUtf8("\xE2\x82"
                             "A"),
            0u);
  EXPECT_EQ(firstInvalidUtf8("\xD3"), 0u);
  EXPECT_EQ(firstInvalidUtf8("\xF0\x9F\x98"), 0u);
}

TEST(Utf8Test, ReportsTheFirstBadOffset) {
  EXPECT_EQ(firstInvalidUtf8("Айгүл"
                             "\xC0\xAF"
                             "\x80"),
            10u);
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(codePointCount(""), 0u);
  EXPECT_EQ(codePointCount("abc"), 3u);
  EXPECT_EQ(codePointCount("әғқ"), 3u);
  EXPECT_EQ(codePointCount("€\xF0\x9F\x98\x80"), 2u);
}

// --- NFC ----------------------------------------------------------------------------------------

TEST(TextTest, ComposesDecomposedLetters) {
  const std::string decomposed = "\xD0\xB8\xCC\x86";  // и + U+0306 combining breve
  EXPECT_EQ(toNfc(decomposed), "й");
  EXPECT_EQ(toNfc("\xD0\xB5\xCC\x88"), "ё");  // е + U+0308 combining diaeresis
  EXPECT_EQ(toNfc("Әлия"), "Әлия");
}

// --- names --------------------------------------------------------------------------------------

TEST(TextNameTest, AcceptsRealNames) {
  EXPECT_EQ(validateName("Әлия Ғабитқызы Қаңтарбаева", "full_name"), "Әлия Ғабитқызы Қаңтарбаева");
  EXPECT_EQ(validateName("Өмірзақ Ұланұлы Үсенов", "full_name"), "Өмірзақ Ұланұлы Үсенов");
  EXPECT_EQ(validateName("Һ. Іңкәр", "full_name"), "Һ. Іңкәр");
  EXPECT_EQ(validateName("Ёлкина Йоланта", "full_name"), "Ёлкина Йоланта");
  EXPECT_EQ(validateName("Mary O’Brien-Smith", "full_name"), "Mary O’Brien-Smith");
}

TEST(TextNameTest, NormalisesToNfc) {
  const std::string decomposed = "\xD0\x98\xCC\x86\xD0\xBE\xD1\x81\xD0\xB8\xD1\x84";  // Й as И+̆
  const std::string name = validateName(decomposed, "full_name");
  EXPECT_EQ(name, "Йосиф");
  EXPECT_EQ(codePointCount(name), 5u);
}

TEST(TextNameTest, TrimsAndCollapsesSpaces) {
  EXPECT_EQ(validateName("   Айгүл    Серікқызы  ", "full_name"), "Айгүл Серікқызы");
  EXPECT_EQ(validateName("Айгүл\xC2\xA0\xC2\xA0Серікқызы", "full_name"), "Айгүл Серікқызы");
  EXPECT_EQ(validateName("\xE3\x80\x80"
                         "Айгүл",
                         "full_name"),
            "Айгүл");  // ideographic space
}

TEST(TextNameTest, LengthIsOneToTwoHundredCodePoints) {
  expectInvalid([] { validateName("", "full_name"); }, "full_name");
  expectInvalid([] { validateName("    ", "full_name"); }, "full_name");
  EXPECT_EQ(validateName("Ә", "full_name"), "Ә");
  const std::string two_hundred = repeat("ә", 200);
  EXPECT_EQ(validateName(two_hundred, "full_name"), two_hundred);
  EXPECT_EQ(validateName("  " + two_hundred + "  ", "full_name"), two_hundred);
  expectInvalid([] { validateName(repeat("ә", 201), "full_name"); }, "full_name");
  // 200 letters typed decomposed are 400 code points until NFC: they still fit.
  EXPECT_EQ(codePointCount(validateName(repeat("\xD0\xB8\xCC\x86", 200), "full_name")), 200u);
}

TEST(TextNameTest, RejectsControlCharacters) {
  for (const std::string& bad :
       {std::string("Ай\x01гүл"), std::string("Ай\tгүл"), std::string("Айгүл\n"),
        std::string("Ай\x7Fгүл"), std::string("Ай\xC2\x85гүл"), std::string("Ай\xC2\x9Fгүл"),
        std::string("Ай") + '\0' + "гүл"}) {
    expectInvalid([&] { validateName(bad, "full_name"); }, "full_name");
  }
}

TEST(TextNameTest, RejectsInvisibleAndFormatCharacters) {
  const char* zero_width[] = {
      "\xE2\x80\x8B",  // U+200B zero width space
      "\xE2\x80\x8C",  // U+200C zero width non-joiner
      "\xE2\x80\x8D",  // U+200D zero width joiner
      "\xE2\x80\x8E",  // U+200E left-to-right mark
      "\xE2\x80\x8F",  // U+200F right-to-left mark
      "\xE2\x80\xAA",  // U+202A left-to-right embedding
      "\xE2\x80\xAE",  // U+202E right-to-left override
      "\xE2\x81\xA0",  // U+2060 word joiner
      "\xE2\x81\xA6",  // U+2066 left-to-right isolate
      "\xEF\xBB\xBF",  // U+FEFF byte order mark
      "\xC2\xAD",      // U+00AD soft hyphen
      "\xE2\x80\xA8",  // U+2028 line separator
      "\xEE\x80\x80",  // U+E000 private use
      "\xCD\xB8",      // U+0378 unassigned
      "\xEF\xBF\xBD",  // U+FFFD replacement character
  };
  for (const char* invisible : zero_width) {
    const std::string name = std::string("Ай") + invisible + "гүл";
    expectInvalid([&] { validateName(name, "full_name"); }, "full_name");
  }
}

TEST(TextNameTest, RejectsInvalidUtf8AndNamesWithoutLetters) {
  expectInvalid(
      [] {
        validateName(
            "Ай"
            "\xC0\xAF",
            "full_name");
      },
      "full_name");
  expectInvalid([] { validateName("\xED\xA0\x80", "full_name"); }, "full_name");
  expectInvalid([] { validateName("12345", "full_name"); }, "full_name");
  expectInvalid([] { validateName("- ' .", "full_name"); }, "full_name");
}

TEST(TextNameTest, NamesTheFieldGiven) {
  expectInvalid([] { validateName("", "people[3].full_name"); }, "people[3].full_name");
  try {
    validateName("", "full_name");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("full_name"), std::string::npos);
  }
}

// --- free text ----------------------------------------------------------------------------------

TEST(TextTest, FreeTextIsTrimmedButKeepsInnerSpacing) {
  EXPECT_EQ(validateText("  Inclusive  planning ", "title", 1, 300), "Inclusive  planning");
  EXPECT_EQ(validateText("", "topic", 0, 300), "");
  EXPECT_EQ(validateText("   ", "topic", 0, 300), "");
  EXPECT_EQ(validateText(repeat("қ", 300), "title", 1, 300), repeat("қ", 300));
}

TEST(TextTest, FreeTextLimitsAndControls) {
  expectInvalid([] { validateText("", "title", 1, 300); }, "title");
  expectInvalid([] { validateText(repeat("қ", 301), "title", 1, 300); }, "title");
  expectInvalid([] { validateText("line\nbreak", "topic", 0, 300); }, "topic");
  expectInvalid([] { validateText("bidi\xE2\x80\xAEtrick", "place", 1, 200); }, "place");
  expectInvalid([] { validateText("\x80", "place", 1, 200); }, "place");
  expectInvalid([] { validateText(std::string(100000, 'a'), "place", 1, 200); }, "place");
}

// --- match keys ---------------------------------------------------------------------------------

TEST(TextMatchKeyTest, IgnoresCase) {
  EXPECT_EQ(nameMatchKey("АЙГҮЛ СЕРІКҚЫЗЫ"), nameMatchKey("айгүл серікқызы"));
  EXPECT_EQ(nameMatchKey("ӘЛИЯ ҒАБИТҚЫЗЫ"), nameMatchKey("Әлия Ғабитқызы"));
  EXPECT_EQ(nameMatchKey("MARY SMITH"), nameMatchKey("mary smith"));
  EXPECT_EQ(nameMatchKey("Өмір Ұлан Һ Ң"), "өмір ұлан һ ң");
}

TEST(TextMatchKeyTest, TreatsYoAsYe) {
  EXPECT_EQ(nameMatchKey("Ёлкина Алёна"), nameMatchKey("Елкина Алена"));
  EXPECT_EQ(nameMatchKey("ёлкина"), "елкина");
}

TEST(TextMatchKeyTest, IgnoresApostropheVariants) {
  const std::string key = nameMatchKey("O'Brien");
  EXPECT_EQ(nameMatchKey("O’Brien"), key);
  EXPECT_EQ(nameMatchKey("Oʼbrien"), key);
  EXPECT_EQ(nameMatchKey("O`Brien"), key);
  EXPECT_EQ(nameMatchKey("OBrien"), key);
}

TEST(TextMatchKeyTest, UnifiesHyphenVariants) {
  const std::string key = nameMatchKey("Анна-Мария");
  EXPECT_EQ(nameMatchKey("Анна‐Мария"), key);  // U+2010
  EXPECT_EQ(nameMatchKey("Анна‑Мария"), key);  // U+2011
  EXPECT_EQ(nameMatchKey("Анна–Мария"), key);  // U+2013
  EXPECT_EQ(nameMatchKey("Анна - Мария"), key);
}

TEST(TextMatchKeyTest, CollapsesWhitespaceAndComposes) {
  EXPECT_EQ(nameMatchKey("  Айгүл \t  Серікқызы "), "айгүл серікқызы");
  EXPECT_EQ(nameMatchKey("\xD0\x98\xCC\x86\xD0\xBE\xD1\x81\xD0\xB8\xD1\x84"),
            nameMatchKey("Йосиф"));
}

TEST(TextMatchKeyTest, KeepsDistinctLettersDistinct) {
  EXPECT_NE(nameMatchKey("Йосиф"), nameMatchKey("Иосиф"));
  EXPECT_NE(nameMatchKey("Үміт"), nameMatchKey("Умит"));
  EXPECT_NE(nameMatchKey("Қанат"), nameMatchKey("Канат"));
  EXPECT_NE(nameMatchKey("Айгүл Серікқызы"), nameMatchKey("АйгүлСерікқызы"));
}

// --- dates and timestamps -----------------------------------------------------------------------

TEST(TextDateTest, AcceptsRealCalendarDays) {
  EXPECT_TRUE(isValidDate("2017-02-01"));
  EXPECT_TRUE(isValidDate("2024-02-29"));
  EXPECT_TRUE(isValidDate("2000-02-29"));
  EXPECT_TRUE(isValidDate("2020-12-31"));
}

TEST(TextDateTest, RejectsImpossibleOrMisshapenDates) {
  for (const char* bad :
       {"2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
        "24-01-01", "2024/01/01", "2024-1-01", "2024-01-1", "0999-12-31", "", "2024-01-01x",
        "2024-01-01T00:00:00Z", "２０２４-01-01"}) {
    EXPECT_FALSE(isValidDate(bad)) << bad;
  }
}

TEST(TextDateTest, TimestampsAreUtcSeconds) {
  EXPECT_TRUE(isValidTimestamp("2018-05-14T04:00:00Z"));
  EXPECT_TRUE(isValidTimestamp("2024-02-29T23:59:59Z"));
  for (const char* bad : {"2018-05-14T04:00:00", "2018-05-14T04:00:00+05:00",
                          "2018-05-14 04:00:00Z", "2018-05-14t04:00:00Z", "2018-05-14T24:00:00Z",
                          "2018-05-14T23:60:00Z", "2018-05-14T23:59:60Z", "2023-02-29T10:00:00Z",
                          "2018-05-14T4:00:00Z", "2018-05-14T04:00:00.000Z", ""}) {
    EXPECT_FALSE(isValidTimestamp(bad)) << bad;
  }
}

TEST(Trim, SpacesAndTabsByDefault) {
  EXPECT_EQ(trim("  \tgzip ;q=1 \t"), "gzip ;q=1");
  EXPECT_EQ(trim("Ерлан"), "Ерлан");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("\r\nline\r\n"), "\r\nline\r\n");  // line ends are not blanks
}

TEST(Trim, OrTheCharactersAsked) {
  EXPECT_EQ(trim("\r\n key \v\f\n", kAsciiWhitespace), "key");
  EXPECT_EQ(trim("--x--", "-"), "x");
  // Only the ends: inner characters stay, and a view into the text is returned.
  const std::string_view text = " a b ";
  EXPECT_EQ(trim(text), "a b");
  EXPECT_EQ(trim(text).data(), text.data() + 1);
}

TEST(Timestamps, AddAndSubtractSeconds) {
  EXPECT_EQ(addSeconds("2026-12-31T23:59:30Z", 45), "2027-01-01T00:00:15Z");
  EXPECT_EQ(addSeconds("2028-02-28T12:00:00Z", 24 * 60 * 60), "2028-02-29T12:00:00Z");
  EXPECT_EQ(secondsBetween("2026-03-01T09:00:00Z", "2026-03-01T09:15:00Z"), 900);
  EXPECT_EQ(secondsBetween("2026-03-01T09:15:00Z", "2026-03-01T09:00:00Z"), -900);
  EXPECT_THROW(addSeconds("2026-03-01 09:00:00", 1), Error);
}

TEST(LatinSpelling, SpellsKazakhAndRussianLettersAsPassportsDo) {
  EXPECT_EQ(latinSpelling("Айгерім Жұмабекова"), "aigerim zhumabekova");
  EXPECT_EQ(latinSpelling("ӘҒҚҢӨҰҮҺІ әғқңөұүһі"), "agknouuhi agknouuhi");
  EXPECT_EQ(latinSpelling("Хан Цой Чен Шын Щербак Юрий Ядгар Объедков Ильич"),
            "khan tsoi chen shyn shcherbak yurii yadgar obedkov ilich");
  EXPECT_EQ(latinSpelling("  Anna-Maria   O'Neil 2 "), "anna-maria oneil 2");
}

TEST(TypedCodes, NormaliseWhatPeopleTypeToTheAskedLength) {
  EXPECT_EQ(normalizeTypedCode("abcd-ef12", 8), "ABCDEF12");
  EXPECT_EQ(normalizeTypedCode(" o1il 2345 ", 8), "01112345");
  EXPECT_EQ(normalizeTypedCode("ABCD-EF1", 8), std::nullopt);
  EXPECT_EQ(normalizeTypedCode("ABCD-EF12U", 9), std::nullopt);  // U is not in the alphabet
  EXPECT_EQ(normalizeTypedCode(std::string(100, 'A'), 8), std::nullopt);
  EXPECT_EQ(formatTypedCode("ABCDEF12"), "ABCD-EF12");
  EXPECT_EQ(formatTypedCode("ABCDE12345"), "ABCDE-12345");
}

}  // namespace
}  // namespace courses
