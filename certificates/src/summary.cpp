#include "certificates/summary.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "certificates/error.hpp"
#include "pdf.hpp"
#include "truetype.hpp"
#include "utf8.hpp"

// The summary is laid out top-down in fixed bands (title, figures, targets, charts) and
// bottom-up from the footer (footer, notes); the charts take the room between. Every text is
// measured with the embedded fonts' widths and fitted to its box: it shrinks to a floor size,
// then is cut with "…", so nothing leaves its box and the page never grows a second one.

namespace certificates {
namespace {

using pdf::appendColor;
using pdf::appendNumber;
using pdf::Color;
using pdf::Face;
using pdf::Fonts;
using pdf::kPageHeight;
using pdf::kPageWidth;
using pdf::Run;

constexpr std::size_t kMaxFigures = 8;
constexpr std::size_t kMaxTargets = 8;
constexpr std::size_t kMaxCharts = 3;
constexpr std::size_t kMaxBars = 12;
constexpr std::size_t kMaxNotes = 8;
constexpr std::size_t kMaxTextBytes = 2000;

constexpr double kLeft = 40;
constexpr double kRight = kPageWidth - 40;
constexpr double kTop = kPageHeight - 36;
constexpr double kFooterBaseline = 26;

constexpr Color kInk{0.10, 0.13, 0.20};
constexpr Color kAccent{0.07, 0.30, 0.42};
constexpr Color kMuted{0.36, 0.39, 0.44};
constexpr Color kPanel{0.945, 0.955, 0.965};
constexpr Color kTrack{0.87, 0.89, 0.91};
constexpr Color kBar{0.22, 0.47, 0.60};
constexpr Color kReached{0.20, 0.52, 0.36};
constexpr Color kHatch{0.60, 0.63, 0.67};
constexpr Color kRule{0.78, 0.81, 0.84};

// ---------------------------------------------------------------------------------------------
// Checked input

struct Bar {
  std::u32string label;
  std::optional<double> value;
  std::u32string text;
};

struct Chart {
  std::u32string title;
  std::vector<Bar> bars;
};

struct Target {
  std::u32string label;
  double share = 0;  ///< actual / target
  std::u32string text;
};

struct Page {
  std::u32string title, subtitle, footer;
  std::vector<std::pair<std::u32string, std::u32string>> figures;  ///< label, value
  std::vector<Target> targets;
  std::vector<Chart> charts;
  std::vector<std::u32string> notes;
};

std::u32string checkedText(const Fonts& fonts, std::string_view value, const std::string& field) {
  return pdf::checkedText(fonts, value, field, kMaxTextBytes);
}

void checkCount(std::size_t count, std::size_t limit, const std::string& field) {
  if (count > limit) {
    throw Error(Error::Kind::invalid_input, field,
                field + ": " + std::to_string(count) + " items, at most " + std::to_string(limit) +
                    " fit on the page");
  }
}

double checkedNumber(double value, bool positive, const std::string& field) {
  if (!std::isfinite(value) || value < 0 || (positive && value <= 0)) {
    throw Error(Error::Kind::invalid_input, field,
                field + (positive ? ": must be a number above 0" : ": must be a number from 0"));
  }
  return value;
}

Page check(const Fonts& fonts, const Summary& summary) {
  if (summary.language != "kk" && summary.language != "ru" && summary.language != "en") {
    throw Error(Error::Kind::invalid_input, "language", "language: must be kk, ru or en");
  }
  checkCount(summary.figures.size(), kMaxFigures, "figures");
  checkCount(summary.targets.size(), kMaxTargets, "targets");
  checkCount(summary.charts.size(), kMaxCharts, "charts");
  checkCount(summary.notes.size(), kMaxNotes, "notes");
  Page page;
  page.title = checkedText(fonts, summary.title, "title");
  page.subtitle = checkedText(fonts, summary.subtitle, "subtitle");
  page.footer = checkedText(fonts, summary.footer, "footer");
  for (std::size_t i = 0; i < summary.figures.size(); ++i) {
    const std::string field = "figures[" + std::to_string(i) + "]";
    page.figures.emplace_back(checkedText(fonts, summary.figures[i].label, field + ".label"),
                              checkedText(fonts, summary.figures[i].value, field + ".value"));
  }
  for (std::size_t i = 0; i < summary.targets.size(); ++i) {
    const std::string field = "targets[" + std::to_string(i) + "]";
    const SummaryTarget& in = summary.targets[i];
    Target target;
    target.label = checkedText(fonts, in.label, field + ".label");
    target.text = checkedText(fonts, in.text, field + ".text");
    target.share = checkedNumber(in.actual, false, field + ".actual") /
                   checkedNumber(in.target, true, field + ".target");
    page.targets.push_back(std::move(target));
  }
  for (std::size_t i = 0; i < summary.charts.size(); ++i) {
    const std::string field = "charts[" + std::to_string(i) + "]";
    const SummaryChart& in = summary.charts[i];
    checkCount(in.bars.size(), kMaxBars, field + ".bars");
    Chart chart;
    chart.title = checkedText(fonts, in.title, field + ".title");
    for (std::size_t j = 0; j < in.bars.size(); ++j) {
      const std::string bar_field = field + ".bars[" + std::to_string(j) + "]";
      Bar bar;
      bar.label = checkedText(fonts, in.bars[j].label, bar_field + ".label");
      bar.text = checkedText(fonts, in.bars[j].text, bar_field + ".text");
      if (in.bars[j].value)
        bar.value = checkedNumber(*in.bars[j].value, false, bar_field + ".value");
      chart.bars.push_back(std::move(bar));
    }
    page.charts.push_back(std::move(chart));
  }
  for (std::size_t i = 0; i < summary.notes.size(); ++i) {
    std::u32string note = checkedText(fonts, summary.notes[i], "notes[" + std::to_string(i) + "]");
    if (!note.empty()) page.notes.push_back(std::move(note));
  }
  return page;
}

// ---------------------------------------------------------------------------------------------
// Drawing

/// One line of text fitted to a width: its size and the characters that are drawn.
struct Fitted {
  double size;
  std::u32string text;
};

/// Shrinks `text` from `max_size` down to `min_size` to fit `width`, then cuts it with "…".
Fitted fitLine(const Fonts& fonts, Face face, std::u32string_view text, double max_size,
               double min_size, double width) {
  const double at_one = fonts.width(face, 1.0, text);
  if (at_one * max_size <= width) return {max_size, std::u32string(text)};
  if (at_one * min_size <= width)
    return {std::floor(width / at_one * 10.0) / 10.0, std::u32string(text)};
  const double room = width - fonts.width(face, min_size, U"…");
  std::size_t keep = 0;
  double used = 0;
  while (keep < text.size()) {
    const double next = used + fonts.width(face, min_size, text.substr(keep, 1));
    if (next > room) break;
    used = next;
    ++keep;
  }
  std::u32string cut(text.substr(0, keep));
  while (!cut.empty() && cut.back() == U' ') cut.pop_back();
  return {min_size, cut + U"…"};
}

class Canvas {
 public:
  explicit Canvas(const Fonts& fonts) : fonts_(fonts) {}

