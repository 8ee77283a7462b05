// LTI 1.3 launches: the OIDC third-party initiated login (/lti/login) and the launch it ends in
// (/lti/launch), validated as the Security Framework 1.0 says (§5.1.1 and §5.1.3), bound to the
// browser that began it, and handed to the web app as a session. Every refusal is a page in the
// user's language and a log line (channel qatysu.lti) an administrator can act on.
#include <boost/json.hpp>
#include <boost/range/iterator_range.hpp>
#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "courses/error.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/cookies.hpp"
#include "plugin/api/lti_pages.hpp"
#include "plugin/http/log.hpp"
#include "plugin/http/url.hpp"
#include "plugin/lti/claims.hpp"
#include "plugin/lti/login_state.hpp"
#include "plugin/security/secrets.hpp"

namespace plugin::api::handlers {

namespace {

using courses::LaunchProblem;
using courses::LaunchRefusal;
using http::beast_http::field;
using http::beast_http::status;

constexpr std::string_view kChannel = "qatysu.lti";
/// A form much larger than an id_token with every claim Canvas sends is refused unread.
constexpr std::size_t kMaxFormBytes = 64 * 1024;

const LtiDependencies& lti(const Dependencies& deps) {
  if (deps.lti == nullptr) throw courses::Error(courses::ErrorCode::not_found, "LTI is not set up");
  return *deps.lti;
}

long long epochSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view header(const http::Context& context, field name) {
  const auto value = context.request[name];
  return {value.data(), value.size()};
}

/// The login's or launch's parameters: the query of a GET, the form of a POST.
std::map<std::string, std::string> parameters(const http::Context& context) {
  if (context.request.method() != http::beast_http::verb::post) return context.query;
  const std::string& body = context.request.body();
  if (body.size() > kMaxFormBytes) {
    throw courses::Error(courses::ErrorCode::invalid_argument, "the form is too large");
  }
  auto form = http::parseQuery(body);
  if (!form) throw courses::Error(courses::ErrorCode::invalid_argument, "the form is malformed");
  return *form;
}

std::string value(const std::map<std::string, std::string>& from, const std::string& name) {
  const auto found = from.find(name);
  return found == from.end() ? std::string() : found->second;
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

/// scheme://host[:port] of an http(s) URL.
std::string originOf(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const std::size_t end = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, end));
}

/// The page policy: its one inline script, forms posting anywhere (the platform's endpoints),
/// and framing by the platform, which shows the tool in an iframe.
std::string pagePolicy(std::string_view nonce, std::string_view frame_origin) {
  std::string policy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; ";
  policy += "script-src 'nonce-" + std::string(nonce) + "'; form-action 'self' ";
  policy += frame_origin.empty() ? "" : std::string(frame_origin);
  policy += "; frame-ancestors 'self'";
  if (!frame_origin.empty()) policy += " " + std::string(frame_origin);
  return policy;
}

http::Response page(const http::Context& context, status code, std::string body,
                    const std::string& policy) {
  http::Response response = textResponse(context, code, "text/html; charset=utf-8", std::move(body));
  response.set("Content-Security-Policy", policy);
  return response;
}

/// A refusal: the log line for the administrator (with the reference the page shows) and the
/// page for the user.
http::Response refuse(const http::Context& context, const LaunchProblem& problem,
                      PageLanguage language, std::string_view platform,
                      std::string_view frame_origin = {}) {
  const std::string reference = security::randomToken(6);
  http::logLine(kChannel, http::LogLevel::warning,
                "launch refused [" + reference + "] " + std::string(platform) + ": " +
                    courses::describe(problem) + " (" + std::string(courses::toString(problem.refusal)) + ")");
  const auto code = problem.refusal == LaunchRefusal::unsupported_role ||
                            problem.refusal == LaunchRefusal::learner_account
                        ? status::forbidden
                        : status::bad_request;
  return page(context, code, refusalPage(problem.refusal, reference, language),
              pagePolicy(security::randomToken(12), frame_origin));
}

LaunchProblem problemOf(LaunchRefusal refusal, std::string claim = {}) {
  LaunchProblem problem;
  problem.refusal = refusal;
  problem.claim = std::move(claim);
  return problem;
}

std::string platformName(const courses::LtiPlatform& platform) {
  return "platform " + std::to_string(platform.id) + " (" + platform.issuer + ")";
}

std::optional<std::string> cookie(const http::Context& context, std::string_view name) {
  for (const auto& line :
       boost::make_iterator_range(context.request.equal_range(field::cookie))) {
    if (const auto found = cookieValue(line.value(), name)) return std::string(*found);
  }
  return std::nullopt;
}

std::string secretCookieName(std::string_view key) { return "qatysu_lti_" + std::string(key); }
std::string probeCookieName(std::string_view key) { return "qatysu_lti_probe_" + std::string(key); }

/// A cookie the platform's iframe sends back to the tool: SameSite=None needs Secure (browsers
/// treat http://localhost and 127.0.0.1 as secure, so tests on the loopback keep it too).
std::string launchCookie(std::string_view name, std::string_view value, bool http_only) {
  std::string out = std::string(name) + "=" + std::string(value) +
                    "; Path=/lti/; Max-Age=" + std::to_string(lti::kLoginSeconds) +
                    "; SameSite=None; Secure; Partitioned";
  if (http_only) out += "; HttpOnly";
  return out;
}

}  // namespace

