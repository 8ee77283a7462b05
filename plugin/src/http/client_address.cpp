#include "plugin/http/client_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "ows.hpp"

namespace plugin::http {

namespace {

using Bytes = std::array<std::uint8_t, 16>;

std::optional<boost::asio::ip::address> parseAddress(std::string_view text) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return address;
}

/// IPv4 as IPv4-mapped IPv6, so one comparison covers both.
Bytes bytesOf(const boost::asio::ip::address& address) {
  if (address.is_v4()) {
    return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4()).to_bytes();
  }
  return address.to_v6().to_bytes();
}

/// The canonical text of an address; an IPv4-mapped IPv6 peer reads as the IPv4 it is.
std::string canonical(const boost::asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
        .to_string();
  }
  return address.to_string();
}

}  // namespace

TrustedProxies TrustedProxies::parse(std::string_view list) {
  TrustedProxies trusted;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    const std::size_t end = std::min(list.find_first_of(", \t", pos), list.size());
    const std::string_view entry = list.substr(pos, end - pos);
    pos = end + 1;
    if (entry.empty()) continue;
    const std::size_t slash = entry.find('/');
    const auto address = parseAddress(entry.substr(0, slash));
    if (!address)
      throw std::invalid_argument("not an IP address or CIDR block: " + std::string(entry));
    Network network;
    network.bytes = bytesOf(*address);
    const int bits = address->is_v4() ? 32 : 128;
    int prefix = bits;
    if (slash != std::string_view::npos) {
      const std::string_view digits = entry.substr(slash + 1);
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
      if (ec != std::errc{} || ptr != digits.data() + digits.size() || digits.empty() ||
          prefix < 0 || prefix > bits) {
        throw std::invalid_argument("not an IP address or CIDR block: " + std::string(entry));
      }
    }
    network.prefix = prefix + (128 - bits);
    trusted.networks_.push_back(network);
  }
  return trusted;
}

bool TrustedProxies::contains(std::string_view address) const {
  if (networks_.empty()) return false;
  const auto parsed = parseAddress(trimOws(address));
  if (!parsed) return false;
  const Bytes bytes = bytesOf(*parsed);
  for (const Network& network : networks_) {
    bool inside = true;
    for (int bit = 0; bit < network.prefix && inside; ++bit) {
      const auto index = static_cast<std::size_t>(bit / 8);
      const auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
      inside = (bytes[index] & mask) == (network.bytes[index] & mask);
    }
    if (inside) return true;
  }
  return false;
}

std::string clientAddress(std::string_view peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted) {
  const auto peer_address = parseAddress(peer);
  std::string client = peer_address ? canonical(*peer_address) : std::string(peer);
  if (!trusted.contains(peer)) return client;
  // Right to left: each hop was added by the one after it, and only trusted ones are believed.
  std::string_view rest = forwarded_for;
  while (!trimOws(rest).empty()) {
    const std::size_t comma = rest.rfind(',');
    const std::string_view hop =
        trimOws(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    const auto address = parseAddress(hop);
    if (!address) break;
    client = canonical(*address);
    if (!trusted.contains(hop)) break;
  }
  return client;
}

std::string clientAddress(std::string_view peer, const Request& request,
                          const TrustedProxies& trusted) {
  if (trusted.empty()) return clientAddress(peer, std::string_view{}, trusted);
  std::string joined;
  const auto [first, last] = request.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    if (!joined.empty()) joined += ',';
    joined.append(it->value().data(), it->value().size());
  }
  return clientAddress(peer, joined, trusted);
}

}  // namespace plugin::http
