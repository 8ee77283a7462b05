// The launch's own pieces: the login's sealed state and reading an id_token's claims.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "plugin/lti/claims.hpp"
#include "plugin/lti/login_state.hpp"

namespace plugin::lti {
namespace {

// Seals by prefixing a tag; opens only what it sealed (the real sealer is XSalsa20-Poly1305).
class TagSealer final : public courses::Sealer {
 public:
  std::string seal(std::string_view plain) const override { return "sealed:" + std::string(plain); }
  std::optional<std::string> open(std::string_view token) const override {
    if (!token.starts_with("sealed:")) return std::nullopt;
    return std::string(token.substr(7));
  }
};

TEST(LoginState, RoundTripsAndExpires) {
  const TagSealer sealer;
  LoginState state;
  state.platform_id = 3;
  state.nonce = "n-1";
  state.key = "k";
  state.browser_digest = "d";
  state.storage_target = "_parent";
  state.storage_origin = "https://canvas.example.kz";
  state.locale = "ru";
  state.expires_at = 2000;
  const std::string sealed = sealState(sealer, state);
  const auto opened = openState(sealer, sealed, 1999);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->platform_id, 3);
  EXPECT_EQ(opened->nonce, "n-1");
  EXPECT_EQ(opened->storage_target, "_parent");
  EXPECT_EQ(opened->locale, "ru");
  EXPECT_FALSE(openState(sealer, sealed, 2001)) << "an expired login";
  EXPECT_FALSE(openState(sealer, "forged", 1000));
  EXPECT_FALSE(openState(sealer, "sealed:{\"kind\":\"login\",\"p\":1}", 1000)) << "a state missing its fields";
  EXPECT_FALSE(openState(sealer, "", 1000));
}

TEST(ContextTicket, RoundTripsExpiresAndIsNeverAState) {
  const TagSealer sealer;
  ContextTicket ticket;
  ticket.platform_id = 2;
  ticket.context_id = "17";
  ticket.title = "Инклюзивті жоспарлау";
  ticket.account_id = 9;
  ticket.expires_at = 5000;
  const std::string sealed = sealTicket(sealer, ticket);
  const auto opened = openTicket(sealer, sealed, 4000);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->context_id, "17");
  EXPECT_EQ(opened->title, "Инклюзивті жоспарлау");
  EXPECT_EQ(opened->account_id, 9);
  EXPECT_FALSE(openTicket(sealer, sealed, 5001));
  EXPECT_FALSE(openState(sealer, sealed, 4000)) << "a ticket is not a login's state";
  LoginState state;
  state.expires_at = 5000;
  EXPECT_FALSE(openTicket(sealer, sealState(sealer, state), 4000)) << "nor a state a ticket";
}

const std::string kLti = "https://purl.imsglobal.org/spec/lti/claim/";

courses::LaunchClaims claimsOf(const std::string& payload) {
  auto read = readClaims(payload);
  if (const auto* why = std::get_if<std::string>(&read)) {
    ADD_FAILURE() << *why;
    return {};
  }
  return std::get<courses::LaunchClaims>(read);
}

std::string whyNot(const std::string& payload) {
  auto read = readClaims(payload);
  const auto* why = std::get_if<std::string>(&read);
  return why ? *why : std::string();
}

TEST(Claims, ReadsMoodlesAndCanvassForms) {
  const courses::LaunchClaims moodle = claimsOf(
      R"({"iss":"https://moodle.example.kz","aud":"abc123","sub":"2","iat":100,"exp":160,)"
      R"("nonce":"n","given_name":"Айгүл","family_name":"Серікқызы",)"
      R"(")" + kLti + R"(message_type":"LtiResourceLinkRequest",)"
      R"(")" + kLti + R"(roles":["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],)"
      R"(")" + kLti + R"(context":{"id":"17","label":"KZ-1","title":"Курс"},)"
      R"(")" + kLti + R"(launch_presentation":{"locale":"kk"}})");
  EXPECT_EQ(moodle.audience, std::vector<std::string>{"abc123"});
  EXPECT_EQ(moodle.name, "Айгүл Серікқызы");
  EXPECT_EQ(moodle.issued_at, 100);
  EXPECT_EQ(moodle.expires_at, 160);
  ASSERT_TRUE(moodle.context);
  EXPECT_EQ(moodle.context->id, "17");
  EXPECT_EQ(moodle.locale, "kk");
  EXPECT_TRUE(moodle.has_roles);
  const courses::LaunchClaims canvas = claimsOf(
      R"({"iss":"https://canvas.instructure.com","aud":["10000000000001","other"],)"
      R"("azp":"10000000000001","sub":"535fa085-f5ba-4ef6-8d6d-9dc6b1d4c8c8","name":"Дана Әлиева"})");
  EXPECT_EQ(canvas.audience.size(), 2u);
  EXPECT_EQ(canvas.azp, "10000000000001");
  EXPECT_EQ(canvas.name, "Дана Әлиева");
}

TEST(Claims, AClaimOfTheWrongTypeIsRefusedNotIgnored) {
  EXPECT_NE(whyNot(R"({"aud":5})"), "");
  EXPECT_NE(whyNot(R"({"iat":"100"})"), "");
  EXPECT_NE(whyNot(R"({"sub":["2"]})"), "");
  EXPECT_NE(whyNot(R"({")" + kLti + R"(roles":"Learner"})"), "");
  EXPECT_NE(whyNot(R"({")" + kLti + R"(context":{"id":""}})"), "");
  EXPECT_NE(whyNot(R"({"sub":"has space"})"), "");
  EXPECT_NE(whyNot(R"({"sub":")" + std::string(256, 'a') + R"("})"), "");
  EXPECT_NE(whyNot("[1,2]"), "");
  EXPECT_NE(whyNot("not json"), "");
  EXPECT_EQ(whyNot(R"({"sub":"2"})"), "");
}

}  // namespace
}  // namespace plugin::lti
