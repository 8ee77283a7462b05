#pragma once
// The pages of an LTI launch, shown inside the platform's iframe (or a window of their own) in
// Kazakh, Russian or English: the login's short step (which keeps the browser's secret in the
// platform's LTI storage when it offers one, or offers a new window when the browser blocks the
// tool inside the course), the launch's step that reads that secret back, the page that hands the
// session to the web app, and a refusal that says what went wrong. Their one script is inline
// under a CSP nonce; they load nothing from elsewhere.

#include <map>
#include <string>
#include <string_view>

#include "courses/lti.hpp"
#include "plugin/api/verify_page.hpp"

namespace plugin::api {

/// The language of a launch's pages: `locale` (launch_presentation.locale or a login's `lang`,
/// "ru-RU" counts as ru) when it names kk, ru or en, else Accept-Language, else Kazakh.
PageLanguage launchLanguage(std::string_view locale, std::string_view accept_language);

/// What the login's page does in the browser.
struct LoginStep {
  std::string auth_request;    ///< the platform's authorization URL with the request's query
  std::string cookie;          ///< the probe cookie's name: its absence means cookies are blocked
  std::string storage_target;  ///< lti_storage_target, empty when the platform offers none
  std::string storage_origin;  ///< the platform's origin for postMessage
  std::string storage_key;     ///< what the browser's secret is kept under
  std::string secret;          ///< the browser's secret
  /// The login's parameters, posted again to /lti/login from a new window when the browser
  /// blocks the tool in the iframe.
  std::map<std::string, std::string> login_form;
};

std::string loginStepPage(const LoginStep& step, std::string_view script_nonce,
                          PageLanguage language);

/// The launch's step that reads the browser's secret from the platform's storage and posts the
/// launch again with it (`browser`).
struct StorageStep {
  std::string id_token;
  std::string state;
  std::string storage_target;
  std::string storage_origin;
  std::string storage_key;
};

std::string storageStepPage(const StorageStep& step, std::string_view script_nonce,
                            PageLanguage language);

/// Hands the session token to the web app and opens `app_path` (a path under /app) in it: the
/// token travels in the URL's fragment, which is never sent to a server, and the app keeps it.
std::string sessionHandOffPage(std::string_view token, std::string_view app_path,
                               std::string_view script_nonce, PageLanguage language);

/// A refused launch: what went wrong in the user's words, what to do, and the reference of the
/// log line an administrator reads.
std::string refusalPage(courses::LaunchRefusal refusal, std::string_view reference,
                        PageLanguage language);

}  // namespace plugin::api
