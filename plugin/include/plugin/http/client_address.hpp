#pragma once
// Who a request comes from, for per-client limits (access codes, verification, failed logins).
// Behind a reverse proxy every request arrives from the proxy, so the proxy's X-Forwarded-For
// names the client; but anyone can send that header, so it is believed only from a proxy the
// configuration trusts (`http.trusted_proxies`), and only up to the first hop that is not one.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/http/router.hpp"

namespace plugin::http {

/// A set of IPv4 and IPv6 networks.
class TrustedProxies {
 public:
  /// None: the TCP peer is always the client.
  TrustedProxies() = default;
  /// Parses addresses and CIDR blocks separated by commas and/or spaces
  /// ("10.0.0.1, 192.168.0.0/16 ::1 fd00::/8"); an empty list trusts nobody. Throws
  /// std::invalid_argument naming the first entry that is neither.
  static TrustedProxies parse(std::string_view list);

  /// True when `address` (an IP literal) lies in one of the networks; false for anything that
  /// is not an IP literal.
  bool contains(std::string_view address) const;
  bool empty() const noexcept { return networks_.empty(); }

 private:
  struct Network {
    std::array<std::uint8_t, 16> bytes{};  ///< IPv4 as IPv4-mapped IPv6
    int prefix = 128;                      ///< in bits of the 128
  };
  std::vector<Network> networks_;
};

/// The client's address: the TCP `peer`, unless the peer is a trusted proxy; then the rightmost
/// hop of `forwarded_for` (X-Forwarded-For, several headers joined by commas in order) that is
/// not a trusted proxy. A hop that is not an IP literal ends the walk: the trusted hop that
/// reported it is the client then (a client cannot pick its key by sending garbage). When every
/// hop is trusted, the leftmost is the client. Addresses come back in their canonical form
/// ("2001:db8::1"), so one client is one key however it is written.
std::string clientAddress(std::string_view peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted);

/// clientAddress() for a request from `peer`, reading its X-Forwarded-For headers.
std::string clientAddress(std::string_view peer, const Request& request,
                          const TrustedProxies& trusted);

}  // namespace plugin::http
