#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json.hpp"

namespace plugin::api::handlers {

using http::beast_http::status;

http::Response login(const Dependencies& deps, http::Context& context) {
  const LoginRequest request = loginFromJson(readBody(context));
  const Auth::LoginResult result = deps.auth.login(request.login, request.password);
  return jsonResponse(context, status::ok,
                      loginResultToJson(result.token, result.expires_at, result.account));
}

http::Response logout(const Dependencies& deps, http::Context& context) {
  requireActor(deps, context);
  deps.auth.logout(*bearerToken(context.request));
  return noContentResponse(context);
}

http::Response me(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok, toJson(deps.profiles.me(actor)));
}

http::Response loginWithCode(const Dependencies& deps, http::Context& context) {
  const std::string code = accessCodeFromJson(readBody(context));
  const Auth::LoginResult result = deps.auth.loginWithCode(code, context.client_address);
  return jsonResponse(context, status::ok,
                      loginResultToJson(result.token, result.expires_at, result.account));
}

http::Response setOwnPassword(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const PasswordChange change = passwordChangeFromJson(readBody(context));
  deps.auth.setOwnPassword(actor, change.password, change.current_password);
  return noContentResponse(context);
}

}  // namespace plugin::api::handlers
