// Cookie sessions and CSRF through the routing table: what the web app relies on.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "plugin/api/cookies.hpp"
#include "routes_fixture.hpp"

namespace plugin::api {
namespace {

using Field = http::beast_http::field;

/// A signed-in browser: its cookie and the CSRF token the sign-in answered.
struct BrowserSession {
  std::string token;
  std::string csrf;
  std::string set_cookie;
};

class SessionRoutesTest : public RoutesTest {
 protected:
  BrowserSession cookieLogin(const std::string& login = "admin") {
    const auto response = call(verb::post, "/api/v1/auth/login",
                               R"({"login":")" + login + R"(","password":")" +
                                   std::string(kPassword) + R"(","session":"cookie"})");
    EXPECT_EQ(response.result(), Status::ok) << response.body();
    BrowserSession session;
    session.set_cookie = std::string(response[Field::set_cookie]);
    const std::string pair = session.set_cookie.substr(0, session.set_cookie.find(';'));
    const auto value = cookieValue(pair, kSessionCookie);
    EXPECT_TRUE(value.has_value()) << session.set_cookie;
    if (value) session.token = std::string(*value);
    const json::value body = json::parse(response.body());
    if (const auto* csrf = body.as_object().if_contains("csrf_token")) {
      session.csrf = std::string(csrf->as_string());
    }
    return session;
  }

  /// A request as a browser sends it: the cookie, and the CSRF header when given.
  http::Response browser(verb method, const std::string& target, const BrowserSession& session,
                         std::string body = {}, std::optional<std::string> csrf = std::nullopt,
                         std::string cookie_header = {}) {
    std::vector<std::pair<std::string, std::string>> headers{
        {"Cookie",
         cookie_header.empty() ? "theme=dark; qatysu_session=" + session.token : cookie_header}};
    if (csrf) headers.emplace_back("X-CSRF-Token", *csrf);
    return call(method, target, std::move(body), "application/json", {}, headers);
  }

  void expectCsrfProblem(const http::Response& response) {
    EXPECT_EQ(response.result(), Status::forbidden) << response.body();
    EXPECT_EQ(response[Field::content_type], "application/problem+json");
    const std::string type(json::parse(response.body()).at("type").as_string());
    EXPECT_TRUE(type.ends_with("/csrf")) << type;
  }
};

TEST_F(SessionRoutesTest, CookieLoginSetsAnHttpOnlyStrictCookieAndNoTokenInTheBody) {
  const auto response = call(
      verb::post, "/api/v1/auth/login",
      R"({"login":"admin","password":")" + std::string(kPassword) + R"(","session":"cookie"})");
  ASSERT_EQ(response.result(), Status::ok) << response.body();
  const json::object body = json::parse(response.body()).as_object();
  EXPECT_FALSE(body.contains("token"));
  EXPECT_EQ(body.at("account").at("login").as_string(), "admin");
  EXPECT_EQ(body.at("expires_at").as_string(), "2026-01-01T12:00:00Z");
  const std::string csrf(body.at("csrf_token").as_string());
  EXPECT_EQ(csrf.size(), 43u);

  const std::string cookie(response[Field::set_cookie]);
  const std::string token = cookie.substr(15, 43);
  EXPECT_EQ(cookie,
            "qatysu_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
  EXPECT_EQ(body.find("csrf_token")->value().as_string(), auth_.csrfToken(token));
  EXPECT_EQ(response[Field::cache_control], "no-store");

  // Without "session" the answer is as it always was: a bearer token, no cookie.
  const auto bearer = call(verb::post, "/api/v1/auth/login",
                           R"({"login":"admin","password":")" + std::string(kPassword) + "\"}");
  EXPECT_TRUE(json::parse(bearer.body()).as_object().contains("token"));
  EXPECT_FALSE(json::parse(bearer.body()).as_object().contains("csrf_token"));
  EXPECT_EQ(bearer.find(Field::set_cookie), bearer.end());
}

TEST_F(SessionRoutesTest, TheCookieAuthenticatesAndMeTellsTheCsrfToken) {
  const BrowserSession session = cookieLogin();
  const auto me = browser(verb::get, "/api/v1/me", session);
  ASSERT_EQ(me.result(), Status::ok) << me.body();
  const json::object body = json::parse(me.body()).as_object();
  EXPECT_EQ(body.at("account").at("login").as_string(), "admin");
  EXPECT_EQ(body.at("csrf_token").as_string(), session.csrf);
  EXPECT_TRUE(body.at("language").is_null());

  // A bearer client's /me has the language but no CSRF token.
  const auto bearer_me = call(verb::get, "/api/v1/me", {}, {}, adminToken());
  EXPECT_FALSE(json::parse(bearer_me.body()).as_object().contains("csrf_token"));
  EXPECT_TRUE(json::parse(bearer_me.body()).as_object().contains("language"));
}

