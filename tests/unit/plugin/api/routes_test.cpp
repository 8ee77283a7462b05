#include "plugin/api/routes.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "certificates/file_name.hpp"
#include "certificates/qr.hpp"
#include "certificates/signing.hpp"
#include "courses/totals.hpp"
#include "plugin/api/openapi.hpp"
#include "plugin/security/passwords.hpp"
#include "routes_fixture.hpp"

namespace plugin::api {
namespace {

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

TEST_F(RoutesTest, TracksAreServedWithTheirNamesToAnySignedInAccount) {
  EXPECT_EQ(call(verb::get, "/api/v1/tracks").result(), Status::unauthorized);
  const std::string learner = tokenFor("learner", courses::Role::learner);
  const auto answer = call(verb::get, "/api/v1/tracks", {}, {}, learner);
  ASSERT_EQ(answer.result(), Status::ok) << answer.body();
  const json::value body = json::parse(answer.body());
  const json::array& items = body.at("items").as_array();
  const std::vector<std::string> known = courses::knownTracks();
  ASSERT_EQ(items.size(), known.size());
  for (std::size_t i = 0; i < known.size(); ++i) {
    EXPECT_EQ(items[i].at("track").as_string(), known[i]);
    const courses::LocalizedText label = courses::trackLabel(known[i]);
    EXPECT_EQ(items[i].at("label").at("kk").as_string(), label.kk);
    EXPECT_EQ(items[i].at("label").at("ru").as_string(), label.ru);
    EXPECT_EQ(items[i].at("label").at("en").as_string(), label.en);
  }
  EXPECT_EQ(items[0].at("label").at("en").as_string(), "Inclusive planning");

  const std::string etag(answer[http::beast_http::field::etag]);
  ASSERT_EQ(etag.front(), '"');
  EXPECT_EQ(answer[http::beast_http::field::cache_control], "private, no-cache");
  const auto cached =
      call(verb::get, "/api/v1/tracks", {}, {}, learner, {{"If-None-Match", "W/" + etag}});
  EXPECT_EQ(cached.result(), Status::not_modified);
  EXPECT_TRUE(cached.body().empty());
  EXPECT_EQ(cached[http::beast_http::field::etag], etag);
  EXPECT_EQ(
      call(verb::get, "/api/v1/tracks", {}, {}, learner, {{"If-None-Match", "\"old\""}}).result(),
      Status::ok);
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

TEST_F(RoutesTest, LocalitiesAreFoundByANameHoweverItsLettersAreTyped) {
  const std::string admin = adminToken();
  const std::string region = create(
      "/api/v1/localities",
      R"({"kind":"region","name":{"kk":"Қарағанды облысы","ru":"Карагандинская область","en":"Karaganda Region"}})",
      admin);
  const std::string district =
      create("/api/v1/localities",
             R"({"kind":"district","parent_id":)" + region +
                 R"(,"name":{"kk":"Нұра ауданы","ru":"Нуринский район","en":"Nura District"}})",
             admin);
  const std::string settlement =
      create("/api/v1/localities",
             R"({"kind":"settlement","parent_id":)" + district +
                 R"(,"name":{"kk":"Нұра кенті","ru":"посёлок Нура","en":"Nura settlement"}})",
             admin);
  const std::string trainer = tokenFor("trainer1", courses::Role::trainer);
  // The fixture hands the query over as written (the server decodes it before the handler).
  const auto named = [&](const std::string& name) {
    const auto answer = call(verb::get, "/api/v1/localities?name=" + name, {}, {}, trainer);
    EXPECT_EQ(answer.result(), Status::ok) << answer.body();
    const json::value body = json::parse(answer.body());
    std::vector<std::string> ids;
    for (const auto& item : body.at("items").as_array()) {
      ids.push_back(std::to_string(item.at("id").as_int64()));
    }
    return ids;
  };
  EXPECT_EQ(named("Нура кенти"), std::vector<std::string>{settlement});    // и for і, у for ұ
  EXPECT_EQ(named("Караганды облысы"), std::vector<std::string>{region});  // к for қ, г for ғ
  EXPECT_EQ(named("посёлок Нура"), std::vector<std::string>{settlement});
  EXPECT_EQ(named("Nura"), (std::vector<std::string>{district, settlement}));  // ambiguous
  EXPECT_TRUE(named("Nowhere").empty());

  EXPECT_EQ(call(verb::get, "/api/v1/localities?name=Nura").result(), Status::unauthorized);
  EXPECT_EQ(
      call(verb::get, "/api/v1/localities?name=Nura&parent=" + region, {}, {}, trainer).result(),
      Status::unprocessable_entity);
  EXPECT_EQ(call(verb::get, "/api/v1/localities?name=\xFF", {}, {}, trainer).result(),
            Status::bad_request);
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
    http::Context context{request, match.params, {}, "127.0.0.1", match.route->pattern, {}};
    EXPECT_EQ(match.route->handler(context).result(), Status::bad_request) << key.size();
  }
}

/// A cohort of two people, run by one trainer: Aigerim attended both sessions, Boris neither.
struct CertificateWorld {
  std::string admin, trainer, other_trainer;
  std::string cohort, attended_enrolment, absent_enrolment;
  std::string attended_person, absent_person;
};

class CertificateRoutesTest : public RoutesTest {
 protected:
  CertificateWorld world() {
    CertificateWorld w;
    w.admin = adminToken();
    w.trainer = tokenFor("trainer1", courses::Role::trainer);
    w.other_trainer = tokenFor("trainer2", courses::Role::trainer);
    const std::string programme =
        create("/api/v1/programmes",
               R"({"code":"LSG-EKZ","title":{"kk":"Қатысу","ru":"Участие","en":"Participation"},)"
               R"("donor":"EU","starts_on":"2017-02-01","ends_on":"2020-01-31",)"
               R"("organisations":[{"kk":"АРГО","ru":"АРГО","en":"ARGO"}]})",
               w.admin);
    const std::string locality =
        create("/api/v1/localities",
               R"({"kind":"region","name":{"kk":"Нұра","ru":"Нура","en":"Nura"}})", w.admin);
    const std::string course =
        create("/api/v1/courses",
               R"({"programme_id":)" + programme +
                   R"(,"track":"inclusive_planning","title":{"kk":"Жоспарлау","ru":"Планирование",)"
                   R"("en":"Planning"},"hours":24,"rule":{"min_attendance_percent":80},)"
                   R"("certificate_language":"kk"})",
               w.admin);
    w.cohort = create("/api/v1/cohorts",
                      R"({"course_id":)" + course + R"(,"locality_id":)" + locality +
                          R"(,"place":"Нұра","starts_on":"2019-04-02","ends_on":"2019-04-06",)"
                          R"("language":"kk"})",
                      w.trainer);
    std::vector<std::string> sessions;
    for (const char* day : {"2019-04-02", "2019-04-03"}) {
      sessions.push_back(create("/api/v1/cohorts/" + w.cohort + "/sessions",
                                R"({"starts_at":")" + std::string(day) +
                                    R"(T09:00:00Z","duration_minutes":90,"topic":"t"})",
                                w.trainer));
    }
    const auto person = [&](const std::string& name, int year) {
      return create("/api/v1/participants",
                    R"({"full_name":")" + name + R"(","gender":"female","birth_year":)" +
                        std::to_string(year) + R"(,"locality_id":)" + locality +
                        R"(,"affiliation":"community_member","consent":true})",
                    w.trainer);
    };
    w.attended_person = person("Әйгерім Қасымова", 1991);
    w.absent_person = person("Борис Ёлкин", 1980);
    const auto enrol = [&](const std::string& participant) {
      return create("/api/v1/cohorts/" + w.cohort + "/enrolments",
                    R"({"participant_id":)" + participant + "}", w.trainer);
    };
    w.attended_enrolment = enrol(w.attended_person);
    w.absent_enrolment = enrol(w.absent_person);
    for (const auto& session : sessions) {
      const auto marked = call(verb::put, "/api/v1/sessions/" + session + "/attendance",
                               R"({"marks":[{"enrolment_id":)" + w.attended_enrolment +
                                   R"(,"status":"present"},{"enrolment_id":)" + w.absent_enrolment +
                                   R"(,"status":"absent"}]})",
                               "application/json", w.trainer);
      EXPECT_LT(marked.result_int(), 300) << marked.body();
    }
    return w;
  }

  /// Signs the person in through an access code issued by `issuer`; returns the learner's token.
  std::string learnerToken(const std::string& participant, const std::string& issuer) {
    const auto issued = call(verb::post, "/api/v1/participants/" + participant + "/access-code", {},
                             "application/json", issuer);
    EXPECT_EQ(issued.result(), Status::created) << issued.body();
    const std::string code(json::parse(issued.body()).at("code").as_string());
    const auto login = call(verb::post, "/api/v1/auth/code", R"({"code":")" + code + "\"}");
    EXPECT_EQ(login.result(), Status::ok) << login.body();
    return std::string(json::parse(login.body()).at("token").as_string());
  }

  json::value issueCohort(const CertificateWorld& w) {
    const auto issued = call(verb::post, "/api/v1/cohorts/" + w.cohort + "/certificates", {},
                             "application/json", w.trainer);
    EXPECT_EQ(issued.result(), Status::ok) << issued.body();
    return json::parse(issued.body());
  }
};

