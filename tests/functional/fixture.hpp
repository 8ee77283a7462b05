#pragma once
// Shared set-up of the functional suites: each suite runs its own qatysu-server on its own
// database (started once per suite), and these helpers build requests and check replies.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/http/client.hpp"
#include "support/http/service.hpp"

namespace functional {

namespace json = boost::json;
using support::http::Account;
using support::http::Client;
using support::http::Reply;

/// Base of every suite that talks to a running service. A derived suite calls startService()
/// from its SetUpTestSuite() and stopService() from its TearDownTestSuite(); a failed start
/// fails every test of the suite with the reason.
class ServiceTest : public ::testing::Test {
 protected:
  /// Creates the database, migrates, starts the server (with the extra config `settings`), adds
  /// and signs in an admin, then runs `populate` (the suite's own accounts and data). On any
  /// exception the suite fails with it and every test of the suite fails at SetUp.
  static void startService(std::string_view db_prefix, const std::function<void()>& populate = {},
                           std::vector<std::pair<std::string, std::string>> settings = {});
  static void stopService();
  void SetUp() override;

  static support::http::TestService& service() { return *service_; }
  /// A client signed in as `account`.
  static Client as(const Account& account);
  /// A client without credentials.
  static Client anonymous();
  /// A new account of `role` ("admin", "trainer", "learner"), signed in.
  static Account newAccount(const std::string& role, const std::string& login);

  static Account admin_;

 private:
  static std::unique_ptr<support::http::TestService> service_;
  static std::string setup_error_;
};

/// Throws std::runtime_error with the reply when its status is not `expected`; else its JSON.
json::value expectJson(const Reply& reply, unsigned expected);
/// The "id" of a reply with status `expected` (201 unless told).
long long createdId(const Reply& reply, unsigned expected = 201);

/// Success when `reply` is an RFC 9457 problem (Content-Type application/problem+json, a JSON
/// object with string type/title and numeric status equal to the HTTP status) with one of
/// `statuses`.
::testing::AssertionResult isProblem(const Reply& reply, std::initializer_list<unsigned> statuses);

/// Success when `reply` contains none of `texts` anywhere (headers or body).
::testing::AssertionResult leaksNothing(const Reply& reply, const std::vector<std::string>& texts);

/// Catalogue built by the admin: programme, a region > district > village chain, one course.
struct Catalogue {
  long long programme_id = 0;
  long long region_id = 0;
  long long district_id = 0;
  long long village_id = 0;
  long long other_village_id = 0;
  long long course_id = 0;
};
Catalogue createCatalogue(const Client& admin, std::string_view code);

/// POST /api/v1/cohorts as `trainer` for the course, in `locality_id`; the cohort's id.
long long createCohort(const Client& trainer, long long course_id, long long locality_id,
                       std::string_view place);
/// POST /api/v1/cohorts/{id}/sessions; the session's id.
long long createSession(const Client& trainer, long long cohort_id, std::string_view starts_at,
                        std::string_view topic);

/// A participant body with the given name, birth year and locality (other fields fixed, valid).
json::object participantBody(std::string_view full_name, int birth_year, long long locality_id);
/// Registers a person confirmed as new (not_duplicate true); the participant's id.
long long registerParticipant(const Client& trainer, std::string_view full_name, int birth_year,
                              long long locality_id);
/// POST /api/v1/cohorts/{id}/enrolments; the enrolment's id (201 or 200).
long long enrol(const Client& trainer, long long cohort_id, long long participant_id);

/// Number of participants stored, counted by an admin over every page of GET /participants.
std::size_t countParticipants(const Client& admin);

/// The "items" array of a list reply ({"items": [...]}); throws when there is none.
const json::array& items(const json::value& list);

/// Serializes a JSON value.
std::string text(const json::value& value);

/// Writes `bytes` to `path` (throws when it cannot).
void writeFile(const std::filesystem::path& path, std::string_view bytes);
/// Every whitespace run made a single space, so a text extracted from a PDF compares with a name
/// however the page spaced its words.
std::string squeezeSpaces(std::string_view input);
/// The text of a PDF as `pdftotext` reads it (UTF-8), whitespace squeezed.
std::string pdfText(std::string_view pdf);

}  // namespace functional
