#include "verify/oidc_verifier.h"

namespace wifgate::verify {

Result<TrustedIssuer> OidcVerifier::Trust(std::string_view iss) const {
  TrustedIssuer trusted;
  trusted.canonical = std::string(iss);
  trusted.keys.issuer = std::string(iss);
  trusted.algorithms = jwt::AllAlgorithms();
  if (auto it = options_.issuers.find(iss); it != options_.issuers.end()) {
    trusted.keys.jwks_uri = it->second.jwks_uri;
    trusted.keys.static_jwks = it->second.static_jwks;
    trusted.keys.allow_insecure = it->second.allow_insecure;
    trusted.algorithms = it->second.algorithms;
  }
  return trusted;
}

std::vector<std::string> OidcVerifier::AcceptedAudiences(const IssuerPolicy& policy) const {
  return policy.audiences.empty() ? DefaultAudiences() : policy.audiences;
}

Result<VerifiedIdentity> OidcVerifier::MakeIdentity(const jwt::Claims& claims,
                                                    const boost::json::object&,
                                                    const TrustedIssuer& issuer) const {
  VerifiedIdentity id;
  id.provider = Provider::kOidc;
  id.jwt = Subject(claims, issuer);
  return id;
}

}  // namespace wifgate::verify
