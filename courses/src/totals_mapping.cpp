#include "totals_mapping.hpp"

#include "checks.hpp"
#include "courses/labels.hpp"

namespace courses::detail {

namespace {

// The key of the value standing for "no such locality above the person's home".
constexpr std::string_view kNotStatedKey = "not_stated";

/// Tracks the programme runs, in the order reports list them; other tracks follow by name.
constexpr std::array<std::string_view, 4> kKnownTracks{"inclusive_planning", "entrepreneurship",
                                                       "study_visit", "information_event"};

}  // namespace

DimensionMapper::DimensionMapper(const Indexed& indexed, Dimension dimension)
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

int DimensionMapper::pack(const EnrolmentFact& enrolment, int cohort_index,
                          const CohortInfo& cohort) const {
  switch (dimension_) {
    case Dimension::track:
    case Dimension::course:
    case Dimension::cohort:
      return cohortValue(cohort_index);
    case Dimension::gender: {
      const Gender g = enrolment.snapshot.gender;
      return static_cast<int>(
          inEnumRange(g, Gender::female, Gender::undisclosed) ? g : Gender::undisclosed);
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
      return static_cast<int>(inEnumRange(a, Affiliation::local_government, Affiliation::other)
                                  ? a
                                  : Affiliation::other);
    }
    case Dimension::vulnerable_group:
      return enrolment.snapshot.vulnerable;
  }
  return -1;
}

int DimensionMapper::unpack(int packed, std::array<int, 6>& out) const {
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

DimensionValue DimensionMapper::describe(int value) const {
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
      return {std::to_string(c.id), cohortLabel(c.place, c.starts_on, c.ends_on), false};
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

void DimensionMapper::buildTracks() {
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

void DimensionMapper::buildCourses() {
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

void DimensionMapper::buildCohorts() {
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
    auto& slot = by_cohort_[static_cast<std::size_t>(indexed_.cohort_ids.find(all[order_[v]].id))];
    if (slot < 0) slot = static_cast<int>(v);
  }
}

int DimensionMapper::rollUp(std::size_t index) const {
  const auto& all = indexed_.facts.localities;
  if (dimension_ == Dimension::locality) return static_cast<int>(index);
  // The tree is at most five levels deep; the bound guards against a cycle in bad data.
  for (int depth = 0; depth < 8; ++depth) {
    const LocalityKind kind = all[index].kind;
    const bool match = (dimension_ == Dimension::region && kind == LocalityKind::region) ||
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

void DimensionMapper::buildLocalities() {
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

}  // namespace courses::detail
