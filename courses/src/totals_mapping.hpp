#pragma once
// Private to the totals: the facts indexed once per computation, and the mapping of facts to the
// values of a dimension as the report lists them.

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "courses/totals.hpp"

namespace courses::detail {

// Ages are looked up in a table; anything outside it falls into the first or last band.
inline constexpr int kAgeTableSize = 151;

/// The year of an ISO date; 0 when it does not start with four digits.
inline int yearOf(const Date& date) {
  if (date.size() < 4) return 0;
  int year = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return 0;
    year = year * 10 + (date[i] - '0');
  }
  return year;
}

// ---------------------------------------------------------------------------------------------
// Dense indexes. The computation touches every enrolment several times; mapping ids to small
// integers once lets everything after that index plain vectors instead of hashing per row.

/// Gives ids dense indexes in the order they are first interned. Ids spanning a small range are
/// looked up in a vector, others in a hash map.
class DenseIds {
 public:
  DenseIds(Id min_id, Id max_id, std::size_t expected) {
    const auto span = static_cast<unsigned long long>(max_id - min_id) + 1;
    if (max_id >= min_id && span <= std::max<unsigned long long>(4 * expected, 1 << 18)) {
      min_ = min_id;
      dense_.assign(static_cast<std::size_t>(span), -1);
      is_dense_ = true;
    } else {
      sparse_.reserve(expected);
    }
  }

  /// The id's index, assigning the next one to a new id.
  int intern(Id id) {
    if (is_dense_) {
      int& slot = dense_[static_cast<std::size_t>(id - min_)];
      if (slot < 0) slot = size_++;
      return slot;
    }
    const auto [it, inserted] = sparse_.try_emplace(id, size_);
    if (inserted) ++size_;
    return it->second;
  }

  /// The id's index, or -1 when it was never interned.
  int find(Id id) const {
    if (is_dense_) {
      if (id < min_ || static_cast<std::size_t>(id - min_) >= dense_.size()) return -1;
      return dense_[static_cast<std::size_t>(id - min_)];
    }
    const auto it = sparse_.find(id);
    return it == sparse_.end() ? -1 : it->second;
  }

  int size() const noexcept { return size_; }

 private:
  bool is_dense_ = false;
  Id min_ = 0;
  std::vector<int> dense_;
  std::unordered_map<Id, int> sparse_;
  int size_ = 0;
};

template <typename T, typename IdOf>
DenseIds indexIds(const std::vector<T>& items, IdOf id_of) {
  Id min_id = std::numeric_limits<Id>::max();
  Id max_id = std::numeric_limits<Id>::min();
  for (const T& item : items) {
    min_id = std::min(min_id, id_of(item));
    max_id = std::max(max_id, id_of(item));
  }
  DenseIds ids(items.empty() ? 0 : min_id, items.empty() ? 0 : max_id, items.size());
  for (const T& item : items) ids.intern(id_of(item));
  return ids;
}

// ---------------------------------------------------------------------------------------------
// The facts, indexed once per computation.

struct CohortInfo {
  const CohortFact* fact = nullptr;
  int course = -1;  ///< index into facts.courses; -1 when the course is not in the facts
  int start_year = 0;
};

struct Indexed {
  const TotalsFacts& facts;
  std::vector<AgeBand> bands;
  DenseIds course_ids;
  DenseIds cohort_ids;
  DenseIds locality_ids;
  std::vector<CohortInfo> cohorts;  ///< by index of cohort_ids (first occurrence wins)
  std::array<int, kAgeTableSize> band_of_age{};

  Indexed(const TotalsFacts& of, std::vector<AgeBand> age_bands)
      : facts(of),
        bands(std::move(age_bands)),
        course_ids(indexIds(of.courses, [](const Course& c) { return c.id; })),
        cohort_ids(indexIds(of.cohorts, [](const CohortFact& c) { return c.id; })),
        locality_ids(indexIds(of.localities, [](const Locality& l) { return l.id; })) {
    cohorts.resize(static_cast<std::size_t>(cohort_ids.size()));
    for (const CohortFact& cohort : facts.cohorts) {
      CohortInfo& info = cohorts[static_cast<std::size_t>(cohort_ids.find(cohort.id))];
      if (info.fact != nullptr) continue;
      info.fact = &cohort;
      info.course = course_ids.find(cohort.course_id);
      info.start_year = yearOf(cohort.starts_on);
    }
    for (int age = 0; age < kAgeTableSize; ++age) {
      int band = 0;
      for (std::size_t b = 0; b < bands.size(); ++b) {
        if (bands[b].from <= age) band = static_cast<int>(b);
      }
      band_of_age[static_cast<std::size_t>(age)] = band;
    }
  }

  const Course* courseOf(const CohortInfo& cohort) const {
    return cohort.course < 0 ? nullptr : &facts.courses[static_cast<std::size_t>(cohort.course)];
  }
};

/// The person's age band index at the cohort's start.
inline int ageBand(const Indexed& indexed, const CohortInfo& cohort, int birth_year) {
  const int age = std::clamp(cohort.start_year - birth_year, 0, kAgeTableSize - 1);
  return indexed.band_of_age[static_cast<std::size_t>(age)];
}

/// Maps facts to the values of one dimension: value indexes follow the dimension's natural order,
/// so the report lists values by index.
class DimensionMapper {
 public:
  DimensionMapper(const Indexed& indexed, Dimension dimension);

  Dimension dimension() const noexcept { return dimension_; }
  bool describesPerson() const noexcept { return courses::describesPerson(dimension_); }
  int size() const noexcept { return size_; }

  /// The cohort's value (track, course, cohort only); -1 when it has none.
  int cohortValue(int cohort_index) const {
    return by_cohort_[static_cast<std::size_t>(cohort_index)];
  }

  /// The enrolment's value, packed: a value index (-1 for none), except for vulnerable groups,
  /// where it is the snapshot's set of groups. unpack() turns it into value indexes.
  int pack(const EnrolmentFact& enrolment, int cohort_index, const CohortInfo& cohort) const;

  /// Writes the value indexes of a packed value to `out` and returns how many there are.
  int unpack(int packed, std::array<int, 6>& out) const;

  /// The value as the report shows it.
  DimensionValue describe(int value) const;

  /// The track's value index, or -1 (track dimension only).
  int trackValue(std::string_view track) const {
    const auto it = std::find(tracks_.begin(), tracks_.end(), track);
    return it == tracks_.end() ? -1 : static_cast<int>(it - tracks_.begin());
  }

 private:
  void buildTracks();
  void buildCourses();
  void buildCohorts();
  /// The locality itself or its nearest ancestor of the dimension's level, as an index into
  /// facts.localities; -1 when there is none.
  int rollUp(std::size_t index) const;
  void buildLocalities();

  const Indexed& indexed_;
  Dimension dimension_;
  int size_ = 0;
  std::vector<std::string> tracks_;
  std::vector<std::size_t> order_;  ///< value index -> row of facts.courses/cohorts/localities
  std::vector<int> by_cohort_;
  std::vector<int> by_locality_;
  int not_stated_ = -1;
};

}  // namespace courses::detail
