#include "totals_counting.hpp"

#include <array>
#include <cmath>

#include "courses/rules.hpp"

namespace courses::detail {

namespace {

/// A person's cells in one grouping, with the flags OR-ed over their enrolments in each: a person
/// counts once per cell however many of their enrolments fall into it.
class PersonCells {
 public:
  void clear() noexcept { cells_.clear(); }
  void add(int cell, unsigned flags) {
    for (auto& [c, f] : cells_) {
      if (c == cell) {
        f |= flags;
        return;
      }
    }
    cells_.emplace_back(cell, flags);
  }
  std::size_t size() const noexcept { return cells_.size(); }
  template <typename Count>
  void countInto(Count&& count) const {
    for (const auto& [c, f] : cells_) count(c, f);
  }

 private:
  std::vector<std::pair<int, unsigned>> cells_;
};

unsigned flagsOf(const EnrolmentFact& e, const CohortInfo& cohort, const Course* course) {
  unsigned flags = kEnrolled;
  if (e.attended_in_period > 0) flags |= kReached;
  if (cohort.fact->completes_in_period) {
    if (course != nullptr && evaluateCompletion(course->rule, cohort.fact->session_count,
                                                e.attended_total, e.excused_total)
                                 .completed) {
      flags |= kTrainedByRule;
    }
    if (e.certified) {
      flags |= kCertified;
      if (e.waived) flags |= kTrainedByWaiver;
    }
  }
  return flags;
}

}  // namespace

/// Counts the facts (only cohorts of `track`, when given) into the total and the cells of
/// `mappers` (0, 1 or 2 of them). With `target_tracks` (a track mapper), also counts every
/// track's cohorts into target_total and target_tracks in the same pass, for the targets.
Accumulated accumulate(const Indexed& indexed, const std::optional<std::string>& track,
                       const std::vector<const DimensionMapper*>& mappers,
                       const DimensionMapper* target_tracks) {
  const TotalsFacts& facts = indexed.facts;
  Accumulated out;
  for (const DimensionMapper* m : mappers) {
    out.margins.emplace_back(static_cast<std::size_t>(m->size()));
  }
  if (mappers.size() == 2) out.cross.emplace(mappers[0]->size(), mappers[1]->size());
  if (target_tracks != nullptr) {
    out.target_tracks.resize(static_cast<std::size_t>(target_tracks->size()));
  }

  // Cohorts counted: those whose course is known; in the report, those on the track asked for.
  std::vector<char> counted(indexed.cohorts.size(), 0);
  std::vector<char> included(indexed.cohorts.size(), 0);
  for (std::size_t i = 0; i < indexed.cohorts.size(); ++i) {
    const CohortInfo& cohort = indexed.cohorts[i];
    const Course* course = indexed.courseOf(cohort);
    const bool known = cohort.fact != nullptr && course != nullptr;
    included[i] = known && (!track || course->track == *track);
    counted[i] = included[i] || (known && target_tracks != nullptr);
  }

  // Sessions: whole cohorts, so only where no dimension describes the person.
  for (std::size_t i = 0; i < indexed.cohorts.size(); ++i) {
    if (!counted[i]) continue;
    const long long delivered = indexed.cohorts[i].fact->sessions_delivered_in_period;
    if (target_tracks != nullptr) {
      out.target_total.sessions += delivered;
      const int t = target_tracks->cohortValue(static_cast<int>(i));
      if (t >= 0) out.target_tracks[static_cast<std::size_t>(t)].sessions += delivered;
    }
    if (!included[i]) continue;
    out.total.sessions += delivered;
    if (delivered == 0) continue;
    std::array<int, 2> value{-1, -1};
    for (std::size_t d = 0; d < mappers.size(); ++d) {
      if (mappers[d]->describesPerson()) continue;
      value[d] = mappers[d]->cohortValue(static_cast<int>(i));
      if (value[d] >= 0) out.margins[d][static_cast<std::size_t>(value[d])].sessions += delivered;
    }
    if (out.cross && value[0] >= 0 && value[1] >= 0) {
      out.cross->cells[static_cast<std::size_t>(out.cross->slot(value[0], value[1]))].sessions +=
          delivered;
    }
  }

  // What the counting needs of each enrolment, computed in one sequential pass over the facts
  // and then grouped by person (a counting sort over dense person indexes): each person's
  // enrolments are merged in a small local list, with no sorting or hashing of pairs, and the
  // grouped rows are compact so the pass over people stays in cache.
  struct Row {
    std::array<int, 2> packed{-1, -1};
    int attended = 0;
    int marked = 0;
    int minutes = 0;  // one enrolment's minutes in a period stay far below 2^31
    int track = -1;   // for the targets
    unsigned flags = 0;
    bool in_report = false;
  };
  Id min_person = std::numeric_limits<Id>::max();
  Id max_person = std::numeric_limits<Id>::min();
  std::vector<Row> rows;
  std::vector<Id> person_of_row;  // participant ids, then (in place) dense person indexes
  rows.reserve(facts.enrolments.size());
  person_of_row.reserve(facts.enrolments.size());
  int cohort_index = -1;
  Id cohort_id = 0;
  for (const EnrolmentFact& e : facts.enrolments) {
    // Facts usually list a cohort's enrolments together: reuse the last lookup.
    if (cohort_index < 0 || e.cohort_id != cohort_id) {
      cohort_id = e.cohort_id;
      cohort_index = indexed.cohort_ids.find(e.cohort_id);
      if (cohort_index < 0) continue;
    }
    if (!counted[static_cast<std::size_t>(cohort_index)]) continue;
    const CohortInfo& cohort = indexed.cohorts[static_cast<std::size_t>(cohort_index)];
    Row row;
    row.flags = flagsOf(e, cohort, indexed.courseOf(cohort));
    row.in_report = included[static_cast<std::size_t>(cohort_index)] != 0;
    if (target_tracks != nullptr) row.track = target_tracks->cohortValue(cohort_index);
    for (std::size_t d = 0; d < mappers.size(); ++d) {
      row.packed[d] = mappers[d]->pack(e, cohort_index, cohort);
    }
    row.attended = e.attended_in_period;
    row.marked = e.marked_in_period;
    row.minutes = static_cast<int>(e.attended_minutes_in_period);
    rows.push_back(row);
    person_of_row.push_back(e.participant_id);
    min_person = std::min(min_person, e.participant_id);
    max_person = std::max(max_person, e.participant_id);
  }
  const bool any = !rows.empty();
  DenseIds people(any ? min_person : 0, any ? max_person : 0, rows.size());
  for (Id& p : person_of_row) p = people.intern(p);
  std::vector<int> start(static_cast<std::size_t>(people.size()) + 1, 0);
  for (const Id p : person_of_row) ++start[static_cast<std::size_t>(p) + 1];
  for (std::size_t p = 1; p < start.size(); ++p) start[p] += start[p - 1];
  std::vector<Row> by_person(rows.size());
  {
    std::vector<int> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      by_person[static_cast<std::size_t>(next[static_cast<std::size_t>(person_of_row[i])]++)] =
          rows[i];
    }
  }
  rows = {};

