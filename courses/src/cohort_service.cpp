#include "courses/cohort_service.hpp"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "access.hpp"
#include "checks.hpp"
#include "courses/error.hpp"
#include "courses/text.hpp"
#include "invalid.hpp"

namespace courses {

using detail::checkDates;
using detail::checkLocalityExists;
using detail::checkText;
using detail::inEnumRange;
using detail::requireManages;
using detail::readableCohort;
using detail::requireStaff;

namespace {

constexpr std::size_t kMaxPlace = 200;
constexpr std::size_t kMaxTopic = 300;
constexpr int kMaxSessionMinutes = 24 * 60;
constexpr std::size_t kMaxReason = 500;  // sessions.cancel_reason

}  // namespace

namespace {

// What a cohort must be, new or edited, except its trainers.
void checkCohort(Repositories& repos, detail::Problems& problems, Cohort& cohort) {
  if (cohort.locality_id <= 0) {
    problems.add("locality_id", "must name a locality");
  } else {
    checkLocalityExists(repos, problems, cohort.locality_id, "locality_id");
  }
  checkText(problems, cohort.place, "place", 1, kMaxPlace);
  checkDates(problems, cohort.starts_on, cohort.ends_on);
  if (!inEnumRange(cohort.language, Language::kk, Language::en)) {
    problems.add("language", "must be kk, ru or en");
  }
}

// The trainers an administrator assigns: active trainer accounts, each once, ascending.
std::vector<Id> checkTrainers(Repositories& repos, detail::Problems& problems,
                              const std::vector<Id>& ids) {
  std::vector<Id> trainers;
  std::unordered_set<Id> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const Id id = ids[i];
    if (!seen.insert(id).second) continue;
    const auto account = repos.accounts.find(id);
    if (!account || account->role != Role::trainer || account->disabled) {
      problems.add("trainer_ids[" + std::to_string(i) + "]",
                   "does not name an active trainer account");
      continue;
    }
    trainers.push_back(id);
  }
  std::sort(trainers.begin(), trainers.end());
  return trainers;
}

}  // namespace

Cohort CohortService::create(const Actor& actor, Cohort cohort) {
  requireStaff(actor, "create cohorts");
  detail::Problems problems;
  if (!repos_.courses.find(cohort.course_id)) {
    problems.add("course_id", "does not name a known course");
  }
  checkCohort(repos_, problems, cohort);

  std::vector<Id> trainers;
  if (actor.isAdmin()) {
    trainers = checkTrainers(repos_, problems, cohort.trainer_ids);
  } else {
    for (const Id id : cohort.trainer_ids) {
      if (id != actor.account_id) {
        throw Error(ErrorCode::forbidden, "only an administrator may assign other trainers");
      }
    }
    // A trainer who creates a cohort runs it.
    trainers.push_back(actor.account_id);
  }
  problems.throwIfAny("cohort");
  cohort.id = 0;
  cohort.trainer_ids = std::move(trainers);
  return repos_.cohorts.create(cohort);
}

Cohort CohortService::update(const Actor& actor, Id id, Cohort edited, std::optional<int> version) {
  requireStaff(actor, "edit cohorts");
  const Cohort current = requireManages(repos_, actor, id);
  std::vector<Id> current_trainers = current.trainer_ids;
  std::sort(current_trainers.begin(), current_trainers.end());
  detail::Problems problems;
  if (edited.course_id != current.course_id) {
    problems.add("course_id", "cannot be changed: create a cohort of the other course");
  }
  checkCohort(repos_, problems, edited);
  std::vector<Id> wanted = edited.trainer_ids;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  if (wanted != current_trainers) {
    // A trainer runs their cohort's place, dates and language; who runs it is the office's.
    if (!actor.isAdmin()) {
      throw Error(ErrorCode::forbidden, "only an administrator changes a cohort's trainers");
    }
    edited.trainer_ids = checkTrainers(repos_, problems, edited.trainer_ids);
  } else {
    edited.trainer_ids = current_trainers;
  }
  problems.throwIfAny("cohort");
  return repos_.cohorts.update(
      id, edited, {.version = version, .change = {.account_id = actor.account_id, .reason = {}}});
}

std::vector<Cohort> CohortService::list(const Actor& actor, std::optional<Id> course_id) {
  CohortFilter filter;
  filter.course_id = course_id;
  switch (actor.role) {
    case Role::admin:
      break;
    case Role::trainer:
      filter.trainer_account_id = actor.account_id;
      break;
    case Role::learner:
      if (!actor.participant_id) return {};
      filter.participant_id = actor.participant_id;
      break;
  }
  return repos_.cohorts.list(filter);
}

Cohort CohortService::find(const Actor& actor, Id id) {
  return readableCohort(repos_, actor, id);
}

namespace {

// What a session must be, new or edited.
void checkSession(detail::Problems& problems, Session& session) {
  if (!isValidTimestamp(session.starts_at)) {
    problems.add("starts_at", "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ");
  }
  if (session.duration_minutes < 1 || session.duration_minutes > kMaxSessionMinutes) {
    problems.add("duration_minutes", "must be between 1 and 1440");
  }
  checkText(problems, session.topic, "topic", 0, kMaxTopic);
}

}  // namespace

Session CohortService::addSession(const Actor& actor, Session session) {
  requireStaff(actor, "add sessions");
  requireManages(repos_, actor, session.cohort_id);
  detail::Problems problems;
  checkSession(problems, session);
  problems.throwIfAny("session");
  session.id = 0;
  session.cancelled.reset();
  return repos_.cohorts.addSession(session);
}

Session CohortService::findSession(const Actor& actor, Id session_id) {
  auto session = repos_.cohorts.findSession(session_id);
  if (!session) detail::throwNotFound("session", session_id);
  // Whoever may read the cohort may read its sessions; anyone else learns nothing of it.
  if (actor.role == Role::learner) {
    try {
      readableCohort(repos_, actor, session->cohort_id);
    } catch (const Error& error) {
      if (error.code() != ErrorCode::not_found) throw;
      detail::throwNotFound("session", session_id);
    }
  } else {
    requireManages(repos_, actor, session->cohort_id, "session", session_id);
  }
  return *session;
}

Session CohortService::updateSession(const Actor& actor, Id session_id, SessionPatch patch,
                                     std::optional<int> version) {
  if (actor.role == Role::learner) detail::throwNotFound("session", session_id);
  auto session = repos_.cohorts.findSession(session_id);
  if (!session) detail::throwNotFound("session", session_id);
  requireManages(repos_, actor, session->cohort_id, "session", session_id);
  Session edited = *session;
  applyPatch(edited, patch, actor.account_id);
  detail::Problems problems;
  checkSession(problems, edited);
  if (patch.cancel_reason && *patch.cancel_reason) {
    std::string& reason = **patch.cancel_reason;
    checkText(problems, reason, "cancelled.reason", 1, kMaxReason);
  }
  problems.throwIfAny("session");
  if (patch.starts_at) patch.starts_at = edited.starts_at;
  if (patch.topic) patch.topic = edited.topic;
  ChangeContext change{.account_id = actor.account_id, .reason = {}};
  if (patch.cancel_reason && *patch.cancel_reason) change.reason = **patch.cancel_reason;
  return repos_.cohorts.updateSession(session_id, patch, {.version = version, .change = change});
}

std::vector<Session> CohortService::sessions(const Actor& actor, Id cohort_id) {
  readableCohort(repos_, actor, cohort_id);
  return repos_.cohorts.sessions(cohort_id);
}

}  // namespace courses
