// Which forward proxy, if any, carries an outbound request.
//
// Workloads behind a corporate proxy are configured with the de-facto standard variables:
// HTTPS_PROXY / https_proxy for https URLs, HTTP_PROXY / http_proxy for http URLs (the
// lower-case spelling wins when both are set), and NO_PROXY / no_proxy listing hosts that
// are reached directly. Loopback hosts (localhost, 127.0.0.0/8, ::1) never go through a
// proxy: a proxy cannot reach this machine's loopback anyway.
#ifndef WIFGATE_NET_PROXY_H_
#define WIFGATE_NET_PROXY_H_

#include <optional>
#include <string>
#include <string_view>

#include "net/url.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::net {

struct ProxyRoute {
  ParsedUrl proxy;                  // always http://host:port (TLS to the proxy is unsupported)
  std::string proxy_authorization;  // "Basic …" from the proxy URL's userinfo, or empty
};

// The proxy for `target` per the environment, or nullopt to connect directly. A malformed
// proxy variable fails with net.bad_proxy rather than silently bypassing the proxy.
Result<std::optional<ProxyRoute>> ChooseProxy(const Env& env, const ParsedUrl& target);

// Whether a NO_PROXY value exempts `target`. Entries are separated by commas or spaces:
// "*" matches everything; "example.com" and ".example.com" match example.com and all its
// subdomains; an IP literal matches that address; an entry may end in ":port" to match
// only that port. Matching is ASCII case-insensitive.
bool NoProxyMatches(std::string_view no_proxy, const ParsedUrl& target);

// Parses a proxy variable's value: "http://[user:pass@]host[:port][/]" or "host[:port]".
Result<ProxyRoute> ParseProxyUrl(std::string_view value);

}  // namespace wifgate::net

#endif  // WIFGATE_NET_PROXY_H_
