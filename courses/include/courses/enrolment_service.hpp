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

 private:
  Repositories repos_;
};

}  // namespace courses
