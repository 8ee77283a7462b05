// The report as the donor reads it: localized tables, one row per value or pair, subtotals and the
// total, with the notes that keep the numbers from being misread.
#include <algorithm>
#include <cstdint>
#include <string_view>

#include "plugin/totals/exports.hpp"
#include "words.hpp"

namespace plugin::totals {
namespace {

using courses::Dimension;
using courses::Language;
using courses::Measure;
using courses::MeasureValues;
using courses::TotalsReport;

constexpr std::size_t kMaxSheetName = 31;

/// How a hidden value is shown when the report does not say its k (it always should).
constexpr int kDefaultHiddenBelow = 5;

Value measureValue(const MeasureValues& values, Measure measure, int hidden_below) {
  if (values.isHidden(measure)) return Hidden{hidden_below};
  switch (measure) {
    case Measure::enrolled:
      return values.enrolled;
    case Measure::reached:
      return values.reached;
    case Measure::trained:
      return values.trained;
    case Measure::trained_with_waiver:
      return values.trained_with_waiver;
    case Measure::certified:
      return values.certified;
    case Measure::sessions:
      if (!values.sessions) return std::monostate{};
      return *values.sessions;
    case Measure::participant_hours:
      return values.participant_hours;
    case Measure::attendance_rate:
      break;
  }
  const std::optional<double> rate = values.attendanceRate();
  if (!rate) return std::monostate{};
  return *rate;
}

/// Where a UTF-8 sequence starting with `lead` ends.
std::size_t sequenceLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

/// A name Excel accepts: none of []:*?/\, no apostrophe at either end, at most 31 characters
/// (all our characters are in the BMP, so characters and UTF-16 units agree), unique in the book.
std::string sheetName(std::string_view wanted, const std::vector<std::string>& taken) {
  std::string clean;
  for (const char c : wanted) {
    clean += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '-';
  }
  while (!clean.empty() && clean.front() == '\'') clean.erase(0, 1);
  while (!clean.empty() && clean.back() == '\'') clean.pop_back();
  if (clean.empty()) clean = "Sheet";
  const auto cut = [](const std::string& text, std::size_t characters) {
    std::size_t pos = 0;
    for (std::size_t n = 0; n < characters && pos < text.size(); ++n) {
      pos += sequenceLength(static_cast<unsigned char>(text[pos]));
    }
    std::string out = text.substr(0, std::min(pos, text.size()));
    while (!out.empty() && (out.back() == ' ' || out.back() == '\'')) out.pop_back();
    return out;
  };
  std::string name = cut(clean, kMaxSheetName);
  for (int n = 2; std::find(taken.begin(), taken.end(), name) != taken.end(); ++n) {
    const std::string suffix = " " + std::to_string(n);
    name = cut(clean, kMaxSheetName - suffix.size()) + suffix;
  }
  return name;
}

class Builder {
 public:
  Builder(const TotalsReport& report, const ExportContext& context)
      : report_(report),
        context_(context),
        words_(words::of(context.language)),
        hidden_below_(report.query.suppress_below > 0 ? report.query.suppress_below
                                                      : kDefaultHiddenBelow) {}

  std::vector<Table> run() {
    const std::vector<Dimension>& by = report_.query.by;
    add(breakdown());
    // With one dimension the breakdown is already that dimension's table.
    if (by.size() > 1) {
      for (std::size_t d = 0; d < by.size(); ++d) add(dimensionTable(d));
    }
    if (!report_.targets.empty()) add(targetsTable());
    return std::move(tables_);
  }

 private:
  std::string text(const courses::LocalizedText& localized) const {
    return std::string(words::pick(localized, context_.language));
  }

  std::string dimensionLabel(Dimension dimension) const { return text(courses::label(dimension)); }

  /// The label of value `key` of the query's dimension number `d`.
  std::string valueLabel(std::size_t d, const std::string& key) const {
    if (d < report_.values.size()) {
      for (const courses::DimensionValue& value : report_.values[d]) {
        if (value.key == key) return text(value.label);
      }
    }
    return key;
  }

  /// "Programme · Totals by Gender × District · Period: 2017-02-01 – 2020-01-31 · Track: …".
  std::string title(std::string_view what) const {
    std::string out =
        context_.programme_title.empty() ? words_.all_programmes : context_.programme_title;
    out += " · ";
    out += what;
    out += " · ";
    out += words_.period;
    out += ": ";
    out += periodText(report_.query.period, context_.programme_dates, context_.language);
    if (report_.query.track) {
      out += " · " + dimensionLabel(Dimension::track) + ": " +
             text(courses::trackLabel(*report_.query.track));
    }
    return out;
  }

  std::vector<std::string> notes(const std::vector<Dimension>& dimensions) const {
    std::vector<std::string> out = words::notes(report_, dimensions, context_.language);
    if (!context_.generated_at.empty()) {
      out.push_back(words::fill(words_.generated, context_.generated_at));
    }
    return out;
  }

