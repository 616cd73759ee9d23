// GcpVerifier: Google-signed ID tokens (wif.md §2.3).
//
// `iss` is https://accounts.google.com (or the scheme-less form Google also issues);
// keys come from Google's discovery document; RS256 only; `aud` defaults to
// snowflakecomputing.com; `sub` is the service account's numeric unique id, which is what
// an administrator registers. The identity's issuer is always the canonical
// https://accounts.google.com, also when a dev issuer stands in for Google.
#ifndef WIFGATE_VERIFY_GCP_VERIFIER_H_
#define WIFGATE_VERIFY_GCP_VERIFIER_H_

#include <string>
#include <vector>

#include "verify/jwt_verifier.h"

namespace wifgate::verify {

struct GcpVerifierOptions {
  // The `iss` Google tokens carry and the issuer keys are discovered for. Only the dev IdP
  // (wifgate serve --dev) changes these, to a loopback issuer with allow_insecure.
  std::string issuer = "https://accounts.google.com";
  bool allow_insecure = false;
  std::vector<std::string> default_audiences = {"snowflakecomputing.com"};
  std::vector<jwt::Algorithm> algorithms = {jwt::Algorithm::kRs256};
  JwtVerifierOptions jwt;
};

class GcpVerifier : public JwtVerifier {
 public:
  GcpVerifier(jwt::JwksCache& cache, const IssuerRegistry& registry, const Env& env,
              GcpVerifierOptions options = {})
      : JwtVerifier(Provider::kGcp, cache, registry, env, options.jwt),
        options_(std::move(options)) {}

 protected:
  Result<TrustedIssuer> Trust(std::string_view iss) const override;
  std::vector<std::string> DefaultAudiences() const override { return options_.default_audiences; }
  Result<VerifiedIdentity> MakeIdentity(const jwt::Claims& claims,
                                        const boost::json::object& payload,
                                        const TrustedIssuer& issuer) const override;

 private:
  const GcpVerifierOptions options_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_GCP_VERIFIER_H_
