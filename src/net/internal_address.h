// Which addresses are internal — unspecified, loopback, private (RFC 1918, RFC 4193),
// carrier-grade NAT, link-local (which holds the cloud metadata service, 169.254.169.254),
// multicast and reserved — for requests that must reach only the public internet: an OIDC
// issuer's discovery document and keys, whose URLs come from outside (security.md KEY-03,
// KEY-08). Checked on the host written in the URL and again on every address it resolves
// to, right before connecting, so neither an internal name nor DNS rebinding gets through.
#ifndef WIFGATE_NET_INTERNAL_ADDRESS_H_
#define WIFGATE_NET_INTERNAL_ADDRESS_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace wifgate::net {

bool IsInternalIpv4(const std::array<uint8_t, 4>& address);
bool IsInternalIpv6(const std::array<uint8_t, 16>& address);

// For a host as written in a URL (IPv6 without brackets): true for an internal address
// literal, for `localhost` and names under it, and for a name whose last label is a number
// ("2130706433", "127.1", "0x7f.1"), which resolvers read as an IPv4 address in one of
// inet_aton's shorthand forms and which no public host name has.
bool IsInternalHost(std::string_view host);

}  // namespace wifgate::net

#endif  // WIFGATE_NET_INTERNAL_ADDRESS_H_