TEST_F(SessionRoutesTest, ChangesByCookieNeedTheRightCsrfToken) {
  const BrowserSession session = cookieLogin();
  const std::string body = R"({"language":"kk"})";
  expectCsrfProblem(browser(verb::put, "/api/v1/me/language", session, body));
  expectCsrfProblem(browser(verb::put, "/api/v1/me/language", session, body, ""));
  expectCsrfProblem(browser(verb::put, "/api/v1/me/language", session, body, session.token));
  const BrowserSession other = cookieLogin();
  expectCsrfProblem(browser(verb::put, "/api/v1/me/language", session, body, other.csrf));
  expectCsrfProblem(
      browser(verb::post, "/api/v1/programmes", session, R"({"code":"X"})", session.csrf + "x"));
  // Nothing changed on the way.
  EXPECT_FALSE(repos_.accounts.findByLogin("admin")->account.language);

  EXPECT_EQ(browser(verb::put, "/api/v1/me/language", session, body, session.csrf).result(),
            Status::no_content);
  EXPECT_EQ(repos_.accounts.findByLogin("admin")->account.language, courses::Language::kk);
  // Reads need no CSRF token.
  EXPECT_EQ(browser(verb::get, "/api/v1/programmes", session).result(), Status::ok);
}

TEST_F(SessionRoutesTest, BearerTokensNeedNoCsrfTokenAndWinOverTheCookie) {
  const std::string token = adminToken();
  EXPECT_EQ(
      call(verb::put, "/api/v1/me/language", R"({"language":"ru"})", "application/json", token)
          .result(),
      Status::no_content);
  // With an Authorization header the cookie is not looked at: a forged bearer token is 401
  // even beside a good cookie, and a good one needs no CSRF token beside it.
  const BrowserSession session = cookieLogin();
  const std::vector<std::pair<std::string, std::string>> cookie{
      {"Cookie", "qatysu_session=" + session.token}};
  EXPECT_EQ(call(verb::get, "/api/v1/me", {}, {}, std::string(43, 'A'), cookie).result(),
            Status::unauthorized);
  EXPECT_EQ(call(verb::put, "/api/v1/me/language", R"({"language":"en"})", "application/json",
                 token, cookie)
                .result(),
            Status::no_content);
}

TEST_F(SessionRoutesTest, BadCookiesAreUnauthenticated) {
  const BrowserSession session = cookieLogin();
  for (const std::string& header : std::vector<std::string>{
           "qatysu_session=", "qatysu_session=garbage", "qatysu_session=" + std::string(43, 'A'),
           "qatysu_session=" + session.token + "x", "other=" + session.token,
           "qatysu_session " + session.token}) {
    const auto response = browser(verb::get, "/api/v1/me", session, {}, std::nullopt, header);
    EXPECT_EQ(response.result(), Status::unauthorized) << header;
  }
  // Malformed pieces around a good cookie do not matter.
  EXPECT_EQ(browser(verb::get, "/api/v1/me", session, {}, std::nullopt,
                    "junk; =; a=b ;qatysu_session=" + session.token + " ; ;")
                .result(),
            Status::ok);
  // A bad cookie is not a CSRF question: it is 401 before anything else.
  EXPECT_EQ(browser(verb::put, "/api/v1/me/language", session, R"({"language":"kk"})", std::nullopt,
                    "qatysu_session=garbage")
                .result(),
            Status::unauthorized);
}

