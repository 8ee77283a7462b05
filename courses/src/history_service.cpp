#include "courses/history_service.hpp"

#include "access.hpp"

namespace courses {

Page<ChangeEntry> HistoryService::history(const Actor& actor, Entity entity, Id id,
                                          const PageRequest& page) {
  detail::requireAdmin(actor, "read the history of changes");
  return repos_.changes.history(entity, id, page);
}

Page<ChangeEntry> HistoryService::personHistory(const Actor& actor, Id participant_id,
                                                const PageRequest& page) {
  detail::requireAdmin(actor, "read the history of changes");
  return repos_.changes.personHistory(participant_id, page);
}

std::vector<ChangeEntry> HistoryService::missedBy(Entity entity, Id id, int version) {
  return repos_.changes.since(entity, id, version);
}

}  // namespace courses
