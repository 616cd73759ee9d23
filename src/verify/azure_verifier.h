// AzureVerifier: Entra ID access tokens (wif.md §2.4).
//
// Both issuer forms occur — v1 "https://sts.windows.net/<tenant>/" and v2
// "https://login.microsoftonline.com/<tenant>/v2.0" — and both are canonicalised to the v2
// form of the tenant (CanonicalIssuer), so a registration matches either. Keys come from
// the tenant's v2 discovery document, which covers tokens of both versions. Entra signs
// every tenant with the same keys, so the tenant in `iss` (and `tid`, when present, must
// agree) is what stops another tenant's token. `aud` defaults to Snowflake's Entra
// resource or its application id; `sub` is the principal's object id.
#ifndef WIFGATE_VERIFY_AZURE_VERIFIER_H_
#define WIFGATE_VERIFY_AZURE_VERIFIER_H_

#include <string>
#include <vector>

#include "verify/jwt_verifier.h"

namespace wifgate::verify {

inline constexpr std::string_view kSnowflakeEntraAppId = "fd3f753b-eed3-462c-b6a7-a4b5bb650aad";

struct AzureVerifierOptions {
  // Issuer prefixes; the tenant follows. Only the dev IdP changes these (to loopback, with
  // allow_insecure); the identity's issuer stays the real canonical form.
  std::string v1_prefix = "https://sts.windows.net/";
  std::string v2_prefix = "https://login.microsoftonline.com/";
  bool allow_insecure = false;
  std::vector<std::string> default_audiences = {"api://" + std::string(kSnowflakeEntraAppId),
                                                std::string(kSnowflakeEntraAppId)};
  std::vector<jwt::Algorithm> algorithms = {jwt::Algorithm::kRs256};
  JwtVerifierOptions jwt;
};

class AzureVerifier : public JwtVerifier {
 public:
  AzureVerifier(jwt::JwksCache& cache, const IssuerRegistry& registry, const Env& env,
                AzureVerifierOptions options = {})
      : JwtVerifier(Provider::kAzure, cache, registry, env, options.jwt),
        options_(std::move(options)) {}

 protected:
  Result<TrustedIssuer> Trust(std::string_view iss) const override;
  std::vector<std::string> DefaultAudiences() const override { return options_.default_audiences; }
  Result<VerifiedIdentity> MakeIdentity(const jwt::Claims& claims,
                                        const boost::json::object& payload,
                                        const TrustedIssuer& issuer) const override;

 private:
  const AzureVerifierOptions options_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AZURE_VERIFIER_H_
