#include "verify/gcp_verifier.h"

namespace wifgate::verify {

Result<TrustedIssuer> GcpVerifier::Trust(std::string_view iss) const {
  constexpr std::string_view kGoogle = "https://accounts.google.com";
  bool google_alias = options_.issuer == kGoogle && iss == "accounts.google.com";
  if (iss != options_.issuer && !google_alias) {
    return Status(Code::kUnauthenticated, "gcp.issuer_invalid",
                  "a GCP token must be issued by " + options_.issuer +
                      "; this one names another issuer (use provider OIDC for other issuers)",
                  "The token is not a Google ID token.");
  }
  TrustedIssuer trusted;
  trusted.canonical = std::string(kGoogle);
  trusted.keys.issuer = options_.issuer;
  trusted.keys.allow_insecure = options_.allow_insecure;
  trusted.algorithms = options_.algorithms;
  return trusted;
}

Result<VerifiedIdentity> GcpVerifier::MakeIdentity(const jwt::Claims& claims,
                                                   const boost::json::object&,
                                                   const TrustedIssuer& issuer) const {
  bool numeric = !claims.sub.empty() && claims.sub.size() <= 32;
  for (char c : claims.sub) numeric = numeric && c >= '0' && c <= '9';
  if (!numeric) {
    return Status(Code::kUnauthenticated, "gcp.subject_invalid",
                  "a GCP token's sub must be the service account's numeric unique id",
                  "The token's subject is not a GCP service account id.");
  }
  VerifiedIdentity id;
  id.provider = Provider::kGcp;
  id.jwt = Subject(claims, issuer);
  return id;
}

}  // namespace wifgate::verify
