#pragma once
// Labels of the totals' vocabulary in kk, ru and en: measures, dimensions, tracks and the values
// of a person's attributes, as reports and exports print them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "courses/model.hpp"

namespace courses {

// Defined in courses/totals.hpp, which includes this header.
enum class Measure : std::uint8_t;
enum class Dimension : std::uint8_t;
struct AgeBand;

LocalizedText label(Measure measure);
LocalizedText label(Dimension dimension);

/// A track's label: the known tracks translated; any other its name with '_' as spaces.
LocalizedText trackLabel(std::string_view track);
/// The tracks trackLabel knows, in the order reports list them.
std::vector<std::string> knownTracks();

LocalizedText genderLabel(Gender gender);  ///< undisclosed: notStatedLabel()
LocalizedText affiliationLabel(Affiliation affiliation);
LocalizedText vulnerableGroupLabel(VulnerableGroup group);
/// "14–35", "60+"; the programme's youth band says so ("14–35 (youth)").
LocalizedText ageBandLabel(const AgeBand& band);
/// A cohort as a report lists it: "<place>, <starts_on>–<ends_on>", the same in every language.
LocalizedText cohortLabel(const std::string& place, const Date& starts_on, const Date& ends_on);
/// A value that is not known: an undisclosed gender, no locality of a level above a home.
LocalizedText notStatedLabel();

}  // namespace courses
