#include "courses/totals.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "invalid.hpp"
#include "name_table.hpp"

namespace courses {

using detail::nameOf;
using detail::NameTable;
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
constexpr std::size_t kMaxTrack = 40;
constexpr std::size_t kMaxDimensions = 2;
// Ages are looked up in a table; anything outside it falls into the first or last band.
constexpr int kAgeTableSize = 151;
// The key of the value standing for "no such locality above the person's home".
constexpr std::string_view kNotStatedKey = "not_stated";

/// Tracks the programme runs, in the order reports list them; other tracks follow by name.
constexpr std::array<std::string_view, 4> kKnownTracks{"inclusive_planning", "entrepreneurship",
                                                       "study_visit", "information_event"};

LocalizedText same(std::string text) {
  return LocalizedText{text, text, std::move(text)};
}

LocalizedText notStatedLabel() {
  return {"Көрсетілмеген", "Не указано", "Not stated"};
}

LocalizedText genderLabel(Gender gender) {
  switch (gender) {
    case Gender::female:
      return {"Әйел", "Женский", "Female"};
    case Gender::male:
      return {"Ер", "Мужской", "Male"};
    case Gender::undisclosed:
      break;
  }
  return notStatedLabel();
}

LocalizedText affiliationLabel(Affiliation affiliation) {
  switch (affiliation) {
    case Affiliation::local_government:
      return {"Жергілікті басқару органдары", "Органы местного управления", "Local government"};
    case Affiliation::civil_society:
      return {"Азаматтық қоғам", "Гражданское общество", "Civil society"};
    case Affiliation::community_member:
      return {"Жергілікті тұрғын", "Местный житель", "Community member"};
    case Affiliation::entrepreneur:
      return {"Кәсіпкер", "Предприниматель", "Entrepreneur"};
    case Affiliation::public_servant:
      return {"Мемлекеттік қызметші", "Государственный служащий", "Public servant"};
    case Affiliation::other:
      break;
  }
  return {"Басқа", "Другое", "Other"};
}

LocalizedText vulnerableGroupLabel(VulnerableGroup group) {
  switch (group) {
    case VulnerableGroup::disability:
      return {"Мүгедектігі бар адамдар", "Люди с инвалидностью", "People with disabilities"};
    case VulnerableGroup::youth:
      return {"Жастар", "Молодёжь", "Youth"};
    case VulnerableGroup::mother_of_many_children:
      return {"Көп балалы аналар", "Многодетные матери", "Mothers of many children"};
    case VulnerableGroup::single_parent:
      return {"Жалғызбасты ата-аналар", "Одинокие родители", "Single parents"};
    case VulnerableGroup::pensioner:
      return {"Зейнеткерлер", "Пенсионеры", "Pensioners"};
    case VulnerableGroup::unemployed:
      break;
  }
  return {"Жұмыссыздар", "Безработные", "Unemployed"};
}

LocalizedText ageBandLabel(const AgeBand& band) {
  std::string range = std::to_string(band.from);
  range += band.to ? "–" + std::to_string(*band.to) : "+";
  if (!band.youth) return same(range);
  return {range + " (жастар)", range + " (молодёжь)", range + " (youth)"};
}

bool isTrackChar(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}

template <typename Enum>
bool inRange(Enum value, Enum first, Enum last) noexcept {
  const auto v = static_cast<int>(value);
  return v >= static_cast<int>(first) && v <= static_cast<int>(last);
}

int yearOf(const Date& date) {
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
int ageBand(const Indexed& indexed, const CohortInfo& cohort, int birth_year) {
  const int age = std::clamp(cohort.start_year - birth_year, 0, kAgeTableSize - 1);
  return indexed.band_of_age[static_cast<std::size_t>(age)];
}

/// Maps facts to the values of one dimension: value indexes follow the dimension's natural order,
/// so the report lists values by index.
class DimensionMapper {
 public:
  DimensionMapper(const Indexed& indexed, Dimension dimension)
      : indexed_(indexed), dimension_(dimension) {
    switch (dimension) {
      case Dimension::track:
        buildTracks();
        break;
      case Dimension::course:
        buildCourses();
        break;
      case Dimension::cohort:
        buildCohorts();
        break;
      case Dimension::region:
      case Dimension::district:
      case Dimension::settlement:
      case Dimension::locality:
        buildLocalities();
        break;
      case Dimension::gender:
        size_ = 3;
        break;
      case Dimension::age_band:
        size_ = static_cast<int>(indexed.bands.size());
        break;
      case Dimension::affiliation:
        size_ = 6;
        break;
      case Dimension::vulnerable_group:
        size_ = 6;
        break;
    }
  }

  Dimension dimension() const noexcept { return dimension_; }
  bool describesPerson() const noexcept { return courses::describesPerson(dimension_); }
  int size() const noexcept { return size_; }

  /// The cohort's value (track, course, cohort only); -1 when it has none.
  int cohortValue(int cohort_index) const {
    return by_cohort_[static_cast<std::size_t>(cohort_index)];
  }

  /// The enrolment's value, packed: a value index (-1 for none), except for vulnerable groups,
  /// where it is the snapshot's set of groups. unpack() turns it into value indexes.
  int pack(const EnrolmentFact& enrolment, int cohort_index, const CohortInfo& cohort) const {
    switch (dimension_) {
      case Dimension::track:
      case Dimension::course:
      case Dimension::cohort:
        return cohortValue(cohort_index);
      case Dimension::gender: {
        const Gender g = enrolment.snapshot.gender;
        return static_cast<int>(
            inRange(g, Gender::female, Gender::undisclosed) ? g : Gender::undisclosed);
      }
      case Dimension::age_band:
        return ageBand(indexed_, cohort, enrolment.snapshot.birth_year);
      case Dimension::region:
      case Dimension::district:
      case Dimension::settlement:
      case Dimension::locality: {
        const int l = indexed_.locality_ids.find(enrolment.snapshot.locality_id);
        return l < 0 ? not_stated_ : by_locality_[static_cast<std::size_t>(l)];
      }
      case Dimension::affiliation: {
        const Affiliation a = enrolment.snapshot.affiliation;
        return static_cast<int>(
            inRange(a, Affiliation::local_government, Affiliation::other) ? a : Affiliation::other);
      }
      case Dimension::vulnerable_group:
        return enrolment.snapshot.vulnerable;
    }
    return -1;
  }

  /// Writes the value indexes of a packed value to `out` and returns how many there are.
  int unpack(int packed, std::array<int, 6>& out) const {
    if (dimension_ != Dimension::vulnerable_group) {
      out[0] = packed;
      return packed < 0 ? 0 : 1;
    }
    int n = 0;
    for (std::size_t g = 0; g < std::size(kAllVulnerableGroups); ++g) {
      if ((packed & static_cast<int>(kAllVulnerableGroups[g])) != 0) {
        out[static_cast<std::size_t>(n++)] = static_cast<int>(g);
      }
    }
    return n;
  }

  /// The value as the report shows it.
  DimensionValue describe(int value) const {
    const auto v = static_cast<std::size_t>(value);
    switch (dimension_) {
      case Dimension::track:
        return {tracks_[v], trackLabel(tracks_[v]), false};
      case Dimension::course: {
        const Course& c = indexed_.facts.courses[order_[v]];
        return {std::to_string(c.id), c.title, false};
      }
      case Dimension::cohort: {
        const CohortFact& c = indexed_.facts.cohorts[order_[v]];
        return {std::to_string(c.id), same(c.place + ", " + c.starts_on + "–" + c.ends_on), false};
      }
      case Dimension::region:
      case Dimension::district:
      case Dimension::settlement:
      case Dimension::locality: {
        if (value == not_stated_) return {std::string(kNotStatedKey), notStatedLabel(), false};
        const Locality& l = indexed_.facts.localities[order_[v]];
        return {std::to_string(l.id), l.name, false};
      }
      case Dimension::gender: {
        const auto g = static_cast<Gender>(value);
        return {std::string(toString(g)), genderLabel(g), false};
      }
      case Dimension::age_band: {
        const AgeBand& band = indexed_.bands[v];
        return {band.key(), ageBandLabel(band), band.youth};
      }
      case Dimension::affiliation: {
        const auto a = static_cast<Affiliation>(value);
        return {std::string(toString(a)), affiliationLabel(a), false};
      }
      case Dimension::vulnerable_group: {
        const VulnerableGroup g = kAllVulnerableGroups[v];
        return {std::string(toString(g)), vulnerableGroupLabel(g), false};
      }
    }
    return {};
  }

  /// The track's value index, or -1 (track dimension only).
  int trackValue(std::string_view track) const {
    const auto it = std::find(tracks_.begin(), tracks_.end(), track);
    return it == tracks_.end() ? -1 : static_cast<int>(it - tracks_.begin());
  }

 private:
  void buildTracks() {
    for (const Course& c : indexed_.facts.courses) tracks_.push_back(c.track);
    const auto rank = [](const std::string& track) {
      const auto it = std::find(kKnownTracks.begin(), kKnownTracks.end(), track);
      return static_cast<std::size_t>(it - kKnownTracks.begin());
    };
    std::sort(tracks_.begin(), tracks_.end(), [&](const std::string& a, const std::string& b) {
      const auto ra = rank(a);
      const auto rb = rank(b);
      return ra != rb ? ra < rb : a < b;
    });
    tracks_.erase(std::unique(tracks_.begin(), tracks_.end()), tracks_.end());
    size_ = static_cast<int>(tracks_.size());
    by_cohort_.assign(indexed_.cohorts.size(), -1);
    for (std::size_t i = 0; i < indexed_.cohorts.size(); ++i) {
      if (const Course* course = indexed_.courseOf(indexed_.cohorts[i])) {
        by_cohort_[i] = trackValue(course->track);
      }
    }
  }

  void buildCourses() {
    const auto& all = indexed_.facts.courses;
    order_.resize(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) order_[i] = i;
    std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
      if (all[a].title.en != all[b].title.en) return all[a].title.en < all[b].title.en;
      return all[a].id < all[b].id;
    });
    std::vector<int> value_of_course(all.size(), -1);
    for (std::size_t v = 0; v < order_.size(); ++v) {
      // Facts name each course once; a repeated id keeps the first row's value.
      const int index = indexed_.course_ids.find(all[order_[v]].id);
      auto& slot = value_of_course[static_cast<std::size_t>(index)];
      if (slot < 0) slot = static_cast<int>(v);
    }
    size_ = static_cast<int>(order_.size());
    by_cohort_.assign(indexed_.cohorts.size(), -1);
    for (std::size_t i = 0; i < indexed_.cohorts.size(); ++i) {
      const int course = indexed_.cohorts[i].course;
      if (course >= 0) by_cohort_[i] = value_of_course[static_cast<std::size_t>(course)];
    }
  }

