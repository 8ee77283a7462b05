#pragma once
// The state of an OIDC login (Security Framework §5.1.1.2): what /lti/login knew, sealed
// (XSalsa20-Poly1305 under a key every node derives alike) into the `state` the platform sends
// back with the id_token, so a login writes nothing anywhere. It binds the launch to the browser
// that began it: it holds the digest of a secret that browser was given (a cookie, and the
// platform's LTI storage when it offers one), and the nonce the id_token must carry.

#include <optional>
#include <string>
#include <string_view>

#include "courses/duplicate_candidates.hpp"
#include "courses/model.hpp"

namespace plugin::lti {

/// How long a login may take before its launch comes back: 10 minutes.
inline constexpr long long kLoginSeconds = 600;

struct LoginState {
  courses::Id platform_id = 0;
  std::string nonce;           ///< the id_token's nonce must be this
  std::string key;             ///< names the browser secret's cookie and storage entry
  std::string browser_digest;  ///< digest of the browser's secret
  std::string storage_target;  ///< lti_storage_target of the login, when the platform sent one
  std::string storage_origin;  ///< the origin the platform's storage answers from
  std::string locale;          ///< the language the login's page was shown in
  long long expires_at = 0;    ///< seconds since 1970
};

std::string sealState(const courses::Sealer& sealer, const LoginState& state);
/// The state sealed by sealState, when it is one and unexpired at `now`.
std::optional<LoginState> openState(const courses::Sealer& sealer, std::string_view sealed,
                                    long long now);

/// How long a teacher has to link a course to a cohort after a launch: an hour.
inline constexpr long long kContextTicketSeconds = 3600;

/// What a teacher's launch from a course not yet linked to a cohort hands the web app, sealed:
/// which course of which platform, for which account, so that only they link it.
struct ContextTicket {
  courses::Id platform_id = 0;
  std::string context_id;
  std::string label;
  std::string title;
  courses::Id account_id = 0;
  long long expires_at = 0;
};

std::string sealTicket(const courses::Sealer& sealer, const ContextTicket& ticket);
/// The ticket sealed by sealTicket, when it is one and unexpired at `now`.
std::optional<ContextTicket> openTicket(const courses::Sealer& sealer, std::string_view sealed,
                                        long long now);

}  // namespace plugin::lti
