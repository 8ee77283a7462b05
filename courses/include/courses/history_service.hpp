#pragma once
// HistoryService: who changed what, when, and why (courses/change_log.hpp), for administrators;
// and what an edit refused as stale missed, for the editor who made it.

#include <vector>

#include "courses/change_log.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

class HistoryService {
 public:
  explicit HistoryService(Repositories repos) : repos_(repos) {}

  /// The changes of one entity, oldest first: administrators only. An unknown entity has an empty
  /// history.
  Page<ChangeEntry> history(const Actor& actor, Entity entity, Id id, const PageRequest& page);
  /// The changes that concern a person (their record, enrolments, merges, erasure): administrators
  /// only.
  Page<ChangeEntry> personHistory(const Actor& actor, Id participant_id, const PageRequest& page);
  /// The changes an edit based on `version` missed, oldest first (at most 100). For answering an
  /// edit the entity's service refused with Error(stale): the service checked that the actor may
  /// edit the entity before it compared versions, so whoever gets here may see them.
  std::vector<ChangeEntry> missedBy(Entity entity, Id id, int version);

 private:
  Repositories repos_;
};

}  // namespace courses