  void buildCohorts() {
    const auto& all = indexed_.facts.cohorts;
    order_.resize(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) order_[i] = i;
    std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
      if (all[a].starts_on != all[b].starts_on) return all[a].starts_on < all[b].starts_on;
      return all[a].id < all[b].id;
    });
    size_ = static_cast<int>(order_.size());
    by_cohort_.assign(indexed_.cohorts.size(), -1);
    for (std::size_t v = 0; v < order_.size(); ++v) {
      auto& slot =
          by_cohort_[static_cast<std::size_t>(indexed_.cohort_ids.find(all[order_[v]].id))];
      if (slot < 0) slot = static_cast<int>(v);
    }
  }

  /// The locality itself or its nearest ancestor of the dimension's level, as an index into
  /// facts.localities; -1 when there is none.
  int rollUp(std::size_t index) const {
    const auto& all = indexed_.facts.localities;
    if (dimension_ == Dimension::locality) return static_cast<int>(index);
    // The tree is at most five levels deep; the bound guards against a cycle in bad data.
    for (int depth = 0; depth < 8; ++depth) {
      const LocalityKind kind = all[index].kind;
      const bool match =
          (dimension_ == Dimension::region && kind == LocalityKind::region) ||
          (dimension_ == Dimension::district && kind == LocalityKind::district) ||
          (dimension_ == Dimension::settlement &&
           (kind == LocalityKind::settlement || kind == LocalityKind::rural_district));
      if (match) return static_cast<int>(index);
      if (!all[index].parent_id) return -1;
      const int parent = indexed_.locality_ids.find(*all[index].parent_id);
      if (parent < 0) return -1;
      index = static_cast<std::size_t>(parent);
    }
    return -1;
  }

  void buildLocalities() {
    const auto& all = indexed_.facts.localities;
    order_.resize(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) order_[i] = i;
    std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
      if (all[a].name.en != all[b].name.en) return all[a].name.en < all[b].name.en;
      return all[a].id < all[b].id;
    });
    std::vector<int> value_of(all.size(), -1);
    for (std::size_t v = 0; v < order_.size(); ++v) value_of[order_[v]] = static_cast<int>(v);
    not_stated_ = static_cast<int>(all.size());
    size_ = not_stated_ + 1;
    // by_locality_ is indexed like locality_ids (the first row of each id).
    by_locality_.assign(static_cast<std::size_t>(indexed_.locality_ids.size()), not_stated_);
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto index = static_cast<std::size_t>(indexed_.locality_ids.find(all[i].id));
      if (index != i) continue;
      const int target = rollUp(i);
      if (target >= 0) by_locality_[index] = value_of[static_cast<std::size_t>(target)];
    }
  }

  const Indexed& indexed_;
  Dimension dimension_;
  int size_ = 0;
  std::vector<std::string> tracks_;
  std::vector<std::size_t> order_;  ///< value index -> row of facts.courses/cohorts/localities
  std::vector<int> by_cohort_;
  std::vector<int> by_locality_;
  int not_stated_ = -1;
};