std::string ltiFrameAncestors(const Dependencies& deps) {
  if (deps.lti == nullptr) return {};
  // Read at most every 30 s: the app's page is asked for on every visit.
  static std::mutex mutex;
  static std::string origins;
  static std::chrono::steady_clock::time_point read_at;
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex);
  if (read_at.time_since_epoch().count() == 0 || now - read_at > std::chrono::seconds(30)) {
    std::set<std::string> found;
    try {
      for (const courses::LtiPlatform& platform : deps.lti->registry.list()) {
        if (platform.disabled) continue;
        // A platform's pages are on its authorization URL's origin (and, for Canvas, often on
        // the issuer's too).
        for (const std::string& url : {platform.auth_url, platform.issuer}) {
          const std::string origin = originOf(url);
          if (!origin.empty()) found.insert(origin);
        }
      }
      origins.clear();
      for (const std::string& origin : found) origins += (origins.empty() ? "" : " ") + origin;
      read_at = now;
    } catch (const std::exception&) {
      // The database is down: the last list stands.
    }
  }
  return origins;
}

http::Response ltiLogin(const Dependencies& deps, http::Context& context) {
  const LtiDependencies& tool = lti(deps);
  const auto params = parameters(context);
  const std::string issuer = value(params, "iss");
  const std::string client_id = value(params, "client_id");
  const std::string login_hint = value(params, "login_hint");
  const std::string target = value(params, "target_link_uri");
  const PageLanguage language =
      launchLanguage(value(params, "lang"), header(context, field::accept_language));
  const auto platform = courses::platformOf(tool.registry.byIssuer(issuer), client_id);
  if (!platform) {
    return refuse(context, problemOf(LaunchRefusal::unknown_platform, issuer), language,
                  "issuer " + issuer);
  }
  const std::string frame = originOf(platform->auth_url);
  if (platform->disabled) {
    return refuse(context, problemOf(LaunchRefusal::platform_disabled), language,
                  platformName(*platform), frame);
  }
  if (login_hint.empty() || target.empty()) {
    return refuse(context,
                  problemOf(LaunchRefusal::missing_claim,
                            login_hint.empty() ? "login_hint" : "target_link_uri"),
                  language, platformName(*platform), frame);
  }
  const std::string deployment = value(params, "lti_deployment_id");
  if (!deployment.empty() &&
      std::find(platform->deployment_ids.begin(), platform->deployment_ids.end(), deployment) ==
          platform->deployment_ids.end()) {
    return refuse(context, problemOf(LaunchRefusal::unknown_deployment, deployment), language,
                  platformName(*platform), frame);
  }

  lti::LoginState state;
  state.platform_id = platform->id;
  state.nonce = security::randomToken(18);
  state.key = security::randomToken(9);
  const std::string secret = security::randomToken(18);
  state.browser_digest = security::digestHex(secret);
  state.storage_target = value(params, "lti_storage_target");
  if (state.storage_target.size() > 100) state.storage_target.clear();
  state.storage_origin = frame;
  state.locale = std::string(toString(language));
  state.expires_at = epochSeconds() + lti::kLoginSeconds;
  const std::string sealed = lti::sealState(tool.states, state);

  // The authentication request (Security Framework §5.1.1.2), sent by the browser.
  std::string request = platform->auth_url;
  request += platform->auth_url.find('?') == std::string::npos ? '?' : '&';
  request += "scope=openid&response_type=id_token&response_mode=form_post&prompt=none";
  request += "&client_id=" + percentEncode(platform->client_id);
  request += "&redirect_uri=" + percentEncode(tool.tool_url + "/lti/launch");
  request += "&login_hint=" + percentEncode(login_hint);
  request += "&state=" + percentEncode(sealed);
  request += "&nonce=" + percentEncode(state.nonce);
  if (const std::string hint = value(params, "lti_message_hint"); !hint.empty()) {
    request += "&lti_message_hint=" + percentEncode(hint);
  }

  LoginStep step;
  step.auth_request = request;
  step.cookie = probeCookieName(state.key);
  step.storage_target = state.storage_target;
  step.storage_origin = frame;
  step.storage_key = "qatysu_" + state.key;
  step.secret = secret;
  for (const char* name : {"iss", "login_hint", "target_link_uri", "lti_message_hint",
                           "client_id", "lti_deployment_id"}) {
    if (const std::string given = value(params, name); !given.empty()) step.login_form[name] = given;
  }
  step.login_form["lang"] = std::string(toString(language));
  const std::string nonce = security::randomToken(12);
  http::Response response =
      page(context, status::ok, loginStepPage(step, nonce, language), pagePolicy(nonce, frame));
  response.insert(field::set_cookie, launchCookie(secretCookieName(state.key), secret, true));
  response.insert(field::set_cookie, launchCookie(probeCookieName(state.key), "1", false));
  return response;
}

