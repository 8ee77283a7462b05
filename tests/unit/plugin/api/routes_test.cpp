#include "plugin/api/routes.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <string>
#include <utility>

#include "plugin/api/openapi.hpp"
#include "plugin/api/passwords.hpp"
#include "support/memory_store.hpp"

namespace plugin::api {
namespace {

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

constexpr const char* kPassword = "correct horse battery";
/// kPassword hashed with argon2id at libsodium's minimum cost, to keep these tests fast.
constexpr const char* kCheapHash =
    "$argon2id$v=19$m=8,t=1,p=1$5OmZOBPteW+FoLmlgFL38Q$nsJOzxEf3j1tQmulLj8CWZ+xgSKGoXSNnyn45CdRmW0";

/// The whole routing table over in-memory repositories.
class RoutesTest : public ::testing::Test {
 protected:
  RoutesTest()
      : repos_(store_.repositories()),
        catalogue_(repos_),
        cohorts_(repos_),
        participants_(repos_, clock_),
        enrolments_(repos_),
        attendance_(repos_),
        profiles_(repos_),
        auth_(repos_.accounts, clock_) {
    registerRoutes(router_, Dependencies{catalogue_, cohorts_, participants_, enrolments_,
                                         attendance_, profiles_, auth_, health_, metrics_});
    courses::Account admin;
    admin.login = "admin";
    admin.role = courses::Role::admin;
    repos_.accounts.create(admin, kCheapHash);
  }

