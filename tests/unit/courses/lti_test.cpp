#include "courses/lti.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "courses/error.hpp"

namespace courses {
namespace {

const std::string kClaim = "https://purl.imsglobal.org/spec/lti/claim/";
constexpr long long kNow = 1'800'000'000;

LtiPlatform moodle() {
  LtiPlatform p;
  p.id = 1;
  p.name = "Moodle of the district";
  p.issuer = "https://moodle.example.kz";
  p.client_id = "aB3dE5fG7hI9";
  p.auth_url = "https://moodle.example.kz/mod/lti/auth.php";
  p.token_url = "https://moodle.example.kz/mod/lti/token.php";
  p.jwks_url = "https://moodle.example.kz/mod/lti/certs.php";
  p.deployment_ids = {"1", "7"};
  return p;
}

// A resource link launch as Moodle 4.x sends it: exp = iat + 60, aud a string.
LaunchClaims launch() {
  LaunchClaims c;
  c.issuer = "https://moodle.example.kz";
  c.audience = {"aB3dE5fG7hI9"};
  c.subject = "42";
  c.issued_at = kNow - 2;
  c.expires_at = kNow + 58;
  c.nonce = "n-0S6_WzA2Mj";
  c.message_type = "LtiResourceLinkRequest";
  c.version = "1.3.0";
  c.deployment_id = "7";
  c.target_link_uri = "https://qatysu.example.kz/lti/launch";
  c.resource_link_id = "15";
  c.has_roles = true;
  c.roles = {"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"};
  return c;
}

LaunchRefusal refusalOf(const LaunchClaims& claims, long long now = kNow) {
  const auto problem = checkLaunch(claims, moodle(), now);
  EXPECT_TRUE(problem.has_value());
  return problem ? problem->refusal : LaunchRefusal::missing_claim;
}

TEST(LtiLaunch, AMoodleLaunchAsSentIsAccepted) {
  EXPECT_FALSE(checkLaunch(launch(), moodle(), kNow).has_value());
  // Canvas: aud an array of one, azp the client id.
  LaunchClaims canvas = launch();
  canvas.azp = "aB3dE5fG7hI9";
  EXPECT_FALSE(checkLaunch(canvas, moodle(), kNow).has_value());
}

TEST(LtiLaunch, TheAudienceMustBeThisToolAndSeveralNeedAnAuthorizedParty) {
  LaunchClaims c = launch();
  c.audience = {"someone-else"};
  EXPECT_EQ(refusalOf(c), LaunchRefusal::wrong_audience);
  c.audience = {"aB3dE5fG7hI9", "another-tool"};
  EXPECT_EQ(refusalOf(c), LaunchRefusal::azp_required);
  c.azp = "another-tool";
  EXPECT_EQ(refusalOf(c), LaunchRefusal::wrong_azp);
  c.azp = "aB3dE5fG7hI9";
  EXPECT_FALSE(checkLaunch(c, moodle(), kNow).has_value());
  c = launch();
  c.issuer = "https://moodle.example.kz/";
  EXPECT_EQ(refusalOf(c), LaunchRefusal::wrong_issuer);
}

TEST(LtiLaunch, TimesHaveTenSecondsOfLeewayAndTheRefusalSaysHowFarOff) {
  LaunchClaims c = launch();
  c.issued_at = kNow - 60;
  c.expires_at = kNow;
  EXPECT_FALSE(checkLaunch(c, moodle(), kNow + 10).has_value());
  const auto late = checkLaunch(c, moodle(), kNow + 11);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->refusal, LaunchRefusal::expired);
  EXPECT_EQ(late->seconds, 11);

  c = launch();
  c.issued_at = kNow + 95;
  c.expires_at = kNow + 155;
  const auto ahead = checkLaunch(c, moodle(), kNow);
  ASSERT_TRUE(ahead.has_value());
  EXPECT_EQ(ahead->refusal, LaunchRefusal::issued_in_future);
  EXPECT_EQ(describe(*ahead), "the platform's clock is 95 s ahead of this server's (the id_token "
                              "was issued in the future)");
  c.issued_at = kNow + 10;
  EXPECT_FALSE(checkLaunch(c, moodle(), kNow).has_value());

  c = launch();
  c.expires_at.reset();
  EXPECT_EQ(refusalOf(c), LaunchRefusal::no_times);
}

TEST(LtiLaunch, TheDeploymentMustBeOneRegistered) {
  LaunchClaims c = launch();
  c.deployment_id = "8";
  const auto problem = checkLaunch(c, moodle(), kNow);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->refusal, LaunchRefusal::unknown_deployment);
  EXPECT_NE(describe(*problem).find("unknown deployment \"8\""), std::string::npos);
  c.deployment_id.clear();
  EXPECT_EQ(refusalOf(c), LaunchRefusal::missing_claim);
}

