#pragma once
// JSON mapping of participants and enrolments (the reading rules: plugin/api/json.hpp).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "courses/error.hpp"
#include "courses/model.hpp"
#include "courses/services.hpp"
#include "plugin/api/json_common.hpp"
#include "plugin/api/json_text.hpp"

namespace plugin::api {

/// POST /participants: the person plus optional "same_person" or "not_duplicate".
courses::ParticipantService::Registration registrationFromJson(const boost::json::value& body);
/// PATCH /participants/{id}: merge-patch of the listed fields; null clears phone or e-mail.
courses::ParticipantPatch participantPatchFromJson(const boost::json::value& body);
/// POST /cohorts/{id}/enrolments: the participant id.
courses::Id enrolmentRequestFromJson(const boost::json::value& body);

/// PATCH /enrolments/{id}: {"withdrawn": {"reason": "…"}} withdraws (the reason engaged),
/// {"withdrawn": null} restores (nullopt).
std::optional<std::string> enrolmentPatchFromJson(const boost::json::value& body);

/// A possible duplicate: "id" when the actor may see the person, else "confirmation" (either one
/// goes into same_person), with "full_name", "birth_year" and "locality_id".
boost::json::object toJson(const courses::DuplicateCandidate& candidate);
/// Who confirmed an existing person: "account_id", "cohort_id" (or null), "linked_at".
boost::json::object toJson(const courses::ParticipantLink& link);
boost::json::object toJson(const courses::Participant& participant);
/// A likely duplicate pair: "first", "second" (the people), "same_spelling", "same_locality".
boost::json::object toJson(const courses::ParticipantService::LikelyDuplicate& pair);
boost::json::object toJson(const courses::Enrolment& enrolment);
/// A vulnerable-group set as an array of names in declaration order.
boost::json::array vulnerableToJson(courses::VulnerableSet set);

}  // namespace plugin::api