TEST_F(CertificateRoutesTest, IssuesACohortAndReportsWhoDidNotQualify) {
  const CertificateWorld w = world();
  const auto eligibility =
      call(verb::get, "/api/v1/cohorts/" + w.cohort + "/eligibility", {}, {}, w.trainer);
  ASSERT_EQ(eligibility.result(), Status::ok) << eligibility.body();
  EXPECT_EQ(json::parse(eligibility.body()).at("items").as_array().size(), 2u);

  const json::value first = issueCohort(w);
  ASSERT_EQ(first.at("issued").as_array().size(), 1u);
  const json::object& certificate = first.at("issued").at(0).as_object();
  EXPECT_EQ(certificate.at("full_name").as_string(), "Әйгерім Қасымова");
  EXPECT_EQ(certificate.at("status").as_string(), "valid");
  EXPECT_EQ(certificate.at("language").as_string(), "kk");
  EXPECT_EQ(certificate.at("issuer").at("en").as_string(), "ARGO");
  const std::string serial(certificate.at("serial").as_string());
  EXPECT_EQ(serial, "LSG-EKZ-IP-2019-000001");
  const std::string verify_url(certificate.at("verify_url").as_string());
  EXPECT_EQ(verify_url.rfind("https://qatysu.example.kz/verify/" + serial + "?t=", 0), 0u);
  const std::string qr(certificate.at("qr_payload").as_string());
  EXPECT_EQ(qr.rfind(verify_url + "#p=", 0), 0u);
  EXPECT_EQ(certificate.at("pdf_url").as_string(),
            "/api/v1/certificates/" + std::to_string(certificate.at("id").as_int64()) + "/pdf");
  EXPECT_FALSE(certificate.contains("verification_token"));
  EXPECT_FALSE(certificate.contains("signature"));

  const json::object& refused = first.at("not_eligible").at(0).as_object();
  EXPECT_EQ(refused.at("participant_name").as_string(), "Борис Ёлкин");
  EXPECT_EQ(refused.at("attended").as_int64(), 0);
  EXPECT_EQ(refused.at("sessions_total").as_int64(), 2);
  EXPECT_FALSE(refused.at("reason").as_string().empty());

  const json::value again = issueCohort(w);
  EXPECT_TRUE(again.at("issued").as_array().empty());
  EXPECT_EQ(again.at("already").as_array().size(), 1u);

  EXPECT_EQ(call(verb::post, "/api/v1/cohorts/" + w.cohort + "/certificates", {},
                 "application/json", w.other_trainer)
                .result(),
            Status::not_found);
  EXPECT_EQ(call(verb::post, "/api/v1/cohorts/" + w.cohort + "/certificates",
                 R"({"language":"de"})", "application/json", w.trainer)
                .result(),
            Status::unprocessable_entity);
  const auto listed =
      call(verb::get, "/api/v1/cohorts/" + w.cohort + "/certificates", {}, {}, w.trainer);
  EXPECT_EQ(json::parse(listed.body()).at("items").as_array().size(), 1u);
}