  const Fonts& fonts() const { return fonts_; }
  std::string& graphics() { return graphics_; }
  const std::vector<Run>& runs() const { return runs_; }

  /// Text on one line whose top is `top`, aligned within [left, right]; returns its line height.
  double line(const Fitted& fitted, Face face, Color color, double left, double right, double top,
              bool align_right = false) {
    const int f = static_cast<int>(face);
    const double baseline = top - fonts_.ascent[f] * fitted.size;
    double x = left;
    if (align_right) x = right - fonts_.width(face, fitted.size, fitted.text);
    if (!fitted.text.empty())
      runs_.push_back(Run{face, fitted.size, color, x, baseline, fitted.text});
    return fonts_.lineHeight(face, fitted.size);
  }

  void rect(double x, double y, double width, double height, Color color) {
    appendColor(graphics_, color, "rg");
    appendNumber(graphics_, x);
    graphics_ += ' ';
    appendNumber(graphics_, y);
    graphics_ += ' ';
    appendNumber(graphics_, width);
    graphics_ += ' ';
    appendNumber(graphics_, height);
    graphics_ += " re f\n";
  }

  void rule(double x0, double y0, double x1, double y1, double line_width, Color color) {
    appendColor(graphics_, color, "RG");
    appendNumber(graphics_, line_width);
    graphics_ += " w\n";
    appendNumber(graphics_, x0);
    graphics_ += ' ';
    appendNumber(graphics_, y0);
    graphics_ += " m ";
    appendNumber(graphics_, x1);
    graphics_ += ' ';
    appendNumber(graphics_, y1);
    graphics_ += " l S\n";
  }

