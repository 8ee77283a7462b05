#pragma once
// JSON mapping of sign-in, access codes, accounts and profiles (the reading rules:
// plugin/api/json.hpp).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "courses/account_service.hpp"
#include "courses/model.hpp"
#include "courses/services.hpp"
#include "plugin/api/auth.hpp"
#include "plugin/api/json_common.hpp"
#include "plugin/api/json_text.hpp"

namespace plugin::api {

using StaffAccount = courses::NewAccount;
using AccountEdit = courses::AccountEdit;

/// POST /auth/login {"login","password","session"?}. "session": "cookie" asks for a cookie
/// session (the token goes into an HttpOnly cookie, never into the body); "bearer" or no
/// "session" for a bearer token.
struct LoginRequest {
  std::string login;
  std::string password;
  bool cookie_session = false;
};
LoginRequest loginFromJson(const boost::json::value& body);
/// POST /auth/code {"code","session"?}; "session" as for POST /auth/login.
struct CodeLoginRequest {
  std::string code;
  bool cookie_session = false;
};
CodeLoginRequest accessCodeFromJson(const boost::json::value& body);
/// PUT /me/language {"language":"kk"|"ru"|"en"}; anything else is Error(invalid_argument)
/// naming "language".
courses::Language languageFromJson(const boost::json::value& body);
/// POST /accounts {"login","display_name","role":"admin"|"trainer","password"}.
courses::NewAccount staffAccountFromJson(const boost::json::value& body);
/// PATCH /accounts/{id} {"display_name"?,"disabled"?,"password"?} (null means absent).
courses::AccountEdit accountEditFromJson(const boost::json::value& body);
/// PUT /me/password {"password","current_password"?}.
struct PasswordChange {
  std::string password;
  std::optional<std::string> current_password;
};
PasswordChange passwordChangeFromJson(const boost::json::value& body);
/// PUT /me/login {"login"}.
std::string ownLoginFromJson(const boost::json::value& body);

/// {"id","login","display_name","role","disabled","has_password","language"|null} and
/// "participant_id" for a learner's account: never any secret.
boost::json::object toJson(const courses::Account& account);
/// {"account","participant"|null,"enrolments"}
boost::json::object toJson(const courses::Profile& profile);
/// {"token","expires_at","account"}
boost::json::object loginResultToJson(const std::string& token,
                                      const courses::Timestamp& expires_at,
                                      const courses::Account& account);
/// {"login","code","expires_at"}
boost::json::object accessCodeToJson(const std::string& login, const std::string& code,
                                     const courses::Timestamp& expires_at);

}  // namespace plugin::api
