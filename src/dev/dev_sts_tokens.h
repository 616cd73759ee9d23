// The dev STS's outbound web identity tokens (GetWebIdentityToken): one ES384 and one RS256
// signing key, and per account an issuer of AWS's shape,
// "https://dev-sts-<account>.tokens.sts.global.api.aws" (real AWS: one
// "https://<id>.tokens.sts.global.api.aws" per account). The shape matters: the registry
// accepts only that form as an AWS ISSUER, so a dev token must carry it to be registrable.
// The id is a function of the account alone, so a registration survives a restart and a
// test or a walk-through can write it down; "dev-sts-" says where it came from.
//
// That host does not resolve to the dev STS, so the dev STS serves each issuer's discovery
// document and JWKS under its own base URL ("<base>/accounts/<account>/.well-known/…") and
// a verifier is told where the keys are (`wifgate serve --dev` maps each issuer to its
// JwksUrlFor; the server refuses such a mapping outside dev).
//
// Tokens follow AWS's claim layout: iss, sub (the principal's IAM ARN), aud (string or
// array), iat, nbf, exp, jti, and the namespaced "https://sts.amazonaws.com/" object with
// aws_account, source_region and principal_id. The same issuer's tokens are accepted back
// by AssumeRoleWithWebIdentity in the dev STS (unlike real AWS) so that web identity
// federation can be exercised offline without another issuer.
#ifndef WIFGATE_DEV_DEV_STS_TOKENS_H_
#define WIFGATE_DEV_DEV_STS_TOKENS_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "jwt/algorithm.h"
#include "jwt/signing_key.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::dev {

struct WebIdentityTokenRequest {
  std::string issuer;
  std::string subject;  // principal ARN in IAM form
  std::string account;
  std::string region;         // source_region
  std::string principal_arn;  // the caller's ARN as STS reports it
  std::vector<std::string> audiences;
  jwt::Algorithm algorithm = jwt::Algorithm::kEs384;
  std::chrono::seconds lifetime{300};
};

class DevStsTokenIssuer {
 public:
  // Loads the keys from `key_dir` (dev-sts-es384.pem, dev-sts-rs256.pem) when given and
  // present, generating and saving them otherwise; fresh in-memory keys without a dir.
  static Result<DevStsTokenIssuer> Create(const Env& env, const std::string& key_dir);

  // The issuer of `account`'s tokens: https://dev-sts-<account>.tokens.sts.global.api.aws.
  static std::string IssuerFor(std::string_view account);
  // Where the dev STS at `base_url` serves that issuer's documents: "/accounts/<account>"
  // (a path) and the JWKS URL a verifier is pointed at.
  static std::string AccountPath(std::string_view account);
  static std::string JwksUrlFor(std::string_view base_url, std::string_view account);

  // Returns the JWT and its expiry.
  Result<std::pair<std::string, SystemTime>> Mint(Env& env,
                                                  const WebIdentityTokenRequest& req) const;

  // The OIDC discovery document of `issuer`, naming `jwks_uri` as its key set.
  std::string DiscoveryDocument(std::string_view issuer, std::string_view jwks_uri) const;
  std::string Jwks() const;

  // Verifies a token this issuer minted for `issuer`: signature, iss, exp/nbf (60 s
  // leeway) and that `audience` is among its audiences. Returns the claims.
  Result<boost::json::object> VerifyOwnToken(std::string_view token, std::string_view issuer,
                                             std::string_view audience, SystemTime now) const;

 private:
  DevStsTokenIssuer(jwt::SigningKey es, jwt::SigningKey rs)
      : es384_(std::move(es)), rs256_(std::move(rs)) {}
  const jwt::SigningKey& KeyFor(jwt::Algorithm alg) const {
    return alg == jwt::Algorithm::kRs256 ? rs256_ : es384_;
  }

  jwt::SigningKey es384_;
  jwt::SigningKey rs256_;
};

}  // namespace wifgate::dev

#endif  // WIFGATE_DEV_DEV_STS_TOKENS_H_
