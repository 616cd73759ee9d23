#include "net/proxy.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "common/base64.h"
#include "common/strings.h"

namespace wifgate::net {
namespace {

Status BadProxy(std::string_view why) {
  // The value may carry a password, so it is never echoed.
  return Status(Code::kInvalidArgument, "net.bad_proxy",
                "the proxy setting (HTTPS_PROXY/HTTP_PROXY) " + std::string(why) +
                    "; expected http://[user:password@]host:port");
}

bool IsLoopback(const ParsedUrl& target) {
  return target.host == "localhost" || target.host.ends_with(".localhost") ||
         target.host.starts_with("127.") || target.host == "::1";
}

std::optional<std::string> FirstVar(const Env& env, std::string_view lower,
                                    std::string_view upper) {
  if (auto v = GetNonEmptyVar(env, lower)) return v;
  return GetNonEmptyVar(env, upper);
}

bool NoProxyEntryMatches(std::string_view entry, const ParsedUrl& target) {
  if (entry == "*") return true;
  std::string host = AsciiLower(entry);
  // An optional ":port" suffix; IPv6 entries are written bracketed when they carry one.
  size_t colon = host.rfind(':');
  if (colon != std::string::npos && (host.front() == '[' || host.find(':') == colon)) {
    std::string port = host.substr(colon + 1);
    host.resize(colon);
    if (port != std::to_string(target.port)) return false;
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (!host.empty() && host.front() == '.') host.erase(0, 1);
  if (host.empty()) return false;
  if (target.host == host) return true;
  return target.host.size() > host.size() && target.host.ends_with(host) &&
         target.host[target.host.size() - host.size() - 1] == '.';
}

}  // namespace

bool NoProxyMatches(std::string_view no_proxy, const ParsedUrl& target) {
  std::string normalized(no_proxy);
  for (char& c : normalized) {
    if (c == ' ' || c == '\t') c = ',';
  }
  for (std::string_view entry : Split(normalized, ',')) {
    if (!entry.empty() && NoProxyEntryMatches(entry, target)) return true;
  }
  return false;
}

Result<ProxyRoute> ParseProxyUrl(std::string_view value) {
  std::string url(TrimWhitespace(value));
  if (url.find("://") == std::string::npos) url = "http://" + url;
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return BadProxy("is not a URL");
  const boost::urls::url_view& u = *parsed;
  if (u.scheme_id() != boost::urls::scheme::http) {
    return BadProxy("uses a scheme other than http");
  }
  if (u.has_query() || u.has_fragment() || (!u.encoded_path().empty() && u.encoded_path() != "/")) {
    return BadProxy("has a path, query or fragment");
  }
  ProxyRoute route;
  if (u.has_userinfo()) {
    std::string credentials = u.user() + ":" + u.password();
    route.proxy_authorization = "Basic " + Base64Encode(credentials);
  }
  // Re-parse the host part alone with the strict URL rules (userinfo removed).
  std::string bare = "http://" + std::string(u.encoded_host_and_port()) + "/";
  auto host = ParseHttpUrl(bare);
  if (!host.ok()) return BadProxy("has an invalid host or port");
  route.proxy = std::move(host).value();
  if (!u.has_port()) route.proxy.port = 80;
  return route;
}

Result<std::optional<ProxyRoute>> ChooseProxy(const Env& env, const ParsedUrl& target) {
  if (IsLoopback(target)) return std::optional<ProxyRoute>();
  std::optional<std::string> proxy = target.https ? FirstVar(env, "https_proxy", "HTTPS_PROXY")
                                                  : FirstVar(env, "http_proxy", "HTTP_PROXY");
  if (!proxy) return std::optional<ProxyRoute>();
  if (auto no_proxy = FirstVar(env, "no_proxy", "NO_PROXY")) {
    if (NoProxyMatches(*no_proxy, target)) return std::optional<ProxyRoute>();
  }
  WIFGATE_ASSIGN_OR_RETURN(ProxyRoute route, ParseProxyUrl(*proxy));
  return std::optional<ProxyRoute>(std::move(route));
}

}  // namespace wifgate::net
