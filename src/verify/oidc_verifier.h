// OidcVerifier: tokens of any OIDC issuer an administrator registered (wif.md §2.5):
// GitHub Actions, Kubernetes service accounts, GitLab, SPIRE, ...
//
// The issuer is matched byte-exactly (no canonicalisation: "https://idp/" and
// "https://idp" are different issuers). Keys come from discovery unless the configuration
// gives the issuer a jwks_uri or a static JWKS. Algorithms: RS256/384/512 and
// ES256/384/512 unless configured narrower. The registry's audience list (the identities'
// OIDC_AUDIENCE_LIST) replaces the default audience snowflakecomputing.com, as in
// Snowflake; `sub` is any string.
#ifndef WIFGATE_VERIFY_OIDC_VERIFIER_H_
#define WIFGATE_VERIFY_OIDC_VERIFIER_H_

#include <map>
#include <string>
#include <vector>

#include "verify/jwt_verifier.h"

namespace wifgate::verify {

// Configuration for one OIDC issuer beyond what the registry says.
struct OidcIssuerConfig {
  std::optional<std::string> jwks_uri;
  std::optional<std::string> static_jwks;
  bool allow_insecure = false;  // dev only: http:// and loopback
  std::vector<jwt::Algorithm> algorithms = jwt::AllAlgorithms();
};

struct OidcVerifierOptions {
  std::map<std::string, OidcIssuerConfig, std::less<>> issuers;  // by exact issuer
  std::vector<std::string> default_audiences = {"snowflakecomputing.com"};
  JwtVerifierOptions jwt;
};

class OidcVerifier : public JwtVerifier {
 public:
  OidcVerifier(jwt::JwksCache& cache, const IssuerRegistry& registry, const Env& env,
               OidcVerifierOptions options = {})
      : JwtVerifier(Provider::kOidc, cache, registry, env, options.jwt),
        options_(std::move(options)) {}

 protected:
  Result<TrustedIssuer> Trust(std::string_view iss) const override;
  std::vector<std::string> AcceptedAudiences(const IssuerPolicy& policy) const override;
  std::vector<std::string> DefaultAudiences() const override { return options_.default_audiences; }
  Result<VerifiedIdentity> MakeIdentity(const jwt::Claims& claims,
                                        const boost::json::object& payload,
                                        const TrustedIssuer& issuer) const override;

 private:
  const OidcVerifierOptions options_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_OIDC_VERIFIER_H_
