// The web app's sessions against the real server and database: a cookie sign-in, /me, changes
// refused without the CSRF token and accepted with it, sign-out; and an administrator managing
// staff accounts whose sessions end when disabled.

#include <chrono>
#include <string>
#include <thread>

#include "fixture.hpp"

namespace functional {
namespace {

using support::http::Headers;
using support::http::Request;

class Sessions : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_sessions", [] { trainer_ = newAccount("trainer", "trainer.sessions"); });
  }
  static void TearDownTestSuite() { stopService(); }

  /// A request as the browser sends it: the session cookie among others, and X-CSRF-Token when
  /// `csrf` is not empty.
  static Reply browser(const std::string& method, const std::string& target,
                       const std::string& cookie, const std::string& csrf = {},
                       std::string body = {}) {
    Request request;
    request.method = method;
    request.target = target;
    request.headers = Headers{{"Cookie", "lang=kk; qatysu_session=" + cookie + "; theme=dark"}};
    if (!csrf.empty()) request.headers.emplace_back("X-CSRF-Token", csrf);
    request.body = std::move(body);
    return anonymous().send(request);
  }

  static inline Account trainer_;
};

TEST_F(Sessions, CookieSignInMeCsrfAndSignOut) {
  const Reply signed_in = anonymous().post("/api/v1/auth/login",
                                           R"({"login":")" + trainer_.login + R"(","password":")" +
                                               trainer_.password + R"(","session":"cookie"})");
  const json::value body = expectJson(signed_in, 200);
  EXPECT_FALSE(body.as_object().contains("token")) << signed_in.describe();
  const std::string csrf(body.at("csrf_token").as_string());
  const std::string set_cookie = signed_in.header("Set-Cookie");
  ASSERT_TRUE(set_cookie.starts_with("qatysu_session=")) << signed_in.describe();
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; Max-Age=43200"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << set_cookie;
  const std::string cookie = set_cookie.substr(15, set_cookie.find(';') - 15);

  const json::value me = expectJson(browser("GET", "/api/v1/me", cookie), 200);
  EXPECT_EQ(me.at("account").at("login").as_string(), trainer_.login);
  EXPECT_EQ(me.at("csrf_token").as_string(), csrf);
  EXPECT_TRUE(me.at("language").is_null());

  const Reply refused = browser("PUT", "/api/v1/me/language", cookie, {}, R"({"language":"kk"})");
  EXPECT_TRUE(isProblem(refused, {403}));
  EXPECT_TRUE(std::string(refused.json().at("type").as_string()).ends_with("/csrf"))
      << refused.describe();
  const Reply wrong =
      browser("PUT", "/api/v1/me/language", cookie, csrf + "x", R"({"language":"kk"})");
  EXPECT_TRUE(isProblem(wrong, {403}));
  EXPECT_TRUE(expectJson(browser("GET", "/api/v1/me", cookie), 200).at("language").is_null());

  const Reply changed = browser("PUT", "/api/v1/me/language", cookie, csrf, R"({"language":"kk"})");
  EXPECT_EQ(changed.status, 204u) << changed.describe();
  EXPECT_EQ(expectJson(browser("GET", "/api/v1/me", cookie), 200).at("language").as_string(), "kk");
  // The bearer client of the same account sees it too, and needs no CSRF token.
  const Client bearer = as(trainer_);
  EXPECT_EQ(expectJson(bearer.get("/api/v1/me"), 200).at("language").as_string(), "kk");
  EXPECT_EQ(bearer.put("/api/v1/me/language", R"({"language":"ru"})").status, 204u);
  EXPECT_EQ(bearer.put("/api/v1/me/language", R"({"language":"de"})").status, 422u);

  const Reply out = browser("POST", "/api/v1/auth/logout", cookie, csrf);
  EXPECT_EQ(out.status, 204u) << out.describe();
  EXPECT_TRUE(out.header("Set-Cookie").starts_with("qatysu_session=;")) << out.describe();
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos) << out.describe();
  EXPECT_TRUE(isProblem(browser("GET", "/api/v1/me", cookie), {401}));
  // Only that session ended.
  EXPECT_EQ(bearer.get("/api/v1/me").status, 200u);
}

