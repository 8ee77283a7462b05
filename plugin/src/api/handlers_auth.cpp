#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/cookies.hpp"
#include "plugin/api/json.hpp"

namespace plugin::api::handlers {

using http::beast_http::status;

namespace {

/// The answer to a sign-in: the token in the body, or for a cookie session the token in an
/// HttpOnly cookie and the session's CSRF token in the body (scripts never see the token).
http::Response signedIn(const Dependencies& deps, http::Context& context,
                        const Auth::LoginResult& result, bool cookie_session) {
  if (!cookie_session) {
    return jsonResponse(context, status::ok,
                        loginResultToJson(result.token, result.expires_at, result.account));
  }
  http::Response response =
      jsonResponse(context, status::ok,
                   boost::json::object{{"expires_at", result.expires_at},
                                       {"account", toJson(result.account)},
                                       {"csrf_token", deps.auth.csrfToken(result.token)}});
  response.set(http::beast_http::field::set_cookie,
               sessionCookie(result.token, deps.auth.tokenLifetime(), deps.auth.secureCookies()));
  // Neither the body nor the cookie may be kept by a cache on the way.
  response.set(http::beast_http::field::cache_control, "no-store");
  return response;
}

}  // namespace

http::Response login(const Dependencies& deps, http::Context& context) {
  const LoginRequest request = loginFromJson(readBody(context));
  const Auth::LoginResult result =
      deps.auth.login(request.login, request.password, context.client_address);
  return signedIn(deps, context, result, request.cookie_session);
}

http::Response logout(const Dependencies& deps, http::Context& context) {
  const Authentication who = authenticate(deps, context);
  if (!who.session_cookie) {
    deps.auth.logout(*bearerToken(context.request));
    return noContentResponse(context);
  }
  deps.auth.logout(*who.session_cookie);
  http::Response response = noContentResponse(context);
  response.set(http::beast_http::field::set_cookie,
               expiredSessionCookie(deps.auth.secureCookies()));
  return response;
}

http::Response me(const Dependencies& deps, http::Context& context) {
  const Authentication who = authenticate(deps, context);
  const courses::Profile profile = deps.profiles.me(who.actor);
  boost::json::object body = toJson(profile);
  if (profile.account.language) {
    body["language"] = courses::toString(*profile.account.language);
  } else {
    body["language"] = nullptr;
  }
  // A page reloaded in the browser learns its CSRF token again here.
  if (who.session_cookie) body["csrf_token"] = deps.auth.csrfToken(*who.session_cookie);
  http::Response response = jsonResponse(context, status::ok, body);
  if (who.session_cookie) response.set(http::beast_http::field::cache_control, "no-store");
  return response;
}

http::Response loginWithCode(const Dependencies& deps, http::Context& context) {
  const CodeLoginRequest request = accessCodeFromJson(readBody(context));
  const Auth::LoginResult result = deps.auth.loginWithCode(request.code, context.client_address);
  return signedIn(deps, context, result, request.cookie_session);
}

http::Response setOwnPassword(const Dependencies& deps, http::Context& context) {
  const Authentication who = authenticate(deps, context);
  const PasswordChange change = passwordChangeFromJson(readBody(context));
  // The session making the change stays open; every other one of the account ends.
  const std::string_view token =
      who.session_cookie ? std::string_view(*who.session_cookie) : *bearerToken(context.request);
  deps.accounts.setOwnPassword(who.actor, change.password, change.current_password,
                               context.client_address, deps.auth.sessionKey(token));
  return noContentResponse(context);
}

http::Response suggestOwnLogin(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok,
                      boost::json::object{{"login", deps.accounts.suggestOwnLogin(actor)}});
}

http::Response setOwnLogin(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(
      context, status::ok,
      toJson(deps.accounts.setOwnLogin(actor, ownLoginFromJson(readBody(context)))));
}

http::Response setOwnLanguage(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  deps.accounts.setLanguage(actor, languageFromJson(readBody(context)));
  return noContentResponse(context);
}

}  // namespace plugin::api::handlers
