#pragma once
// Private to the totals: counting the facts into cells of distinct people (the counting rules of
// courses/totals.hpp) and the figures targets are measured by.

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "courses/totals.hpp"
#include "totals_mapping.hpp"

namespace courses::detail {

enum Flag : unsigned {
  kEnrolled = 1u << 0,
  kReached = 1u << 1,
  kTrainedByRule = 1u << 2,
  kTrainedByWaiver = 1u << 3,
  kCertified = 1u << 4,
};

/// What is summed per cell: distinct people by flag, plus sums over enrolments and cohorts.
struct Accumulator {
  long long enrolled = 0;
  long long reached = 0;
  long long trained = 0;
  long long trained_with_waiver = 0;
  long long certified = 0;
  long long sessions = 0;
  long long minutes = 0;
  long long attended_marks = 0;
  long long marks = 0;

  bool occurs() const noexcept { return enrolled > 0 || sessions > 0; }

  /// One distinct person, with the flags of all their enrolments in this cell.
  void countPerson(unsigned flags) noexcept {
    enrolled += (flags & kEnrolled) != 0;
    reached += (flags & kReached) != 0;
    const bool by_rule = (flags & kTrainedByRule) != 0;
    const bool by_waiver = (flags & kTrainedByWaiver) != 0;
    trained += by_rule || by_waiver;
    trained_with_waiver += by_waiver && !by_rule;
    certified += (flags & kCertified) != 0;
  }

  MeasureValues values(bool with_sessions) const {
    MeasureValues v;
    v.enrolled = enrolled;
    v.reached = reached;
    v.trained = trained;
    v.trained_with_waiver = trained_with_waiver;
    v.certified = certified;
    if (with_sessions) v.sessions = sessions;
    v.participant_hours = static_cast<double>(minutes) / 60.0;
    v.attended_marks = attended_marks;
    v.marks = marks;
    return v;
  }
};

/// The cells of a cross of two dimensions, made as pairs occur.
class CrossCells {
 public:
  CrossCells(int size_a, int size_b) : size_b_(static_cast<std::size_t>(size_b)) {
    const std::size_t product = static_cast<std::size_t>(size_a) * size_b_;
    // A dense table is one lookup per pair; very large crosses (cohort × locality) hash instead.
    if (product <= (std::size_t{1} << 20)) dense_.assign(product, -1);
  }

  int slot(int a, int b) {
    const std::size_t key = static_cast<std::size_t>(a) * size_b_ + static_cast<std::size_t>(b);
    int* found = nullptr;
    if (!dense_.empty()) {
      found = &dense_[key];
    } else {
      found = &sparse_.try_emplace(key, -1).first->second;
    }
    if (*found < 0) {
      *found = static_cast<int>(cells.size());
      cells.emplace_back();
      keys.emplace_back(a, b);
    }
    return *found;
  }

  std::vector<Accumulator> cells;
  std::vector<std::pair<int, int>> keys;

 private:
  std::size_t size_b_;
  std::vector<int> dense_;
  std::unordered_map<std::size_t, int> sparse_;
};

struct Accumulated {
  Accumulator total;
  std::vector<std::vector<Accumulator>> margins;  ///< per dimension, by value index
  std::optional<CrossCells> cross;
  bool overlapping = false;
  /// With a track mapper for targets: every track's cohorts, whatever the query's track.
  Accumulator target_total;
  std::vector<Accumulator> target_tracks;  ///< by track value index
};

/// Counts the facts (only cohorts of `track`, when given) into the total and the cells of
/// `mappers` (0, 1 or 2 of them). With `target_tracks` (a track mapper), also counts every
/// track's cohorts into target_total and target_tracks in the same pass, for the targets.
Accumulated accumulate(const Indexed& indexed, const std::optional<std::string>& track,
                       const std::vector<const DimensionMapper*>& mappers,
                       const DimensionMapper* target_tracks);

/// The figure a target of `measure` is measured by (participant-hours rounded to whole hours).
long long targetValue(const Accumulator& acc, Measure measure);

}  // namespace courses::detail