http::Response ltiLaunch(const Dependencies& deps, http::Context& context) {
  const LtiDependencies& tool = lti(deps);
  const auto params = parameters(context);
  const std::string accept_language(header(context, field::accept_language));
  const long long now = epochSeconds();
  const auto state = lti::openState(tool.states, value(params, "state"), now);
  if (!state) {
    // The platform answers an OIDC error (Security Framework §5.1.1.3) with error= in the form.
    const std::string error = value(params, "error");
    return refuse(context,
                  problemOf(LaunchRefusal::bad_state),
                  launchLanguage({}, accept_language),
                  error.empty() ? "unknown platform" : "the platform answered " + error);
  }
  const PageLanguage login_language = launchLanguage(state->locale, accept_language);
  const auto platform = tool.registry.find(state->platform_id);
  if (!platform) {
    return refuse(context, problemOf(LaunchRefusal::unknown_platform), login_language,
                  "platform " + std::to_string(state->platform_id));
  }
  const std::string who = platformName(*platform);
  const std::string frame = originOf(platform->auth_url);
  if (const std::string error = value(params, "error"); !error.empty()) {
    return refuse(context,
                  problemOf(LaunchRefusal::bad_token,
                            "the platform answered " + error + ": " +
                                value(params, "error_description")),
                  login_language, who, frame);
  }
  const std::string id_token = value(params, "id_token");
  const lti::KeyCheck check = tool.platform_keys.verify(*platform, id_token);
  if (!check.unavailable.empty()) {
    return refuse(context, problemOf(LaunchRefusal::keys_unavailable, check.unavailable),
                  login_language, who, frame);
  }
  if (!check.token.ok()) {
    switch (*check.token.refusal) {
      case lti::TokenRefusal::bad_signature:
        return refuse(context, problemOf(LaunchRefusal::bad_signature), login_language, who, frame);
      case lti::TokenRefusal::unknown_kid:
        return refuse(context, problemOf(LaunchRefusal::unknown_key, check.token.header.kid),
                      login_language, who, frame);
      default:
        return refuse(context,
                      problemOf(LaunchRefusal::bad_token,
                                std::string(lti::toString(*check.token.refusal)) +
                                    (check.token.header.alg.empty()
                                         ? std::string()
                                         : " (alg " + check.token.header.alg + ")")),
                      login_language, who, frame);
    }
  }
  auto read = lti::readClaims(check.token.payload);
  if (const auto* why = std::get_if<std::string>(&read)) {
    return refuse(context, problemOf(LaunchRefusal::bad_token, *why), login_language, who, frame);
  }
  const courses::LaunchClaims& claims = std::get<courses::LaunchClaims>(read);
  const PageLanguage language = launchLanguage(claims.locale, accept_language);
  if (const auto problem = courses::checkLaunch(claims, *platform, now)) {
    return refuse(context, *problem, language, who, frame);
  }
  if (claims.nonce != state->nonce) {
    return refuse(context, problemOf(LaunchRefusal::wrong_nonce), language, who, frame);
  }

  // The browser that began the login: its cookie, else the secret kept in the platform's storage.
  const auto kept = cookie(context, secretCookieName(state->key));
  const auto browser = params.find("browser");
  const std::string presented =
      kept ? *kept : browser != params.end() ? browser->second : std::string();
  if (presented.empty() && browser == params.end() && !state->storage_target.empty()) {
    StorageStep step{id_token, value(params, "state"), state->storage_target,
                          state->storage_origin, "qatysu_" + state->key};
    const std::string nonce = security::randomToken(12);
    return page(context, status::ok, storageStepPage(step, nonce, language),
                pagePolicy(nonce, frame));
  }
  if (presented.empty() || security::digestHex(presented) != state->browser_digest) {
    return refuse(context, problemOf(LaunchRefusal::other_browser), language, who, frame);
  }

  const auto opened = tool.launches.open(*platform, claims);
  if (const auto* problem = std::get_if<LaunchProblem>(&opened)) {
    return refuse(context, *problem, language, who, frame);
  }
  const courses::LaunchOutcome& outcome = std::get<courses::LaunchOutcome>(opened);
  if (!outcome.account) {
    // A learner's first launch: their details come before their account (not offered yet).
    return refuse(context, problemOf(LaunchRefusal::unsupported_role, "first launch of a learner"),
                  language, who, frame);
  }
  const Auth::LoginResult session = deps.auth.signInLaunched(*outcome.account);
  std::string to = "/app";
  if (outcome.account->role == courses::Role::learner) {
    to = "/app/my";
  } else if (outcome.cohort_id) {
    to = "/app/cohorts/" + std::to_string(*outcome.cohort_id);
  } else if (claims.context) {
    // A course not yet linked: its teacher chooses or creates its cohort first.
    lti::ContextTicket ticket;
    ticket.platform_id = platform->id;
    ticket.context_id = claims.context->id;
    ticket.label = claims.context->label;
    ticket.title = claims.context->title;
    ticket.account_id = outcome.account->id;
    ticket.expires_at = now + lti::kContextTicketSeconds;
    to = "/app/lti/course?ticket=" + percentEncode(lti::sealTicket(tool.states, ticket));
  } else {
    to = "/app/cohorts";
  }
  to += std::string(to.find('?') == std::string::npos ? "?" : "&") + "lang=" +
        std::string(toString(language)) + "&frame=lti";
  const std::string nonce = security::randomToken(12);
  http::Response response = page(context, status::ok,
                                 sessionHandOffPage(session.token, to, nonce, language),
                                 pagePolicy(nonce, frame));
  return response;
}

