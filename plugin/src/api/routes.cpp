#include "plugin/api/routes.hpp"

#include <chrono>
#include <cstdint>
#include <memory>

#include "handlers.hpp"
#include "plugin/api/errors.hpp"

namespace plugin::api {

namespace {

using HandlerFunction = http::Response (*)(const Dependencies&, http::Context&);

/// Runs `handler` and turns any exception into its problem+json answer (the one error table).
http::Handler guarded(std::function<http::Response(http::Context&)> handler) {
  return [handler = std::move(handler)](http::Context& context) {
    try {
      return handler(context);
    } catch (...) {
      context.stream = nullptr;  // an error answer is never streamed
      return currentErrorResponse(context.request);
    }
  };
}

using LimitedHandler = http::Response (*)(const Dependencies&, RateLimiter&, http::Context&);

/// An enrolment batch's body limit: 500 rows (courses::kMaxBatchRows) of about 300 bytes, with
/// room for long names and every optional field.
constexpr std::uint64_t kEnrolmentBatchBodyLimit = 1024 * 1024;

}  // namespace

void registerRoutes(http::Router& router, Dependencies deps) {
  using http::Execution;
  using verb = http::beast_http::verb;
  namespace h = handlers;
  const auto with = [deps](HandlerFunction handler) {
    return guarded([deps, handler](http::Context& context) { return handler(deps, context); });
  };
  // The history of one kind of entity, at /<entities>/{id}/history.
  const auto history_of = [deps](courses::Entity entity) {
    return guarded([deps, entity](http::Context& context) {
      return handlers::entityHistory(deps, context, entity);
    });
  };
  const auto probe = std::make_shared<h::ReadinessProbe>(deps.health);
  // One limit for every form of the public verification (the link's JSON and page, the check
  // page's serial and code), so switching form gains nothing.
  const auto verify_limit = std::make_shared<RateLimiter>(
      RateLimiter::Config{kVerifyRequestsPerMinute, std::chrono::seconds{60}, 10000});
  const auto limited = [deps, verify_limit](LimitedHandler handler) {
    return guarded([deps, verify_limit, handler](http::Context& context) {
      return handler(deps, *verify_limit, context);
    });
  };
  // Rows of batch dry runs, per account: each is a guess at who is registered.
  const auto dry_runs = std::make_shared<RateLimiter>(RateLimiter::Config{
      kDryRunRowsPerHour, std::chrono::seconds{3600}, 10000});

  // Accounts
  router.add(verb::post, "/api/v1/auth/login", with(h::login));
  router.add(verb::post, "/api/v1/auth/logout", with(h::logout));
  router.add(verb::get, "/api/v1/me", with(h::me));
  router.add(verb::post, "/api/v1/auth/code", with(h::loginWithCode));
  router.add(verb::put, "/api/v1/me/password", with(h::setOwnPassword));
  router.add(verb::put, "/api/v1/me/language", with(h::setOwnLanguage));
  router.add(verb::get, "/api/v1/me/login-suggestion", with(h::suggestOwnLogin));
  router.add(verb::put, "/api/v1/me/login", with(h::setOwnLogin));
  router.add(verb::get, "/api/v1/accounts", with(h::listAccounts));
  router.add(verb::post, "/api/v1/accounts", with(h::createAccount));
  router.add(verb::get, "/api/v1/accounts/{id}", with(h::getAccount));
  router.add(verb::patch, "/api/v1/accounts/{id}", with(h::patchAccount));

  // Catalogue: programmes, localities, courses
  router.add(verb::get, "/api/v1/programmes", with(h::listProgrammes));
  router.add(verb::post, "/api/v1/programmes", with(h::createProgramme));
  router.add(verb::get, "/api/v1/programmes/{id}", with(h::getProgramme));
  router.add(verb::patch, "/api/v1/programmes/{id}", with(h::patchProgramme));
  router.add(verb::get, "/api/v1/localities", with(h::listLocalities));
  router.add(verb::post, "/api/v1/localities", with(h::createLocality));
  router.add(verb::get, "/api/v1/localities/{id}", with(h::getLocality));
  router.add(verb::patch, "/api/v1/localities/{id}", with(h::patchLocality));
  router.add(verb::get, "/api/v1/courses", with(h::listCourses));
  router.add(verb::post, "/api/v1/courses", with(h::createCourse));
  router.add(verb::get, "/api/v1/courses/{id}", with(h::getCourse));
  router.add(verb::patch, "/api/v1/courses/{id}", with(h::patchCourse));
  router.add(verb::get, "/api/v1/tracks", with(h::listTracks));

  // Cohorts and their sessions
  router.add(verb::get, "/api/v1/cohorts", with(h::listCohorts));
  router.add(verb::post, "/api/v1/cohorts", with(h::createCohort));
  router.add(verb::get, "/api/v1/cohorts/{id}", with(h::getCohort));
  router.add(verb::patch, "/api/v1/cohorts/{id}", with(h::patchCohort));
  router.add(verb::get, "/api/v1/cohorts/{id}/sessions", with(h::listSessions));
  router.add(verb::post, "/api/v1/cohorts/{id}/sessions", with(h::createSession));
  router.add(verb::get, "/api/v1/sessions/{id}", with(h::getSession));
  router.add(verb::patch, "/api/v1/sessions/{id}", with(h::patchSession));

  // Participants and enrolments
  router.add(verb::get, "/api/v1/participants", with(h::searchParticipants));
  router.add(verb::post, "/api/v1/participants", with(h::registerParticipant));
  router.add(verb::get, "/api/v1/participants/duplicates", with(h::participantDuplicates));
  router.add(verb::get, "/api/v1/participants/{id}", with(h::getParticipant));
  router.add(verb::patch, "/api/v1/participants/{id}", with(h::patchParticipant));
  router.add(verb::get, "/api/v1/participants/{id}/history", with(h::participantHistory));
  router.add(verb::get, "/api/v1/participants/{id}/record", with(h::participantRecord));
  router.add(verb::get, "/api/v1/participants/{id}/merge", with(h::mergePreview));
  router.add(verb::post, "/api/v1/participants/{id}/merge", with(h::mergeParticipants));
  router.add(verb::get, "/api/v1/cohorts/{id}/enrolments", with(h::listEnrolments));
  router.add(verb::post, "/api/v1/cohorts/{id}/enrolments", with(h::enrol));
  // A CSV import's 500 rows of Cyrillic names outgrow the server's usual body limit.
  router.add(verb::post, "/api/v1/cohorts/{id}/enrolments/batch",
             guarded([deps, dry_runs](http::Context& context) {
               return h::enrolBatch(deps, *dry_runs, context);
             }),
             Execution::worker, kEnrolmentBatchBodyLimit);
  router.add(verb::post, "/api/v1/participants/{id}/access-code", with(h::issueAccessCode));
  router.add(verb::get, "/api/v1/participants/{id}/links", with(h::participantLinks));

  // A person's data rights, a programme's retention (administrators)
  router.add(verb::get, "/api/v1/participants/{id}/data-rights", with(h::getDataRights));
  router.add(verb::get, "/api/v1/participants/{id}/export", with(h::exportParticipant));
  router.add(verb::post, "/api/v1/participants/{id}/erase", with(h::eraseParticipant));
  router.add(verb::post, "/api/v1/participants/{id}/consent-withdrawal", with(h::withdrawConsent));
  router.add(verb::get, "/api/v1/programmes/{id}/retention", with(h::getRetention));
  router.add(verb::put, "/api/v1/programmes/{id}/retention", with(h::putRetention));

  // Attendance
  router.add(verb::get, "/api/v1/sessions/{id}/attendance", with(h::getSheet));
  router.add(verb::put, "/api/v1/sessions/{id}/attendance", with(h::putSheet));

  // Certificates
  router.add(verb::post, "/api/v1/cohorts/{id}/certificates", with(h::issueCohortCertificates));
  router.add(verb::get, "/api/v1/cohorts/{id}/certificates", with(h::listCohortCertificates));
  router.add(verb::get, "/api/v1/cohorts/{id}/eligibility", with(h::cohortEligibility));
  router.add(verb::get, "/api/v1/cohorts/{id}/certificates.zip", with(h::cohortCertificatesZip));
  router.add(verb::get, "/api/v1/enrolments/{id}", with(h::getEnrolment));
  router.add(verb::patch, "/api/v1/enrolments/{id}", with(h::patchEnrolment));
  router.add(verb::post, "/api/v1/enrolments/{id}/certificate", with(h::issueEnrolmentCertificate));
  router.add(verb::get, "/api/v1/certificates/public-key", with(h::publicKey),
             Execution::inline_io);
  router.add(verb::get, "/api/v1/certificates/{id}", with(h::getCertificate));
  router.add(verb::get, "/api/v1/certificates/{id}/pdf", with(h::getCertificatePdf));
  router.add(verb::get, "/api/v1/certificates/{id}/qr.svg", with(h::getCertificateQrSvg));
  router.add(verb::get, "/api/v1/certificates/{id}/audit", with(h::certificateAudit));
  router.add(verb::post, "/api/v1/certificates/{id}/revoke", with(h::revokeCertificate));
  router.add(verb::get, "/api/v1/me/certificates", with(h::myCertificates));

  // Totals: the report, its exports for the donor, and a programme's targets
  router.add(verb::get, "/api/v1/totals", with(h::totals));
  router.add(verb::get, "/api/v1/totals.csv", with(h::totalsCsv));
  router.add(verb::get, "/api/v1/totals.xlsx", with(h::totalsXlsx));
  router.add(verb::get, "/api/v1/totals.pdf", with(h::totalsPdf));
  router.add(verb::get, "/api/v1/programmes/{id}/targets", with(h::getTargets));
  router.add(verb::put, "/api/v1/programmes/{id}/targets", with(h::putTargets));

  // Histories of changes (administrators); a person's is with the participants above
  router.add(verb::get, "/api/v1/programmes/{id}/history", history_of(courses::Entity::programme));
  router.add(verb::get, "/api/v1/courses/{id}/history", history_of(courses::Entity::course));
  router.add(verb::get, "/api/v1/localities/{id}/history", history_of(courses::Entity::locality));
  router.add(verb::get, "/api/v1/cohorts/{id}/history", history_of(courses::Entity::cohort));
  router.add(verb::get, "/api/v1/sessions/{id}/history", history_of(courses::Entity::session));
  router.add(verb::get, "/api/v1/enrolments/{id}/history", history_of(courses::Entity::enrolment));
  router.add(verb::post, "/api/v1/changes/{id}/undo", with(h::undoChange));

  // LTI 1.3: platforms (administrators), the tool's keys (public)
  router.add(verb::get, "/api/v1/lti/platforms", with(h::listLtiPlatforms));
  router.add(verb::post, "/api/v1/lti/platforms", with(h::addLtiPlatform));
  router.add(verb::get, "/api/v1/lti/platforms/{id}", with(h::getLtiPlatform));
  router.add(verb::patch, "/api/v1/lti/platforms/{id}", with(h::patchLtiPlatform));
  router.add(verb::post, "/api/v1/lti/platforms/{id}/users", with(h::linkLtiUser));
  router.add(verb::get, "/lti/jwks", with(h::ltiJwks));
  router.add(verb::get, "/lti/login", with(h::ltiLogin));
  router.add(verb::post, "/lti/login", with(h::ltiLogin));
  router.add(verb::post, "/lti/launch", with(h::ltiLaunch));
  router.add(verb::get, "/api/v1/lti/link", with(h::getLtiLink));
  router.add(verb::post, "/api/v1/lti/link", with(h::linkLtiContext));

  // Public verification (no account; rate-limited per client address)
  router.add(verb::get, "/api/v1/verify/{serial}", limited(h::verifyJson));
  router.add(verb::get, "/verify/{serial}", limited(h::verifyHtml));
  router.add(verb::get, "/api/v1/check/{serial}", limited(h::checkJson));
  router.add(verb::get, "/check", limited(h::checkHtml));

  // Operations: probes, metrics, the API description
  router.add(verb::get, "/livez", guarded(h::livez), Execution::inline_io);
  router.add(verb::get, "/readyz",
             guarded([probe](http::Context& context) { return h::readyz(*probe, context); }));
  router.add(verb::get, "/metrics", with(h::metrics), Execution::inline_io);
  router.add(verb::get, "/api/v1/openapi.json", guarded(h::openApi), Execution::inline_io);

  // The web app's files: its page and its bundles, two directory levels deep at most
  router.add(verb::get, "/", with(h::webIndex));
  // The app's own addresses (/app/cohorts/12/register …) are all the same page; it routes itself.
  router.add(verb::get, "/app", with(h::webIndex));
  router.add(verb::get, "/app/{page}", with(h::webIndex));
  router.add(verb::get, "/app/{page}/{a}", with(h::webIndex));
  router.add(verb::get, "/app/{page}/{a}/{b}", with(h::webIndex));
  router.add(verb::get, "/app/{page}/{a}/{b}/{c}", with(h::webIndex));
  router.add(verb::get, "/sw.js", with(h::webServiceWorker));
  router.add(verb::get, "/assets/{file}", with(h::webAsset));
  router.add(verb::get, "/assets/{dir}/{file}", with(h::webAsset));
}

}  // namespace plugin::api
