// LTI 1.3 through the real server: an administrator registers a platform (bad fields named, one
// registration per issuer and client id), disables it; nobody else reads or writes platforms;
// the tool's keys are published for anyone at /lti/jwks and verify nothing signed by another key.

#include <string>

#include "fixture.hpp"

namespace functional {
namespace {

class Lti : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_lti", [] { trainer_ = newAccount("trainer", "trainer.lti"); });
  }
  static void TearDownTestSuite() { stopService(); }

  static std::string platform(const std::string& client_id) {
    return text(json::object{{"name", "Ауданның Moodle сайты"},
                             {"issuer", "https://moodle.example.kz"},
                             {"client_id", client_id},
                             {"auth_url", "https://moodle.example.kz/mod/lti/auth.php"},
                             {"token_url", "https://moodle.example.kz/mod/lti/token.php"},
                             {"jwks_url", "https://moodle.example.kz/mod/lti/certs.php"},
                             {"deployment_ids", json::array{"1", "4"}}});
  }

  static inline Account trainer_;
};

TEST_F(Lti, AnAdministratorRegistersAndDisablesAPlatform) {
  auto admin = as(admin_);
  const Reply created = admin.post("/api/v1/lti/platforms", platform("aB3dE5fG7hI9"));
  const auto body = expectJson(created, 201);
  const long long id = body.at("id").as_int64();
  EXPECT_EQ(created.header("Location"), "/api/v1/lti/platforms/" + std::to_string(id));
  EXPECT_EQ(body.at("deployment_ids").as_array().size(), 2u);
  EXPECT_FALSE(body.at("disabled").as_bool());

  EXPECT_TRUE(isProblem(admin.post("/api/v1/lti/platforms", platform("aB3dE5fG7hI9")), {409}));
  const Reply bad = admin.post("/api/v1/lti/platforms",
                               R"({"name":"","issuer":"http://moodle.example.kz","client_id":"a b",)"
                               R"("auth_url":"https://x.kz/a","token_url":"https://x.kz/t",)"
                               R"("jwks_url":"ftp://x.kz/k","deployment_ids":[]})");
  EXPECT_TRUE(isProblem(bad, {422}));
  for (const char* field : {"\"name\"", "\"issuer\"", "\"client_id\"", "\"jwks_url\"", "\"deployment_ids\""}) {
    EXPECT_NE(bad.body.find(field), std::string::npos) << field << " in " << bad.body;
  }
  EXPECT_TRUE(isProblem(admin.post("/api/v1/lti/platforms", R"({"name":"x","secret":1})"), {400}));
  EXPECT_EQ(items(expectJson(admin.get("/api/v1/lti/platforms"), 200)).size(), 1u);

  const std::string path = "/api/v1/lti/platforms/" + std::to_string(id);
  EXPECT_TRUE(expectJson(admin.patch(path, R"({"disabled":true})"), 200).at("disabled").as_bool());
  EXPECT_TRUE(expectJson(admin.get(path), 200).at("disabled").as_bool());
  EXPECT_TRUE(isProblem(admin.patch(path, R"({"disabled":"yes"})"), {400, 422}));
  EXPECT_TRUE(isProblem(admin.get("/api/v1/lti/platforms/999999"), {404}));
}

TEST_F(Lti, NobodyButAnAdministratorReachesThePlatforms) {
  auto trainer = as(trainer_);
  EXPECT_TRUE(isProblem(trainer.get("/api/v1/lti/platforms"), {403}));
  EXPECT_TRUE(isProblem(trainer.post("/api/v1/lti/platforms", platform("from-a-trainer")), {403}));
  EXPECT_TRUE(isProblem(trainer.get("/api/v1/lti/platforms/1"), {403}));
  EXPECT_TRUE(isProblem(trainer.patch("/api/v1/lti/platforms/1", R"({"disabled":true})"), {403}));
  EXPECT_TRUE(isProblem(anonymous().get("/api/v1/lti/platforms"), {401}));
  const json::value listed = expectJson(as(admin_).get("/api/v1/lti/platforms"), 200);
  for (const auto& p : items(listed)) {
    EXPECT_NE(p.at("client_id").as_string(), "from-a-trainer");
  }
}

TEST_F(Lti, TheToolsKeysArePublicAndHoldNoPrivatePart) {
  const Reply reply = anonymous().get("/lti/jwks");
  const auto jwks = expectJson(reply, 200);
  EXPECT_EQ(reply.header("Cache-Control"), "public, max-age=3600");
  const auto& keys = jwks.at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  const auto& key = keys[0].as_object();
  EXPECT_EQ(key.at("kty").as_string(), "RSA");
  EXPECT_EQ(key.at("alg").as_string(), "RS256");
  EXPECT_EQ(key.at("use").as_string(), "sig");
  EXPECT_FALSE(key.at("kid").as_string().empty());
  EXPECT_GE(key.at("n").as_string().size(), 342u);  // 2,048 bits in base64url
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(key.contains(secret)) << secret;
  // The same key when asked again.
  EXPECT_EQ(expectJson(anonymous().get("/lti/jwks"), 200).at("keys").at(0).at("kid"), key.at("kid"));
}

}  // namespace
}  // namespace functional
