#include "courses/totals.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "checks.hpp"
#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "invalid.hpp"
#include "name_table.hpp"
#include "totals_counting.hpp"
#include "totals_mapping.hpp"

namespace courses {

using detail::accumulate;
using detail::Accumulated;
using detail::Accumulator;
using detail::DimensionMapper;
using detail::Indexed;
using detail::inEnumRange;
using detail::nameOf;
using detail::NameTable;
using detail::targetValue;
using detail::throwInvalid;
using detail::valueOf;

namespace {

constexpr NameTable<Measure, 8> kMeasureNames{{
    {Measure::enrolled, "enrolled"},
    {Measure::reached, "reached"},
    {Measure::trained, "trained"},
    {Measure::trained_with_waiver, "trained_with_waiver"},
    {Measure::certified, "certified"},
    {Measure::sessions, "sessions"},
    {Measure::participant_hours, "participant_hours"},
    {Measure::attendance_rate, "attendance_rate"},
}};

constexpr NameTable<Dimension, 11> kDimensionNames{{
    {Dimension::track, "track"},
    {Dimension::course, "course"},
    {Dimension::cohort, "cohort"},
    {Dimension::gender, "gender"},
    {Dimension::age_band, "age_band"},
    {Dimension::region, "region"},
    {Dimension::district, "district"},
    {Dimension::settlement, "settlement"},
    {Dimension::locality, "locality"},
    {Dimension::affiliation, "affiliation"},
    {Dimension::vulnerable_group, "vulnerable_group"},
}};

constexpr std::size_t kMaxAgeBounds = 12;
constexpr int kMaxAge = 120;
constexpr int kMaxSuppressBelow = 1000;
constexpr std::size_t kMaxDimensions = 2;


}  // namespace

// ---------------------------------------------------------------------------------------------
// Names and small helpers

bool countsPeople(Measure measure) noexcept {
  switch (measure) {
    case Measure::enrolled:
    case Measure::reached:
    case Measure::trained:
    case Measure::trained_with_waiver:
    case Measure::certified:
      return true;
    case Measure::sessions:
    case Measure::participant_hours:
    case Measure::attendance_rate:
      return false;
  }
  return false;
}

bool describesPerson(Dimension dimension) noexcept {
  switch (dimension) {
    case Dimension::track:
    case Dimension::course:
    case Dimension::cohort:
      return false;
    case Dimension::gender:
    case Dimension::age_band:
    case Dimension::region:
    case Dimension::district:
    case Dimension::settlement:
    case Dimension::locality:
    case Dimension::affiliation:
    case Dimension::vulnerable_group:
      return true;
  }
  return true;
}

std::string_view toString(Measure v) noexcept {
  return nameOf(kMeasureNames, v);
}
std::string_view toString(Dimension v) noexcept {
  return nameOf(kDimensionNames, v);
}
std::optional<Measure> measureFromString(std::string_view s) noexcept {
  return valueOf(kMeasureNames, s);
}
std::optional<Dimension> dimensionFromString(std::string_view s) noexcept {
  return valueOf(kDimensionNames, s);
}

std::string AgeBand::key() const {
  return to ? std::to_string(from) + "-" + std::to_string(*to) : std::to_string(from) + "+";
}

std::vector<AgeBand> makeAgeBands(const std::vector<int>& lower_bounds, const YouthBand& youth) {
  std::vector<int> bounds = lower_bounds;
  if (bounds.empty()) {
    bounds = {youth.from, youth.to + 1};
    if (youth.to + 1 < 60) bounds.push_back(60);
  } else {
    if (bounds.size() > kMaxAgeBounds) {
      throwInvalid("age_bands", "must give at most " + std::to_string(kMaxAgeBounds) + " bounds");
    }
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      if (bounds[i] < 1 || bounds[i] > kMaxAge) {
        throwInvalid("age_bands", "must be ages from 1 to " + std::to_string(kMaxAge));
      }
      if (i > 0 && bounds[i] <= bounds[i - 1]) {
        throwInvalid("age_bands", "must be strictly increasing");
      }
    }
  }
  std::vector<AgeBand> bands;
  if (bounds.front() > 0) bands.push_back(AgeBand{0, bounds.front() - 1, false});
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    AgeBand band;
    band.from = bounds[i];
    if (i + 1 < bounds.size()) band.to = bounds[i + 1] - 1;
    bands.push_back(band);
  }
  for (AgeBand& band : bands) band.youth = band.from == youth.from && band.to == youth.to;
  return bands;
}

void validateTotalsQuery(const TotalsQuery& query) {
  detail::Problems problems;
  const auto& [from, to] = query.period;
  const bool from_ok = !from || isValidDate(*from);
  const bool to_ok = !to || isValidDate(*to);
  if (!from_ok) problems.add("from", "must be a calendar date written YYYY-MM-DD");
  if (!to_ok) problems.add("to", "must be a calendar date written YYYY-MM-DD");
  if (from && to && from_ok && to_ok && *to < *from) problems.add("to", "must not be before from");
  if (query.track && !isTrackName(*query.track)) {
    problems.add("track", kTrackNameRule);
  }
  if (query.by.size() > kMaxDimensions) {
    problems.add("by", "may name at most two dimensions");
  } else if (query.by.size() == 2 && query.by[0] == query.by[1]) {
    problems.add("by", "must not name a dimension twice");
  }
  for (const Dimension d : query.by) {
    if (!inEnumRange(d, Dimension::track, Dimension::vulnerable_group)) {
      problems.add("by", "names an unknown dimension");
      break;
    }
  }
  if (!query.age_bounds.empty()) {
    try {
      makeAgeBands(query.age_bounds, YouthBand{});
    } catch (const Error& e) {
      problems.add(e);
    }
  }
  if (query.suppress_below < 0 || query.suppress_below > kMaxSuppressBelow) {
    problems.add("suppress", "must be from 0 to " + std::to_string(kMaxSuppressBelow));
  }
  problems.throwIfAny("query");
}

