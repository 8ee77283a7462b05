// Operations surface and transport: health endpoints, metrics, the OpenAPI document, security
// headers, sign-in and sign-out, login rate limiting.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"

namespace functional {
namespace {

class Health : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_health", [] { trainer_ = newAccount("trainer", "trainer.health"); });
  }
  static void TearDownTestSuite() { stopService(); }

  static inline Account trainer_;
};

::testing::AssertionResult hasSecurityHeaders(const Reply& reply, bool api) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
  for (const auto& [name, value] : expected) {
    if (reply.header(name) != value) {
      return ::testing::AssertionFailure() << name << " is '" << reply.header(name)
                                           << "', expected '" << value << "': " << reply.describe();
    }
  }
  auto csp = reply.header("Content-Security-Policy");
  if (csp.find("default-src 'none'") == std::string::npos ||
      csp.find("frame-ancestors 'none'") == std::string::npos) {
    return ::testing::AssertionFailure()
           << "Content-Security-Policy is '" << csp << "': " << reply.describe();
  }
  if (api && reply.header("Cache-Control").find("no-store") == std::string::npos) {
    return ::testing::AssertionFailure() << "Cache-Control is '" << reply.header("Cache-Control")
                                         << "' on an /api answer: " << reply.describe();
  }
  return ::testing::AssertionSuccess();
}

TEST_F(Health, LivezAndReadyz) {
  auto live = anonymous().get("/livez");
  ASSERT_EQ(live.status, 200u) << live.describe();
  EXPECT_EQ(live.json().at("status").as_string(), "ok");
  EXPECT_TRUE(live.header("Content-Type").starts_with("application/json")) << live.describe();
  auto ready = anonymous().get("/readyz");
  EXPECT_EQ(ready.status, 200u) << ready.describe();
}

