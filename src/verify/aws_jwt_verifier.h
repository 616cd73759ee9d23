// AwsJwtVerifier: JWTs from STS GetWebIdentityToken ("outbound identity federation",
// wif.md §2.2), the opt-in AWS method.
//
// `iss` is the account's unique issuer https://<id>.tokens.sts.global.api.aws, matched
// exactly against the registry (an administrator registers it as the identity's ISSUER);
// keys come from its discovery document; ES384 or RS256 only (what AWS documents).
// `sub` must be an IAM role or user ARN, and the namespaced claims under
// "https://sts.amazonaws.com/" must agree with it: `aws_account` equals the ARN's account,
// and `principal_id`, when present, names the same principal (for a role, possibly as the
// assumed-role ARN, which gives the session name). The identity carries both the AWS
// principal (matched like a SigV4 login) and the JWT subject.
#ifndef WIFGATE_VERIFY_AWS_JWT_VERIFIER_H_
#define WIFGATE_VERIFY_AWS_JWT_VERIFIER_H_

#include <map>
#include <string>
#include <vector>

#include "verify/jwt_verifier.h"

namespace wifgate::verify {

struct AwsJwtVerifierOptions {
  std::vector<std::string> default_audiences = {"snowflakecomputing.com"};
  std::vector<jwt::Algorithm> algorithms = {jwt::Algorithm::kEs384, jwt::Algorithm::kRs256};
  // Dev/test only: extra issuers (any form) with their key sources, e.g. a loopback dev
  // issuer or a static JWKS. Production trusts only the AWS issuer shape.
  std::map<std::string, jwt::KeySource, std::less<>> extra_issuers;
  JwtVerifierOptions jwt;
};

class AwsJwtVerifier : public JwtVerifier {
 public:
  AwsJwtVerifier(jwt::JwksCache& cache, const IssuerRegistry& registry, const Env& env,
                 AwsJwtVerifierOptions options = {})
      : JwtVerifier(Provider::kAws, cache, registry, env, options.jwt),
        options_(std::move(options)) {}

 protected:
  Result<TrustedIssuer> Trust(std::string_view iss) const override;
  std::vector<std::string> DefaultAudiences() const override { return options_.default_audiences; }
  Result<VerifiedIdentity> MakeIdentity(const jwt::Claims& claims,
                                        const boost::json::object& payload,
                                        const TrustedIssuer& issuer) const override;

 private:
  const AwsJwtVerifierOptions options_;
};

// Whether `iss` has the shape of an AWS outbound-federation issuer.
bool IsAwsTokenIssuer(std::string_view iss);

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AWS_JWT_VERIFIER_H_
