#pragma once
// EnrolmentService: people into cohorts. Admins and a cohort's trainers enrol; learners read only
// their own enrolment.

#include <optional>
#include <string>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

class EnrolmentService {
 public:
  explicit EnrolmentService(Repositories repos) : repos_(repos) {}

  /// Enrols a person the actor may see into a cohort the actor manages.
  EnrolmentRepository::Created enrol(const Actor& actor, Id cohort_id, Id participant_id,
                                     const std::optional<std::string>& idempotency_key);
  std::vector<Enrolment> list(const Actor& actor, Id cohort_id);
  /// One enrolment, for those who manage its cohort (administrators, the cohort's trainers).
  Enrolment find(const Actor& actor, Id enrolment_id);
  /// Withdraws an enrolment of a cohort the actor manages with a reason (3 to 500 characters),
  /// or restores it when `reason` is nullopt, based on `version` (Error(stale) when it changed
  /// since; nullopt: whatever it is now). From the withdrawal on the person counts in no measure,
  /// is on no sheet, in no eligibility and gets no certificate; their marks stay stored.
  Enrolment setWithdrawn(const Actor& actor, Id enrolment_id, std::optional<std::string> reason,
                         std::optional<int> version);

 private:
  Repositories repos_;
};

}  // namespace courses
