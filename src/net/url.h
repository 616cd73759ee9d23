// Strict parsing of the absolute http(s) URLs the outbound client is given.
//
// Outbound URLs come from configuration and from well-known endpoint tables; a URL that is
// anything but plainly "scheme://host[:port]/path?query" is a mistake or an attack
// (userinfo to confuse host checks, a fragment, a non-HTTP scheme), so it is refused with
// net.bad_url rather than interpreted.
#ifndef WIFGATE_NET_URL_H_
#define WIFGATE_NET_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "wifgate/status.h"

namespace wifgate::net {

struct ParsedUrl {
  bool https = false;
  std::string host;  // lower-cased DNS name or IP literal; IPv6 without brackets
  bool host_is_ip = false;
  uint16_t port = 0;   // explicit or the scheme's default (80, 443)
  std::string target;  // origin-form request target: "/path?query", at least "/"

  std::string_view scheme() const { return https ? "https" : "http"; }
  bool IsIpv6() const { return host.find(':') != std::string::npos; }
  // "host:port" ("[::1]:443" for IPv6), for connecting and for error messages.
  std::string HostPort() const;
  // The Host header value: the port only when it is not the scheme's default.
  std::string HostHeader() const;
};

// Parses an absolute http:// or https:// URL. Fails with net.bad_url (kInvalidArgument)
// on any other scheme, userinfo, a fragment, an empty or percent-encoded host, or a port
// outside 1..65535.
Result<ParsedUrl> ParseHttpUrl(std::string_view url);

}  // namespace wifgate::net

#endif  // WIFGATE_NET_URL_H_
