// Staff accounts: administrators list, create, rename, disable and reset accounts. The rules
// (admins only, login and name checks, no disabling oneself) live in courses::AccountService;
// these only adapt.

#include "certificates/fonts.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json.hpp"
#include "plugin/certify/maker.hpp"

namespace plugin::api::handlers {

using http::beast_http::status;

namespace {

std::optional<courses::Role> roleQuery(const http::Context& context) {
  const auto it = context.query.find("role");
  if (it == context.query.end()) return std::nullopt;
  if (const auto role = courses::roleFromString(it->second)) return role;
  throw invalidParameter("role", "must be one of admin, trainer, learner");
}

/// The actor, who must be an administrator: others learn nothing else, not even that their body
/// was malformed.
courses::Actor requireAdmin(const Dependencies& deps, const http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  courses::requireAccountAdmin(actor);
  return actor;
}

// Names are checked against the certificate fonts' cmaps, read for each request: creating and
// renaming accounts is a rare administrator's action, and a few milliseconds do not matter.

}  // namespace

http::Response listAccounts(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireAdmin(deps, context);
  const auto role = roleQuery(context);
  const courses::PageRequest page = pageRequest(context);
  return jsonResponse(context, status::ok, pageToJson(deps.accounts.list(actor, role, page)));
}

http::Response getAccount(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireAdmin(deps, context);
  return jsonResponse(context, status::ok, toJson(deps.accounts.find(actor, pathId(context))));
}

http::Response createAccount(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireAdmin(deps, context);
  const courses::NewAccount request = staffAccountFromJson(readBody(context));
  const certify::FontGlyphCoverage coverage(deps.fonts);
  const courses::Account account = deps.accounts.createStaff(actor, request, coverage);
  return createdResponse(context, "/api/v1/accounts/" + std::to_string(account.id),
                         toJson(account));
}

http::Response patchAccount(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireAdmin(deps, context);
  const courses::Id id = pathId(context);
  const courses::AccountEdit edit = accountEditFromJson(readBody(context, BodyType::json_or_merge_patch));
  const certify::FontGlyphCoverage coverage(deps.fonts);
  return jsonResponse(context, status::ok,
                      toJson(deps.accounts.update(actor, id, edit, coverage)));
}

}  // namespace plugin::api::handlers
