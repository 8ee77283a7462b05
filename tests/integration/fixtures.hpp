#pragma once
// Shared state of the integration tests: one migrated test database and one Store on it for the
// whole process, and builders that store valid records with unique names.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/mariadb/store.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "support/db/test_database.hpp"

namespace integration {

using courses::Id;

support::db::TestDatabase& database();
courses::mariadb::Store& store();
courses::Repositories repos();

/// Set up and torn down by main() around all tests.
void openStorage();
void closeStorage();

/// prefix + a number unique in this process.
std::string unique(std::string_view prefix);

courses::Account makeAccount(courses::Role role = courses::Role::trainer);
courses::Programme makeProgramme();
courses::Locality makeLocality(std::optional<Id> parent_id = std::nullopt);
courses::Course makeCourse(Id programme_id);
/// A cohort of a new course in a new locality, with these trainers.
courses::Cohort makeCohort(const std::vector<Id>& trainer_ids);
courses::Session makeSession(Id cohort_id, std::string starts_at = "2026-03-01T09:00:00Z");
/// A participant with a unique name, stored through the repository.
courses::Participant makeParticipant(Id locality_id, Id created_by,
                                     std::optional<std::string> full_name = std::nullopt);

}  // namespace integration
