#include "plugin/lti/platform_keys.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plugin::lti {
namespace {

const RsaKey& firstKey() {
  static const RsaKey key = RsaKey::generate("moodle-1");
  return key;
}
const RsaKey& secondKey() {
  static const RsaKey key = RsaKey::generate("moodle-2");
  return key;
}

// A platform's key set URL, answering what the test puts there, counting requests.
class Published final : public Fetcher {
 public:
  Fetched get(const std::string& url, const std::string&, const FetchLimits&) override {
    urls.push_back(url);
    if (!failure.empty()) throw FetchError(failure);
    Fetched out;
    out.status = status;
    out.body = body;
    out.max_age = max_age;
    return out;
  }
  void publish(const std::vector<const RsaKey*>& keys) {
    body = R"({"keys":[)";
    for (std::size_t i = 0; i < keys.size(); ++i) body += (i ? "," : "") + keys[i]->publicJson();
    body += "]}";
  }
  std::vector<std::string> urls;
  std::string body;
  int status = 200;
  std::optional<long long> max_age;
  std::string failure;
};

courses::LtiPlatform moodle() {
  courses::LtiPlatform p;
  p.id = 7;
  p.issuer = "https://moodle.example.kz";
  p.jwks_url = "https://moodle.example.kz/mod/lti/certs.php";
  return p;
}

const std::string kPayload = R"({"iss":"https://moodle.example.kz"})";

TEST(PlatformKeys, FetchesOnceAndKeepsTheSetForAsLongAsItSays) {
  Published site;
  site.publish({&firstKey()});
  site.max_age = 600;
  long long now = 1000;
  PlatformKeys keys(site, {}, [&] { return now; });
  for (int i = 0; i < 3; ++i) {
    const KeyCheck check = keys.verify(moodle(), firstKey().sign(kPayload));
    ASSERT_TRUE(check.unavailable.empty()) << check.unavailable;
    EXPECT_TRUE(check.token.ok());
  }
  EXPECT_EQ(site.urls.size(), 1u);
  now += 601;
  EXPECT_TRUE(keys.verify(moodle(), firstKey().sign(kPayload)).token.ok());
  EXPECT_EQ(site.urls.size(), 2u) << "a stale set is fetched again";
}

TEST(PlatformKeys, AnUnknownKidFetchesTheSetAgainOnceThenRefuses) {
  Published site;
  site.publish({&firstKey()});
  long long now = 1000;
  PlatformKeys keys(site, {}, [&] { return now; });
  ASSERT_TRUE(keys.verify(moodle(), firstKey().sign(kPayload)).token.ok());
  now += kRefetchSeconds;
  // The platform rotated its key: the first token signed with the new one fetches the set again.
  site.publish({&secondKey()});
  EXPECT_TRUE(keys.verify(moodle(), secondKey().sign(kPayload)).token.ok());
  EXPECT_EQ(site.urls.size(), 2u);
  // A kid nobody publishes: one more fetch, then refused; at once again, no fetch at all.
  now += kRefetchSeconds;
  const RsaKey stranger = RsaKey::generate("made-up");
  const KeyCheck refused = keys.verify(moodle(), stranger.sign(kPayload));
  EXPECT_EQ(refused.token.refusal, TokenRefusal::unknown_kid);
  EXPECT_EQ(site.urls.size(), 3u);
  EXPECT_EQ(keys.verify(moodle(), stranger.sign(kPayload)).token.refusal,
            TokenRefusal::unknown_kid);
  EXPECT_EQ(site.urls.size(), 3u) << "made-up kids must not make the tool hammer the platform";
}

TEST(PlatformKeys, AFormThatNeedsNoKeyIsRefusedWithoutAFetch) {
  Published site;
  site.publish({&firstKey()});
  PlatformKeys keys(site, {}, [] { return 1000LL; });
  // alg none: header {"alg":"none"} and payload, no signature.
  const KeyCheck check = keys.verify(moodle(), "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.");
  EXPECT_EQ(check.token.refusal, TokenRefusal::not_rs256);
  EXPECT_TRUE(site.urls.empty());
}

TEST(PlatformKeys, AnUnreachableOrBadSetSaysWhyAndIsNotAskedAgainAtOnce) {
  Published site;
  site.failure = "timed out after 5000 ms";
  long long now = 1000;
  PlatformKeys keys(site, {}, [&] { return now; });
  KeyCheck check = keys.verify(moodle(), firstKey().sign(kPayload));
  EXPECT_EQ(check.unavailable, "timed out after 5000 ms");
  check = keys.verify(moodle(), firstKey().sign(kPayload));
  EXPECT_FALSE(check.unavailable.empty());
  EXPECT_EQ(site.urls.size(), 1u);
  now += kRefetchSeconds;
  site.failure.clear();
  site.status = 503;
  EXPECT_NE(keys.verify(moodle(), firstKey().sign(kPayload)).unavailable.find("503"),
            std::string::npos);
  now += kRefetchSeconds;
  site.status = 200;
  site.body = "<html>not a key set</html>";
  EXPECT_FALSE(keys.verify(moodle(), firstKey().sign(kPayload)).unavailable.empty());
  now += kRefetchSeconds;
  site.publish({&firstKey()});
  EXPECT_TRUE(keys.verify(moodle(), firstKey().sign(kPayload)).token.ok());
}

TEST(PlatformKeys, AChangedKeySetUrlIsFetchedAtOnce) {
  Published site;
  site.publish({&firstKey()});
  PlatformKeys keys(site, {}, [] { return 1000LL; });
  ASSERT_TRUE(keys.verify(moodle(), firstKey().sign(kPayload)).token.ok());
  courses::LtiPlatform moved = moodle();
  moved.jwks_url = "https://moodle.example.kz/other/certs.php";
  EXPECT_TRUE(keys.verify(moved, firstKey().sign(kPayload)).token.ok());
  ASSERT_EQ(site.urls.size(), 2u);
  EXPECT_EQ(site.urls.back(), moved.jwks_url);
}

}  // namespace
}  // namespace plugin::lti