TEST_F(SessionRoutesTest, LogoutByCookieRevokesTheSessionAndExpiresTheCookie) {
  const BrowserSession session = cookieLogin();
  expectCsrfProblem(browser(verb::post, "/api/v1/auth/logout", session));
  const auto out = browser(verb::post, "/api/v1/auth/logout", session, {}, session.csrf);
  ASSERT_EQ(out.result(), Status::no_content) << out.body();
  EXPECT_EQ(out[Field::set_cookie],
            "qatysu_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  EXPECT_EQ(browser(verb::get, "/api/v1/me", session).result(), Status::unauthorized);

  // A bearer logout sets no cookie.
  const auto bearer_out = call(verb::post, "/api/v1/auth/logout", {}, {}, adminToken());
  EXPECT_EQ(bearer_out.result(), Status::no_content);
  EXPECT_EQ(bearer_out.find(Field::set_cookie), bearer_out.end());
}

TEST_F(SessionRoutesTest, AccessCodesSignInToCookieSessionsToo) {
  const std::string admin = adminToken();
  const std::string person = create("/api/v1/participants",
                                    R"({"full_name":"Айгүл Сәрсенова","gender":"female",)"
                                    R"("birth_year":1990,"locality_id":)" +
                                        create("/api/v1/localities",
                                               R"({"kind":"region","name":{"kk":"Облыс",)"
                                               R"("ru":"Область","en":"Region"}})",
                                               admin) +
                                        R"(,"affiliation":"community_member","consent":true})",
                                    admin);
  const auto issued = call(verb::post, "/api/v1/participants/" + person + "/access-code", {},
                           "application/json", admin);
  ASSERT_EQ(issued.result(), Status::created) << issued.body();
  const std::string code(json::parse(issued.body()).at("code").as_string());
  const auto signed_in =
      call(verb::post, "/api/v1/auth/code", R"({"code":")" + code + R"(","session":"cookie"})");
  ASSERT_EQ(signed_in.result(), Status::ok) << signed_in.body();
  EXPECT_FALSE(json::parse(signed_in.body()).as_object().contains("token"));
  EXPECT_EQ(json::parse(signed_in.body()).at("account").at("role").as_string(), "learner");
  EXPECT_TRUE(std::string(signed_in[Field::set_cookie]).starts_with("qatysu_session="));
}

TEST_F(SessionRoutesTest, LanguageIsStoredAndBadValuesName422Language) {
  const std::string token = adminToken();
  for (const char* language : {"kk", "ru", "en"}) {
    EXPECT_EQ(call(verb::put, "/api/v1/me/language",
                   std::string(R"({"language":")") + language + "\"}", "application/json", token)
                  .result(),
              Status::no_content);
    const auto me = call(verb::get, "/api/v1/me", {}, {}, token);
    EXPECT_EQ(json::parse(me.body()).at("language").as_string(), language);
    EXPECT_EQ(json::parse(me.body()).at("account").at("language").as_string(), language);
  }
  for (const char* bad : {R"({"language":"de"})", R"({"language":"KK"})", R"({"language":null})",
                          R"({"language":1})", "{}"}) {
    const auto response = call(verb::put, "/api/v1/me/language", bad, "application/json", token);
    EXPECT_EQ(response.result(), Status::unprocessable_entity) << bad;
    EXPECT_EQ(json::parse(response.body()).at("errors").at(0).at("field").as_string(), "language")
        << bad;
  }
  EXPECT_EQ(json::parse(call(verb::get, "/api/v1/me", {}, {}, token).body()).at("language"), "en");
  EXPECT_EQ(call(verb::put, "/api/v1/me/language", R"({"language":"kk","x":1})", "application/json",
                 token)
                .result(),
            Status::bad_request);
  EXPECT_EQ(call(verb::put, "/api/v1/me/language", R"({"language":"kk"})").result(),
            Status::unauthorized);
}

/// The same routing table with `http.secure_cookies=true`.
class SecureCookieRoutesTest : public SessionRoutesTest {
 protected:
  SecureCookieRoutesTest() : secure_auth_(accounts_, repos_.accounts, clock_, secureConfig()) {
    registerRoutes(secure_router_,
                   Dependencies{catalogue_, cohorts_, participants_, enrolments_, attendance_,
                                profiles_, secure_auth_, accounts_, health_, metrics_,
                                certificates_, key_, "https://qatysu.example.kz", totals_, history_,
                                data_rights_, fonts_, "/nonexistent/qatysu-web"});
  }
  static AuthConfig secureConfig() {
    AuthConfig config;
    config.secure_cookies = true;
    return config;
  }
  http::Response callSecure(verb method, const std::string& target, const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& headers) {
    http::Request request{method, target, 11};
    for (const auto& [name, value] : headers) request.set(name, value);
    request.set(Field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    auto matched = secure_router_.match(method, target);
    auto& match = std::get<http::Router::Match>(matched);
    http::Context context{request, match.params, {}, "127.0.0.1", match.route->pattern, {}};
    return match.route->handler(context);
  }
  Auth secure_auth_;
  http::Router secure_router_;
};

TEST_F(SecureCookieRoutesTest, SecureIsAddedOnlyWhenConfigured) {
  const auto in = callSecure(
      verb::post, "/api/v1/auth/login",
      R"({"login":"admin","password":")" + std::string(kPassword) + R"(","session":"cookie"})", {});
  ASSERT_EQ(in.result(), Status::ok) << in.body();
  const std::string cookie(in[Field::set_cookie]);
  EXPECT_TRUE(cookie.ends_with("; HttpOnly; SameSite=Strict; Max-Age=43200; Secure")) << cookie;
  const std::string token = cookie.substr(15, 43);
  const std::string csrf(json::parse(in.body()).at("csrf_token").as_string());
  const auto out = callSecure(verb::post, "/api/v1/auth/logout", "",
                              {{"Cookie", "qatysu_session=" + token}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.result(), Status::no_content) << out.body();
  EXPECT_EQ(out[Field::set_cookie],
            "qatysu_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
  // The default configuration never says Secure.
  EXPECT_EQ(cookieLogin().set_cookie.find("Secure"), std::string::npos);
}

}  // namespace
}  // namespace plugin::api
