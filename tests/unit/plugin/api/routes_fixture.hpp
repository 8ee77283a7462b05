#pragma once
// The whole routing table over in-memory repositories, as the route tests drive it: requests are
// routed and run the way the server does, without a socket.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "certificates/fonts.hpp"
#include "certificates/signing.hpp"
#include "plugin/api/routes.hpp"
#include "plugin/security/passwords.hpp"
#include "plugin/security/secrets.hpp"
#include "support/fakes.hpp"
#include "support/memory_store.hpp"

namespace plugin::api {

namespace json = boost::json;
using verb = http::beast_http::verb;
using Status = http::beast_http::status;

class SwitchableHealth final : public courses::StorageHealth {
 public:
  bool ping(int /*timeout_ms*/) override { return up; }
  bool up = true;
};

class FixedClock final : public courses::Clock {
 public:
  courses::Timestamp now() const override { return "2026-01-01T00:00:00Z"; }
};

inline constexpr const char* kPassword = "correct horse battery";
/// kPassword hashed with argon2id at libsodium's minimum cost, to keep these tests fast.
inline constexpr const char* kCheapHash =
    "$argon2id$v=19$m=8,t=1,p=1$5OmZOBPteW+FoLmlgFL38Q$nsJOzxEf3j1tQmulLj8CWZ+xgSKGoXSNnyn45CdRmW0";

/// The data-rights storage in route tests: none (erasure, export and retention are one
/// transaction of SQL each, tested against MariaDB in tests/integration and tests/functional).
class NoDataRights final : public courses::DataRightsRepository {
 public:
  std::optional<courses::DataRightsState> state(courses::Id) override { return std::nullopt; }
  std::vector<courses::PersonMark> marks(courses::Id) override { return {}; }
  void recordExport(courses::Id, const courses::ChangeContext&) override { unsupported(); }
  courses::ErasureOutcome erase(courses::Id, const courses::EditBasis&,
                                const courses::Timestamp&) override {
    unsupported();
  }
  courses::DataRightsState withdrawConsent(courses::Id, const courses::EditBasis&,
                                           const courses::Timestamp&) override {
    unsupported();
  }
  std::optional<courses::RetentionSetting> retention(courses::Id) override { return std::nullopt; }
  courses::RetentionSetting setRetention(courses::Id, std::optional<int>,
                                         const courses::EditBasis&) override {
    unsupported();
  }
  std::vector<courses::RetentionDue> dueForRetention(const courses::Date&) override { return {}; }
  bool eraseContacts(courses::Id, const courses::Date&, const courses::ChangeContext&) override {
    unsupported();
  }

 private:
  [[noreturn]] static void unsupported() {
    throw courses::Error(courses::ErrorCode::not_found, "no data rights in memory");
  }
};

/// The whole routing table over in-memory repositories.
class RoutesTest : public ::testing::Test {
 protected:
  RoutesTest()
      : repos_(store_.repositories()),
        catalogue_(repos_),
        cohorts_(repos_),
        participants_(repos_, clock_, coverage_, &confirmations_),
        enrolments_(repos_),
        attendance_(repos_),
        profiles_(repos_),
        certificates_(repos_, maker_, clock_),
        totals_(repos_),
        history_(repos_),
        data_rights_(repos_, no_data_rights_, clock_),
        accounts_(repos_, clock_, hasher_, secrets_),
        auth_(accounts_, repos_.accounts, clock_) {
    registerRoutes(
        router_, Dependencies{catalogue_, cohorts_, participants_, enrolments_, attendance_,
                              profiles_, auth_, accounts_, health_, metrics_, certificates_, key_,
                              "https://qatysu.example.kz", totals_, history_, data_rights_, fonts_,
                              "/nonexistent/qatysu-web"});
    courses::Account admin;
    admin.login = "admin";
    admin.role = courses::Role::admin;
    repos_.accounts.create(admin, kCheapHash);
  }

  /// Routes and runs one request the way the server does.
  http::Response call(verb method, std::string target, std::string body = {},
                      std::string content_type = "application/json", std::string token = {},
                      std::vector<std::pair<std::string, std::string>> headers = {},
                      std::string client_address = "127.0.0.1") {
    http::Request request{method, target, 11};
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty() || method == verb::post || method == verb::put || method == verb::patch) {
      if (!content_type.empty()) request.set(http::beast_http::field::content_type, content_type);
      request.body() = std::move(body);
      request.prepare_payload();
    }
    if (!token.empty()) request.set(http::beast_http::field::authorization, "Bearer " + token);
    const std::string path = target.substr(0, target.find('?'));
    auto matched = router_.match(method, path);
    if (!std::holds_alternative<http::Router::Match>(matched)) {
      ADD_FAILURE() << "no route for " << target;
      return {};
    }
    auto& match = std::get<http::Router::Match>(matched);
    std::map<std::string, std::string> query;
    if (const auto q = target.find('?'); q != std::string::npos) {
      // The tests use plain key=value pairs that need no decoding.
      std::string rest = target.substr(q + 1);
      while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        query[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
        rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
      }
    }
    http::Context context{request, match.params, query, client_address, match.route->pattern, {}};
    http::Response response = match.route->handler(context);
    stream_ = std::move(context.stream);
    return response;
  }

