#pragma once
// What the JSON mapping tests share: the 400 detail or 422 field list a reader throws, and sample
// bodies and structs.

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "courses/error.hpp"
#include "courses/model.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json_cohorts.hpp"
#include "plugin/api/json_text.hpp"

namespace plugin::api::json_fixture {

namespace json = boost::json;
using courses::ErrorCode;

/// The 400 detail a reader throws for `text`, or "" when it throws something else or nothing.
template <typename Read>
inline std::string badRequestDetail(std::string_view text, Read read) {
  try {
    read(parseJson(text));
  } catch (const RequestError& error) {
    EXPECT_EQ(error.status(), http::beast_http::status::bad_request);
    EXPECT_EQ(error.slug(), "invalid-request");
    return error.what();
  } catch (...) {
  }
  return {};
}

/// The field problems (422) a reader throws for `text`.
template <typename Read>
inline std::vector<courses::FieldProblem> fieldProblems(std::string_view text, Read read) {
  try {
    read(parseJson(text));
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
    return error.fields();
  } catch (...) {
  }
  return {};
}

inline bool hasField(const std::vector<courses::FieldProblem>& problems, std::string_view field) {
  for (const auto& problem : problems) {
    if (problem.field == field) return true;
  }
  return false;
}

inline json::value withoutMembers(json::object object,
                                  std::initializer_list<std::string_view> keys) {
  for (const auto key : keys) object.erase(key);
  return object;
}

inline const auto kReadSession = [](const json::value& v) { return sessionFromJson(v, 7); };

inline courses::Participant sampleParticipant() {
  courses::Participant person;
  person.id = 21;
  person.full_name = "Айгүл Серікқызы Өмірбекова";
  person.demographics.gender = courses::Gender::female;
  person.demographics.birth_year = 1984;
  person.demographics.locality_id = 9;
  person.demographics.affiliation = courses::Affiliation::civil_society;
  person.demographics.vulnerable =
      static_cast<courses::VulnerableSet>(courses::VulnerableGroup::disability) |
      static_cast<courses::VulnerableSet>(courses::VulnerableGroup::single_parent);
  person.email = "aigul@example.kz";
  person.consent = true;
  person.created_at = "2026-01-01T00:00:00Z";
  person.updated_at = "2026-01-02T00:00:00Z";
  return person;
}

inline constexpr std::string_view kRegistration =
    R"({"full_name":"Ерлан","gender":"male","birth_year":1990,"locality_id":3,)"
    R"("affiliation":"entrepreneur","consent":true)";

inline std::string registration(std::string_view extra) {
  return std::string(kRegistration) + std::string(extra) + "}";
}

}  // namespace plugin::api::json_fixture