  /// Routes and runs one request the way the server does.
  http::Response call(verb method, std::string target, std::string body = {},
                      std::string content_type = "application/json", std::string token = {}) {
    http::Request request{method, target, 11};
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
    http::Context context{request, match.params, query, "127.0.0.1", match.route->pattern};
    return match.route->handler(context);
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

  support::MemoryStore store_;
  courses::Repositories repos_;
  FixedClock clock_;
  courses::CatalogueService catalogue_;
  courses::CohortService cohorts_;
  courses::ParticipantService participants_;
  courses::EnrolmentService enrolments_;
  courses::AttendanceService attendance_;
  courses::ProfileService profiles_;
  Auth auth_;
  SwitchableHealth health_;
  http::Metrics metrics_;
  http::Router router_;
};

std::string methodName(verb method) {
  std::string name(http::beast_http::to_string(method));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

TEST_F(RoutesTest, OpenApiDocumentsEveryRouteAndNothingElse) {
  const json::value document = json::parse(openApiDocument());
  EXPECT_EQ(document.at("openapi").as_string(), "3.1.0");
  const json::object& paths = document.at("paths").as_object();

  std::set<std::pair<std::string, std::string>> routed;
  for (const http::Route& route : router_.routes()) {
    const std::string method = methodName(route.method);
    routed.emplace(route.pattern, method);
    const auto* path = paths.if_contains(route.pattern);
    ASSERT_NE(path, nullptr) << route.pattern << " is not in the OpenAPI document";
    EXPECT_TRUE(path->as_object().contains(method))
        << method << " " << route.pattern << " is not in the OpenAPI document";
  }

  const std::set<std::string> operations = {"get",     "put",  "post",  "delete",
                                            "options", "head", "patch", "trace"};
  for (const auto& path : paths) {
    for (const auto& member : path.value().as_object()) {
      if (!operations.contains(std::string(member.key()))) continue;
      EXPECT_TRUE(routed.contains({std::string(path.key()), std::string(member.key())}))
          << member.key() << " " << path.key() << " is documented but not routed";
    }
  }
  EXPECT_GE(router_.routes().size(), 28u);
}

TEST_F(RoutesTest, ProbesAndDocumentNeedNoToken) {
  const auto livez = call(verb::get, "/livez");
  EXPECT_EQ(livez.result(), Status::ok);
  EXPECT_EQ(livez.body(), R"({"status":"ok"})");
  EXPECT_EQ(call(verb::get, "/readyz").result(), Status::ok);
  const auto openapi = call(verb::get, "/api/v1/openapi.json");
  EXPECT_EQ(openapi.result(), Status::ok);
  EXPECT_EQ(openapi.body(), openApiDocument());
  const auto metrics = call(verb::get, "/metrics");
  EXPECT_EQ(metrics.result(), Status::ok);
  EXPECT_EQ(metrics[http::beast_http::field::content_type].substr(0, 10), "text/plain");
}

TEST_F(RoutesTest, ReadinessFollowsStorage) {
  health_.up = false;
  const auto down = call(verb::get, "/readyz");
  EXPECT_EQ(down.result(), Status::service_unavailable);
  EXPECT_EQ(down[http::beast_http::field::retry_after], "1");
  EXPECT_EQ(down[http::beast_http::field::content_type], "application/problem+json");
}

TEST_F(RoutesTest, ApiNeedsAValidToken) {
  const auto missing = call(verb::get, "/api/v1/programmes");
  EXPECT_EQ(missing.result(), Status::unauthorized);
  EXPECT_EQ(missing[http::beast_http::field::www_authenticate], "Bearer");
  EXPECT_EQ(call(verb::get, "/api/v1/programmes", {}, {}, "forged-token").result(),
            Status::unauthorized);
}

TEST_F(RoutesTest, LoginMeAndLogout) {
  EXPECT_EQ(
      call(verb::post, "/api/v1/auth/login", R"({"login":"admin","password":"nope"})").result(),
      Status::unauthorized);
  const std::string token = adminToken();
  const auto me = call(verb::get, "/api/v1/me", {}, {}, token);
  ASSERT_EQ(me.result(), Status::ok) << me.body();
  EXPECT_EQ(json::parse(me.body()).at("account").at("login").as_string(), "admin");
  EXPECT_EQ(call(verb::post, "/api/v1/auth/logout", {}, {}, token).result(), Status::no_content);
  EXPECT_EQ(call(verb::get, "/api/v1/me", {}, {}, token).result(), Status::unauthorized);
}

TEST_F(RoutesTest, BodiesMustBeJson) {
  const std::string token = adminToken();
  EXPECT_EQ(call(verb::post, "/api/v1/programmes", "{}", "text/plain", token).result(),
            Status::unsupported_media_type);
  EXPECT_EQ(call(verb::post, "/api/v1/programmes", "{}", "", token).result(),
            Status::unsupported_media_type);
  EXPECT_EQ(call(verb::post, "/api/v1/programmes", "{", "application/json", token).result(),
            Status::bad_request);
  EXPECT_EQ(call(verb::post, "/api/v1/programmes", R"({"nope":1})",
                 "application/json; charset=utf-8", token)
                .result(),
            Status::bad_request);
  EXPECT_EQ(call(verb::post, "/api/v1/programmes", "{}", "application/json", token).result(),
            Status::unprocessable_entity);
}

TEST_F(RoutesTest, CreatesAnswer201WithLocation) {
  const std::string token = adminToken();
  const auto created = call(verb::post, "/api/v1/programmes",
                            R"({"code":"LSG-EKZ","title":{"kk":"Қатысу","ru":"Участие",)"
                            R"("en":"Participation"},"donor":"EU","starts_on":"2017-02-01",)"
                            R"("ends_on":"2020-01-31"})",
                            "application/json", token);
  ASSERT_EQ(created.result(), Status::created) << created.body();
  const auto id = json::parse(created.body()).at("id").as_int64();
  EXPECT_EQ(created[http::beast_http::field::location], "/api/v1/programmes/" + std::to_string(id));
  const auto fetched = call(verb::get, "/api/v1/programmes/" + std::to_string(id), {}, {}, token);
  EXPECT_EQ(fetched.result(), Status::ok);
  EXPECT_EQ(json::parse(fetched.body()).at("code").as_string(), "LSG-EKZ");
  const auto list = call(verb::get, "/api/v1/programmes", {}, {}, token);
  EXPECT_EQ(json::parse(list.body()).at("items").as_array().size(), 1u);
}

TEST_F(RoutesTest, RolesMapTo403And404) {
  const std::string admin = adminToken();
  const std::string trainer = tokenFor("trainer1", courses::Role::trainer);
  const std::string other = tokenFor("trainer2", courses::Role::trainer);
  const std::string programme_body =
      R"({"code":"LSG-EKZ","title":{"kk":"a","ru":"b","en":"c"},"donor":"EU",)"
      R"("starts_on":"2017-02-01","ends_on":"2020-01-31"})";
  EXPECT_EQ(
      call(verb::post, "/api/v1/programmes", programme_body, "application/json", trainer).result(),
      Status::forbidden);

  const std::string programme = create("/api/v1/programmes", programme_body, admin);
  const std::string locality = create(
      "/api/v1/localities", R"({"kind":"region","name":{"kk":"a","ru":"b","en":"c"}})", admin);
  const std::string course =
      create("/api/v1/courses",
             R"({"programme_id":)" + programme +
                 R"(,"track":"inclusive_planning","title":{"kk":"a","ru":"b","en":"c"},)"
                 R"("hours":24,"rule":{"min_attendance_percent":80}})",
             admin);
  const std::string cohort = create("/api/v1/cohorts",
                                    R"({"course_id":)" + course + R"(,"locality_id":)" + locality +
                                        R"(,"place":"Нұра","starts_on":"2018-04-02",)"
                                        R"("ends_on":"2018-04-06","language":"kk"})",
                                    trainer);
  EXPECT_EQ(call(verb::get, "/api/v1/cohorts/" + cohort, {}, {}, trainer).result(), Status::ok);
  EXPECT_EQ(call(verb::get, "/api/v1/cohorts/" + cohort, {}, {}, other).result(),
            Status::not_found);
  EXPECT_EQ(call(verb::post, "/api/v1/cohorts/" + cohort + "/sessions",
                 R"({"starts_at":"2018-04-02T09:00:00Z","duration_minutes":90,"topic":"t"})",
                 "application/json", other)
                .result(),
            Status::not_found);
  create("/api/v1/cohorts/" + cohort + "/sessions",
         R"({"starts_at":"2018-04-02T09:00:00Z","duration_minutes":90,"topic":"t"})", trainer);
}

TEST_F(RoutesTest, DuplicatePersonAnswers409WithCandidates) {
  const std::string admin = adminToken();
  const std::string locality = create(
      "/api/v1/localities", R"({"kind":"region","name":{"kk":"a","ru":"b","en":"c"}})", admin);
  const std::string person =
      R"({"full_name":"Әлия Нұрланқызы","gender":"female","birth_year":1990,"locality_id":)" +
      locality + R"(,"affiliation":"community_member","consent":true)";
  const auto first =
      call(verb::post, "/api/v1/participants", person + "}", "application/json", admin);
  ASSERT_EQ(first.result(), Status::created) << first.body();
  const auto id = json::parse(first.body()).at("id").as_int64();
  EXPECT_EQ(first[http::beast_http::field::location], "/api/v1/participants/" + std::to_string(id));

  const auto again =
      call(verb::post, "/api/v1/participants", person + "}", "application/json", admin);
  ASSERT_EQ(again.result(), Status::conflict) << again.body();
  const json::value problem = json::parse(again.body());
  EXPECT_EQ(problem.at("type").as_string(), "https://qatysu.kz/problems/duplicate-participant");
  EXPECT_EQ(problem.at("candidates").at(0).at("id").as_int64(), id);

  const auto confirmed =
      call(verb::post, "/api/v1/participants",
           person + R"(,"same_person":)" + std::to_string(id) + "}", "application/json", admin);
  EXPECT_EQ(confirmed.result(), Status::ok) << confirmed.body();
}

TEST_F(RoutesTest, MalformedPathIdsAreNotFound) {
  const std::string token = adminToken();
  for (const char* id :
       {"abc", "0", "-1", "01", "9007199254740993", "1.5", "99999999999999999999"}) {
    EXPECT_EQ(call(verb::get, std::string("/api/v1/cohorts/") + id, {}, {}, token).result(),
              Status::not_found)
        << id;
  }
  EXPECT_EQ(call(verb::get, "/api/v1/cohorts/424242", {}, {}, token).result(), Status::not_found);
}

TEST_F(RoutesTest, QueryParametersAreChecked) {
  const std::string token = adminToken();
  EXPECT_EQ(call(verb::get, "/api/v1/participants?limit=200", {}, {}, token).result(), Status::ok);
  EXPECT_EQ(call(verb::get, "/api/v1/participants?limit=201", {}, {}, token).result(),
            Status::unprocessable_entity);
  EXPECT_EQ(call(verb::get, "/api/v1/participants?limit=0", {}, {}, token).result(),
            Status::unprocessable_entity);
  EXPECT_EQ(call(verb::get, "/api/v1/participants?limit=x", {}, {}, token).result(),
            Status::bad_request);
  EXPECT_EQ(call(verb::get, "/api/v1/participants?after=-1", {}, {}, token).result(),
            Status::bad_request);
  EXPECT_EQ(call(verb::get, "/api/v1/localities?parent=0", {}, {}, token).result(),
            Status::unprocessable_entity);
  const auto page = call(verb::get, "/api/v1/participants?after=0&limit=5", {}, {}, token);
  ASSERT_EQ(page.result(), Status::ok);
  EXPECT_TRUE(json::parse(page.body()).at("next_after").is_null());
}

TEST_F(RoutesTest, IdempotencyKeyMustBePrintableAscii) {
  const std::string token = adminToken();
  http::Request request{verb::post, "/api/v1/cohorts/1/enrolments", 11};
  for (const std::string& key : {std::string(), std::string(101, 'k'), std::string("key\x01")}) {
    request.set("Idempotency-Key", key);
    request.set(http::beast_http::field::content_type, "application/json");
    request.set(http::beast_http::field::authorization, "Bearer " + token);
    request.body() = R"({"participant_id":1})";
    request.prepare_payload();
    auto match =
        std::get<http::Router::Match>(router_.match(verb::post, "/api/v1/cohorts/1/enrolments"));
    http::Context context{request, match.params, {}, "127.0.0.1", match.route->pattern};
    EXPECT_EQ(match.route->handler(context).result(), Status::bad_request) << key.size();
  }
}

}  // namespace
}  // namespace plugin::api
