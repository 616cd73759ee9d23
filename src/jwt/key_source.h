// KeySource: where one trusted issuer's signing keys come from.
//
// Normally OIDC discovery (`<issuer>/.well-known/openid-configuration`, then its
// `jwks_uri`); optionally a configured `jwks_uri` that skips discovery, or a static JWKS
// for a private issuer that publishes no discovery document. A KeySource is only ever
// built for an issuer the registry or the configuration names, never from a token alone.
#ifndef WIFGATE_JWT_KEY_SOURCE_H_
#define WIFGATE_JWT_KEY_SOURCE_H_

#include <optional>
#include <string>

namespace wifgate::jwt {

struct KeySource {
  std::string issuer;                      // discovery is done for (and checked against) this
  std::optional<std::string> jwks_uri;     // skips discovery when set
  std::optional<std::string> static_jwks;  // JWKS text; nothing is fetched when set
  // Development only (wifgate serve --dev, the dev IdP): permits http:// and loopback or
  // private hosts for discovery and JWKS. Production refuses them.
  bool allow_insecure = false;
};

}  // namespace wifgate::jwt

#endif  // WIFGATE_JWT_KEY_SOURCE_H_
