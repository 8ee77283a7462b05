#include "certificates/record.hpp"

#include <algorithm>

#include "certificates/error.hpp"
#include "pdf.hpp"
#include "truetype.hpp"

// Laid out top-down on A4 portrait pages: a field's label sits in a column on the left, its value
// wraps in the column on the right; when the next line does not fit above the footer, a page
// starts. Pages are numbered once all are known.

namespace certificates {
namespace {

using pdf::Color;
using pdf::Face;
using pdf::Fonts;
using pdf::Run;

constexpr double kWidth = pdf::kPageHeight;  // portrait: the landscape page turned
constexpr double kHeight = pdf::kPageWidth;
constexpr double kLeft = 48;
constexpr double kRight = kWidth - 48;
constexpr double kTop = kHeight - 48;
constexpr double kBottom = 64;
constexpr double kLabelWidth = 150;
constexpr double kGap = 12;
constexpr std::size_t kMaxTextBytes = 20000;
constexpr std::size_t kMaxPages = 2000;

constexpr Color kInk{0.10, 0.13, 0.20};
constexpr Color kAccent{0.07, 0.30, 0.42};
constexpr Color kMuted{0.36, 0.39, 0.44};
constexpr Color kRule{0.78, 0.81, 0.84};

class Layout {
 public:
  explicit Layout(const Fonts& fonts) : fonts_(fonts) { newPage(); }

  /// Lines of `text` wrapped to [left, right], starting a page when the first does not fit.
  void text(const std::u32string& text, Face face, double size, Color color, double left,
            double right, double space_before = 0) {
    const auto lines = pdf::wrap(fonts_, face, size, text, right - left);
    const double height = fonts_.lineHeight(face, size);
    y_ -= space_before;
    for (const auto& line : lines) {
      if (y_ - height < kBottom) newPage();
      y_ -= height;
      pages_.back().runs.push_back(
          Run{face, size, color, left, y_ + fonts_.descent[static_cast<int>(face)] * size, line});
    }
  }

  /// A label and its value side by side; the lower of the two columns sets the next line.
  void field(const std::u32string& label, const std::u32string& value, double size) {
    const auto labels = pdf::wrap(fonts_, Face::bold, size, label, kLabelWidth);
    const auto values =
        pdf::wrap(fonts_, Face::regular, size, value, kRight - kLeft - kLabelWidth - kGap);
    const double height = fonts_.lineHeight(Face::regular, size);
    const std::size_t rows = std::max({labels.size(), values.size(), std::size_t{1}});
    y_ -= 2;
    for (std::size_t i = 0; i < rows; ++i) {
      if (y_ - height < kBottom) newPage();
      y_ -= height;
      const double baseline = y_ + fonts_.descent[0] * size;
      if (i < labels.size())
        pages_.back().runs.push_back(Run{Face::bold, size, kMuted, kLeft, baseline, labels[i]});
      if (i < values.size()) {
        pages_.back().runs.push_back(
            Run{Face::regular, size, kInk, kLeft + kLabelWidth + kGap, baseline, values[i]});
      }
    }
  }

  void rule() {
    y_ -= 4;
    if (y_ < kBottom) newPage();
    pdf::appendColor(pages_.back().graphics, kRule, "RG");
    pages_.back().graphics += "0.6 w\n";
    pdf::appendNumber(pages_.back().graphics, kLeft);
    pages_.back().graphics += ' ';
    pdf::appendNumber(pages_.back().graphics, y_);
    pages_.back().graphics += " m ";
    pdf::appendNumber(pages_.back().graphics, kRight);
    pages_.back().graphics += ' ';
    pdf::appendNumber(pages_.back().graphics, y_);
    pages_.back().graphics += " l S\n";
  }

  /// Starts a page when less than `lines` lines of `size` fit: a heading stays with its first
  /// field.
  void keep(double size, int lines) {
    if (y_ - fonts_.lineHeight(Face::bold, size) * lines < kBottom) newPage();
  }

  struct Page {
    std::string graphics;
    std::vector<Run> runs;
  };
  std::vector<Page>& pages() { return pages_; }

 private:
  void newPage() {
    if (pages_.size() >= kMaxPages) {
      throw Error(Error::Kind::invalid_input, "sections",
                  "sections: more than " + std::to_string(kMaxPages) + " pages");
    }
    pages_.emplace_back();
    y_ = kTop;
  }

  const Fonts& fonts_;
  std::vector<Page> pages_;
  double y_ = kTop;
};

}  // namespace

std::string renderRecord(const Record& record, const FontSet& font_set) {
  if (record.language != "kk" && record.language != "ru" && record.language != "en") {
    throw Error(Error::Kind::invalid_input, "language", "language: must be kk, ru or en");
  }
  const truetype::Font regular(font_set.regular);
  const truetype::Font bold(font_set.bold);
  Fonts fonts;
  fonts.attach(regular, bold);
  fonts.index();
  const auto checked = [&](const std::string& text, const std::string& field) {
    return pdf::checkedText(fonts, text, field, kMaxTextBytes);
  };
  const std::u32string footer = checked(record.footer, "footer");

  Layout layout(fonts);
  layout.text(checked(record.title, "title"), Face::bold, 16, kInk, kLeft, kRight);
  layout.text(checked(record.subtitle, "subtitle"), Face::regular, 9.5, kMuted, kLeft, kRight, 4);
  for (std::size_t s = 0; s < record.sections.size(); ++s) {
    const RecordSection& section = record.sections[s];
    const std::string field = "sections[" + std::to_string(s) + "]";
    layout.keep(12, 3);
    layout.text(checked(section.heading, field + ".heading"), Face::bold, 12, kAccent, kLeft,
                kRight, 14);
    layout.rule();
    if (section.items.empty()) {
      layout.text(checked(section.empty_text, field + ".empty_text"), Face::regular, 9.5, kMuted,
                  kLeft, kRight, 2);
    }
    for (std::size_t i = 0; i < section.items.size(); ++i) {
      const RecordSection::Item& item = section.items[i];
      const std::string item_field = field + ".items[" + std::to_string(i) + "]";
      if (!item.heading.empty()) {
        layout.keep(10, 3);
        layout.text(checked(item.heading, item_field + ".heading"), Face::bold, 10, kInk, kLeft,
                    kRight, 6);
      }
      for (std::size_t f = 0; f < item.fields.size(); ++f) {
        const std::string name = item_field + ".fields[" + std::to_string(f) + "]";
        layout.field(checked(item.fields[f].label, name + ".label"),
                     checked(item.fields[f].value, name + ".value"), 9);
      }
    }
  }

  pdf::GlyphUse use[2];
  std::vector<std::string> contents;
  auto& pages = layout.pages();
  for (std::size_t p = 0; p < pages.size(); ++p) {
    // The foot of every page: the footer and "page / pages".
    std::u32string foot = footer;
    if (!foot.empty()) foot += U"  ·  ";
    foot += pdf::decode(std::to_string(p + 1) + " / " + std::to_string(pages.size()));
    pages[p].runs.push_back(Run{Face::regular, 7.5, kMuted, kLeft, 36, foot});
    std::string content = pages[p].graphics;
    pdf::appendRuns(content, fonts, use, pages[p].runs);
    contents.push_back(std::move(content));
  }
  pdf::Document document;
  pdf::Deflater deflater;
  return document.pages(deflater, contents, regular, bold, use, record.language, true);
}

}  // namespace certificates
