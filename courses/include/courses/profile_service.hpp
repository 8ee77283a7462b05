#pragma once
// ProfileService: what a signed-in person sees of themselves.

#include <optional>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

/// What a signed-in person sees of themselves.
struct Profile {
  Account account;
  std::optional<Participant> participant;  ///< learners
  std::vector<Enrolment> enrolments;       ///< learners
};

class ProfileService {
 public:
  explicit ProfileService(Repositories repos) : repos_(repos) {}
  Profile me(const Actor& actor);

 private:
  Repositories repos_;
};

}  // namespace courses