  const auto add_sums = [](Accumulator& acc, const Row& row) {
    acc.minutes += row.minutes;
    acc.attended_marks += row.attended;
    acc.marks += row.marked;
  };
  std::array<PersonCells, 2> margin_cells;
  PersonCells cross_cells;
  PersonCells track_cells;
  std::array<std::array<int, 6>, 2> values{};
  std::array<int, 2> counts{};
  for (int p = 0; p < people.size(); ++p) {
    unsigned person_flags = 0;
    unsigned target_flags = 0;
    for (auto& cells : margin_cells) cells.clear();
    cross_cells.clear();
    track_cells.clear();
    const auto first = static_cast<std::size_t>(start[static_cast<std::size_t>(p)]);
    const auto last = static_cast<std::size_t>(start[static_cast<std::size_t>(p) + 1]);
    for (std::size_t k = first; k < last; ++k) {
      const Row& row = by_person[k];
      if (target_tracks != nullptr) {
        target_flags |= row.flags;
        add_sums(out.target_total, row);
        if (row.track >= 0) {
          add_sums(out.target_tracks[static_cast<std::size_t>(row.track)], row);
          track_cells.add(row.track, row.flags);
        }
      }
      if (!row.in_report) continue;
      person_flags |= row.flags;
      add_sums(out.total, row);
      for (std::size_t d = 0; d < mappers.size(); ++d) {
        counts[d] = mappers[d]->unpack(row.packed[d], values[d]);
        for (int n = 0; n < counts[d]; ++n) {
          const int v = values[d][static_cast<std::size_t>(n)];
          add_sums(out.margins[d][static_cast<std::size_t>(v)], row);
          margin_cells[d].add(v, row.flags);
        }
      }
      if (out.cross) {
        for (int a = 0; a < counts[0]; ++a) {
          for (int b = 0; b < counts[1]; ++b) {
            const int slot = out.cross->slot(values[0][static_cast<std::size_t>(a)],
                                             values[1][static_cast<std::size_t>(b)]);
            add_sums(out.cross->cells[static_cast<std::size_t>(slot)], row);
            cross_cells.add(slot, row.flags);
          }
        }
      }
    }
    if (target_flags != 0) out.target_total.countPerson(target_flags);
    track_cells.countInto([&](int t, unsigned flags) {
      out.target_tracks[static_cast<std::size_t>(t)].countPerson(flags);
    });
    if (person_flags == 0) continue;  // counted only for the targets
    out.total.countPerson(person_flags);
    for (std::size_t d = 0; d < mappers.size(); ++d) {
      if (margin_cells[d].size() > 1) out.overlapping = true;
      margin_cells[d].countInto([&](int v, unsigned flags) {
        out.margins[d][static_cast<std::size_t>(v)].countPerson(flags);
      });
    }
    if (out.cross) {
      cross_cells.countInto([&](int slot, unsigned flags) {
        out.cross->cells[static_cast<std::size_t>(slot)].countPerson(flags);
      });
    }
  }
  return out;
}