TEST(LtiLaunch, RequiredClaimsAreNamedWhenMissing) {
  LaunchClaims c = launch();
  c.nonce.clear();
  EXPECT_EQ(refusalOf(c), LaunchRefusal::no_nonce);
  c = launch();
  c.version = "1.1";
  EXPECT_EQ(refusalOf(c), LaunchRefusal::wrong_version);
  c = launch();
  c.message_type = "LtiSubmissionReviewRequest";
  EXPECT_EQ(refusalOf(c), LaunchRefusal::unknown_message_type);
  c = launch();
  c.has_roles = false;
  c.roles.clear();
  const auto roles = checkLaunch(c, moodle(), kNow);
  ASSERT_TRUE(roles.has_value());
  EXPECT_EQ(roles->claim, kClaim + "roles");
  // An empty roles claim is allowed (an anonymous or unaffiliated user).
  c.has_roles = true;
  EXPECT_FALSE(checkLaunch(c, moodle(), kNow).has_value());
  c = launch();
  c.resource_link_id.clear();
  EXPECT_EQ(checkLaunch(c, moodle(), kNow)->claim, kClaim + "resource_link");
  c = launch();
  c.subject.clear();
  EXPECT_EQ(checkLaunch(c, moodle(), kNow)->claim, "sub");

  // A deep linking request has no resource link, but needs where to answer.
  c = launch();
  c.message_type = "LtiDeepLinkingRequest";
  c.resource_link_id.clear();
  EXPECT_EQ(refusalOf(c), LaunchRefusal::missing_claim);
  c.deep_link_return_url = "https://moodle.example.kz/mod/lti/contentitem_return.php?course=2";
  EXPECT_FALSE(checkLaunch(c, moodle(), kNow).has_value());
}

TEST(LtiLaunch, ADisabledPlatformLaunchesNothing) {
  LtiPlatform p = moodle();
  p.disabled = true;
  EXPECT_EQ(checkLaunch(launch(), p, kNow)->refusal, LaunchRefusal::platform_disabled);
}

TEST(LtiRoles, FullUrisSubRolesSimpleNamesAndOldUrnsAreRead) {
  const auto teacher = readRoles({"http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"});
  EXPECT_TRUE(teacher.instructor);
  EXPECT_FALSE(teacher.learner);
  EXPECT_TRUE(readRoles({"http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"})
                  .instructor);
  EXPECT_TRUE(readRoles({"Instructor"}).instructor);
  EXPECT_TRUE(readRoles({"Learner"}).learner);
  EXPECT_TRUE(readRoles({"urn:lti:role:ims/lis/Instructor"}).instructor);
  EXPECT_TRUE(readRoles({"urn:lti:role:ims/lis/TeachingAssistant"}).instructor);
  EXPECT_TRUE(readRoles({"urn:lti:role:ims/lis/Learner"}).learner);

  // Moodle's site administrator: institution and system roles beside the context role.
  const auto admin = readRoles({"http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
                                "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
                                "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator"});
  EXPECT_TRUE(admin.administrator);
  EXPECT_TRUE(admin.instructor);
  EXPECT_TRUE(readRoles({"urn:lti:instrole:ims/lis/Administrator"}).administrator);

  // Roles Qatysu gives nothing for, and look-alikes.
  for (const auto& none : std::vector<std::string>{
           "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor",
           "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
           "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor",
           "http://example.com/roles#Instructor", "InstructorX", "Learners", ""}) {
    const auto r = readRoles({none});
    EXPECT_FALSE(r.instructor || r.learner || r.administrator) << none;
  }
}

TEST(LtiPlatformUrl, HttpsOrLoopbackHttpOnly) {
  EXPECT_TRUE(isPlatformUrl("https://moodle.example.kz/mod/lti/auth.php"));
  EXPECT_TRUE(isPlatformUrl("https://canvas.instructure.com"));
  EXPECT_TRUE(isPlatformUrl("http://127.0.0.1:8081/auth"));
  EXPECT_TRUE(isPlatformUrl("http://127.0.0.2/auth"));
  EXPECT_TRUE(isPlatformUrl("http://localhost/auth"));
  EXPECT_TRUE(isPlatformUrl("http://[::1]:9000/jwks"));
  EXPECT_FALSE(isPlatformUrl("http://moodle.example.kz/auth"));
  EXPECT_FALSE(isPlatformUrl("http://127.0.0.1.example.com/auth"));
  EXPECT_FALSE(isPlatformUrl("https://user:secret@moodle.example.kz/"));
  EXPECT_FALSE(isPlatformUrl("ftp://moodle.example.kz/"));
  EXPECT_FALSE(isPlatformUrl("https:///path"));
  EXPECT_FALSE(isPlatformUrl("https://moodle.example.kz/a b"));
  EXPECT_FALSE(isPlatformUrl("javascript:alert(1)"));
}

