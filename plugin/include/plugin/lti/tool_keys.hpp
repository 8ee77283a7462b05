#pragma once
// The tool's own LTI signing keys (RS256), kept in a file outside the database like the
// certificate key (lti.key_file, default var/lti-keys.json, mode 0600): made on first start;
// rotate() makes a new current key, and the one it replaces is still published for
// kRetiredSeconds (a platform caches a tool's key set, and may still check something the old key
// signed), then dropped. Every instance sharing the file publishes the same keys.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/lti/jose.hpp"

namespace plugin::lti {

/// How long a replaced key stays published: 30 days.
inline constexpr long long kRetiredSeconds = 30LL * 24 * 3600;

class ToolKeys {
 public:
  /// Reads the key file, or makes it with one new key when there is none (a concurrent first
  /// start uses the key the other wrote). `now` is an ISO timestamp (YYYY-MM-DDTHH:MM:SSZ).
  /// Throws JoseError when the file cannot be read or written, or holds no usable key.
  static ToolKeys loadOrCreate(const std::filesystem::path& file, std::string_view now);
  /// Adds a new current key to the file (made if missing), keeps the replaced one published
  /// until now + kRetiredSeconds, drops those retired longer ago; answers the keys now.
  static ToolKeys rotate(const std::filesystem::path& file, std::string_view now);

  /// The key the tool signs with.
  const RsaKey& current() const noexcept { return keys_.front().key; }
  /// The keys a platform may see a signature of: the current one and those retired less than
  /// kRetiredSeconds ago (at `now`).
  KeySet published(std::string_view now) const;

  struct Entry {
    RsaKey key;
    std::string created_at;
    std::string retired_at;  ///< empty for the current key
  };
  /// Every key of the file, the current one first.
  const std::vector<Entry>& entries() const noexcept { return keys_; }

 private:
  explicit ToolKeys(std::vector<Entry> keys) : keys_(std::move(keys)) {}
  std::vector<Entry> keys_;
};

}  // namespace plugin::lti