  /// A light box with diagonal hatching, clipped to the box: a value that is not shown.
  void hatched(double x, double y, double width, double height) {
    rect(x, y, width, height, kPanel);
    graphics_ += "q\n";
    appendNumber(graphics_, x);
    graphics_ += ' ';
    appendNumber(graphics_, y);
    graphics_ += ' ';
    appendNumber(graphics_, width);
    graphics_ += ' ';
    appendNumber(graphics_, height);
    graphics_ += " re W n\n";
    appendColor(graphics_, kHatch, "RG");
    graphics_ += "0.6 w\n";
    for (double d = -height; d < width; d += 3) {
      appendNumber(graphics_, x + d);
      graphics_ += ' ';
      appendNumber(graphics_, y);
      graphics_ += " m ";
      appendNumber(graphics_, x + d + height);
      graphics_ += ' ';
      appendNumber(graphics_, y + height);
      graphics_ += " l\n";
    }
    graphics_ += "S\nQ\n";
    appendColor(graphics_, kHatch, "RG");
    graphics_ += "0.5 w\n";
    appendNumber(graphics_, x + 0.25);
    graphics_ += ' ';
    appendNumber(graphics_, y + 0.25);
    graphics_ += ' ';
    appendNumber(graphics_, width - 0.5);
    graphics_ += ' ';
    appendNumber(graphics_, height - 0.5);
    graphics_ += " re S\n";
  }

 private:
  const Fonts& fonts_;
  std::string graphics_;
  std::vector<Run> runs_;
};

/// Title, subtitle and a rule; returns the y below them.
double drawHeader(Canvas& canvas, const Page& page, double top) {
  const Fonts& fonts = canvas.fonts();
  const double width = kRight - kLeft;
  double y = top;
  y -= canvas.line(fitLine(fonts, Face::bold, page.title, 20, 12, width), Face::bold, kAccent,
                   kLeft, kRight, y);
  if (!page.subtitle.empty()) {
    y -= 2;
    y -= canvas.line(fitLine(fonts, Face::regular, page.subtitle, 10.5, 7.5, width), Face::regular,
                     kMuted, kLeft, kRight, y);
  }
  y -= 5;
  canvas.rule(kLeft, y, kRight, y, 1.2, kAccent);
  return y - 14;
}

/// The headline figures as boxes, in one row of up to five or two rows; returns the y below.
double drawFigures(Canvas& canvas, const Page& page, double top) {
  const std::size_t n = page.figures.size();
  if (n == 0) return top;
  const Fonts& fonts = canvas.fonts();
  const std::size_t per_row = n <= 5 ? n : (n + 1) / 2;
  const std::size_t rows = (n + per_row - 1) / per_row;
  constexpr double kGap = 10;
  constexpr double kHeight = 46;
  constexpr double kPad = 9;
  const double box_width =
      (kRight - kLeft - kGap * static_cast<double>(per_row - 1)) / static_cast<double>(per_row);
  double y = top;
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t column = 0; column < per_row; ++column) {
      const std::size_t i = row * per_row + column;
      if (i >= n) break;
      const double x = kLeft + static_cast<double>(column) * (box_width + kGap);
      canvas.rect(x, y - kHeight, box_width, kHeight, kPanel);
      canvas.rect(x, y - kHeight, 2.5, kHeight, kAccent);
      const double inner = box_width - 2 * kPad;
      double text_top = y - 7;
      text_top -= canvas.line(fitLine(fonts, Face::bold, page.figures[i].second, 18, 10, inner),
                              Face::bold, kAccent, x + kPad, x + box_width - kPad, text_top);
      canvas.line(fitLine(fonts, Face::regular, page.figures[i].first, 8, 6, inner), Face::regular,
                  kMuted, x + kPad, x + box_width - kPad, text_top + 1);
    }
    y -= kHeight + (row + 1 < rows ? 8 : 0);
  }
  return y - 16;
}

