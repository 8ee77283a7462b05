#include "courses/totals_service.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "access.hpp"
#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "invalid.hpp"

namespace courses {

using detail::requireAdmin;
using detail::requireStaff;
using detail::throwNotFound;

namespace {

constexpr long long kMaxTargetValue = 1'000'000'000;
constexpr std::size_t kMaxTargets = 100;

bool canBeTargeted(Measure measure) {
  const auto v = static_cast<int>(measure);
  if (v < static_cast<int>(Measure::enrolled) || v > static_cast<int>(Measure::attendance_rate)) {
    return false;
  }
  // A rate has no meaningful "so many to reach"; every count and sum does.
  return measure != Measure::attendance_rate;
}

}  // namespace

TotalsReport TotalsService::totals(const Actor& actor, const TotalsQuery& query) {
  requireStaff(actor, "read totals");
  validateTotalsQuery(query);
  std::optional<Programme> programme;
  if (query.programme_id) {
    programme = repos_.programmes.find(*query.programme_id);
    if (!programme) throwNotFound("programme", *query.programme_id);
  }

  TotalsScope scope;
  scope.programme_id = query.programme_id;
  scope.period = query.period;
  scope.track = query.track;
  std::vector<Target> targets;
  if (actor.isAdmin()) {
    if (programme) targets = repos_.totals.targets(programme->id);
    // Targets are measured over the whole programme, so their figures need every track's facts;
    // computeTotals narrows the report itself to the track asked for.
    if (!targets.empty()) scope.track.reset();
  } else {
    scope.trainer_account_id = actor.account_id;
  }
  TotalsFacts facts = repos_.totals.facts(scope);
  // The youth band comes from the programme asked for, even when none of its cohorts is in scope.
  if (programme && std::none_of(facts.programmes.begin(), facts.programmes.end(),
                                [&](const Programme& p) { return p.id == programme->id; })) {
    facts.programmes.push_back(*programme);
  }
  return computeTotals(query, facts, targets);
}

std::vector<Target> TotalsService::targets(const Actor& actor, Id programme_id) {
  requireStaff(actor, "read targets");
  if (!repos_.programmes.find(programme_id)) throwNotFound("programme", programme_id);
  return repos_.totals.targets(programme_id);
}

std::vector<Target> TotalsService::setTargets(const Actor& actor, Id programme_id,
                                              std::vector<Target> targets) {
  requireAdmin(actor, "set targets");
  if (!repos_.programmes.find(programme_id)) throwNotFound("programme", programme_id);
  detail::Problems problems;
  if (targets.size() > kMaxTargets) {
    problems.add("targets", "may list at most " + std::to_string(kMaxTargets) + " targets");
  }
  std::set<std::pair<Measure, std::optional<std::string>>> seen;
  for (std::size_t i = 0; i < targets.size() && i < kMaxTargets; ++i) {
    const Target& t = targets[i];
    const std::string field = "targets[" + std::to_string(i) + "]";
    if (!canBeTargeted(t.measure)) {
      problems.add(field + ".measure", "must be a count of people, sessions or participant_hours");
    }
    if (t.value < 1 || t.value > kMaxTargetValue) {
      problems.add(field + ".value", "must be from 1 to 1000000000");
    }
    if (t.track && !isTrackName(*t.track)) {
      problems.add(field + ".track", kTrackNameRule);
    }
    if (!seen.emplace(t.measure, t.track).second) {
      problems.add(field, "repeats the measure and track of an earlier target");
    }
  }
  problems.throwIfAny("targets");
  return repos_.totals.replaceTargets(programme_id, targets);
}

}  // namespace courses
