// LTI platforms: stored with their deployments, found by issuer, one registration per issuer and
// client id, disabled rather than deleted.

#include <gtest/gtest.h>

#include <string>

#include "courses/error.hpp"
#include "courses/lti.hpp"
#include "fixtures.hpp"

namespace {

using namespace integration;
using courses::ErrorCode;

courses::LtiPlatform platform(const std::string& issuer, const std::string& client_id) {
  courses::LtiPlatform p;
  p.name = "Ауданның Moodle сайты";
  p.issuer = issuer;
  p.client_id = client_id;
  p.auth_url = issuer + "/mod/lti/auth.php";
  p.token_url = issuer + "/mod/lti/token.php";
  p.jwks_url = issuer + "/mod/lti/certs.php";
  p.deployment_ids = {"3", "1", "12"};
  return p;
}

TEST(LtiPlatformRepository, StoresFindsByIssuerAndDisables) {
  auto& repo = store().ltiPlatforms();
  // An issuer longer than an index may hold, as a path-based issuer can be.
  const std::string issuer = "https://" + unique("moodle-") + ".example.kz/" + std::string(900, 'p');
  const auto added = repo.add(platform(issuer, "aB3dE5fG7hI9"));
  ASSERT_GT(added.id, 0);
  EXPECT_FALSE(added.created_at.empty());

  const auto found = repo.find(added.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->issuer, issuer);
  EXPECT_EQ(found->name, "Ауданның Moodle сайты");
  EXPECT_EQ(found->deployment_ids, (std::vector<std::string>{"3", "1", "12"}));
  EXPECT_FALSE(found->disabled);
  EXPECT_FALSE(repo.find(added.id + 100000));

  // The same issuer with another client id is a second registration; the same pair is refused.
  const auto second = repo.add(platform(issuer, "second-client"));
  try {
    repo.add(platform(issuer, "aB3dE5fG7hI9"));
    FAIL() << "registered twice";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::conflict);
    EXPECT_STREQ(error.what(), "a platform with this issuer and client id is registered already");
  }
  const auto of_issuer = repo.byIssuer(issuer);
  ASSERT_EQ(of_issuer.size(), 2u);
  EXPECT_EQ(of_issuer[0].id, added.id);
  EXPECT_EQ(of_issuer[1].id, second.id);
  EXPECT_TRUE(repo.byIssuer(issuer + "/").empty());
  // Client ids are compared exactly.
  EXPECT_FALSE(courses::platformOf(of_issuer, "AB3DE5FG7HI9").has_value());

  EXPECT_TRUE(repo.setDisabled(added.id, true).disabled);
  EXPECT_TRUE(repo.find(added.id)->disabled);
  EXPECT_FALSE(repo.setDisabled(added.id, false).disabled);
  EXPECT_THROW(repo.setDisabled(added.id + 100000, true), courses::Error);

  bool listed = false;
  for (const auto& p : repo.list()) listed = listed || p.id == second.id;
  EXPECT_TRUE(listed);
}

}  // namespace