// ---------------------------------------------------------------------------------------------
// Measure values

std::optional<double> MeasureValues::attendanceRate() const {
  if (marks <= 0) return std::nullopt;
  return static_cast<double>(attended_marks) / static_cast<double>(marks);
}

bool MeasureValues::isHidden(Measure measure) const noexcept {
  return (hidden & (1u << static_cast<unsigned>(measure))) != 0;
}

std::optional<double> MeasureValues::value(Measure measure) const {
  if (isHidden(measure)) return std::nullopt;
  switch (measure) {
    case Measure::enrolled:
      return static_cast<double>(enrolled);
    case Measure::reached:
      return static_cast<double>(reached);
    case Measure::trained:
      return static_cast<double>(trained);
    case Measure::trained_with_waiver:
      return static_cast<double>(trained_with_waiver);
    case Measure::certified:
      return static_cast<double>(certified);
    case Measure::sessions:
      if (!sessions) return std::nullopt;
      return static_cast<double>(*sessions);
    case Measure::participant_hours:
      return participant_hours;
    case Measure::attendance_rate:
      return attendanceRate();
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// The computation

TotalsReport computeTotals(const TotalsQuery& query, const TotalsFacts& facts,
                           const std::vector<Target>& targets) {
  TotalsReport report;
  report.query = query;
  YouthBand youth;
  if (query.programme_id) {
    for (const Programme& p : facts.programmes) {
      if (p.id == *query.programme_id) youth = p.youth;
    }
  }
  report.age_bands = makeAgeBands(query.age_bounds, youth);
  const Indexed indexed(facts, report.age_bands);

  std::vector<DimensionMapper> mappers;
  mappers.reserve(query.by.size());
  for (const Dimension d : query.by) mappers.emplace_back(indexed, d);
  std::vector<const DimensionMapper*> mapper_refs;
  for (const DimensionMapper& m : mappers) mapper_refs.push_back(&m);

  // Targets are measured over the whole programme in the period, whatever track the query
  // narrows to; the same pass counts them broken down by track.
  const bool with_targets = query.programme_id && !targets.empty();
  std::optional<DimensionMapper> tracks;
  if (with_targets) tracks.emplace(indexed, Dimension::track);
  Accumulated acc = accumulate(indexed, query.track, mapper_refs, tracks ? &*tracks : nullptr);
  report.total = acc.total.values(true);
  report.overlapping = acc.overlapping || std::find(query.by.begin(), query.by.end(),
                                                    Dimension::vulnerable_group) != query.by.end();

  // Keys by value index, for the cross cells: every value of a cell also occurs in its margin.
  std::array<std::vector<std::string>, 2> keys;
  for (std::size_t d = 0; d < mappers.size(); ++d) {
    const bool with_sessions = !mappers[d].describesPerson();
    auto& values = report.values.emplace_back();
    auto& margin = report.margins.emplace_back();
    keys[d].resize(acc.margins[d].size());
    for (std::size_t v = 0; v < acc.margins[d].size(); ++v) {
      const Accumulator& cell = acc.margins[d][v];
      if (!cell.occurs()) continue;
      DimensionValue value = mappers[d].describe(static_cast<int>(v));
      keys[d][v] = value.key;
      margin.push_back(TotalsCell{{value.key}, cell.values(with_sessions)});
      values.push_back(std::move(value));
    }
  }
  if (acc.cross) {
    const bool with_sessions = !mappers[0].describesPerson() && !mappers[1].describesPerson();
    std::vector<std::size_t> order(acc.cross->cells.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return acc.cross->keys[a] < acc.cross->keys[b];
    });
    report.cells.reserve(order.size());
    for (const std::size_t i : order) {
      const auto [a, b] = acc.cross->keys[i];
      report.cells.push_back(
          TotalsCell{{keys[0][static_cast<std::size_t>(a)], keys[1][static_cast<std::size_t>(b)]},
                     acc.cross->cells[i].values(with_sessions)});
    }
  }

  if (query.suppress_below > 0) suppressSmallCounts(report, query.suppress_below);

  if (with_targets) {
    for (const Target& target : targets) {
      TargetProgress progress;
      progress.target = target;
      if (!target.track) {
        progress.actual = targetValue(acc.target_total, target.measure);
      } else if (const int v = tracks->trackValue(*target.track); v >= 0) {
        progress.actual =
            targetValue(acc.target_tracks[static_cast<std::size_t>(v)], target.measure);
      }
      progress.progress = target.value > 0 ? static_cast<double>(progress.actual) /
                                                 static_cast<double>(target.value)
                                           : 0;
      report.targets.push_back(std::move(progress));
    }
  }
  return report;
}

}  // namespace courses