namespace {

/// The ticket of the request (query `ticket` or the body's), for the signed-in actor only.
lti::ContextTicket ticketFor(const LtiDependencies& tool, const courses::Actor& actor,
                             std::string_view sealed) {
  const auto ticket = lti::openTicket(tool.states, sealed, epochSeconds());
  if (!ticket || ticket->account_id != actor.account_id) {
    throw courses::Error(courses::ErrorCode::not_found,
                         "no such course link: launch Qatysu from the course again",
                         {{"ticket", "is not one of your launches, or it is older than an hour"}});
  }
  return *ticket;
}

boost::json::object linkJson(const LtiDependencies& tool, const lti::ContextTicket& ticket) {
  const auto platform = tool.registry.find(ticket.platform_id);
  const auto cohort = tool.registry.cohortOf(ticket.platform_id, ticket.context_id);
  return {{"platform", {{"id", ticket.platform_id}, {"name", platform ? platform->name : ""}}},
          {"context",
           {{"id", ticket.context_id}, {"label", ticket.label}, {"title", ticket.title}}},
          {"cohort_id", cohort ? boost::json::value(*cohort) : boost::json::value(nullptr)}};
}

}  // namespace

http::Response getLtiLink(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const auto sealed = context.query.find("ticket");
  const lti::ContextTicket ticket = ticketFor(
      lti(deps), actor, sealed == context.query.end() ? std::string_view{} : sealed->second);
  return jsonResponse(context, status::ok, linkJson(lti(deps), ticket));
}