/// Targets as labelled progress bars in two columns; returns the y below.
double drawTargets(Canvas& canvas, const Page& page, double top) {
  const std::size_t n = page.targets.size();
  if (n == 0) return top;
  const Fonts& fonts = canvas.fonts();
  // Always two columns: one bar across the whole page would read as a rule, not a gauge.
  constexpr std::size_t columns = 2;
  const std::size_t rows = (n + columns - 1) / columns;
  constexpr double kGap = 28;
  constexpr double kRowHeight = 25;
  constexpr double kBarHeight = 5.5;
  const double column_width =
      (kRight - kLeft - kGap * static_cast<double>(columns - 1)) / static_cast<double>(columns);
  for (std::size_t i = 0; i < n; ++i) {
    const Target& target = page.targets[i];
    const double x = kLeft + static_cast<double>(i % columns) * (column_width + kGap);
    const double row_top = top - static_cast<double>(i / columns) * kRowHeight;
    const Fitted text = fitLine(fonts, Face::bold, target.text, 8.5, 6.5, column_width * 0.45);
    const double text_width = fonts.width(Face::bold, text.size, text.text);
    const Fitted label =
        fitLine(fonts, Face::regular, target.label, 8.5, 6.5, column_width - text_width - 10);
    const double height =
        std::max(canvas.line(label, Face::regular, kInk, x, x + column_width, row_top),
                 canvas.line(text, Face::bold, kInk, x, x + column_width, row_top, true));
    const double bar_y = row_top - height - 1 - kBarHeight;
    canvas.rect(x, bar_y, column_width, kBarHeight, kTrack);
    const double share = std::min(target.share, 1.0);
    if (share > 0) {
      canvas.rect(x, bar_y, column_width * share, kBarHeight,
                  target.share >= 1.0 ? kReached : kBar);
    }
  }
  return top - static_cast<double>(rows) * kRowHeight - 12;
}

/// One line of the notes; a note's first line has a little air above it.
struct NoteLine {
  std::u32string text;
  bool starts_note;
};

/// The notes wrapped to the page's width.
std::vector<NoteLine> noteLines(const Fonts& fonts, const Page& page, double size) {
  std::vector<NoteLine> lines;
  for (const std::u32string& note : page.notes) {
    bool first = true;
    for (std::u32string& line : pdf::wrap(fonts, Face::regular, size, note, kRight - kLeft)) {
      lines.push_back(NoteLine{std::move(line), first});
      first = false;
    }
  }
  return lines;
}

double noteGap(double size) {
  return 0.3 * size;
}

double notesHeight(const Fonts& fonts, const std::vector<NoteLine>& lines, double size) {
  double height = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    height += fonts.lineHeight(Face::regular, size);
    if (i > 0 && lines[i].starts_note) height += noteGap(size);
  }
  return height;
}

