#include "plugin/api/json_participants.hpp"

#include <span>

#include "json_reader.hpp"

namespace plugin::api {

namespace json = boost::json;
using namespace json_reader;

namespace {

courses::Gender readGender(const json::value& value, const std::string& field, Problems& problems) {
  using courses::Gender;
  return readEnum(value, field, problems, courses::genderFromString,
                  {Gender::female, Gender::male, Gender::undisclosed});
}

courses::Affiliation readAffiliation(const json::value& value, const std::string& field,
                                     Problems& problems) {
  using courses::Affiliation;
  return readEnum(
      value, field, problems, courses::affiliationFromString,
      {Affiliation::local_government, Affiliation::civil_society, Affiliation::community_member,
       Affiliation::entrepreneur, Affiliation::public_servant, Affiliation::other});
}

courses::VulnerableSet readVulnerable(const json::value& value, const std::string& field,
                                      Problems& problems) {
  courses::VulnerableSet set = 0;
  const json::array& items = readArray(value, field);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item_field = field + "[" + std::to_string(i) + "]";
    const auto group =
        readEnumIn(items[i], item_field, problems, courses::vulnerableGroupFromString,
                   std::span<const courses::VulnerableGroup>(courses::kAllVulnerableGroups));
    if (group) {
      set = static_cast<courses::VulnerableSet>(set | static_cast<courses::VulnerableSet>(*group));
    }
  }
  return set;
}

void readPerson(const ObjectReader& reader, courses::Participant& person) {
  person.full_name = reader.string("full_name");
  if (const auto* v = reader.get("gender", true)) {
    person.demographics.gender = readGender(*v, reader.field("gender"), reader.problems());
  }
  person.demographics.birth_year = reader.integer("birth_year");
  person.demographics.locality_id = reader.id("locality_id");
  if (const auto* v = reader.get("affiliation", true)) {
    person.demographics.affiliation =
        readAffiliation(*v, reader.field("affiliation"), reader.problems());
  }
  if (const auto* v = reader.get("vulnerable", false)) {
    person.demographics.vulnerable =
        readVulnerable(*v, reader.field("vulnerable"), reader.problems());
  }
  person.phone = reader.nullableString("phone");
  person.email = reader.nullableString("email");
  person.consent = reader.boolean("consent", std::nullopt);
}

json::object toJson(const courses::Demographics& snapshot) {
  return json::object{{"gender", courses::toString(snapshot.gender)},
                      {"birth_year", snapshot.birth_year},
                      {"locality_id", snapshot.locality_id},
                      {"affiliation", courses::toString(snapshot.affiliation)},
                      {"vulnerable", vulnerableToJson(snapshot.vulnerable)}};
}

}  // namespace

json::object toJson(const courses::DuplicateCandidate& candidate) {
  json::object out;
  // Exactly one of id and confirmation: what same_person takes to confirm this person.
  if (candidate.id != 0) {
    out["id"] = candidate.id;
  } else {
    out["confirmation"] = candidate.confirmation;
  }
  out["full_name"] = candidate.full_name;
  out["birth_year"] = candidate.birth_year;
  out["locality_id"] = candidate.locality_id;
  return out;
}

json::object toJson(const courses::ParticipantLink& link) {
  json::object out{{"account_id", link.account_id}, {"linked_at", link.linked_at}};
  if (link.cohort_id) {
    out["cohort_id"] = *link.cohort_id;
  } else {
    out["cohort_id"] = nullptr;
  }
  return out;
}

courses::ParticipantService::Registration registrationFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(
      body, "", problems,
      {"full_name", "gender", "birth_year", "locality_id", "affiliation", "vulnerable", "phone",
       "email", "consent", "same_person", "not_duplicate"});
  courses::ParticipantService::Registration registration;
  readPerson(reader, registration.person);
  // An existing person's id, or the confirmation shown instead of an id the actor may not see.
  const json::value* same = reader.get("same_person", false);
  if (same != nullptr && same->is_string()) {
    registration.same_person_confirmation = readString(*same, "same_person", problems);
  } else {
    registration.same_person = reader.nullableId("same_person");
  }
  registration.not_duplicate = reader.boolean("not_duplicate", false);
  if ((registration.same_person || registration.same_person_confirmation) &&
      registration.not_duplicate) {
    problems.add("not_duplicate", "cannot be combined with same_person");
  }
  problems.throwIfAny();
  return registration;
}

