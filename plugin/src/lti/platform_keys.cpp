#include "plugin/lti/platform_keys.hpp"

#include <algorithm>

namespace plugin::lti {

PlatformKeys::PlatformKeys(Fetcher& fetcher, FetchLimits limits, std::function<long long()> now)
    : fetcher_(fetcher), limits_(limits), now_(std::move(now)) {
  if (!now_) {
    now_ = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
}

long long PlatformKeys::fetches() const {
  const std::lock_guard lock(mutex_);
  return fetches_;
}

std::shared_ptr<PlatformKeys::Entry> PlatformKeys::entry(courses::Id platform_id) {
  const std::lock_guard lock(mutex_);
  auto& slot = entries_[platform_id];
  if (!slot) slot = std::make_shared<Entry>();
  return slot;
}

void PlatformKeys::fetch(Entry& entry, const std::string& url) {
  {
    const std::lock_guard lock(mutex_);
    ++fetches_;
  }
  const long long now = now_();
  entry.fetched_at = now;  // a failed fetch counts too: it is not retried at once
  entry.attempted = true;
  const Fetched answer = fetcher_.get(url, "application/jwk-set+json, application/json", limits_);
  if (answer.status != 200) {
    throw FetchError("the key set URL answered HTTP " + std::to_string(answer.status));
  }
  auto keys = std::make_shared<const KeySet>(KeySet::fromJwks(answer.body, kMaxKeys));
  const long long lifetime =
      std::clamp(answer.max_age.value_or(kDefaultKeysSeconds), kMinKeysSeconds, kMaxKeysSeconds);
  entry.keys = std::move(keys);
  entry.url = url;
  entry.fresh_until = now + lifetime;
}

KeyCheck PlatformKeys::verify(const courses::LtiPlatform& platform, std::string_view compact) {
  KeyCheck check;
  // A token refused for its form needs no keys at all.
  const auto header = peekHeader(compact);
  if (!header || header->alg != "RS256" || header->kid.empty()) {
    check.token = verifyRs256(compact, KeySet{});
    return check;
  }
  const std::shared_ptr<Entry> kept = entry(platform.id);
  const std::lock_guard lock(kept->mutex);
  const long long now = now_();
  const bool stale = !kept->keys || kept->url != platform.jwks_url || now >= kept->fresh_until;
  std::string failure;
  const bool may_fetch = !kept->attempted || now - kept->fetched_at >= kRefetchSeconds ||
                        (kept->keys && kept->url != platform.jwks_url);
  if (stale && may_fetch) {
    try {
      fetch(*kept, platform.jwks_url);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  if (!kept->keys || kept->url != platform.jwks_url) {
    check.unavailable = failure.empty() ? "not fetched yet (retried within a minute)" : failure;
    return check;
  }
  check.token = verifyRs256(compact, *kept->keys);
  if (check.token.refusal == TokenRefusal::unknown_kid &&
      now_() - kept->fetched_at >= kRefetchSeconds) {
    try {
      fetch(*kept, platform.jwks_url);
      check.token = verifyRs256(compact, *kept->keys);
    } catch (const std::exception& e) {
      // The kept set stays; the token is refused for its unknown key.
      (void)e;
    }
  }
  return check;
}

}  // namespace plugin::lti
