#pragma once
// ParticipantService: people, counted once however many courses they take. Admins see everyone,
// trainers the people visible to them, learners only themselves; anyone else is
// Error(not_found).

#include <optional>
#include <string>

#include "courses/clock.hpp"
#include "courses/glyph_coverage.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

/// People: registration with de-duplication, search, edits.
class ParticipantService {
 public:
  /// Names are checked against `coverage` before they are stored.
  ParticipantService(Repositories repos, const Clock& clock, const GlyphCoverage& coverage)
      : repos_(repos), clock_(clock), coverage_(coverage) {}

  struct Registration {
    Participant person;
    std::optional<Id> same_person;  ///< the trainer confirmed this existing person is them
    bool not_duplicate = false;     ///< the trainer confirmed this is a new person
  };
  struct Registered {
    Participant participant;
    bool created = false;  ///< false when an existing person was confirmed
  };
  /// Registers a person. When someone with the same name, birth year and locality exists and the
  /// request confirms neither way, throws Error(conflict) carrying the candidates.
  Registered registerPerson(const Actor& actor, Registration registration);
  /// registerPerson() without writing anything: the same checks and the same conflict, and
  /// what it would answer (a new person keeps id 0). For a batch's dry run.
  Registered checkRegistration(const Actor& actor, Registration registration);
  Participant find(const Actor& actor, Id id);
  Page<Participant> search(const Actor& actor, const std::string& query, PageRequest page);
  Participant update(const Actor& actor, Id id, ParticipantPatch patch);

 private:
  /// registerPerson() when `write`, checkRegistration() otherwise.
  Registered registerOrCheck(const Actor& actor, Registration registration, bool write);

  Repositories repos_;
  const Clock& clock_;
  const GlyphCoverage& coverage_;
};

}  // namespace courses
