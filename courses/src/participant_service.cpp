#include "courses/participant_service.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "access.hpp"
#include "checks.hpp"
#include "courses/error.hpp"
#include "courses/name_match.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "invalid.hpp"

namespace courses {

using detail::checkLocalityExists;
using detail::checkText;
using detail::requireAdmin;
using detail::requireStaff;
using detail::visibleParticipant;

namespace {

constexpr std::size_t kMaxSearchQuery = 200;
constexpr int kMaxPageLimit = 200;

}  // namespace

ParticipantService::Registered ParticipantService::registerPerson(const Actor& actor,
                                                                  Registration registration) {
  return registerOrCheck(actor, std::move(registration), true);
}

ParticipantService::Registered ParticipantService::checkRegistration(const Actor& actor,
                                                                     Registration registration) {
  return registerOrCheck(actor, std::move(registration), false);
}

ParticipantService::Registered ParticipantService::registerOrCheck(const Actor& actor,
                                                                   Registration registration,
                                                                   bool write) {
  requireStaff(actor, "register participants");
  if (registration.same_person && registration.not_duplicate) {
    detail::throwInvalid("same_person", "cannot be combined with not_duplicate");
  }
  Participant person = validateParticipant(std::move(registration.person), clock_.currentYear());
  // Checked on the normalised (NFC) name: composed letters are what the fonts must draw.
  requireDrawable(coverage_, person.full_name, "full_name");
  const auto checkLocality = [&] {
    detail::Problems problems;
    checkLocalityExists(repos_, problems, person.demographics.locality_id, "locality_id");
    problems.throwIfAny("participant");
  };
  const bool confirming = registration.same_person || registration.same_person_confirmation;
  // A new person's locality is checked by the insert itself (a reference the storage enforces),
  // and one confirmed as new needs no look for people like them: the hot path reads nothing.
  if (!write || confirming) checkLocality();

  const DuplicateKey key = duplicateKey(person);
  const std::vector<Participant> matches =
      confirming || !registration.not_duplicate
          ? rankDuplicates(person, repos_.participants.findByKey(key))
          : std::vector<Participant>{};
  const Timestamp now = clock_.now();
  const auto visible = [&](Id id) {
    return actor.isAdmin() || repos_.participants.isVisibleTo(id, actor.account_id);
  };
  if (registration.same_person || registration.same_person_confirmation) {
    // A bare id confirms only someone the actor may see; anyone else only by the confirmation
    // they were shown, so an id guessed from elsewhere links nobody.
    const std::optional<Id> confirmed =
        registration.same_person
            ? registration.same_person
            : confirmedPerson(actor, *registration.same_person_confirmation, confirmations_, now);
    const auto match = std::find_if(matches.begin(), matches.end(), [&](const Participant& p) {
      return confirmed == p.id && (!registration.same_person || visible(p.id));
    });
    if (match == matches.end()) {
      detail::throwInvalid("same_person",
                           "is not a person with the same name, birth year and locality");
    }
    if (write) repos_.participants.grantAccess(match->id, actor.account_id, registration.cohort_id, now);
    return Registered{*match, false};
  }
  if (!matches.empty() && !registration.not_duplicate) {
    Error error(ErrorCode::conflict,
                "a person with the same name, birth year and locality is already registered; "
                "confirm them with same_person or register a new person with not_duplicate");
    for (const Participant& p : matches) {
      error.candidates.push_back(duplicateCandidate(actor, p, visible(p.id), confirmations_, now));
    }
    throw error;
  }

  person.id = 0;
  person.created_by = actor.account_id;
  person.created_at = now;
  person.updated_at = person.created_at;
  if (!write) return Registered{std::move(person), true};
  try {
    return Registered{repos_.participants.create(person, key), true};
  } catch (const Error& error) {
    // Refused for a missing reference: a missing locality gets the answer it always got.
    if (error.code() == ErrorCode::invalid_argument) checkLocality();
    throw;
  }
}

Participant ParticipantService::find(const Actor& actor, Id id) {
  return visibleParticipant(repos_, actor, id);
}

Page<Participant> ParticipantService::search(const Actor& actor, const std::string& query,
                                             PageRequest page) {
  detail::Problems problems;
  std::string text = query;
  checkText(problems, text, "q", 0, kMaxSearchQuery);
  if (page.after < 0) problems.add("after", "must not be negative");
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    problems.add("limit", "must be between 1 and " + std::to_string(kMaxPageLimit));
  }
  problems.throwIfAny("search");
  const std::string fragment = nameMatchKey(text);

