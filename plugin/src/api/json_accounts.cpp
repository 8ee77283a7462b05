#include "plugin/api/json_accounts.hpp"

#include "json_reader.hpp"
#include "plugin/api/json_participants.hpp"

namespace plugin::api {

namespace json = boost::json;
using namespace json_reader;

/// "session": "cookie" (true), "bearer" or absent (false).
bool readCookieSession(const ObjectReader& reader) {
  const auto* value = reader.get("session", false);
  if (value == nullptr) return false;
  if (value->is_string()) {
    if (value->get_string() == "cookie") return true;
    if (value->get_string() == "bearer") return false;
  }
  reader.problems().add("session", "must be \"cookie\" or \"bearer\"");
  return false;
}

LoginRequest loginFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"login", "password", "session"});
  LoginRequest request;
  request.login = reader.string("login");
  request.password = reader.string("password");
  request.cookie_session = readCookieSession(reader);
  problems.throwIfAny();
  return request;
}

CodeLoginRequest accessCodeFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"code", "session"});
  CodeLoginRequest request;
  request.code = reader.string("code");
  request.cookie_session = readCookieSession(reader);
  problems.throwIfAny();
  return request;
}

courses::Language languageFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"language"});
  std::optional<courses::Language> language;
  // Any other value, a null or a number among them, is a bad language (422), not a bad request.
  if (const auto* value = reader.get("language", true)) {
    if (value->is_string()) language = courses::languageFromString(value->get_string());
    if (!language) problems.add("language", "must be one of kk, ru, en");
  }
  problems.throwIfAny();
  return language.value_or(courses::Language::en);
}

courses::NewAccount staffAccountFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"login", "display_name", "role", "password"});
  courses::NewAccount account;
  account.login = reader.string("login");
  account.display_name = reader.string("display_name");
  if (const auto* value = reader.get("role", true)) {
    using courses::Role;
    account.role =
        readEnum(*value, "role", problems, courses::roleFromString, {Role::trainer, Role::admin});
    if (account.role == Role::learner) {
      problems.add("role", "must be one of trainer, admin");
    }
  }
  account.password = reader.string("password");
  problems.throwIfAny();
  return account;
}

courses::AccountEdit accountEditFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"display_name", "disabled", "password"});
  courses::AccountEdit edit;
  edit.display_name = reader.nullableString("display_name");
  if (const auto* value = reader.get("disabled", false); value != nullptr && !value->is_null()) {
    edit.disabled = readBool(*value, "disabled");
  }
  edit.password = reader.nullableString("password");
  problems.throwIfAny();
  return edit;
}

PasswordChange passwordChangeFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"password", "current_password"});
  PasswordChange change;
  change.password = reader.string("password");
  change.current_password = reader.nullableString("current_password");
  problems.throwIfAny();
  return change;
}

std::string ownLoginFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"login"});
  std::string login = reader.string("login");
  problems.throwIfAny();
  return login;
}

json::object toJson(const courses::Account& account) {
  json::object object{{"id", account.id},
                      {"login", account.login},
                      {"display_name", account.display_name},
                      {"role", courses::toString(account.role)},
                      {"disabled", account.disabled},
                      {"has_password", account.has_password}};
  if (account.language) {
    object["language"] = courses::toString(*account.language);
  } else {
    object["language"] = nullptr;
  }
  if (account.participant_id) object["participant_id"] = *account.participant_id;
  return object;
}

json::object toJson(const courses::Profile& profile) {
  json::array enrolments;
  for (const auto& enrolment : profile.enrolments) enrolments.push_back(toJson(enrolment));
  return json::object{
      {"account", toJson(profile.account)},
      {"participant",
       profile.participant ? json::value(toJson(*profile.participant)) : json::value(nullptr)},
      {"enrolments", std::move(enrolments)}};
}

json::object loginResultToJson(const std::string& token, const courses::Timestamp& expires_at,
                               const courses::Account& account) {
  return json::object{{"token", token}, {"expires_at", expires_at}, {"account", toJson(account)}};
}

json::object accessCodeToJson(const std::string& login, const std::string& code,
                              const courses::Timestamp& expires_at) {
  return json::object{{"login", login}, {"code", code}, {"expires_at", expires_at}};
}

}  // namespace plugin::api
