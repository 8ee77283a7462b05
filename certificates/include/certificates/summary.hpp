#pragma once
// A one-page PDF summary of totals for a donor: headline figures, targets with progress and bar
// charts, in one language, drawn with libharu and the certificate fonts (subset, embedded). The
// caller hands it finished texts (already translated and formatted); the layout is this library's.
// No libharu types here.

#include <optional>
#include <string>
#include <vector>

#include "certificates/fonts.hpp"

namespace certificates {

/// One headline figure, e.g. {"Trained", "118"}.
struct SummaryFigure {
  std::string label;
  std::string value;  ///< formatted, e.g. "1 234" or "<5"
};

/// A target and how far it is reached, e.g. {"Trained: inclusive planning", 60, 60, "60 / 60"}.
struct SummaryTarget {
  std::string label;
  double actual = 0;
  double target = 0;  ///< > 0
  std::string text;   ///< formatted, e.g. "60 / 60 (100 %)"
};

/// One bar of a chart; `value` empty when hidden (k-suppression): drawn as a hatched stub with
/// `text`.
struct SummaryBar {
  std::string label;
  std::optional<double> value;
  std::string text;  ///< formatted value printed at the bar's end, e.g. "35" or "<5"
};

/// A horizontal bar chart, e.g. "Trained by district". At most 12 bars are drawn; the caller
/// orders them and folds the rest into one "other" bar when there are more.
struct SummaryChart {
  std::string title;
  std::vector<SummaryBar> bars;
};

struct Summary {
  std::string language;  ///< "kk", "ru" or "en": the document's /Lang
  std::string title;     ///< e.g. the programme's title
  std::string subtitle;  ///< e.g. "Totals, 2017-02-01 – 2020-01-31 · donor: European Union"
  std::vector<SummaryFigure> figures;  ///< at most 8, in one row or two
  std::vector<SummaryTarget> targets;  ///< at most 8
  std::vector<SummaryChart> charts;    ///< at most 3, side by side
  /// Small print at the foot (counting rules, suppression), at most 8; when they would crowd
  /// the charts, the last lines give way and the last one kept ends with "…".
  std::vector<std::string> notes;
  std::string footer;                  ///< e.g. "Qatysu · generated 2026-11-27 21:00 UTC"
};

/// The PDF bytes: A4 landscape, one page, everything inside the page (long labels shrink, then
/// are cut with "…"), the document's /Lang set from `language`, the same bytes for the same
/// summary (no dates in the file). Throws Error(missing_glyph) naming the field and its text when
/// the fonts cannot draw a character; Error(invalid_input) naming the field for invalid UTF-8, a
/// text over 2,000 bytes, more items than the limits above, a language other than kk, ru or en,
/// a target not above 0, or a negative or non-finite number. Thread-safe (each call reads the
/// fonts and makes its own document).
std::string renderSummary(const Summary& summary, const FontSet& fonts);

}  // namespace certificates