TEST_F(Sessions, AdministratorsManageStaffAccounts) {
  const Client admin = as(admin_);
  const long long id = createdId(
      admin.post("/api/v1/accounts",
                 R"({"login":"new.trainer","display_name":"Дана Әбенова","role":"trainer",)"
                 R"("password":"a long enough password"})"));
  const Reply login = anonymous().post(
      "/api/v1/auth/login", R"({"login":"new.trainer","password":"a long enough password"})");
  const Client trainer =
      anonymous().withToken(std::string(expectJson(login, 200).at("token").as_string()));
  EXPECT_TRUE(isProblem(trainer.get("/api/v1/accounts"), {403}));
  EXPECT_TRUE(isProblem(
      trainer.patch("/api/v1/accounts/" + std::to_string(id), R"({"disabled":true})"), {403}));

  const json::value trainers =
      expectJson(admin.get("/api/v1/accounts?role=trainer&limit=200"), 200);
  bool listed = false;
  for (const auto& item : trainers.at("items").as_array()) {
    EXPECT_EQ(item.at("role").as_string(), "trainer");
    listed = listed || item.at("id").to_number<long long>() == id;
  }
  EXPECT_TRUE(listed);

  const json::value disabled = expectJson(
      admin.patch("/api/v1/accounts/" + std::to_string(id), R"({"disabled":true})"), 200);
  EXPECT_TRUE(disabled.at("disabled").as_bool());
  EXPECT_TRUE(isProblem(trainer.get("/api/v1/me"), {401}));
  const long long own_id =
      expectJson(admin.get("/api/v1/me"), 200).at("account").at("id").to_number<long long>();
  EXPECT_TRUE(isProblem(
      admin.patch("/api/v1/accounts/" + std::to_string(own_id), R"({"disabled":true})"), {409}));
  EXPECT_TRUE(isProblem(admin.patch("/api/v1/accounts/987654321", R"({"disabled":true})"), {404}));
}

/// The status of GET /api/v1/me with `client` once it is no longer 200, or 200 after 7 s. The
/// server caches a token lookup for up to 5 s (plugin/api/auth.hpp, kTokenCacheTtl), so a change
/// made by another process shows within that time.
unsigned statusOnceSignedOut(const Client& client) {
  const auto started = std::chrono::steady_clock::now();
  Reply me;
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(7)) {
    me = client.get("/api/v1/me");
    if (me.status != 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return me.status;
}

TEST_F(Sessions, TheCommandLineEndsTheSessionsOfAnAccountItChangesOrDisables) {
  const Account account = newAccount("trainer", "trainer.cli.passwd");
  const Client old_session = as(account);
  ASSERT_EQ(old_session.get("/api/v1/me").status, 200u);

  const auto changed = support::http::runCli({"user", "passwd", "--login", account.login},
                                             service().database().url(),
                                             "a password set by the operator\n");
  ASSERT_EQ(changed.exit_code, 0) << changed.describe();
  EXPECT_EQ(statusOnceSignedOut(old_session), 401u)
      << "a session opened with the old password still works after qatysu user passwd";
  const Reply signed_in = anonymous().post(
      "/api/v1/auth/login", text(json::object{{"login", account.login},
                                              {"password", "a password set by the operator"}}));
  const Client new_session =
      anonymous().withToken(std::string(expectJson(signed_in, 200).at("token").as_string()));
  ASSERT_EQ(new_session.get("/api/v1/me").status, 200u);

  const auto disabled = support::http::runCli({"user", "disable", "--login", account.login},
                                              service().database().url());
  ASSERT_EQ(disabled.exit_code, 0) << disabled.describe();
  EXPECT_EQ(statusOnceSignedOut(new_session), 401u);
}

}  // namespace
}  // namespace functional