TEST_F(CertificateRoutesTest, OneEnrolmentWaiverAndRevocation) {
  const CertificateWorld w = world();
  const std::string target = "/api/v1/enrolments/" + w.absent_enrolment + "/certificate";
  const auto refused = call(verb::post, target, {}, "application/json", w.trainer);
  EXPECT_EQ(refused.result(), Status::unprocessable_entity) << refused.body();
  const auto trainer_waiver =
      call(verb::post, target, R"({"waiver_reason":"was ill, did the work"})", "application/json",
           w.trainer);
  EXPECT_EQ(trainer_waiver.result(), Status::forbidden) << trainer_waiver.body();
  // create() checks that the Location header names a GET route.
  const std::string id = create(target, R"({"waiver_reason":"was ill, did the work"})", w.admin);
  EXPECT_EQ(call(verb::post, target, R"({"waiver_reason":"again"})", "application/json", w.admin)
                .result(),
            Status::conflict);

  const auto revoked = call(verb::post, "/api/v1/certificates/" + id + "/revoke",
                            R"({"reason":"issued by mistake"})", "application/json", w.trainer);
  ASSERT_EQ(revoked.result(), Status::ok) << revoked.body();
  EXPECT_EQ(json::parse(revoked.body()).at("status").as_string(), "revoked");
  EXPECT_EQ(call(verb::post, "/api/v1/certificates/" + id + "/revoke", R"({"reason":"twice"})",
                 "application/json", w.trainer)
                .result(),
            Status::conflict);
  const auto audit = call(verb::get, "/api/v1/certificates/" + id + "/audit", {}, {}, w.admin);
  ASSERT_EQ(audit.result(), Status::ok) << audit.body();
  const json::value audit_body = json::parse(audit.body());
  const json::array& entries = audit_body.at("items").as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries.at(0).at("action").as_string(), "issued_with_waiver");
  EXPECT_EQ(entries.at(1).at("action").as_string(), "revoked");
  EXPECT_EQ(
      call(verb::get, "/api/v1/certificates/" + id + "/audit", {}, {}, w.other_trainer).result(),
      Status::not_found);
}

