// JwksFetcher: gets one issuer's current key set over HTTP (discovery, then JWKS).
//
// Separate from the cache (jwks_cache.h) so that each has one concern, as in Envoy's
// jwt_authn: the fetcher knows URLs, HTTP and document formats; the cache knows time,
// rate limits and waiting callers. Fetching is asynchronous through
// net::HttpClient::AsyncSend so no server thread waits on an issuer.
//
// Rules: the discovery document's `issuer` must equal the issuer it was fetched for (OIDC
// Discovery §4.3); `jwks_uri` must be an https URL whose host is not a loopback, private
// or link-local address literal (unless KeySource::allow_insecure); no redirects are
// followed (the HttpClient never follows them, and a 3xx is a failure here); responses are
// size- and time-capped.
#ifndef WIFGATE_JWT_JWKS_FETCHER_H_
#define WIFGATE_JWT_JWKS_FETCHER_H_

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "jwt/jwk.h"
#include "jwt/key_source.h"
#include "net/http.h"
#include "wifgate/status.h"

namespace wifgate::jwt {

class JwksFetcher {
 public:
  using Callback = std::function<void(Result<JwkSet>)>;

  virtual ~JwksFetcher() = default;

  // Fetches the keys of `source` (which has no static_jwks). `done` runs exactly once.
  // Failures have reason jwt.jwks_unavailable or jwt.jwks_invalid.
  virtual void Fetch(const KeySource& source, Callback done) = 0;
};

struct HttpJwksFetcherOptions {
  std::chrono::milliseconds timeout{5000};
  size_t max_discovery_bytes = 64 * 1024;
  JwkSetLimits jwks_limits;
};

class HttpJwksFetcher : public JwksFetcher {
 public:
  // `http` must outlive the fetcher and every fetch in flight.
  explicit HttpJwksFetcher(net::HttpClient& http, HttpJwksFetcherOptions options = {})
      : http_(http), options_(options) {}

  void Fetch(const KeySource& source, Callback done) override;

 private:
  void FetchJwks(const KeySource& source, std::string jwks_uri, Callback done);

  net::HttpClient& http_;
  HttpJwksFetcherOptions options_;
};

// `<issuer without trailing slash>/.well-known/openid-configuration`.
std::string DiscoveryUrl(std::string_view issuer);

// OK when `url` may be fetched for keys: https (http only when `allow_insecure`), and, in
// production, not an IP literal in loopback, private, link-local or unspecified ranges.
Status CheckKeyUrl(std::string_view url, bool allow_insecure);

}  // namespace wifgate::jwt

#endif  // WIFGATE_JWT_JWKS_FETCHER_H_
