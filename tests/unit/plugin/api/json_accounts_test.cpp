#include "plugin/api/json_accounts.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "json_fixture.hpp"
#include "plugin/api/json_items.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using namespace json_fixture;

TEST(JsonRead, SignInsChooseBearerOrCookieSessions) {
  EXPECT_FALSE(loginFromJson(parseJson(R"({"login":"a","password":"b"})")).cookie_session);
  EXPECT_TRUE(loginFromJson(parseJson(R"({"login":"a","password":"b","session":"cookie"})"))
                  .cookie_session);
  EXPECT_FALSE(loginFromJson(parseJson(R"({"login":"a","password":"b","session":"bearer"})"))
                   .cookie_session);
  EXPECT_TRUE(
      hasField(fieldProblems(R"({"login":"a","password":"b","session":"Cookie"})", loginFromJson),
               "session"));
  EXPECT_TRUE(hasField(
      fieldProblems(R"({"login":"a","password":"b","session":true})", loginFromJson), "session"));
  const CodeLoginRequest code =
      accessCodeFromJson(parseJson(R"({"code":"ABCDE-FGHJK","session":"cookie"})"));
  EXPECT_TRUE(code.cookie_session);
  EXPECT_EQ(code.code, "ABCDE-FGHJK");
}

TEST(JsonRead, LanguagesAreKkRuOrEn) {
  EXPECT_EQ(languageFromJson(parseJson(R"({"language":"kk"})")), courses::Language::kk);
  EXPECT_EQ(languageFromJson(parseJson(R"({"language":"ru"})")), courses::Language::ru);
  EXPECT_EQ(languageFromJson(parseJson(R"({"language":"en"})")), courses::Language::en);
  for (const char* bad : {R"({"language":"de"})", R"({"language":"KK"})", R"({"language":""})",
                          R"({"language":null})", R"({"language":7})", "{}"}) {
    EXPECT_TRUE(hasField(fieldProblems(bad, languageFromJson), "language")) << bad;
  }
  EXPECT_NE(badRequestDetail(R"({"language":"kk","theme":"dark"})", languageFromJson), "");
}

TEST(JsonRead, StaffAccountsAndTheirEdits) {
  const StaffAccount account = staffAccountFromJson(parseJson(
      R"({"login":"aliya","display_name":"Әлия","role":"admin","password":"0123456789"})"));
  EXPECT_EQ(account.login, "aliya");
  EXPECT_EQ(account.role, courses::Role::admin);
  EXPECT_TRUE(
      hasField(fieldProblems(R"({"login":"x","display_name":"X","role":"learner","password":"p"})",
                             staffAccountFromJson),
               "role"));
  const auto missing = fieldProblems("{}", staffAccountFromJson);
  for (const char* field : {"login", "display_name", "role", "password"}) {
    EXPECT_TRUE(hasField(missing, field)) << field;
  }
  const AccountEdit edit =
      accountEditFromJson(parseJson(R"({"disabled":true,"display_name":null})"));
  EXPECT_EQ(edit.disabled, std::optional<bool>(true));
  EXPECT_FALSE(edit.display_name);
  EXPECT_FALSE(edit.password);
  EXPECT_NE(badRequestDetail(R"({"role":"admin"})", accountEditFromJson), "");
}

TEST(JsonWrite, PagesAccountsAndProfiles) {
  courses::Page<courses::Participant> page;
  page.items.push_back(sampleParticipant());
  EXPECT_TRUE(pageToJson(page).at("next_after").is_null());
  page.next_after = 21;
  EXPECT_EQ(pageToJson(page).at("next_after").as_int64(), 21);
  EXPECT_EQ(pageToJson(page).at("items").as_array().size(), 1u);

  courses::Account account;
  account.id = 2;
  account.login = "learner";
  account.role = courses::Role::learner;
  account.display_name = "Дәурен Сейітов";
  const json::object wire = toJson(account);
  // The six fields and has_password (whether a password opens it; never the password itself).
  EXPECT_EQ(wire.size(), 7u);
  EXPECT_FALSE(wire.at("has_password").as_bool());
  EXPECT_EQ(wire.at("role").as_string(), "learner");
  EXPECT_FALSE(wire.at("disabled").as_bool());
  EXPECT_TRUE(wire.at("language").is_null());
  EXPECT_FALSE(wire.contains("participant_id"));
  account.participant_id = 21;
  account.language = courses::Language::kk;
  EXPECT_EQ(toJson(account).at("participant_id").as_int64(), 21);
  EXPECT_EQ(toJson(account).at("language").as_string(), "kk");
  account.participant_id.reset();
  account.language.reset();
  EXPECT_EQ(wire.at("display_name").as_string(), "Дәурен Сейітов");

  courses::Profile profile{account, std::nullopt, {}};
  EXPECT_TRUE(toJson(profile).at("participant").is_null());
  courses::Enrolment enrolment;
  enrolment.id = 1;
  enrolment.snapshot = sampleParticipant().demographics;
  profile.participant = sampleParticipant();
  profile.enrolments.push_back(enrolment);
  const json::object full = toJson(profile);
  EXPECT_EQ(full.at("participant").at("id").as_int64(), 21);
  EXPECT_EQ(full.at("enrolments").at(0).at("snapshot").at("birth_year").as_int64(), 1984);
}

}  // namespace
}  // namespace plugin::api
