#pragma once
// Reading what a platform publishes (its key set; later its roster and line items): one HTTP GET
// over http or https (certificates checked against the system's authorities, the host name
// too), bounded in time and size, no redirects. Boost.Beast, the HTTP library the server is
// built on, with OpenSSL through Boost.Asio. Asio stays in the .cpp.

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

namespace plugin::lti {

/// A request that did not give an answer: the message says why ("timed out after 5 s").
class FetchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FetchLimits {
  std::chrono::milliseconds timeout{5000};  ///< the whole request: connect, send, read
  std::size_t max_body = 256 * 1024;        ///< a longer body is refused while it is read
};

struct Fetched {
  int status = 0;
  std::string content_type;
  std::string body;
  std::optional<long long> max_age;  ///< Cache-Control max-age, when given
};

/// Makes GET requests. Thread-safe.
class Fetcher {
 public:
  virtual ~Fetcher() = default;
  /// GET `url` with `accept`; throws FetchError when no complete answer came within `limits`.
  virtual Fetched get(const std::string& url, const std::string& accept,
                      const FetchLimits& limits) = 0;
};

/// The real one: http and https URLs (others throw FetchError).
class HttpFetcher final : public Fetcher {
 public:
  Fetched get(const std::string& url, const std::string& accept,
              const FetchLimits& limits) override;
};

}  // namespace plugin::lti