  /// Columns for `dimensions`, then every measure.
  void measureColumns(Table& table, const std::vector<Dimension>& dimensions) const {
    for (const Dimension dimension : dimensions) {
      table.header.push_back(dimensionLabel(dimension));
      table.percent_columns.push_back(false);
    }
    for (const Measure measure : courses::kAllMeasures) {
      table.header.push_back(text(courses::label(measure)));
      table.percent_columns.push_back(measure == Measure::attendance_rate);
    }
  }

  std::vector<Value> row(std::vector<Value> keys, const MeasureValues& values) const {
    for (const Measure measure : courses::kAllMeasures) {
      keys.push_back(measureValue(values, measure, hidden_below_));
    }
    return keys;
  }

  /// The grand total's row: "Total" under the first dimension, the other dimensions' cells empty.
  std::vector<Value> totalRow(std::size_t dimensions) const {
    std::vector<Value> keys;
    if (dimensions > 0) keys.emplace_back(std::string(words_.total));
    while (keys.size() < dimensions) keys.emplace_back(std::monostate{});
    return row(std::move(keys), report_.total);
  }

  std::string joinedLabels(const std::vector<Dimension>& dimensions) const {
    std::string out;
    for (const Dimension dimension : dimensions) {
      if (!out.empty()) out += " × ";
      out += dimensionLabel(dimension);
    }
    return out;
  }

  Table breakdown() const {
    const std::vector<Dimension>& by = report_.query.by;
    Table table;
    if (by.empty()) {
      table.name = words_.totals;
      table.title = title(words_.totals);
    } else {
      table.name = joinedLabels(by);
      table.title = title(words::fill(words_.totals_by, table.name));
    }
    measureColumns(table, by);
    if (by.size() == 2) {
      for (const courses::TotalsCell& cell : report_.cells) {
        std::vector<Value> keys;
        for (std::size_t d = 0; d < 2; ++d) {
          keys.emplace_back(d < cell.keys.size() ? valueLabel(d, cell.keys[d]) : std::string());
        }
        table.rows.push_back(row(std::move(keys), cell.values));
      }
      // Subtotals: one dimension's value over all of the other's.
      for (std::size_t d = 0; d < 2 && d < report_.margins.size(); ++d) {
        for (const courses::TotalsCell& cell : report_.margins[d]) {
          std::vector<Value> keys(2, std::string(words_.all));
          keys[d] = valueLabel(d, cell.keys.empty() ? std::string() : cell.keys.front());
          table.rows.push_back(row(std::move(keys), cell.values));
        }
      }
    } else if (by.size() == 1 && !report_.margins.empty()) {
      for (const courses::TotalsCell& cell : report_.margins.front()) {
        std::vector<Value> keys{
            valueLabel(0, cell.keys.empty() ? std::string() : cell.keys.front())};
        table.rows.push_back(row(std::move(keys), cell.values));
      }
    }
    table.rows.push_back(totalRow(by.size()));
    table.notes = notes(by);
    return table;
  }

  /// One dimension of a crossed query on its own: its values, then the total.
  Table dimensionTable(std::size_t d) const {
    const Dimension dimension = report_.query.by[d];
    Table table;
    table.name = dimensionLabel(dimension);
    table.title = title(words::fill(words_.totals_by, table.name));
    measureColumns(table, {dimension});
    if (d < report_.margins.size()) {
      for (const courses::TotalsCell& cell : report_.margins[d]) {
        std::vector<Value> keys{
            valueLabel(d, cell.keys.empty() ? std::string() : cell.keys.front())};
        table.rows.push_back(row(std::move(keys), cell.values));
      }
    }
    table.rows.push_back(totalRow(1));
    table.notes = notes({dimension});
    return table;
  }

  Table targetsTable() const {
    Table table;
    table.name = words_.targets;
    table.title = title(words_.targets);
    table.header = {words_.measure, dimensionLabel(Dimension::track), words_.target, words_.actual,
                    words_.progress};
    table.percent_columns = {false, false, false, false, true};
    for (const courses::TargetProgress& progress : report_.targets) {
      const courses::Target& target = progress.target;
      table.rows.push_back(
          {text(courses::label(target.measure)),
           target.track ? text(courses::trackLabel(*target.track)) : words_.whole_programme,
           target.value, progress.actual, progress.progress});
    }
    table.notes = notes({});
    return table;
  }

  void add(Table table) {
    table.name = sheetName(table.name, names_);
    names_.push_back(table.name);
    tables_.push_back(std::move(table));
  }

  const TotalsReport& report_;
  const ExportContext& context_;
  const words::Words& words_;
  int hidden_below_;
  std::vector<Table> tables_;
  std::vector<std::string> names_;
};

}  // namespace

std::vector<Table> tables(const TotalsReport& report, const ExportContext& context) {
  return Builder(report, context).run();
}

}  // namespace plugin::totals
