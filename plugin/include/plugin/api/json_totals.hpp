#pragma once
// JSON mapping of the totals report and programme targets (the reading rules: plugin/api/json.hpp).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "courses/model.hpp"
#include "courses/totals.hpp"
#include "plugin/api/json_common.hpp"
#include "plugin/api/json_text.hpp"

namespace plugin::api {

/// Largest target value accepted.
inline constexpr long long kMaxTargetValue = 1000000000;
/// PUT /programmes/{id}/targets {"targets":[{"measure","track"?|null,"value"}]}: every target of
/// the programme. Whether a measure may have a target is the domain's to check.
std::vector<courses::Target> targetsFromJson(const boost::json::value& body);

/// The totals report as docs/API.md ("Totals") describes it: {"programme":{"id","code","title"}
/// |null,"period":{"from","to"},"track","by","age_bands","suppressed_below","overlapping","notes",
/// "total","dimensions","margins","cells","targets"}. Measures hidden by suppression or not
/// applicable are null; hidden ones are also listed in "hidden". `programme` is the one asked
/// for; `notes` are sentences for the reader.
boost::json::object totalsToJson(const courses::TotalsReport& report,
                                 const std::optional<courses::Programme>& programme,
                                 const std::vector<std::string>& notes);
/// {"programme_id","targets":[{"measure","track"|null,"value"}]}
boost::json::object targetsToJson(courses::Id programme_id,
                                  const std::vector<courses::Target>& targets);

}  // namespace plugin::api