courses::ParticipantPatch participantPatchFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems,
                            {"full_name", "gender", "birth_year", "locality_id", "affiliation",
                             "vulnerable", "phone", "email", "consent"});
  courses::ParticipantPatch patch;
  if (const auto* v = reader.nonNull("full_name", false)) {
    patch.full_name = readString(*v, "full_name", problems);
  }
  if (const auto* v = reader.nonNull("gender", false)) {
    patch.gender = readGender(*v, "gender", problems);
  }
  if (const auto* v = reader.nonNull("birth_year", false)) {
    patch.birth_year = readInt(*v, "birth_year", problems);
  }
  if (const auto* v = reader.nonNull("locality_id", false)) {
    patch.locality_id = readId(*v, "locality_id", problems);
  }
  if (const auto* v = reader.nonNull("affiliation", false)) {
    patch.affiliation = readAffiliation(*v, "affiliation", problems);
  }
  if (const auto* v = reader.get("vulnerable", false)) {
    // In merge-patch terms null removes the member: for a set that is the empty set.
    patch.vulnerable =
        v->is_null() ? courses::VulnerableSet{0} : readVulnerable(*v, "vulnerable", problems);
  }
  if (const auto* v = reader.get("phone", false)) {
    patch.phone = v->is_null() ? std::optional<std::string>()
                               : std::optional<std::string>(readString(*v, "phone", problems));
  }
  if (const auto* v = reader.get("email", false)) {
    patch.email = v->is_null() ? std::optional<std::string>()
                               : std::optional<std::string>(readString(*v, "email", problems));
  }
  if (const auto* v = reader.nonNull("consent", false)) patch.consent = readBool(*v, "consent");
  problems.throwIfAny();
  return patch;
}

courses::Id enrolmentRequestFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"participant_id"});
  const courses::Id participant_id = reader.id("participant_id");
  problems.throwIfAny();
  return participant_id;
}

std::optional<std::string> enrolmentPatchFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"withdrawn"});
  std::optional<std::string> reason;
  if (const auto* v = reader.get("withdrawn", true); v != nullptr && !v->is_null()) {
    const ObjectReader withdrawn(*v, "withdrawn", problems, {"reason"});
    reason = withdrawn.string("reason");
  }
  problems.throwIfAny();
  return reason;
}

json::array vulnerableToJson(courses::VulnerableSet set) {
  json::array names;
  for (const auto group : courses::kAllVulnerableGroups) {
    if ((set & static_cast<courses::VulnerableSet>(group)) != 0) {
      names.push_back(json::value(courses::toString(group)));
    }
  }
  return names;
}

json::object toJson(const courses::Participant& participant) {
  const courses::Demographics& d = participant.demographics;
  return json::object{{"id", participant.id},
                      {"full_name", participant.full_name},
                      {"gender", courses::toString(d.gender)},
                      {"birth_year", d.birth_year},
                      {"locality_id", d.locality_id},
                      {"affiliation", courses::toString(d.affiliation)},
                      {"vulnerable", vulnerableToJson(d.vulnerable)},
                      {"phone", optionalValue(participant.phone)},
                      {"email", optionalValue(participant.email)},
                      {"consent", participant.consent},
                      {"created_at", participant.created_at},
                      {"updated_at", participant.updated_at},
                      {"merged_into", optionalValue(participant.merged_into)},
                      {"version", participant.version}};
}

json::object toJson(const courses::ParticipantService::LikelyDuplicate& pair) {
  return json::object{{"first", toJson(pair.first)},
                      {"second", toJson(pair.second)},
                      {"same_spelling", pair.same_spelling},
                      {"same_locality", pair.same_locality}};
}

json::object toJson(const courses::Enrolment& enrolment) {
  return json::object{
      {"id", enrolment.id},
      {"participant_id", enrolment.participant_id},
      {"cohort_id", enrolment.cohort_id},
      {"registered_by", enrolment.registered_by},
      {"registered_at", enrolment.registered_at},
      {"participant_name", enrolment.participant_name},
      {"snapshot", toJson(enrolment.snapshot)},
      {"withdrawn",
       enrolment.withdrawn
           ? json::value(json::object{
                 {"at", enrolment.withdrawn->at},
                 {"by", optionalValue(enrolment.withdrawn->by == 0 ? std::optional<courses::Id>()
                                                                   : enrolment.withdrawn->by)},
                 {"reason", enrolment.withdrawn->reason}})
           : json::value(nullptr)},
      {"version", enrolment.version}};
}

}  // namespace plugin::api
