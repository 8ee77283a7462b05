#pragma once
// In-memory implementation of every courses repository, faithful to the documented semantics
// (unique pairs, idempotency keys, one row per enrolment × session, visibility rules) so services
// and handlers can be unit-tested without a database. Thread-safe: one lock guards all state.

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace support {

class MemoryStore {
 public:
  MemoryStore();
  ~MemoryStore();
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  /// Views of this store; valid as long as the store lives.
  courses::Repositories repositories();

  /// The time the store writes into created_at / marked_at / updated_at and compares tokens with
  /// ("2026-01-01T00:00:00Z" until set).
  void setNow(courses::Timestamp now);
  courses::Timestamp now() const;

  /// One attendance change, as the audit table would hold it.
  struct AuditEntry {
    courses::Id enrolment_id = 0;
    courses::Id session_id = 0;
    std::optional<courses::AttendanceStatus> old_status;
    courses::AttendanceStatus new_status = courses::AttendanceStatus::absent;
    courses::Id changed_by = 0;
    courses::Timestamp changed_at;
  };
  /// Every attendance status change so far, oldest first.
  std::vector<AuditEntry> attendanceAudit() const;

  /// The number of drafts passed to each CertificateRepository::issue call so far, oldest first.
  std::vector<std::size_t> certificateBatches() const;

  /// Makes every repository method throw Error(unavailable) while set, as an unreachable database
  /// would.
  void setUnavailable(bool unavailable);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace support
