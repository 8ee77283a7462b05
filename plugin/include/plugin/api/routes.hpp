#pragma once
// The routing table: every route of the service, registered in one function read top to bottom.

#include <functional>
#include <string>

#include "certificates/fonts.hpp"
#include "certificates/signing.hpp"
#include "courses/account_service.hpp"
#include "courses/clock.hpp"
#include "courses/data_rights_service.hpp"
#include "courses/lti.hpp"
#include "courses/lti_launch.hpp"
#include "courses/repositories.hpp"
#include "courses/services.hpp"
#include "plugin/api/auth.hpp"
#include "plugin/http/metrics.hpp"
#include "plugin/http/router.hpp"
#include "plugin/lti/platform_keys.hpp"
#include "plugin/lti/tool_keys.hpp"

namespace plugin::api {

/// What the LTI routes need.
struct LtiDependencies {
  courses::LtiPlatformService& platforms;
  /// The tool's signing keys (lti.key_file).
  const lti::ToolKeys& keys;
  const courses::Clock& clock;
  /// The registered platforms as launches read them (no account is signed in yet).
  courses::LtiPlatformRepository& registry;
  /// The platforms' keys, fetched and kept.
  lti::PlatformKeys& platform_keys;
  courses::LtiLaunchService& launches;
  /// Seals and opens the logins' state (plugin/lti/login_state.hpp).
  const courses::Sealer& states;
  /// The tool's public URL (certificates.public_url): the launch's redirect_uri starts with it.
  std::string tool_url;
};

/// What the handlers need; built by the composition root (plugin/src/app).
struct Dependencies {
  courses::CatalogueService& catalogue;
  courses::CohortService& cohorts;
  courses::ParticipantService& participants;
  courses::EnrolmentService& enrolments;
  courses::AttendanceService& attendance;
  courses::ProfileService& profiles;
  Auth& auth;
  courses::AccountService& accounts;
  courses::StorageHealth& health;
  http::Metrics& metrics;
  courses::CertificateService& certificates;
  /// The key certificates are signed with: its public half is published.
  const ::certificates::SigningKey& signing_key;
  /// Where the public verification page is reached, without a trailing slash
  /// ("https://qatysu.example.kz"): verification URLs and QR payloads start with it.
  std::string public_base_url;
  courses::TotalsService& totals;
  courses::HistoryService& history;
  courses::DataRightsService& data_rights;
  /// The fonts of certificates and of the totals' PDF summary.
  const ::certificates::FontSet& fonts;
  /// The web app's files: `index.html` and `assets/…` are served from here.
  std::string asset_dir;
  /// A word the login page turns into a note in the reader's language (`demo`: where the demo
  /// accounts are); empty for none. Only a-z and '-' are kept.
  std::string login_note = {};
  /// Whether the demo is loaded (its accounts are in the database), asked for each page while
  /// login_note is `demo`: the note is left out when it answers false, so no page points to demo
  /// accounts that are not there. Empty: the note is shown as configured.
  std::function<bool()> demo_loaded = {};
  /// Merging two records of one person; set by the composition root (without it the merge
  /// routes answer 503).
  courses::MergeService* merges = nullptr;
  /// LTI 1.3; set by the composition root (without it the LTI routes answer 503, /lti/jwks 404).
  const LtiDependencies* lti = nullptr;
};

/// Requests one client address may make to the public verification routes per minute.
inline constexpr int kVerifyRequestsPerMinute = 60;

/// Rows one account may check in enrolment batch dry runs per hour: four full imports.
inline constexpr int kDryRunRowsPerHour = 2000;

/// Adds every route of the service to `router`.
void registerRoutes(http::Router& router, Dependencies deps);

}  // namespace plugin::api
