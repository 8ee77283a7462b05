#include "certificates/fonts.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "certificates/error.hpp"

namespace certificates {
namespace {

const GlyphCoverage& coverage() {
  static const GlyphCoverage shared(FontSet::dejavu());
  return shared;
}

TEST(FontSetTest, FindsDejaVuInDebiansFontDirectory) {
  const FontSet fonts = FontSet::dejavu();
  EXPECT_EQ(fonts.regular.filename(), "DejaVuSans.ttf");
  EXPECT_EQ(fonts.bold.filename(), "DejaVuSans-Bold.ttf");
  EXPECT_TRUE(std::filesystem::is_regular_file(fonts.regular));
  EXPECT_TRUE(std::filesystem::is_regular_file(fonts.bold));
}

TEST(FontSetTest, AMissingDirectoryIsAnIoError) {
  try {
    FontSet::dejavu("/nonexistent/qatysu-fonts");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::io);
    EXPECT_NE(std::string(e.what()).find("DejaVuSans.ttf"), std::string::npos);
  }
}

TEST(FontSetTest, TheEnvironmentVariableChoosesTheDirectory) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("qatysu-fonts-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const FontSet debian = FontSet::dejavu();
  std::filesystem::copy_file(debian.regular, dir / "DejaVuSans.ttf",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(debian.bold, dir / "DejaVuSans-Bold.ttf",
                             std::filesystem::copy_options::overwrite_existing);
  ::setenv("QATYSU_FONT_DIR", dir.c_str(), 1);
  const FontSet chosen = FontSet::dejavu();
  ::unsetenv("QATYSU_FONT_DIR");
  EXPECT_EQ(chosen.regular, dir / "DejaVuSans.ttf");
  EXPECT_EQ(chosen.bold, dir / "DejaVuSans-Bold.ttf");
  // An explicit directory wins over the environment.
  ::setenv("QATYSU_FONT_DIR", "/nonexistent", 1);
  EXPECT_EQ(FontSet::dejavu(dir).regular, dir / "DejaVuSans.ttf");
  ::unsetenv("QATYSU_FONT_DIR");
  std::filesystem::remove_all(dir);
}

TEST(GlyphCoverageTest, CoversEveryKazakhLetterAndItsCapital) {
  for (const char32_t cp : std::u32string(U"әғқңөұүһіӘҒҚҢӨҰҮҺІ")) {
    EXPECT_TRUE(coverage().covers(cp)) << describeCodePoint(cp);
  }
}

TEST(GlyphCoverageTest, CoversRussianAndLatinLetters) {
  for (char32_t cp = U'А'; cp <= U'я'; ++cp)
    EXPECT_TRUE(coverage().covers(cp)) << describeCodePoint(cp);
  for (const char32_t cp : std::u32string(U"ёЁйЙ")) EXPECT_TRUE(coverage().covers(cp));
  for (char32_t cp = U'A'; cp <= U'Z'; ++cp) EXPECT_TRUE(coverage().covers(cp));
  for (char32_t cp = U'a'; cp <= U'z'; ++cp) EXPECT_TRUE(coverage().covers(cp));
  for (const char32_t cp : std::u32string(U"0123456789'-–«»№")) EXPECT_TRUE(coverage().covers(cp));
}

TEST(GlyphCoverageTest, ChineseAndEmojiAreMissing) {
  EXPECT_FALSE(coverage().covers(U'中'));
  EXPECT_FALSE(coverage().covers(U'🚀'));
}

TEST(GlyphCoverageTest, FirstMissingNamesTheFirstCharacterNoFontHas) {
  EXPECT_EQ(coverage().firstMissing("Әлия Ғалымқызы Қасымова"), std::nullopt);
  EXPECT_EQ(coverage().firstMissing("Ёлкина Йосиф\nO'Brien-Smith"), std::nullopt);
  EXPECT_EQ(coverage().firstMissing(""), std::nullopt);
  EXPECT_EQ(coverage().firstMissing("Әлия 中文 🚀"), U'中');
  EXPECT_EQ(coverage().firstMissing("Aigerim 🚀"), U'🚀');
}

TEST(GlyphCoverageTest, ATabIsNotDrawable) {
  EXPECT_EQ(coverage().firstMissing("Aigerim\tQasym"), U'\t');
}

TEST(DescribeCodePointTest, ShowsTheNumberAndTheCharacter) {
  EXPECT_EQ(describeCodePoint(U'Ә'), "U+04D8 'Ә'");
  EXPECT_EQ(describeCodePoint(U'A'), "U+0041 'A'");
  EXPECT_EQ(describeCodePoint(U'🚀'), "U+1F680 '🚀'");
  EXPECT_EQ(describeCodePoint(U'\n'), "U+000A");
}

}  // namespace
}  // namespace certificates