/// Notes in small print with their last line just above `bottom`; returns the y above them.
double drawNotes(Canvas& canvas, const std::vector<NoteLine>& lines, double bottom, double size) {
  const double top = bottom + notesHeight(canvas.fonts(), lines, size);
  double y = top;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0 && lines[i].starts_note) y -= noteGap(size);
    y -= canvas.line(Fitted{size, lines[i].text}, Face::regular, kMuted, kLeft, kRight, y);
  }
  return top;
}

constexpr double kChartTitleSize = 10;
constexpr double kMinRow = 10;
constexpr double kMaxRow = 19;

/// The charts side by side between `top` and `bottom`.
void drawCharts(Canvas& canvas, const Page& page, double top, double bottom) {
  const std::size_t n = page.charts.size();
  if (n == 0) return;
  const Fonts& fonts = canvas.fonts();
  constexpr double kGap = 26;
  // At most half the page wide: a lone chart's bars would otherwise stretch across all of it.
  const double chart_width =
      std::min((kRight - kLeft - kGap * static_cast<double>(n - 1)) / static_cast<double>(n),
               (kRight - kLeft - kGap) / 2);
  std::size_t most_bars = 1;
  for (const Chart& chart : page.charts) most_bars = std::max(most_bars, chart.bars.size());
  const double title_height = fonts.lineHeight(Face::bold, kChartTitleSize) + 6;
  const double row =
      std::clamp((top - bottom - title_height) / static_cast<double>(most_bars), kMinRow, kMaxRow);
  const double bar_height = std::min(row * 0.62, 10.0);
  const double text_size = std::clamp(row * 0.55, 6.0, 8.0);
  const double min_text_size = std::min(text_size, 6.0);
  const double min_label_size = std::min(text_size, 6.5);

  for (std::size_t c = 0; c < n; ++c) {
    const Chart& chart = page.charts[c];
    const double left = kLeft + static_cast<double>(c) * (chart_width + kGap);
    const double right = left + chart_width;
    double y = top;
    y -= canvas.line(fitLine(fonts, Face::bold, chart.title, kChartTitleSize, 7.5, chart_width),
                     Face::bold, kInk, left, right, y);
    y -= 6;
    if (chart.bars.empty()) continue;

    // One label size for the whole chart, so the labels read as a column: the largest that
    // fits the widest label into at most 45 % of the chart; labels still too wide are cut.
    double widest_label = 0;
    for (const Bar& bar : chart.bars) {
      widest_label = std::max(widest_label, fonts.width(Face::regular, 1.0, bar.label));
    }
    const double label_width =
        std::clamp(widest_label * text_size, chart_width * 0.2, chart_width * 0.45);
    const double label_size = widest_label <= 0
                                  ? text_size
                                  : std::clamp(std::floor(label_width / widest_label * 10.0) / 10.0,
                                               min_label_size, text_size);
    const double bar_left = left + label_width + 6;
    double widest_value = 0;
    double largest = 0;
    std::vector<Fitted> values;
    for (const Bar& bar : chart.bars) {
      values.push_back(fitLine(fonts, Face::regular, bar.text, text_size, min_text_size,
                               (right - bar_left) * 0.4));
      widest_value = std::max(widest_value,
                              fonts.width(Face::regular, values.back().size, values.back().text));
      if (bar.value) largest = std::max(largest, *bar.value);
    }
    const double bar_room = std::max(right - bar_left - widest_value - 4, 1.0);
    const double stub = std::min(12.0, bar_room);
    const double rows_top = y;
    for (std::size_t b = 0; b < chart.bars.size(); ++b) {
      const Bar& bar = chart.bars[b];
      const double row_top = rows_top - static_cast<double>(b) * row;
      const double middle = row_top - row / 2;
      const Fitted label =
          fitLine(fonts, Face::regular, bar.label, label_size, label_size, label_width);
      const double label_height = fonts.lineHeight(Face::regular, label.size);
      canvas.line(label, Face::regular, kInk, left, left + label_width,
                  middle + label_height / 2 - 0.5);
      double end = bar_left;
      if (bar.value) {
        const double length = largest > 0 ? bar_room * *bar.value / largest : 0;
        if (length > 0) canvas.rect(bar_left, middle - bar_height / 2, length, bar_height, kBar);
        end = bar_left + length;
      } else {
        canvas.hatched(bar_left, middle - bar_height / 2, stub, bar_height);
        end = bar_left + stub;
      }
      const Fitted& value = values[b];
      const double value_height = fonts.lineHeight(Face::regular, value.size);
      canvas.line(value, Face::regular, bar.value ? kInk : kMuted, end + 3, right,
                  middle + value_height / 2 - 0.5);
    }
    const double rows_bottom = rows_top - static_cast<double>(chart.bars.size()) * row;
    canvas.rule(bar_left - 0.4, rows_top, bar_left - 0.4, rows_bottom, 0.8, kRule);
  }
}

}  // namespace