TEST_F(Health, SecurityHeadersOnEveryKindOfAnswer) {
  EXPECT_TRUE(hasSecurityHeaders(anonymous().get("/livez"), false));
  EXPECT_TRUE(hasSecurityHeaders(anonymous().get("/readyz"), false));
  EXPECT_TRUE(hasSecurityHeaders(anonymous().get("/metrics"), false));
  EXPECT_TRUE(hasSecurityHeaders(as(trainer_).get("/api/v1/programmes"), true));
  EXPECT_TRUE(hasSecurityHeaders(as(trainer_).get("/api/v1/me"), true));
  EXPECT_TRUE(hasSecurityHeaders(anonymous().get("/api/v1/me"), true));                   // 401
  EXPECT_TRUE(hasSecurityHeaders(as(trainer_).get("/api/v1/cohorts/424242"), true));      // 404
  EXPECT_TRUE(hasSecurityHeaders(as(trainer_).post("/api/v1/participants", "{"), true));  // 400
  EXPECT_TRUE(hasSecurityHeaders(anonymous().get("/no-such-page"), false));               // 404
  EXPECT_TRUE(hasSecurityHeaders(anonymous().sendRaw("GET /livez HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                                     std::string(9000, 'b') + "\r\n\r\n"),
                                 false));  // 431
  EXPECT_TRUE(hasSecurityHeaders(anonymous().get("/api/v1/openapi.json"), true));
}

TEST_F(Health, MetricsCountRequests) {
  for (int i = 0; i < 3; ++i) anonymous().get("/livez");
  auto metrics = anonymous().get("/metrics");
  ASSERT_EQ(metrics.status, 200u) << metrics.describe();
  EXPECT_TRUE(metrics.header("Content-Type").starts_with("text/plain")) << metrics.describe();
  EXPECT_NE(metrics.body.find("qatysu_http_requests_total{"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("qatysu_http_request_duration_seconds_bucket{"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("qatysu_db_transaction_retries_total"), std::string::npos)
      << metrics.body;
  // The /livez counter carries route, method and status labels and has counted our calls.
  std::regex livez(R"(qatysu_http_requests_total\{[^}]*route="/livez"[^}]*\} (\d+))");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(metrics.body, match, livez)) << metrics.body;
  EXPECT_GE(std::stoll(match[1].str()), 3);
  EXPECT_NE(metrics.body.find("method=\"GET\""), std::string::npos);
  EXPECT_NE(metrics.body.find("status=\"200\""), std::string::npos);
  // Requests are labelled by route pattern, never by raw path (which would carry ids).
  as(trainer_).get("/api/v1/cohorts/424242");
  auto again = anonymous().get("/metrics").body;
  EXPECT_EQ(again.find("/api/v1/cohorts/424242"), std::string::npos) << again;
}

TEST_F(Health, OpenApiDocumentParses) {
  auto reply = anonymous().get("/api/v1/openapi.json");
  ASSERT_EQ(reply.status, 200u) << reply.describe();
  EXPECT_TRUE(reply.header("Content-Type").starts_with("application/json")) << reply.describe();
  auto doc = reply.json();
  ASSERT_TRUE(doc.is_object());
  EXPECT_TRUE(doc.at("openapi").as_string().starts_with("3.1")) << doc.at("openapi");
  const auto& paths = doc.at("paths").as_object();
  // Every route of the wire format, with its methods.
  const std::vector<std::pair<std::string, std::vector<std::string>>> routes = {
      {"/api/v1/auth/login", {"post"}},
      {"/api/v1/auth/logout", {"post"}},
      {"/api/v1/me", {"get"}},
      {"/api/v1/programmes", {"get", "post"}},
      {"/api/v1/programmes/{id}", {"get"}},
      {"/api/v1/localities", {"get", "post"}},
      {"/api/v1/courses", {"get", "post"}},
      {"/api/v1/courses/{id}", {"get"}},
      {"/api/v1/cohorts", {"get", "post"}},
      {"/api/v1/cohorts/{id}", {"get"}},
      {"/api/v1/cohorts/{id}/sessions", {"get", "post"}},
      {"/api/v1/cohorts/{id}/enrolments", {"get", "post"}},
      {"/api/v1/participants", {"get", "post"}},
      {"/api/v1/participants/{id}", {"get", "patch"}},
      {"/api/v1/sessions/{id}/attendance", {"get", "put"}},
      {"/livez", {"get"}},
      {"/readyz", {"get"}},
      {"/metrics", {"get"}},
      {"/api/v1/openapi.json", {"get"}},
      {"/api/v1/auth/code", {"post"}},
      {"/api/v1/me/password", {"put"}},
      {"/api/v1/participants/{id}/access-code", {"post"}},
      {"/api/v1/cohorts/{id}/certificates", {"get", "post"}},
      {"/api/v1/cohorts/{id}/eligibility", {"get"}},
      {"/api/v1/cohorts/{id}/certificates.zip", {"get"}},
      {"/api/v1/enrolments/{id}/certificate", {"post"}},
      {"/api/v1/certificates/public-key", {"get"}},
      {"/api/v1/certificates/{id}", {"get"}},
      {"/api/v1/certificates/{id}/pdf", {"get"}},
      {"/api/v1/certificates/{id}/audit", {"get"}},
      {"/api/v1/certificates/{id}/revoke", {"post"}},
      {"/api/v1/me/certificates", {"get"}},
      {"/api/v1/verify/{serial}", {"get"}},
      {"/verify/{serial}", {"get"}},
  };
  for (const auto& [path, methods] : routes) {
    ASSERT_TRUE(paths.contains(path)) << "OpenAPI document lacks " << path;
    for (const auto& method : methods) {
      EXPECT_TRUE(paths.at(path).is_object() && paths.at(path).as_object().contains(method))
          << "OpenAPI document lacks " << method << " " << path;
    }
  }
}

TEST_F(Health, LoginAndLogout) {
  auto account = service().login("trainer.health", trainer_.password);
  auto client = as(account);
  EXPECT_EQ(client.get("/api/v1/me").status, 200u);
  auto out = client.post("/api/v1/auth/logout", "");
  EXPECT_EQ(out.status, 204u) << out.describe();
  EXPECT_TRUE(isProblem(client.get("/api/v1/me"), {401}));
  // The suite's own session is untouched.
  EXPECT_EQ(as(trainer_).get("/api/v1/me").status, 200u);
}

TEST_F(Health, WrongPasswordAndUnknownLoginLookTheSame) {
  auto wrong = anonymous().post("/api/v1/auth/login",
                                R"({"login":"trainer.health","password":"wrong-password-1"})");
  auto unknown = anonymous().post("/api/v1/auth/login",
                                  R"({"login":"nobody.here","password":"wrong-password-1"})");
  ASSERT_TRUE(isProblem(wrong, {401}));
  ASSERT_TRUE(isProblem(unknown, {401}));
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_FALSE(wrong.hasHeader("Set-Cookie"));
}

TEST_F(Health, FiveFailuresLockTheAccount) {
  auto victim = newAccount("trainer", "trainer.locked");
  std::string bad = R"({"login":"trainer.locked","password":"not-the-password"})";
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(isProblem(anonymous().post("/api/v1/auth/login", bad), {401}));
  }
  auto locked = anonymous().post(
      "/api/v1/auth/login",
      text(json::object{{"login", "trainer.locked"}, {"password", victim.password}}));
  ASSERT_TRUE(isProblem(locked, {429}));
  EXPECT_TRUE(locked.hasHeader("Retry-After")) << locked.describe();
  EXPECT_FALSE(locked.body.find("token") != std::string::npos) << locked.body;
}

TEST_F(Health, DisabledAccountIsSignedOut) {
  auto account = newAccount("trainer", "trainer.leaving");
  ASSERT_EQ(as(account).get("/api/v1/me").status, 200u);
  auto disabled = support::http::runCli({"user", "disable", "--login", "trainer.leaving"},
                                        service().database().url());
  ASSERT_EQ(disabled.exit_code, 0) << disabled.describe();
  // The server caches a token lookup for up to 5 s (plugin/api/auth.hpp, kTokenCacheTtl), so
  // the change made by another process shows within that time.
  auto disabled_at = std::chrono::steady_clock::now();
  Reply me;
  while (std::chrono::steady_clock::now() - disabled_at < std::chrono::seconds(7)) {
    me = as(account).get("/api/v1/me");
    if (me.status != 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_TRUE(isProblem(me, {401})) << "a disabled account's token still works 7 s later";
  auto login = anonymous().post(
      "/api/v1/auth/login",
      text(json::object{{"login", "trainer.leaving"}, {"password", account.password}}));
  EXPECT_TRUE(isProblem(login, {401, 403}));
}

/// Seconds until the server closes a connection on which `bytes` were sent (nothing more will
/// be), or -1 when it is still open after `limit` seconds. Replies are read and ignored.
double secondsUntilClosed(std::uint16_t port, const std::string& bytes, int limit) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -2;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -2;
  }
  auto start = std::chrono::steady_clock::now();
  if (::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0) {
    ::close(fd);
    return -2;
  }
  double elapsed = -1;
  char buffer[4096];
  while (true) {
    auto now = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(now - start).count();
    if (seconds > limit) break;
    pollfd poll_fd{fd, POLLIN, 0};
    int ready = ::poll(&poll_fd, 1, 200);
    if (ready <= 0) continue;
    auto got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0) {
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      break;
    }
  }
  ::close(fd);
  return elapsed;
}

TEST_F(Health, IdleAndSlowConnectionsAreClosedAfterTheTimeout) {
  auto port = service().server().port();
  double half_request = -1;
  double idle_keep_alive = -1;
  // Both wait for the same 10 s timeout, so they wait side by side.
  std::thread slow([&] {
    half_request = secondsUntilClosed(port, "GET /livez HTTP/1.1\r\nHost: x\r\nX-Slow: 1", 20);
  });
  std::thread idle([&] {
    idle_keep_alive = secondsUntilClosed(port, "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n", 20);
  });
  slow.join();
  idle.join();
  std::cout << "[ measure  ] half-sent request closed after " << half_request
            << " s; idle keep-alive closed after " << idle_keep_alive << " s\n";
  EXPECT_GT(half_request, 0) << "a connection that never finished its headers stayed open 20 s";
  EXPECT_LE(half_request, 13.0);
  EXPECT_GT(idle_keep_alive, 0) << "an idle keep-alive connection stayed open 20 s";
  EXPECT_LE(idle_keep_alive, 13.0);
  // The server still answers afterwards.
  EXPECT_EQ(anonymous().get("/livez").status, 200u);
}

}  // namespace
}  // namespace functional