  if (actor.role == Role::learner) {
    // A learner finds only themselves.
    Page<Participant> own;
    if (!actor.participant_id || *actor.participant_id <= page.after) return own;
    auto person = repos_.participants.find(*actor.participant_id);
    if (person && foundBySearch(nameMatchKey(person->full_name), nameSearchText(person->full_name),
                                fragment)) {
      own.items.push_back(std::move(*person));
    }
    return own;
  }
  const std::optional<Id> visible_to =
      actor.isAdmin() ? std::nullopt : std::optional<Id>(actor.account_id);
  return repos_.participants.search(fragment, visible_to, page);
}

Page<ParticipantService::LikelyDuplicate> ParticipantService::duplicates(const Actor& actor,
                                                                         PageRequest page) {
  requireAdmin(actor, "list likely duplicates");
  detail::Problems problems;
  if (page.after < 0) problems.add("after", "must not be negative");
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    problems.add("limit", "must be between 1 and " + std::to_string(kMaxPageLimit));
  }
  problems.throwIfAny("duplicates");
  // Only people sharing a key with someone can have a duplicate; for each, the pairs are the ones
  // registration would have asked about had they been typed in again.
  constexpr int kMaxPeople = 20000;
  std::vector<LikelyDuplicate> pairs;
  std::set<std::pair<Id, Id>> seen;
  for (const Participant& person : repos_.participants.sharingKeys(kMaxPeople)) {
    std::vector<Participant> found = repos_.participants.findByKey(duplicateKey(person));
    std::erase_if(found, [&](const Participant& other) { return other.id == person.id; });
    const std::string typed = nameMatchKey(person.full_name);
    for (Participant& other : rankDuplicates(person, std::move(found))) {
      const bool older = person.id < other.id;
      if (!seen.emplace(older ? person.id : other.id, older ? other.id : person.id).second)
        continue;
      LikelyDuplicate pair;
      pair.same_spelling = nameMatchKey(other.full_name) == typed;
      pair.same_locality = other.demographics.locality_id == person.demographics.locality_id;
      pair.first = older ? person : std::move(other);
      pair.second = older ? std::move(other) : person;
      pairs.push_back(std::move(pair));
    }
  }
  const auto rank = [](const LikelyDuplicate& d) {
    return std::tuple(d.same_spelling ? 0 : 1, d.same_locality ? 0 : 1, d.first.id, d.second.id);
  };
  std::sort(pairs.begin(), pairs.end(),
            [&](const LikelyDuplicate& a, const LikelyDuplicate& b) { return rank(a) < rank(b); });
  Page<LikelyDuplicate> out;
  const auto begin = std::min(static_cast<std::size_t>(page.after), pairs.size());
  const auto end = std::min(begin + static_cast<std::size_t>(page.limit), pairs.size());
  out.items.assign(std::make_move_iterator(pairs.begin() + static_cast<std::ptrdiff_t>(begin)),
                   std::make_move_iterator(pairs.begin() + static_cast<std::ptrdiff_t>(end)));
  if (end < pairs.size()) out.next_after = static_cast<Id>(end);
  return out;
}

std::vector<ParticipantLink> ParticipantService::links(const Actor& actor, Id id) {
  requireAdmin(actor, "read who linked a person");
  visibleParticipant(repos_, actor, id);
  return repos_.participants.links(id);
}

Participant ParticipantService::update(const Actor& actor, Id id, ParticipantPatch patch,
                                       std::optional<int> version) {
  requireStaff(actor, "edit participants");
  Participant merged = visibleParticipant(repos_, actor, id);
  applyPatch(merged, patch);

  merged = validateParticipant(std::move(merged), clock_.currentYear());
  // Only a new name is checked: an edit of someone's phone must not fail on a name stored before
  // the check existed.
  if (patch.full_name) requireDrawable(coverage_, merged.full_name, "full_name");
  if (patch.locality_id) {
    detail::Problems problems;
    checkLocalityExists(repos_, problems, *patch.locality_id, "locality_id");
    problems.throwIfAny("participant");
  }
  // Store the normalised forms, not what was typed.
  if (patch.full_name) patch.full_name = merged.full_name;
  if (patch.phone) patch.phone = merged.phone;
  if (patch.email) patch.email = merged.email;
  return repos_.participants.update(
      id, patch, duplicateKey(merged),
      {.version = version, .change = {.account_id = actor.account_id, .reason = {}}});
}

}  // namespace courses