TEST_F(CertificateRoutesTest, PdfHasAnETagAndAServerBuiltName) {
  const CertificateWorld w = world();
  const json::value issued = issueCohort(w);
  const std::string id = std::to_string(issued.at("issued").at(0).at("id").as_int64());
  const auto pdf = call(verb::get, "/api/v1/certificates/" + id + "/pdf", {}, {}, w.trainer);
  ASSERT_EQ(pdf.result(), Status::ok) << pdf.body();
  EXPECT_EQ(pdf[http::beast_http::field::content_type], "application/pdf");
  EXPECT_EQ(pdf[http::beast_http::field::cache_control], "private");
  EXPECT_EQ(pdf[http::beast_http::field::content_disposition],
            "attachment; filename=\"" +
                certificates::certificateFileName("LSG-EKZ-IP-2019-000001", "Әйгерім Қасымова") +
                "\"");
  const std::string etag(pdf[http::beast_http::field::etag]);
  ASSERT_FALSE(etag.empty());
  EXPECT_FALSE(pdf.body().empty());

  const auto cached = call(verb::get, "/api/v1/certificates/" + id + "/pdf", {}, {}, w.trainer,
                           {{"If-None-Match", "\"other\", " + etag}});
  EXPECT_EQ(cached.result(), Status::not_modified);
  EXPECT_TRUE(cached.body().empty());
  EXPECT_EQ(cached[http::beast_http::field::etag], etag);
  const auto changed = call(verb::get, "/api/v1/certificates/" + id + "/pdf", {}, {}, w.trainer,
                            {{"If-None-Match", "\"other\""}});
  EXPECT_EQ(changed.result(), Status::ok);
  EXPECT_EQ(
      call(verb::get, "/api/v1/certificates/" + id + "/pdf", {}, {}, w.other_trainer).result(),
      Status::not_found);
}