namespace {

void hide(MeasureValues& v, Measure m) {
  v.hidden = static_cast<std::uint16_t>(v.hidden | (1u << static_cast<unsigned>(m)));
}

/// Primary suppression of one cell, zeroing the hidden values so nothing downstream can print
/// them by mistake.
void suppressSmall(MeasureValues& v, int k) {
  const bool whole_cell = v.enrolled < k;
  const std::array<std::pair<Measure, long long*>, 5> people{{
      {Measure::enrolled, &v.enrolled},
      {Measure::reached, &v.reached},
      {Measure::trained, &v.trained},
      {Measure::trained_with_waiver, &v.trained_with_waiver},
      {Measure::certified, &v.certified},
  }};
  for (const auto& [measure, count] : people) {
    if (whole_cell || (*count > 0 && *count < k)) {
      hide(v, measure);
      *count = 0;
    }
  }
  if (!whole_cell) return;
  // Sessions that do not apply (a person dimension) are absent, not hidden.
  if (v.sessions) {
    hide(v, Measure::sessions);
    v.sessions = 0;
  }
  hide(v, Measure::participant_hours);
  v.participant_hours = 0;
  hide(v, Measure::attendance_rate);
  v.attended_marks = 0;
  v.marks = 0;
}

/// The measures a line's cells add up to (sessions do not: a session serves several cells; nor
/// does a rate).
constexpr std::array<Measure, 6> kAdditive{Measure::enrolled,  Measure::reached,
                                           Measure::trained,   Measure::trained_with_waiver,
                                           Measure::certified, Measure::participant_hours};

/// Hides `m` of `v` (secondary suppression), zeroing it as primary suppression does.
void hideAdditive(MeasureValues& v, Measure m) {
  hide(v, m);
  switch (m) {
    case Measure::enrolled:
      v.enrolled = 0;
      break;
    case Measure::reached:
      v.reached = 0;
      break;
    case Measure::trained:
      v.trained = 0;
      break;
    case Measure::trained_with_waiver:
      v.trained_with_waiver = 0;
      break;
    case Measure::certified:
      v.certified = 0;
      break;
    case Measure::participant_hours:
      v.participant_hours = 0;
      break;
    case Measure::sessions:
    case Measure::attendance_rate:
      break;
  }
}

/// Cells whose sum is shown as `sum`.
struct Line {
  const MeasureValues* sum = nullptr;
  std::vector<MeasureValues*> cells;
};

/// Where `line` shows its sum and hides `m` in exactly one cell whose value the subtraction would
/// give as more than zero (a zero is never hidden by itself), hides the smallest shown `m` too
/// (the first of equals); answers whether it hid one.
bool protectLine(const Line& line, Measure m) {
  if (line.sum->isHidden(m)) return false;
  int hidden = 0;
  double rest = *line.sum->value(m);
  MeasureValues* smallest = nullptr;
  for (MeasureValues* cell : line.cells) {
    if (cell->isHidden(m)) {
      ++hidden;
      continue;
    }
    rest -= *cell->value(m);
    if (smallest == nullptr || *cell->value(m) < *smallest->value(m)) smallest = cell;
  }
  if (hidden != 1 || smallest == nullptr || rest <= 0) return false;
  hideAdditive(*smallest, m);
  return true;
}

}  // namespace

}  // namespace courses::detail

