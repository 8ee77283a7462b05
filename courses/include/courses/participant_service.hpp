#pragma once
// ParticipantService: people, counted once however many courses they take. Admins see everyone,
// trainers the people visible to them, learners only themselves; anyone else is
// Error(not_found).

#include <optional>
#include <string>

#include "courses/clock.hpp"
#include "courses/duplicate_candidates.hpp"
#include "courses/glyph_coverage.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

/// People: registration with de-duplication, search, edits.
class ParticipantService {
 public:
  /// Names are checked against `coverage` before they are stored. Duplicate candidates a
  /// trainer may not see are shown with confirmations sealed by `confirmations` (without one,
  /// they can only be confirmed by someone who may see them).
  ParticipantService(Repositories repos, const Clock& clock, const GlyphCoverage& coverage,
                     const Sealer* confirmations = nullptr)
      : repos_(repos), clock_(clock), coverage_(coverage), confirmations_(confirmations) {}

  struct Registration {
    Participant person;
    std::optional<Id> same_person;  ///< the trainer confirmed this existing person is them
    bool not_duplicate = false;     ///< the trainer confirmed this is a new person
    /// Or, instead of same_person: the confirmation of a candidate they were shown without an
    /// id (duplicate_candidates.hpp).
    std::optional<std::string> same_person_confirmation = std::nullopt;
    /// The cohort they are being enrolled into, for the person's link trail.
    std::optional<Id> cohort_id = std::nullopt;
  };
  struct Registered {
    Participant participant;
    bool created = false;  ///< false when an existing person was confirmed
  };
  /// Registers a person. When someone with the same name, birth year and locality exists and the
  /// request confirms neither way, throws Error(conflict) carrying the candidates as the actor
  /// may see them (duplicate_candidates.hpp). A trainer confirms a person they may not see only
  /// with the confirmation they were shown; each confirmation is kept in the person's links().
  Registered registerPerson(const Actor& actor, Registration registration);
  /// registerPerson() without writing anything: the same checks and the same conflict, and
  /// what it would answer (a new person keeps id 0). For a batch's dry run.
  Registered checkRegistration(const Actor& actor, Registration registration);
  Participant find(const Actor& actor, Id id);
  Page<Participant> search(const Actor& actor, const std::string& query, PageRequest page);
  /// Edits a person the actor may see, based on `version` (Error(stale) when they changed since;
  /// nullopt: whatever they are now), and records who changed which field.
  Participant update(const Actor& actor, Id id, ParticipantPatch patch,
                     std::optional<int> version = std::nullopt);
  /// Two records that may be one person, by registration's rule (findByKey, rankDuplicates).
  struct LikelyDuplicate {
    Participant first;           ///< the older record
    Participant second;          ///< the newer one
    bool same_spelling = false;  ///< the names as typed fold to the same key
    bool same_locality = false;  ///< else a neighbouring one
  };
  /// Administrators (else Error(forbidden)): every pair of records registration would have asked
  /// about, most likely first (the same spelling, then the same locality, then the oldest).
  /// `page.after` is how many pairs to skip; next_after is set when more follow.
  Page<LikelyDuplicate> duplicates(const Actor& actor, PageRequest page);
  /// Who confirmed this existing person as the one they registered, when, for which cohort.
  /// Admins only (else Error(forbidden)); an unknown person is Error(not_found).
  std::vector<ParticipantLink> links(const Actor& actor, Id id);

 private:
  /// registerPerson() when `write`, checkRegistration() otherwise.
  Registered registerOrCheck(const Actor& actor, Registration registration, bool write);

  Repositories repos_;
  const Clock& clock_;
  const GlyphCoverage& coverage_;
  const Sealer* confirmations_;
};

}  // namespace courses
