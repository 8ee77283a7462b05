#pragma once
// A readable PDF of records, as many A4 portrait pages as they need: a title, then sections of
// labelled values (e.g. everything held about one person, for their data rights). The caller
// hands it finished texts (translated and formatted); the layout is this library's. Drawn with
// libharu and the certificate fonts (subsets, embedded), as the certificates and the totals'
// summary are. No libharu types here.

#include <string>
#include <vector>

#include "certificates/fonts.hpp"

namespace certificates {

/// One labelled value, e.g. {"Phone", "+7 701 000 00 00"}; an empty label gives a line of text.
struct RecordField {
  std::string label;
  std::string value;
};

/// A heading and its fields; an item of a list (one enrolment) is a sub-heading with its fields.
struct RecordSection {
  std::string heading;
  struct Item {
    std::string heading;  ///< may be empty
    std::vector<RecordField> fields;
  };
  std::vector<Item> items;
  std::string empty_text;  ///< printed when `items` is empty, e.g. "None"
};

struct Record {
  std::string language;  ///< "kk", "ru" or "en": the document's /Lang
  std::string title;
  std::string subtitle;
  std::vector<RecordSection> sections;
  std::string footer;  ///< printed at the foot of every page, with the page's number
};

/// The PDF bytes. Long values wrap; a field or heading never starts at the foot of a page
/// without room for its first line. Throws Error(missing_glyph) naming the field when the fonts
/// cannot draw a character, Error(invalid_input) for invalid UTF-8, a text over 20,000 bytes,
/// more than 2,000 pages' worth, or a language other than kk, ru or en. Thread-safe.
std::string renderRecord(const Record& record, const FontSet& fonts);

}  // namespace certificates