  /// Signs in as a new account with `role`, returning its token.
  std::string tokenFor(const std::string& login, courses::Role role) {
    courses::Account account;
    account.login = login;
    account.role = role;
    repos_.accounts.create(account, kCheapHash);
    const auto response =
        call(verb::post, "/api/v1/auth/login",
             R"({"login":")" + login + R"(","password":")" + std::string(kPassword) + "\"}");
    EXPECT_EQ(response.result(), Status::ok) << response.body();
    return std::string(json::parse(response.body()).at("token").as_string());
  }

  /// POSTs `body` to `target` and returns the new resource's id (expects 201).
  std::string create(const std::string& target, const std::string& body, const std::string& token) {
    const auto response = call(verb::post, target, body, "application/json", token);
    EXPECT_EQ(response.result(), Status::created) << target << ": " << response.body();
    // A Location header must name something a client can GET.
    if (const auto location = response[http::beast_http::field::location]; !location.empty()) {
      const std::string_view path(location.data(), location.size());
      EXPECT_TRUE(std::holds_alternative<http::Router::Match>(router_.match(verb::get, path)))
          << target << " answered Location " << path << ", which no GET route serves";
    }
    if (response.result() != Status::created) return "0";
    return std::to_string(json::parse(response.body()).at("id").as_int64());
  }

  std::string adminToken() {
    const auto response = call(verb::post, "/api/v1/auth/login",
                               R"({"login":"admin","password":")" + std::string(kPassword) + "\"}");
    EXPECT_EQ(response.result(), Status::ok) << response.body();
    return std::string(json::parse(response.body()).at("token").as_string());
  }

  /// The streamed body of the last response, drained piece by piece as the server would.
  std::string drainStream() {
    std::string body;
    if (!stream_) return body;
    for (int i = 0; i < 100000; ++i) {
      std::string piece;
      const bool more = stream_(piece);
      body += piece;
      if (!more) break;
    }
    stream_ = nullptr;
    return body;
  }

  support::MemoryStore store_;
  courses::Repositories repos_;
  FixedClock clock_;
  support::FakeGlyphCoverage coverage_;
  support::FakeCertificateMaker maker_;
  const certificates::SigningKey key_ =
      certificates::SigningKey::fromSeed("0123456789abcdef0123456789abcdef");
  const security::SecretBoxSealer confirmations_{"a secret of the routes' tests",
                                                 "qatysu routes test confirmations"};
  courses::CatalogueService catalogue_;
  courses::CohortService cohorts_;
  courses::ParticipantService participants_;
  courses::EnrolmentService enrolments_;
  courses::AttendanceService attendance_;
  courses::ProfileService profiles_;
  courses::CertificateService certificates_;
  courses::TotalsService totals_;
  courses::HistoryService history_;
  NoDataRights no_data_rights_;
  courses::DataRightsService data_rights_;
  const certificates::FontSet fonts_ = certificates::FontSet::dejavu();
  security::Argon2idHasher hasher_;
  security::SodiumAccessCodeSecrets secrets_;
  courses::AccountService accounts_;
  Auth auth_;
  SwitchableHealth health_;
  http::Metrics metrics_;
  http::Router router_;
  std::function<bool(std::string&)> stream_;
};

/// RoutesTest with a catalogue to enrol people into: the two batch and duplicate suites share it.
class CatalogueRoutesTest : public RoutesTest {
 protected:
  /// A programme, a region (`locality`) and a 24-hour course (`course`) in it, made by `admin`.
  void createCatalogue(const std::string& admin) {
    const std::string programme =
        create("/api/v1/programmes",
               R"({"code":"LSG-EKZ","title":{"kk":"Қатысу","ru":"Участие","en":"Participation"},)"
               R"("donor":"EU","starts_on":"2017-02-01","ends_on":"2020-01-31"})",
               admin);
    locality = create("/api/v1/localities",
                      R"({"kind":"region","name":{"kk":"Нұра","ru":"Нура","en":"Nura"}})", admin);
    course = create("/api/v1/courses",
                    R"({"programme_id":)" + programme +
                        R"(,"track":"inclusive_planning","title":{"kk":"Жоспарлау",)"
                        R"("ru":"Планирование","en":"Planning"},"hours":24,)"
                        R"("rule":{"min_attendance_percent":80},"certificate_language":"kk"})",
                    admin);
  }

  /// A cohort of the catalogue's course, created by the trainer signed in with `trainer_token`.
  std::string cohortOf(const std::string& trainer_token) {
    return create("/api/v1/cohorts",
                  R"({"course_id":)" + course + R"(,"locality_id":)" + locality +
                      R"(,"place":"Нұра","starts_on":"2019-04-02","ends_on":"2019-04-06",)"
                      R"("language":"kk"})",
                  trainer_token);
  }

  /// A batch row (or a POST /api/v1/participants body) for a woman of `year` living in the
  /// catalogue's `locality`; `extra` goes inside.
  std::string person(const std::string& name, int year, const std::string& extra = "") {
    return R"({"full_name":")" + name + R"(","gender":"female","birth_year":)" +
           std::to_string(year) + R"(,"locality_id":)" + locality +
           R"(,"affiliation":"community_member","consent":true)" + extra + "}";
  }

  std::string locality, course;  ///< set by createCatalogue
};

}  // namespace plugin::api