// ---------------------------------------------------------------------------------------------
// Accumulation

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

/// Hides what k-suppression says to hide, zeroing the hidden values so nothing downstream can
/// print them by mistake.
void suppress(MeasureValues& v, int k) {
  const auto hide = [&](Measure m) {
    v.hidden = static_cast<std::uint16_t>(v.hidden | (1u << static_cast<unsigned>(m)));
  };
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
      hide(measure);
      *count = 0;
    }
  }
  if (!whole_cell) return;
  // Sessions that do not apply (a person dimension) are absent, not hidden.
  if (v.sessions) {
    hide(Measure::sessions);
    v.sessions = 0;
  }
  hide(Measure::participant_hours);
  v.participant_hours = 0;
  hide(Measure::attendance_rate);
  v.attended_marks = 0;
  v.marks = 0;
}

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
  if (query.track && (query.track->empty() || query.track->size() > kMaxTrack ||
                      !std::all_of(query.track->begin(), query.track->end(), isTrackChar))) {
    problems.add("track", "must be 1 to 40 characters: lowercase Latin letters and underscores");
  }
  if (query.by.size() > kMaxDimensions) {
    problems.add("by", "may name at most two dimensions");
  } else if (query.by.size() == 2 && query.by[0] == query.by[1]) {
    problems.add("by", "must not name a dimension twice");
  }
  for (const Dimension d : query.by) {
    if (!inRange(d, Dimension::track, Dimension::vulnerable_group)) {
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

  if (query.suppress_below > 0) {
    for (auto& margin : report.margins) {
      for (TotalsCell& cell : margin) suppress(cell.values, query.suppress_below);
    }
    for (TotalsCell& cell : report.cells) suppress(cell.values, query.suppress_below);
  }

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

// ---------------------------------------------------------------------------------------------
// Labels

LocalizedText label(Measure measure) {
  switch (measure) {
    case Measure::enrolled:
      return {"Тіркелгендер", "Зачислено", "Enrolled"};
    case Measure::reached:
      return {"Қамтылғандар", "Охвачено", "Reached"};
    case Measure::trained:
      return {"Оқытылғандар", "Обучено", "Trained"};
    case Measure::trained_with_waiver:
      return {"Оның ішінде ерекше шешіммен", "В том числе по особому решению",
              "Of them with a waiver"};
    case Measure::certified:
      return {"Сертификат алғандар", "Получили сертификат", "Certified"};
    case Measure::sessions:
      return {"Өткізілген сабақтар", "Проведено занятий", "Sessions delivered"};
    case Measure::participant_hours:
      return {"Қатысушы-сағаттар", "Человеко-часы", "Participant-hours"};
    case Measure::attendance_rate:
      return {"Қатысу деңгейі", "Посещаемость", "Attendance rate"};
  }
  return same(std::string(toString(measure)));
}

LocalizedText label(Dimension dimension) {
  switch (dimension) {
    case Dimension::track:
      return {"Бағыт", "Направление", "Track"};
    case Dimension::course:
      return {"Курс", "Курс", "Course"};
    case Dimension::cohort:
      return {"Топ", "Группа", "Cohort"};
    case Dimension::gender:
      return {"Жынысы", "Пол", "Gender"};
    case Dimension::age_band:
      return {"Жас тобы", "Возрастная группа", "Age band"};
    case Dimension::region:
      return {"Облыс", "Область", "Region"};
    case Dimension::district:
      return {"Аудан", "Район", "District"};
    case Dimension::settlement:
      return {"Елді мекен", "Населённый пункт", "Settlement"};
    case Dimension::locality:
      return {"Тұрғылықты жері", "Место жительства", "Home locality"};
    case Dimension::affiliation:
      return {"Қызмет саласы", "Сфера деятельности", "Affiliation"};
    case Dimension::vulnerable_group:
      return {"Осал топ", "Уязвимая группа", "Vulnerable group"};
  }
  return same(std::string(toString(dimension)));
}

std::vector<std::string> knownTracks() {
  return {"inclusive_planning", "entrepreneurship", "study_visit", "information_event"};
}

LocalizedText trackLabel(std::string_view track) {
  if (track == "inclusive_planning") {
    return {"Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning"};
  }
  if (track == "entrepreneurship")
    return {"Кәсіпкерлік", "Предпринимательство", "Entrepreneurship"};
  if (track == "study_visit") return {"Тағылымдама", "Учебный визит", "Study visit"};
  if (track == "information_event") {
    return {"Ақпараттық іс-шара", "Информационное мероприятие", "Information event"};
  }
  std::string words(track);
  std::replace(words.begin(), words.end(), '_', ' ');
  return same(std::move(words));
}

}  // namespace courses
