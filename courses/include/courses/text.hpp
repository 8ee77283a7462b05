#pragma once
// Text validation for everything a person types: strict UTF-8, NFC, lengths, control characters.
// A certificate that prints a name wrong is worthless, so names are checked before they are stored.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace courses {

/// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates, code points above
/// U+10FFFF, stray continuation bytes, truncated sequences), or nullopt when the text is valid.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text) noexcept;

/// Number of code points in valid UTF-8 text.
std::size_t codePointCount(std::string_view valid_utf8) noexcept;

/// Unicode NFC form of valid UTF-8 text.
std::string toNfc(std::string_view valid_utf8);

/// Validates a person's name as it must be printed: strict UTF-8, no control or format
/// characters, leading/trailing spaces trimmed and inner runs of spaces collapsed, NFC,
/// 1–200 code points. Throws Error(invalid_argument) naming `field` otherwise.
std::string validateName(std::string_view raw, std::string_view field);

/// Validates free text (titles, topics, places): strict UTF-8, no control or invisible format
/// characters, trimmed, NFC, between min and max code points. Throws Error(invalid_argument).
std::string validateText(std::string_view raw, std::string_view field, std::size_t min_code_points,
                         std::size_t max_code_points);

/// Key under which two spellings of one name are treated as the same person: NFC, case-folded,
/// Cyrillic ё→е, apostrophe and hyphen variants unified, whitespace collapsed.
std::string nameMatchKey(std::string_view valid_name);

/// A name in lower-case ASCII letters as Kazakh and Russian passports spell it in Latin
/// ("Айгерім Жұмабекова" → "aigerim zhumabekova", ә→a, ғ→g, қ→k, ң→n, ө→o, ұ ү→u, һ→h, і→i,
/// ж→zh, х→kh, ц→ts, ч→ch, ш→sh, щ→shch, ю→yu, я→ya, ъ ь dropped). Latin letters are lower-cased,
/// digits and hyphens kept, runs of spaces become one space, anything else is dropped.
std::string latinSpelling(std::string_view valid_name);

/// Crockford base32: the alphabet of the codes people read out and type (no I, L, O, U).
inline constexpr std::string_view kCrockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The `length` canonical characters of a typed Crockford base32 code: case-insensitive, hyphens
/// and spaces ignored, the look-alikes read as digits (O as 0, I and L as 1). nullopt when it
/// cannot be such a code.
std::optional<std::string> normalizeTypedCode(std::string_view typed, std::size_t length);

/// A code's two halves joined by a hyphen ("XXXXX-XXXXX", "XXXX-XXXX").
std::string formatTypedCode(std::string_view code);

/// Spaces and tabs: what trim() removes unless told otherwise (HTTP's optional whitespace, the
/// padding around a CSV field or a header item).
inline constexpr std::string_view kBlanks = " \t";
/// Every ASCII whitespace character: space, tab, line feed, vertical tab, form feed, return.
inline constexpr std::string_view kAsciiWhitespace = " \t\n\v\f\r";

/// `text` without the leading and trailing characters that are in `characters`.
std::string_view trim(std::string_view text, std::string_view characters = kBlanks) noexcept;

/// True for "YYYY-MM-DD" naming a real calendar day.
bool isValidDate(std::string_view text) noexcept;

/// True for "YYYY-MM-DDTHH:MM:SSZ" (UTC) naming a real instant.
bool isValidTimestamp(std::string_view text) noexcept;

/// "YYYY-MM-DDTHH:MM:SSZ" shifted by `seconds`. Throws Error(internal) on a malformed timestamp
/// (timestamps come from clocks and storage, never from a request).
std::string addSeconds(std::string_view timestamp, long long seconds);

/// Whole seconds from `from` to `to` (negative when `to` is earlier). Throws Error(internal) on a
/// malformed timestamp.
long long secondsBetween(std::string_view from, std::string_view to);

}  // namespace courses
