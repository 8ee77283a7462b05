// The one-page summary for a donor: the report's headline figures, its targets and three bar
// charts, worded here and drawn by certificates::renderSummary.
#include <algorithm>
#include <cmath>

#include "certificates/summary.hpp"
#include "plugin/totals/exports.hpp"
#include "words.hpp"

namespace plugin::totals {
namespace {

using courses::Language;
using courses::Measure;
using courses::MeasureValues;
using courses::TotalsReport;

/// certificates::Summary's limits.
constexpr std::size_t kMaxTargets = 8;
constexpr std::size_t kMaxBars = 12;

/// Shown for a figure that does not apply (no sessions in a person breakdown, no marks).
constexpr const char* kNotApplicable = "–";

int hiddenBelow(const TotalsReport& report) {
  return report.query.suppress_below > 0 ? report.query.suppress_below : 5;
}

/// A measure of `values` as a person reads it.
std::string figureText(const MeasureValues& values, Measure measure, int hidden_below,
                       Language language) {
  if (values.isHidden(measure)) return words::hidden(hidden_below);
  if (measure == Measure::attendance_rate) {
    const std::optional<double> rate = values.attendanceRate();
    return rate ? formatPercent(*rate, language) : kNotApplicable;
  }
  const std::optional<double> value = values.value(measure);
  if (!value) return kNotApplicable;
  // Participant-hours to the whole hour: a headline, not an account.
  return formatCount(std::llround(*value), language);
}

/// "2026-11-27T21:00:05Z" as "2026-11-27 21:00 UTC"; anything else as it is.
std::string readableTimestamp(const std::string& timestamp) {
  if (timestamp.size() == 20 && timestamp[10] == 'T' && timestamp[19] == 'Z') {
    return timestamp.substr(0, 10) + " " + timestamp.substr(11, 5) + " UTC";
  }
  return timestamp;
}

class SummaryBuilder {
 public:
  SummaryBuilder(const TotalsReport& report, const ExportContext& context)
      : report_(report),
        language_(context.language),
        context_(context),
        words_(words::of(context.language)) {}

  certificates::Summary build(const TotalsReport& by_track, const TotalsReport& by_gender,
                              const TotalsReport& by_district) const {
    certificates::Summary summary;
    summary.language = std::string(courses::toString(language_));
    summary.title =
        context_.programme_title.empty() ? words_.all_programmes : context_.programme_title;
    summary.subtitle = std::string(words_.totals) + " · " + words_.period + ": " +
                       periodText(report_.query.period, context_.programme_dates, language_);
    if (report_.query.track) {
      summary.subtitle += " · " + text(courses::label(courses::Dimension::track)) + ": " +
                          text(courses::trackLabel(*report_.query.track));
    }
    for (const Measure measure : courses::kAllMeasures) {
      summary.figures.push_back(
          {text(courses::label(measure)),
           figureText(report_.total, measure, hiddenBelow(report_), language_)});
    }
    for (const courses::TargetProgress& progress : report_.targets) {
      if (summary.targets.size() == kMaxTargets) break;
      if (progress.target.value <= 0) continue;  // no progress towards nothing
      summary.targets.push_back(target(progress));
    }
    for (const auto& [chart_report, chart_title] :
         {std::pair{&by_track, words_.trained_by_track},
          std::pair{&by_gender, words_.trained_by_gender},
          std::pair{&by_district, words_.trained_by_district}}) {
      certificates::SummaryChart made = chart(*chart_report, chart_title);
      if (!made.bars.empty()) summary.charts.push_back(std::move(made));
    }
    summary.notes.emplace_back(words_.distinct_people);
    if (by_track.overlapping || by_gender.overlapping || by_district.overlapping) {
      summary.notes.emplace_back(words_.bars_overlap);
    }
    const int k = std::max({report_.query.suppress_below, by_track.query.suppress_below,
                            by_gender.query.suppress_below, by_district.query.suppress_below});
    if (k > 0) summary.notes.push_back(words::fill(words_.hidden_under, std::to_string(k)));
    summary.footer = "Qatysu";
    if (!context_.generated_at.empty()) {
      summary.footer +=
          " · " + words::fill(words_.generated, readableTimestamp(context_.generated_at));
    }
    return summary;
  }

 private:
  std::string text(const courses::LocalizedText& localized) const {
    return std::string(words::pick(localized, language_));
  }

  certificates::SummaryTarget target(const courses::TargetProgress& progress) const {
    const courses::Target& t = progress.target;
    certificates::SummaryTarget out;
    out.label = text(courses::label(t.measure)) + ": " +
                (t.track ? text(courses::trackLabel(*t.track)) : words_.whole_programme);
    out.actual = static_cast<double>(progress.actual);
    out.target = static_cast<double>(t.value);
    out.text = formatCount(progress.actual, language_) + " / " + formatCount(t.value, language_) +
               " (" + formatPercent(progress.progress, language_) + ")";
    return out;
  }

  /// Trained people per value of `report`'s one dimension, in the report's order; past 12 bars
  /// the largest 11 stay and the rest fold into "Other (n)".
  certificates::SummaryChart chart(const TotalsReport& report, const char* title) const {
    certificates::SummaryChart out;
    out.title = title;
    if (report.margins.empty() || report.values.empty()) return out;
    const int k = hiddenBelow(report);
    for (const courses::TotalsCell& cell : report.margins.front()) {
      certificates::SummaryBar bar;
      const std::string key = cell.keys.empty() ? std::string() : cell.keys.front();
      bar.label = key;
      for (const courses::DimensionValue& value : report.values.front()) {
        if (value.key == key) bar.label = text(value.label);
      }
      if (cell.values.isHidden(Measure::trained)) {
        bar.text = words::hidden(k);
      } else {
        bar.value = static_cast<double>(cell.values.trained);
        bar.text = formatCount(cell.values.trained, language_);
      }
      out.bars.push_back(std::move(bar));
    }
    if (out.bars.size() > kMaxBars) fold(out.bars);
    return out;
  }

  void fold(std::vector<certificates::SummaryBar>& bars) const {
    // Largest first; hidden values (under k) after every shown one.
    std::stable_sort(bars.begin(), bars.end(), [](const auto& a, const auto& b) {
      return a.value.value_or(-1.0) > b.value.value_or(-1.0);
    });
    const auto rest = bars.begin() + static_cast<std::ptrdiff_t>(kMaxBars - 1);
    certificates::SummaryBar other;
    other.label = std::string(words_.other) + " (" + std::to_string(bars.end() - rest) + ")";
    double sum = 0;
    bool some_hidden = false;
    for (auto it = rest; it != bars.end(); ++it) {
      if (it->value) {
        sum += *it->value;
      } else {
        some_hidden = true;
      }
    }
    // Hidden values are left out of the sum, so it cannot reveal them; "+" says it is short.
    other.value = sum;
    other.text = formatCount(std::llround(sum), language_) + (some_hidden ? "+" : "");
    bars.erase(rest, bars.end());
    bars.push_back(std::move(other));
  }

  const TotalsReport& report_;
  Language language_;
  const ExportContext& context_;
  const words::Words& words_;
};

}  // namespace

std::string toPdf(const TotalsReport& report, const TotalsReport& by_track,
                  const TotalsReport& by_gender, const TotalsReport& by_district,
                  const ExportContext& context, const certificates::FontSet& fonts) {
  const certificates::Summary summary =
      SummaryBuilder(report, context).build(by_track, by_gender, by_district);
  return certificates::renderSummary(summary, fonts);
}

}  // namespace plugin::totals