TEST_F(CertificateRoutesTest, LearnersSeeOnlyTheirOwnCertificates) {
  const CertificateWorld w = world();
  const json::value issued = issueCohort(w);
  const std::string id = std::to_string(issued.at("issued").at(0).at("id").as_int64());
  const std::string owner = learnerToken(w.attended_person, w.admin);
  const std::string stranger = learnerToken(w.absent_person, w.admin);

  const auto mine = call(verb::get, "/api/v1/me/certificates", {}, {}, owner);
  ASSERT_EQ(mine.result(), Status::ok) << mine.body();
  EXPECT_EQ(json::parse(mine.body()).at("items").as_array().size(), 1u);
  EXPECT_EQ(call(verb::get, "/api/v1/certificates/" + id, {}, {}, owner).result(), Status::ok);
  EXPECT_EQ(call(verb::get, "/api/v1/certificates/" + id + "/pdf", {}, {}, owner).result(),
            Status::ok);

  const auto none = call(verb::get, "/api/v1/me/certificates", {}, {}, stranger);
  EXPECT_TRUE(json::parse(none.body()).at("items").as_array().empty());
  EXPECT_EQ(call(verb::get, "/api/v1/certificates/" + id, {}, {}, stranger).result(),
            Status::not_found);
  EXPECT_EQ(call(verb::get, "/api/v1/certificates/" + id + "/pdf", {}, {}, stranger).result(),
            Status::not_found);
  EXPECT_EQ(call(verb::post, "/api/v1/cohorts/" + w.cohort + "/certificates", {},
                 "application/json", stranger)
                .result(),
            Status::forbidden);
  EXPECT_EQ(call(verb::post, "/api/v1/participants/" + w.attended_person + "/access-code", {},
                 "application/json", stranger)
                .result(),
            Status::forbidden);
}

TEST_F(CertificateRoutesTest, QrSvgIsTheCertificatesPayloadForWhoMaySeeIt) {
  const CertificateWorld w = world();
  const json::value issued = issueCohort(w);
  const std::string id = std::to_string(issued.at("issued").at(0).at("id").as_int64());
  const std::string qr_payload(issued.at("issued").at(0).at("qr_payload").as_string());
  const std::string target = "/api/v1/certificates/" + id + "/qr.svg";

  const auto svg = call(verb::get, target, {}, {}, w.trainer);
  ASSERT_EQ(svg.result(), Status::ok) << svg.body();
  EXPECT_EQ(svg[http::beast_http::field::content_type], "image/svg+xml");
  EXPECT_EQ(svg[http::beast_http::field::cache_control], "private");
  EXPECT_EQ(svg.body(), certificates::qrSvg(qr_payload));
  EXPECT_EQ(call(verb::get, target, {}, {}, w.admin).result(), Status::ok);
  const std::string owner = learnerToken(w.attended_person, w.admin);
  EXPECT_EQ(call(verb::get, target, {}, {}, owner).body(), svg.body());

  // Whoever may not read the certificate learns nothing of it here either.
  const std::string stranger = learnerToken(w.absent_person, w.admin);
  EXPECT_EQ(call(verb::get, target, {}, {}, stranger).result(), Status::not_found);
  EXPECT_EQ(call(verb::get, target, {}, {}, w.other_trainer).result(), Status::not_found);
  EXPECT_EQ(call(verb::get, "/api/v1/certificates/424242/qr.svg", {}, {}, w.admin).result(),
            Status::not_found);
  EXPECT_EQ(call(verb::get, target).result(), Status::unauthorized);
}