std::string renderSummary(const Summary& summary, const FontSet& font_set) {
  const truetype::Font regular(font_set.regular);
  const truetype::Font bold(font_set.bold);
  Fonts fonts;
  fonts.attach(regular, bold);
  const Page page = check(fonts, summary);

  Canvas canvas(fonts);
  double y = drawHeader(canvas, page, kTop);
  y = drawFigures(canvas, page, y);
  y = drawTargets(canvas, page, y);

  // Bottom-up: footer, then the notes, as many lines as leave the charts their smallest rows.
  double bottom = kFooterBaseline - fonts.descent[0] * 7.5;
  if (!page.footer.empty()) {
    const Fitted footer = fitLine(fonts, Face::regular, page.footer, 7.5, 6, kRight - kLeft);
    const double footer_top = kFooterBaseline + fonts.ascent[0] * footer.size;
    canvas.line(footer, Face::regular, kMuted, kLeft, kRight, footer_top);
    canvas.rule(kLeft, footer_top + 5, kRight, footer_top + 5, 0.5, kRule);
    bottom = footer_top + 10;
  }
  std::size_t most_bars = 0;
  for (const Chart& chart : page.charts) most_bars = std::max(most_bars, chart.bars.size());
  const double charts_need =
      page.charts.empty() ? 0
                          : fonts.lineHeight(Face::bold, kChartTitleSize) + 6 +
                                kMinRow * static_cast<double>(std::max<std::size_t>(most_bars, 1));
  const auto crowded = [&](const std::vector<NoteLine>& lines, double size) {
    return bottom + notesHeight(fonts, lines, size) + 12 + charts_need > y;
  };
  double note_size = 7;
  std::vector<NoteLine> notes = noteLines(fonts, page, note_size);
  if (crowded(notes, note_size)) {
    note_size = 6;
    notes = noteLines(fonts, page, note_size);
  }
  if (crowded(notes, note_size)) {
    while (!notes.empty() && crowded(notes, note_size)) notes.pop_back();
    if (!notes.empty()) {
      // Say that something was left out, on the last line that stays.
      notes.back().text = fitLine(fonts, Face::regular, notes.back().text + U" …", note_size,
                                  note_size, kRight - kLeft - 1)
                              .text;
    }
  }
  if (!notes.empty()) bottom = drawNotes(canvas, notes, bottom, note_size) + 12;
  drawCharts(canvas, page, y, bottom);

  pdf::GlyphUse use[2];
  std::string content = canvas.graphics();
  pdf::appendRuns(content, fonts, use, canvas.runs());
  pdf::Document document;
  pdf::Deflater deflater;
  return document.onePage(deflater, content, regular, bold, use, summary.language);
}

}  // namespace certificates
