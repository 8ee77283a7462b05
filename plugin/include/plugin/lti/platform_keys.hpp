#pragma once
// The platforms' signing keys as launches need them: each platform's key set (its jwks_url)
// fetched once and kept for as long as it says (Cache-Control max-age, between 5 minutes and a
// day; an hour when it says nothing), fetched again once when a token names a key the kept set
// lacks (a platform rotated its key), but not more than once in kRefetchSeconds per platform, so a stream
// of made-up kids costs the platform nothing. Bounded: kFetchLimits per request, kMaxKeys keys.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "courses/lti.hpp"
#include "plugin/lti/fetch.hpp"
#include "plugin/lti/jose.hpp"

namespace plugin::lti {

inline constexpr std::size_t kMaxKeys = 20;
inline constexpr long long kMinKeysSeconds = 300;
inline constexpr long long kMaxKeysSeconds = 86400;
inline constexpr long long kDefaultKeysSeconds = 3600;
inline constexpr long long kRefetchSeconds = 5;

/// What checking a token against a platform's keys found.
struct KeyCheck {
  VerifiedToken token;
  /// Set when the key set could not be had at all (the token was not checked): why.
  std::string unavailable;
};

class PlatformKeys {
 public:
  /// `now` answers seconds (steady); the default is std::chrono::steady_clock.
  explicit PlatformKeys(Fetcher& fetcher, FetchLimits limits = {},
                        std::function<long long()> now = {});

  /// Verifies `compact` with the key of `platform` its kid names (verifyRs256), fetching the key
  /// set when none is kept or it is stale, and again once when the kid is unknown.
  KeyCheck verify(const courses::LtiPlatform& platform, std::string_view compact);

  /// How many times key sets were fetched (for tests and metrics).
  long long fetches() const;

 private:
  struct Entry {
    std::mutex mutex;  ///< one fetch of a platform's keys at a time
    std::shared_ptr<const KeySet> keys;
    std::string url;
    long long fetched_at = 0;
    bool attempted = false;  ///< a fetch was tried (fetched_at says when)
    long long fresh_until = 0;
  };
  std::shared_ptr<Entry> entry(courses::Id platform_id);
  /// Fetches the set into `entry` (its mutex held); throws FetchError or JoseError.
  void fetch(Entry& entry, const std::string& url);

  Fetcher& fetcher_;
  FetchLimits limits_;
  std::function<long long()> now_;
  mutable std::mutex mutex_;
  std::map<courses::Id, std::shared_ptr<Entry>> entries_;
  long long fetches_ = 0;
};

}  // namespace plugin::lti