http::Response linkLtiContext(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const boost::json::value body = readBody(context);
  const boost::json::object* object = body.if_object();
  const boost::json::value* sealed = object ? object->if_contains("ticket") : nullptr;
  const boost::json::value* cohort = object ? object->if_contains("cohort_id") : nullptr;
  if (sealed == nullptr || !sealed->is_string() || cohort == nullptr || !cohort->is_int64() ||
      cohort->get_int64() <= 0) {
    throw courses::Error(courses::ErrorCode::invalid_argument, "a link names its ticket and cohort",
                         {{"ticket", "must be the ticket of a launch"},
                          {"cohort_id", "must be the id of a cohort you manage"}});
  }
  const lti::ContextTicket ticket = ticketFor(lti(deps), actor, sealed->get_string());
  lti(deps).launches.linkContext(actor, ticket.platform_id, ticket.context_id, cohort->get_int64());
  return jsonResponse(context, status::ok, linkJson(lti(deps), ticket));
}

http::Response linkLtiUser(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id platform_id = pathId(context);
  // Refused before the body is read: only administrators learn what a link needs.
  if (!actor.isAdmin()) {
    throw courses::Error(courses::ErrorCode::forbidden, "only administrators link platform users");
  }
  const boost::json::value body = readBody(context);
  const boost::json::object* object = body.if_object();
  const boost::json::value* subject = object ? object->if_contains("subject") : nullptr;
  const boost::json::value* account = object ? object->if_contains("account_id") : nullptr;
  if (subject == nullptr || !subject->is_string() || account == nullptr || !account->is_int64()) {
    throw courses::Error(courses::ErrorCode::invalid_argument, "a link names the user and the account",
                         {{"subject", "must be the platform's sub of the user"},
                          {"account_id", "must be the id of an account"}});
  }
  const std::string sub(subject->get_string());
  lti(deps).launches.linkUser(actor, platform_id, sub, account->get_int64());
  return createdResponse(context,
                         "/api/v1/lti/platforms/" + std::to_string(platform_id) + "/users",
                         boost::json::object{{"platform_id", platform_id},
                                             {"subject", sub},
                                             {"account_id", account->get_int64()}});
}

}  // namespace plugin::api::handlers