class Platforms final : public LtiPlatformRepository {
 public:
  LtiPlatform add(const LtiPlatform& platform) override {
    for (const auto& [id, p] : rows_) {
      if (p.issuer == platform.issuer && p.client_id == platform.client_id) {
        throw Error(ErrorCode::conflict, "registered");
      }
    }
    LtiPlatform stored = platform;
    stored.id = static_cast<Id>(rows_.size() + 1);
    rows_[stored.id] = stored;
    return stored;
  }
  std::vector<LtiPlatform> list() override {
    std::vector<LtiPlatform> out;
    for (const auto& [id, p] : rows_) out.push_back(p);
    return out;
  }
  std::optional<LtiPlatform> find(Id id) override {
    const auto it = rows_.find(id);
    return it == rows_.end() ? std::nullopt : std::optional(it->second);
  }
  std::vector<LtiPlatform> byIssuer(std::string_view issuer) override {
    std::vector<LtiPlatform> out;
    for (const auto& [id, p] : rows_) {
      if (p.issuer == issuer) out.push_back(p);
    }
    return out;
  }
  LtiPlatform setDisabled(Id id, bool disabled) override {
    const auto it = rows_.find(id);
    if (it == rows_.end()) throw Error(ErrorCode::not_found, "no platform");
    it->second.disabled = disabled;
    return it->second;
  }
  bool useNonce(Id platform_id, std::string_view nonce, const Timestamp&,
                const Timestamp&) override {
    return nonces_.insert({platform_id, std::string(nonce)}).second;
  }
  std::optional<Id> accountOf(Id, std::string_view) override { return std::nullopt; }
  void linkAccount(Id, std::string_view, Id) override {}
  std::optional<Id> cohortOf(Id, std::string_view) override { return std::nullopt; }
  void linkContext(Id, std::string_view, Id) override {}

 private:
  std::map<Id, LtiPlatform> rows_;
  std::set<std::pair<Id, std::string>> nonces_;
};

const Actor kAdmin{1, Role::admin, std::nullopt};
const Actor kTrainer{2, Role::trainer, std::nullopt};

TEST(LtiPlatformService, OnlyAnAdministratorRegistersAndEveryBadFieldIsNamed) {
  Platforms repo;
  LtiPlatformService service(repo);
  EXPECT_THROW(service.add(kTrainer, moodle()), Error);
  EXPECT_THROW(service.list(kTrainer), Error);
  const LtiPlatform added = service.add(kAdmin, moodle());
  EXPECT_GT(added.id, 0);
  EXPECT_EQ(service.list(kAdmin).size(), 1u);

  LtiPlatform bad = moodle();
  bad.name = "";
  bad.issuer = "http://moodle.example.kz";
  bad.client_id = "has space";
  bad.jwks_url = "";
  bad.deployment_ids = {"1", "1"};
  try {
    service.add(kAdmin, bad);
    FAIL() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
    std::vector<std::string> fields;
    for (const auto& f : error.fields()) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"name", "issuer", "client_id", "jwks_url",
                                                "deployment_ids[1]"}));
  }
  bad = moodle();
  bad.deployment_ids.clear();
  EXPECT_THROW(service.add(kAdmin, bad), Error);
  EXPECT_EQ(service.list(kAdmin).size(), 1u);

  EXPECT_TRUE(service.setDisabled(kAdmin, added.id, true).disabled);
  EXPECT_THROW(service.setDisabled(kTrainer, added.id, false), Error);
}

TEST(LtiPlatformService, APlatformIsFoundByIssuerAndClientIdOrByIssuerAlone) {
  LtiPlatform one = moodle();
  LtiPlatform two = moodle();
  two.client_id = "second";
  EXPECT_EQ(platformOf({one}, "")->client_id, "aB3dE5fG7hI9");
  EXPECT_FALSE(platformOf({one, two}, "").has_value());
  EXPECT_EQ(platformOf({one, two}, "second")->client_id, "second");
  EXPECT_FALSE(platformOf({one, two}, "third").has_value());
  EXPECT_FALSE(platformOf({}, "").has_value());
}

}  // namespace
}  // namespace courses
