#include "plugin/http/client_address.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace plugin::http {
namespace {

TEST(TrustedProxies, ParsesAddressesAndCidrBlocksOfBothFamilies) {
  const auto trusted = TrustedProxies::parse("10.0.0.1, 192.168.0.0/16 ::1,fd00::/8");
  EXPECT_TRUE(trusted.contains("10.0.0.1"));
  EXPECT_FALSE(trusted.contains("10.0.0.2"));
  EXPECT_TRUE(trusted.contains("192.168.0.1"));
  EXPECT_TRUE(trusted.contains("192.168.255.254"));
  EXPECT_FALSE(trusted.contains("192.169.0.1"));
  EXPECT_TRUE(trusted.contains("::1"));
  EXPECT_TRUE(trusted.contains("fd12:3456::7"));
  EXPECT_FALSE(trusted.contains("fe80::1"));
  // An IPv4 network never contains an IPv6 address that is not the same IPv4.
  EXPECT_TRUE(trusted.contains("::ffff:10.0.0.1"));
  EXPECT_FALSE(trusted.contains("::a00:1"));
  EXPECT_FALSE(trusted.contains("not an address"));
  EXPECT_FALSE(trusted.contains(""));
}

TEST(TrustedProxies, AnEmptyListTrustsNobodyAndBadEntriesAreRefused) {
  EXPECT_TRUE(TrustedProxies::parse("").empty());
  EXPECT_TRUE(TrustedProxies::parse(" , ").empty());
  EXPECT_FALSE(TrustedProxies{}.contains("127.0.0.1"));
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "proxy.example",
                          "10.0.0.1/8x", "10.0.0.0/-1"}) {
    EXPECT_THROW(TrustedProxies::parse(bad), std::invalid_argument) << bad;
  }
  EXPECT_TRUE(TrustedProxies::parse("0.0.0.0/0").contains("203.0.113.9"));
}

TEST(ClientAddress, TheTcpPeerUnlessItIsATrustedProxy) {
  const auto trusted = TrustedProxies::parse("10.0.0.0/8, 2001:db8::/64");
  // A spoofed header from an untrusted peer is ignored.
  EXPECT_EQ(clientAddress("203.0.113.9", "198.51.100.7", trusted), "203.0.113.9");
  EXPECT_EQ(clientAddress("203.0.113.9", "", TrustedProxies{}), "203.0.113.9");
  // Behind a trusted proxy: the hop it reports.
  EXPECT_EQ(clientAddress("10.0.0.5", "198.51.100.7", trusted), "198.51.100.7");
  EXPECT_EQ(clientAddress("2001:db8::5", "2001:DB8:1::0:1, 2001:db8::9", trusted), "2001:db8:1::1")
      << "the rightmost untrusted hop: 2001:db8::9 is a trusted proxy, so the one before it";
}

TEST(ClientAddress, TheRightmostUntrustedHopWhateverTheClientPrepends) {
  const auto trusted = TrustedProxies::parse("10.0.0.0/8");
  // The client sent "1.2.3.4" itself; the proxies appended what they saw.
  EXPECT_EQ(clientAddress("10.0.0.5", "1.2.3.4, 198.51.100.7, 10.0.0.4", trusted), "198.51.100.7");
  // Every hop trusted: the leftmost.
  EXPECT_EQ(clientAddress("10.0.0.5", "10.1.1.1, 10.0.0.4", trusted), "10.1.1.1");
  // No header: the proxy itself.
  EXPECT_EQ(clientAddress("10.0.0.5", "", trusted), "10.0.0.5");
  // Garbage ends the walk at the trusted hop that reported it.
  EXPECT_EQ(clientAddress("10.0.0.5", "198.51.100.7, garbage", trusted), "10.0.0.5");
  EXPECT_EQ(clientAddress("10.0.0.5", "garbage, 10.0.0.4", trusted), "10.0.0.4");
}

TEST(ClientAddress, IPv6IsCanonicalSoOneClientIsOneKey) {
  const auto trusted = TrustedProxies::parse("::1");
  EXPECT_EQ(clientAddress("::1", "2001:DB8:0:0::1", trusted), "2001:db8::1");
  EXPECT_EQ(clientAddress("::ffff:203.0.113.9", "", TrustedProxies{}), "203.0.113.9");
}

TEST(ClientAddress, ReadsEveryXForwardedForHeaderInOrder) {
  const auto trusted = TrustedProxies::parse("10.0.0.0/8");
  Request request{beast_http::verb::get, "/", 11};
  request.insert("X-Forwarded-For", "1.2.3.4");
  request.insert("X-Forwarded-For", "198.51.100.7, 10.0.0.4");
  EXPECT_EQ(clientAddress("10.0.0.5", request, trusted), "198.51.100.7");
  EXPECT_EQ(clientAddress("203.0.113.9", request, trusted), "203.0.113.9");
}

}  // namespace
}  // namespace plugin::http
