#pragma once
// Private: the handlers behind the routing table, one function per route, grouped by resource.
// Each adapts only: authenticate, parse into domain structs, call a service, serialize.

#include <memory>

#include "plugin/api/rate_limit.hpp"
#include "plugin/api/routes.hpp"
#include "plugin/http/router.hpp"

namespace plugin::api::handlers {

// handlers_auth.cpp
http::Response login(const Dependencies& deps, http::Context& context);
http::Response logout(const Dependencies& deps, http::Context& context);
http::Response me(const Dependencies& deps, http::Context& context);
http::Response loginWithCode(const Dependencies& deps, http::Context& context);
http::Response setOwnPassword(const Dependencies& deps, http::Context& context);
http::Response suggestOwnLogin(const Dependencies& deps, http::Context& context);
http::Response setOwnLogin(const Dependencies& deps, http::Context& context);
http::Response setOwnLanguage(const Dependencies& deps, http::Context& context);

// handlers_accounts.cpp: administrators only.
http::Response listAccounts(const Dependencies& deps, http::Context& context);
http::Response getAccount(const Dependencies& deps, http::Context& context);
http::Response createAccount(const Dependencies& deps, http::Context& context);
http::Response patchAccount(const Dependencies& deps, http::Context& context);

// handlers_catalogue.cpp
http::Response listProgrammes(const Dependencies& deps, http::Context& context);
http::Response createProgramme(const Dependencies& deps, http::Context& context);
http::Response getProgramme(const Dependencies& deps, http::Context& context);
http::Response listLocalities(const Dependencies& deps, http::Context& context);
http::Response createLocality(const Dependencies& deps, http::Context& context);
http::Response listCourses(const Dependencies& deps, http::Context& context);
http::Response createCourse(const Dependencies& deps, http::Context& context);
http::Response getCourse(const Dependencies& deps, http::Context& context);

// handlers_tracks.cpp
http::Response listTracks(const Dependencies& deps, http::Context& context);

// handlers_cohorts.cpp
http::Response listCohorts(const Dependencies& deps, http::Context& context);
http::Response createCohort(const Dependencies& deps, http::Context& context);
http::Response getCohort(const Dependencies& deps, http::Context& context);
http::Response listSessions(const Dependencies& deps, http::Context& context);
http::Response createSession(const Dependencies& deps, http::Context& context);
http::Response patchProgramme(const Dependencies& deps, http::Context& context);
http::Response getLocality(const Dependencies& deps, http::Context& context);
http::Response patchLocality(const Dependencies& deps, http::Context& context);
http::Response patchCourse(const Dependencies& deps, http::Context& context);
http::Response patchCohort(const Dependencies& deps, http::Context& context);
http::Response getSession(const Dependencies& deps, http::Context& context);
http::Response patchSession(const Dependencies& deps, http::Context& context);

// handlers_participants.cpp
http::Response searchParticipants(const Dependencies& deps, http::Context& context);
http::Response registerParticipant(const Dependencies& deps, http::Context& context);
http::Response getParticipant(const Dependencies& deps, http::Context& context);
http::Response patchParticipant(const Dependencies& deps, http::Context& context);
/// GET /participants/{id}/history: the changes that concern a person (administrators).
http::Response participantHistory(const Dependencies& deps, http::Context& context);
/// GET /<entities>/{id}/history: the changes of one entity (administrators).
http::Response entityHistory(const Dependencies& deps, http::Context& context,
                             courses::Entity entity);
/// GET /participants/{id}/record: the person with their enrolments, marks and certificates
/// (administrators).
http::Response participantRecord(const Dependencies& deps, http::Context& context);
/// GET /participants/{id}/merge?other=: both records side by side with their conflicts.
http::Response mergePreview(const Dependencies& deps, http::Context& context);
/// POST /participants/{id}/merge: merges "other" into the record {id} (If-Match: other's ETag).
http::Response mergeParticipants(const Dependencies& deps, http::Context& context);
/// POST /changes/{id}/undo: undoes an undoable change (a merge).
http::Response undoChange(const Dependencies& deps, http::Context& context);
/// GET /participants/duplicates: likely duplicate pairs, most likely first (administrators).
http::Response participantDuplicates(const Dependencies& deps, http::Context& context);
/// GET /enrolments/{id}: one enrolment with its version as ETag (those who manage its cohort).
http::Response getEnrolment(const Dependencies& deps, http::Context& context);
/// PATCH /enrolments/{id}: withdraw with a reason, or restore (If-Match).
http::Response patchEnrolment(const Dependencies& deps, http::Context& context);
http::Response listEnrolments(const Dependencies& deps, http::Context& context);
http::Response enrol(const Dependencies& deps, http::Context& context);
/// Registers and enrols the rows of a CSV import, each on its own (courses::enrolBatch). The rows
/// of dry runs count against `dry_runs`, per account.
http::Response enrolBatch(const Dependencies& deps, RateLimiter& dry_runs, http::Context& context);
http::Response issueAccessCode(const Dependencies& deps, http::Context& context);
/// Administrators: who confirmed the person as the one they registered.
http::Response participantLinks(const Dependencies& deps, http::Context& context);

// handlers_rights.cpp: a person's data rights and a programme's retention (administrators).
http::Response getDataRights(const Dependencies& deps, http::Context& context);
/// GET /participants/{id}/export?format=json|pdf&lang=kk|ru|en
http::Response exportParticipant(const Dependencies& deps, http::Context& context);
http::Response eraseParticipant(const Dependencies& deps, http::Context& context);
http::Response withdrawConsent(const Dependencies& deps, http::Context& context);
http::Response getRetention(const Dependencies& deps, http::Context& context);
http::Response putRetention(const Dependencies& deps, http::Context& context);

// handlers_lti.cpp: LTI platforms (administrators) and the tool's published keys (public).
http::Response listLtiPlatforms(const Dependencies& deps, http::Context& context);
http::Response addLtiPlatform(const Dependencies& deps, http::Context& context);
http::Response getLtiPlatform(const Dependencies& deps, http::Context& context);
/// PATCH {"disabled": true|false}
http::Response patchLtiPlatform(const Dependencies& deps, http::Context& context);
/// GET /lti/jwks: the tool's signing keys as a JWK set.
http::Response ltiJwks(const Dependencies& deps, http::Context& context);
http::Response ltiLogin(const Dependencies& deps, http::Context& context);
http::Response ltiLaunch(const Dependencies& deps, http::Context& context);
http::Response getLtiLink(const Dependencies& deps, http::Context& context);
http::Response linkLtiContext(const Dependencies& deps, http::Context& context);
http::Response linkLtiUser(const Dependencies& deps, http::Context& context);
/// The origins of the enabled platforms, space-separated: who may show the app in an iframe.
std::string ltiFrameAncestors(const Dependencies& deps);

// handlers_certificates.cpp
http::Response issueCohortCertificates(const Dependencies& deps, http::Context& context);
http::Response listCohortCertificates(const Dependencies& deps, http::Context& context);
http::Response cohortEligibility(const Dependencies& deps, http::Context& context);
http::Response cohortCertificatesZip(const Dependencies& deps, http::Context& context);
http::Response issueEnrolmentCertificate(const Dependencies& deps, http::Context& context);
http::Response getCertificate(const Dependencies& deps, http::Context& context);
http::Response getCertificatePdf(const Dependencies& deps, http::Context& context);
/// The certificate's QR code (its qr_payload) as SVG, for a screen.
http::Response getCertificateQrSvg(const Dependencies& deps, http::Context& context);
http::Response certificateAudit(const Dependencies& deps, http::Context& context);
http::Response revokeCertificate(const Dependencies& deps, http::Context& context);
http::Response myCertificates(const Dependencies& deps, http::Context& context);
http::Response publicKey(const Dependencies& deps, http::Context& context);

// handlers_verify.cpp: public, rate-limited per client address by `limit`.
http::Response verifyJson(const Dependencies& deps, RateLimiter& limit, http::Context& context);
http::Response verifyHtml(const Dependencies& deps, RateLimiter& limit, http::Context& context);
http::Response checkJson(const Dependencies& deps, RateLimiter& limit, http::Context& context);
http::Response checkHtml(const Dependencies& deps, RateLimiter& limit, http::Context& context);

// handlers_attendance.cpp
http::Response getSheet(const Dependencies& deps, http::Context& context);
http::Response putSheet(const Dependencies& deps, http::Context& context);

// handlers_totals.cpp: admins and trainers (their own cohorts); learners are refused.
http::Response totals(const Dependencies& deps, http::Context& context);
http::Response totalsCsv(const Dependencies& deps, http::Context& context);
http::Response totalsXlsx(const Dependencies& deps, http::Context& context);
http::Response totalsPdf(const Dependencies& deps, http::Context& context);
http::Response getTargets(const Dependencies& deps, http::Context& context);
http::Response putTargets(const Dependencies& deps, http::Context& context);

// handlers_static.cpp: the web app's files from Dependencies::asset_dir.
http::Response webIndex(const Dependencies& deps, http::Context& context);
http::Response webAsset(const Dependencies& deps, http::Context& context);
/// /sw.js, the app's service worker: it must be served from the root to control the app's pages.
http::Response webServiceWorker(const Dependencies& deps, http::Context& context);

// handlers_health.cpp

/// Remembers the last storage ping for a second so probes cannot hammer the database.
class ReadinessProbe {
 public:
  explicit ReadinessProbe(courses::StorageHealth& health);
  ~ReadinessProbe();
  ReadinessProbe(const ReadinessProbe&) = delete;
  ReadinessProbe& operator=(const ReadinessProbe&) = delete;
  /// True when storage answered a ping (2 s timeout) within the last second.
  bool ready();

 private:
  struct State;
  courses::StorageHealth& health_;
  std::unique_ptr<State> state_;
};

http::Response livez(http::Context& context);
http::Response readyz(ReadinessProbe& probe, http::Context& context);
http::Response metrics(const Dependencies& deps, http::Context& context);
http::Response openApi(http::Context& context);

}  // namespace plugin::api::handlers