TEST_F(CertificateRoutesTest, ZipHoldsTheValidCertificates) {
  const CertificateWorld w = world();
  issueCohort(w);
  const auto response =
      call(verb::get, "/api/v1/cohorts/" + w.cohort + "/certificates.zip", {}, {}, w.trainer);
  ASSERT_EQ(response.result(), Status::ok) << response.body();
  EXPECT_EQ(response[http::beast_http::field::content_type], "application/zip");
  EXPECT_EQ(response[http::beast_http::field::content_disposition],
            "attachment; filename=\"LSG-EKZ-IP-2019-certificates.zip\"");
  const std::string zip = drainStream();
  EXPECT_EQ(zip.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(
      zip.find(certificates::certificateFileName("LSG-EKZ-IP-2019-000001", "Әйгерім Қасымова")),
      std::string::npos);
  EXPECT_NE(zip.rfind(std::string("PK\x05\x06", 4)), std::string::npos);

  EXPECT_EQ(
      call(verb::get, "/api/v1/cohorts/" + w.cohort + "/certificates.zip", {}, {}, w.other_trainer)
          .result(),
      Status::not_found);
  EXPECT_FALSE(stream_);
}

TEST_F(CertificateRoutesTest, VerificationAnswersAlikeForUnknownSerialsAndWrongTokens) {
  const CertificateWorld w = world();
  const json::value issued = issueCohort(w);
  const std::string url(issued.at("issued").at(0).at("verify_url").as_string());
  const std::string path_and_query = url.substr(url.find("/verify/"));
  const std::string serial(issued.at("issued").at(0).at("serial").as_string());
  const std::string token = path_and_query.substr(path_and_query.find("?t=") + 3);

  const auto valid = call(verb::get, "/api/v1" + path_and_query);
  ASSERT_EQ(valid.result(), Status::ok) << valid.body();
  const json::value facts = json::parse(valid.body());
  EXPECT_EQ(facts.at("status").as_string(), "valid");
  EXPECT_EQ(facts.at("full_name").as_string(), "Әйгерім Қасымова");
  EXPECT_EQ(facts.as_object().size(), 8u);

  const auto wrong = call(verb::get, "/api/v1/verify/" + serial + "?t=AAAAAAAAAAAAAAAAAAAAAA");
  const auto unknown = call(verb::get, "/api/v1/verify/LSG-EKZ-IP-2019-000999?t=" + token);
  const auto malformed = call(verb::get, "/api/v1/verify/nonsense");
  EXPECT_EQ(wrong.result(), Status::not_found);
  EXPECT_EQ(wrong.body(), unknown.body());
  EXPECT_EQ(wrong.body(), malformed.body());

  const auto page =
      call(verb::get, path_and_query, {}, {}, {}, {{"Accept-Language", "ru-RU,ru;q=0.9"}});
  ASSERT_EQ(page.result(), Status::ok);
  EXPECT_EQ(page[http::beast_http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(page.body().find("<html lang=\"ru\">"), std::string::npos);
  EXPECT_NE(page.body().find("Әйгерім Қасымова"), std::string::npos);
  EXPECT_EQ(page.body().find("<script"), std::string::npos);
  EXPECT_EQ(page["Content-Security-Policy"].find("script"), std::string::npos);
  const auto page_kk = call(verb::get, path_and_query + "&lang=en");
  EXPECT_NE(page_kk.body().find("<html lang=\"en\">"), std::string::npos);
  const auto wrong_page = call(verb::get, "/verify/" + serial + "?t=AAAAAAAAAAAAAAAAAAAAAA");
  const auto unknown_page = call(verb::get, "/verify/LSG-EKZ-IP-2019-000999?t=" + token);
  EXPECT_EQ(wrong_page.result(), Status::not_found);
  EXPECT_EQ(wrong_page.body(), unknown_page.body());

  const auto key = call(verb::get, "/api/v1/certificates/public-key");
  ASSERT_EQ(key.result(), Status::ok);
  EXPECT_EQ(json::parse(key.body()).at("public_key").as_string(), key_.publicKey());
}

TEST_F(CertificateRoutesTest, VerificationIsRateLimitedPerAddress) {
  for (int i = 0; i < kVerifyRequestsPerMinute; ++i) {
    EXPECT_EQ(
        call(verb::get, "/api/v1/verify/LSG-EKZ-IP-2019-000001?t=x", {}, {}, {}, {}, "192.0.2.7")
            .result(),
        Status::not_found);
  }
  const auto limited =
      call(verb::get, "/verify/LSG-EKZ-IP-2019-000001?t=x", {}, {}, {}, {}, "192.0.2.7");
  EXPECT_EQ(limited.result(), Status::too_many_requests);
  EXPECT_FALSE(limited[http::beast_http::field::retry_after].empty());
  const auto json_limited =
      call(verb::get, "/api/v1/verify/LSG-EKZ-IP-2019-000001?t=x", {}, {}, {}, {}, "192.0.2.7");
  EXPECT_EQ(json_limited.result(), Status::too_many_requests);
  EXPECT_EQ(json_limited[http::beast_http::field::content_type], "application/problem+json");
  EXPECT_EQ(
      call(verb::get, "/api/v1/verify/LSG-EKZ-IP-2019-000001?t=x", {}, {}, {}, {}, "192.0.2.8")
          .result(),
      Status::not_found);
}

TEST_F(CertificateRoutesTest, TheCheckPageFindsACertificateBySerialAndPrintedCodeOnly) {
  const CertificateWorld w = world();
  const json::value issued = issueCohort(w);
  const std::string serial(issued.at("issued").at(0).at("serial").as_string());
  const std::string code = maker_.checkCode(serial);
  const std::string printed = code.substr(0, 4) + "-" + code.substr(4);

  const auto found = call(verb::get, "/api/v1/check/" + serial + "?code=" + printed);
  ASSERT_EQ(found.result(), Status::ok) << found.body();
  EXPECT_EQ(json::parse(found.body()).at("full_name").as_string(), "Әйгерім Қасымова");
  EXPECT_EQ(json::parse(found.body()).as_object().size(), 8u);
  std::string wrong = code;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  const auto refused = call(verb::get, "/api/v1/check/" + serial + "?code=" + wrong);
  const auto unknown = call(verb::get, "/api/v1/check/LSG-EKZ-IP-2019-000999?code=" + code);
  const auto missing = call(verb::get, "/api/v1/check/" + serial);
  EXPECT_EQ(refused.result(), Status::not_found);
  EXPECT_EQ(refused[http::beast_http::field::content_type], "application/problem+json");
  EXPECT_EQ(refused.body(), unknown.body());
  EXPECT_EQ(refused.body(), missing.body());

  const auto form = call(verb::get, "/check?lang=kk");
  ASSERT_EQ(form.result(), Status::ok);
  EXPECT_EQ(form[http::beast_http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(form.body().find("<form method=\"get\" action=\"/check\">"), std::string::npos);
  EXPECT_NE(form.body().find("Тексеру коды"), std::string::npos);
  EXPECT_NE(form["Content-Security-Policy"].find("form-action 'self'"), std::string::npos);
  EXPECT_EQ(form.body().find("<script"), std::string::npos);
  // Typed in lower case with spaces around it, the serial still matches.
  const auto page = call(verb::get, "/check?lang=ru&serial=" + serial + "&code=" + code);
  ASSERT_EQ(page.result(), Status::ok) << page.body();
  EXPECT_NE(page.body().find("Әйгерім Қасымова"), std::string::npos);
  EXPECT_NE(page.body().find("<html lang=\"ru\">"), std::string::npos);
  const auto wrong_page = call(verb::get, "/check?serial=" + serial + "&code=" + wrong);
  EXPECT_EQ(wrong_page.result(), Status::not_found);
  EXPECT_EQ(wrong_page.body().find("Әйгерім Қасымова"), std::string::npos);
}

TEST_F(CertificateRoutesTest, TheCheckPageSharesTheVerificationLimit) {
  // Opening the empty form is free; every lookup counts, by link or by typed code alike.
  EXPECT_EQ(call(verb::get, "/check", {}, {}, {}, {}, "192.0.2.9").result(), Status::ok);
  for (int i = 0; i < kVerifyRequestsPerMinute; ++i) {
    const std::string target = i % 2 == 0 ? "/api/v1/verify/LSG-EKZ-IP-2019-000001?t=x"
                                          : "/check?serial=LSG-EKZ-IP-2019-000001&code=AAAAAAAA";
    EXPECT_EQ(call(verb::get, target, {}, {}, {}, {}, "192.0.2.9").result(), Status::not_found);
  }
  const auto limited = call(verb::get, "/api/v1/check/LSG-EKZ-IP-2019-000001?code=AAAAAAAA", {}, {},
                            {}, {}, "192.0.2.9");
  EXPECT_EQ(limited.result(), Status::too_many_requests);
  EXPECT_EQ(limited[http::beast_http::field::content_type], "application/problem+json");
  const auto page = call(verb::get, "/check?serial=LSG-EKZ-IP-2019-000001&code=AAAAAAAA", {}, {},
                         {}, {}, "192.0.2.9");
  EXPECT_EQ(page.result(), Status::too_many_requests);
  EXPECT_FALSE(page[http::beast_http::field::retry_after].empty());
}

TEST_F(CertificateRoutesTest, AccessCodesSignInOnceAndLetTheLearnerSetAPassword) {
  const CertificateWorld w = world();
  const auto issued = call(verb::post, "/api/v1/participants/" + w.attended_person + "/access-code",
                           {}, "application/json", w.trainer);
  ASSERT_EQ(issued.result(), Status::created) << issued.body();
  const json::value body = json::parse(issued.body());
  EXPECT_EQ(body.at("login").as_string(), "learner-" + w.attended_person);
  const std::string code(body.at("code").as_string());
  ASSERT_EQ(code.size(), 11u);
  EXPECT_EQ(code[5], '-');
  EXPECT_EQ(call(verb::post, "/api/v1/participants/" + w.attended_person + "/access-code", {},
                 "application/json", w.other_trainer)
                .result(),
            Status::not_found);

  // Typed in lower case without the hyphen, it still works; once.
  std::string typed;
  for (const char c : code) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const auto login = call(verb::post, "/api/v1/auth/code", R"({"code":")" + typed + "\"}");
  ASSERT_EQ(login.result(), Status::ok) << login.body();
  const json::value signed_in = json::parse(login.body());
  EXPECT_EQ(signed_in.at("account").at("role").as_string(), "learner");
  EXPECT_EQ(signed_in.at("account").at("display_name").as_string(), "Әйгерім Қасымова");
  const std::string token(signed_in.at("token").as_string());
  EXPECT_EQ(call(verb::post, "/api/v1/auth/code", R"({"code":")" + code + "\"}").result(),
            Status::unauthorized);

  // No password yet: none is asked for. Then the current one is required.
  EXPECT_EQ(
      call(verb::put, "/api/v1/me/password", R"({"password":"short"})", "application/json", token)
          .result(),
      Status::unprocessable_entity);
  EXPECT_EQ(call(verb::put, "/api/v1/me/password", R"({"password":"a long enough secret"})",
                 "application/json", token)
                .result(),
            Status::no_content);
  EXPECT_EQ(call(verb::put, "/api/v1/me/password", R"({"password":"another long secret"})",
                 "application/json", token)
                .result(),
            Status::unprocessable_entity);
  EXPECT_EQ(call(verb::put, "/api/v1/me/password",
                 R"({"password":"another long secret","current_password":"a long enough secret"})",
                 "application/json", token)
                .result(),
            Status::no_content);
  const auto by_password =
      call(verb::post, "/api/v1/auth/login",
           R"({"login":"learner-)" + w.attended_person + R"(","password":"another long secret"})");
  EXPECT_EQ(by_password.result(), Status::ok) << by_password.body();
}

TEST_F(CertificateRoutesTest, WrongCodesLockTheAddress) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(call(verb::post, "/api/v1/auth/code", R"({"code":"AAAAA-AAAAA"})", "application/json",
                   {}, {}, "198.51.100.1")
                  .result(),
              Status::unauthorized);
  }
  const auto locked = call(verb::post, "/api/v1/auth/code", R"({"code":"AAAAA-AAAAA"})",
                           "application/json", {}, {}, "198.51.100.1");
  EXPECT_EQ(locked.result(), Status::too_many_requests);
  EXPECT_EQ(locked[http::beast_http::field::retry_after], "900");
  EXPECT_EQ(call(verb::post, "/api/v1/auth/code", R"({"code":"AAAAA-AAAAA"})", "application/json",
                 {}, {}, "198.51.100.2")
                .result(),
            Status::unauthorized);
}

}  // namespace
}  // namespace plugin::api