namespace courses {

void suppressSmallCounts(TotalsReport& report, int k) {
  for (auto& margin : report.margins) {
    for (TotalsCell& cell : margin) detail::suppressSmall(cell.values, k);
  }
  for (TotalsCell& cell : report.cells) detail::suppressSmall(cell.values, k);

  // Every line with a shown sum: each dimension's values against the total, then each row and
  // each column of the cross-tab against its margin cell.
  std::vector<detail::Line> lines;
  for (auto& margin : report.margins) {
    detail::Line& line = lines.emplace_back();
    line.sum = &report.total;
    for (TotalsCell& cell : margin) line.cells.push_back(&cell.values);
  }
  if (!report.cells.empty()) {
    for (std::size_t d = 0; d < report.margins.size() && d < 2; ++d) {
      for (const TotalsCell& margin_cell : report.margins[d]) {
        detail::Line& line = lines.emplace_back();
        line.sum = &margin_cell.values;
        for (TotalsCell& cell : report.cells) {
          if (cell.keys.at(d) == margin_cell.keys.at(0)) line.cells.push_back(&cell.values);
        }
      }
    }
  }
  // Each pass hides at least one more value or ends, so this stops.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Measure m : detail::kAdditive) {
      for (const detail::Line& line : lines) changed = detail::protectLine(line, m) || changed;
    }
  }
}

}  // namespace courses

namespace courses::detail {

long long targetValue(const Accumulator& acc, Measure measure) {
  switch (measure) {
    case Measure::enrolled:
      return acc.enrolled;
    case Measure::reached:
      return acc.reached;
    case Measure::trained:
      return acc.trained;
    case Measure::trained_with_waiver:
      return acc.trained_with_waiver;
    case Measure::certified:
      return acc.certified;
    case Measure::sessions:
      return acc.sessions;
    case Measure::participant_hours:
      return std::llround(static_cast<double>(acc.minutes) / 60.0);
    case Measure::attendance_rate:
      break;
  }
  return 0;
}

}  // namespace courses::detail
