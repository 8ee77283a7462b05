// requireDrawable, courses/glyph_coverage.hpp, over the fake coverage of tests/support.
#include "courses/glyph_coverage.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "support/domain_checks.hpp"
#include "support/fakes.hpp"

namespace courses {
namespace {

using support::errorOf;

// --- glyph coverage -----------------------------------------------------------------------------

TEST(RequireDrawableTest, NamesTheFirstCharacterTheFontsLack) {
  const support::FakeGlyphCoverage coverage;
  EXPECT_NO_THROW(requireDrawable(coverage, "Әлия Ғабитқызы Ёлкина-O'Neil", "full_name"));
  const auto caught =
      errorOf([&] { requireDrawable(coverage, "Әлия \xF0\x9F\x98\x80 王", "full_name"); });
  ASSERT_TRUE(caught.has_value());
  EXPECT_EQ(caught->code(), ErrorCode::unprocessable);
  ASSERT_EQ(caught->fields().size(), 1u);
  EXPECT_EQ(caught->fields().front().field, "full_name");
  EXPECT_EQ(caught->fields().front().message,
            "U+1F600 '\xF0\x9F\x98\x80' cannot be printed on a certificate");
  EXPECT_NE(std::string(caught->what()).find("U+1F600"), std::string::npos);
}

TEST(RequireDrawableTest, PadsShortCodePointsToFourHexDigits) {
  const support::FakeGlyphCoverage coverage;
  const auto caught = errorOf([&] { requireDrawable(coverage, "王", "place"); });
  ASSERT_TRUE(caught.has_value());
  ASSERT_EQ(caught->fields().size(), 1u);
  EXPECT_EQ(caught->fields().front().field, "place");
  EXPECT_EQ(caught->fields().front().message, "U+738B '王' cannot be printed on a certificate");
}

TEST(RequireDrawableTest, InvalidUtf8IsAMalformedRequest) {
  const support::FakeGlyphCoverage coverage;
  EXPECT_INVALID_FIELD("full_name", requireDrawable(coverage, "\xC0\xAF", "full_name"));
}

}  // namespace
}  // namespace courses
