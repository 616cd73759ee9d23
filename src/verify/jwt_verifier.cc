#include "verify/jwt_verifier.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "jwt/signature.h"

namespace wifgate::verify {

std::vector<std::string> JwtVerifier::AcceptedAudiences(const IssuerPolicy& policy) const {
  std::vector<std::string> out = DefaultAudiences();
  for (const std::string& a : policy.audiences) {
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  return out;
}

JwtSubject JwtVerifier::Subject(const jwt::Claims& claims, const TrustedIssuer& issuer) {
  return JwtSubject{issuer.canonical, claims.sub, claims.aud};
}

void JwtVerifier::VerifyAsync(std::string attestation, Callback done) {
  Result<jwt::Jws> jws = jwt::ParseJws(attestation, options_.limits);
  if (!jws.ok()) return done(jws.status());
  Result<std::string> iss = jwt::ReadIssuer(jws->claims);
  if (!iss.ok()) return done(iss.status());
  Result<TrustedIssuer> issuer = Trust(*iss);
  if (!issuer.ok()) return done(issuer.status());

  std::optional<IssuerPolicy> policy = registry_.Lookup(provider_, issuer->canonical);
  if (!policy) {
    return done(Status(Code::kUnauthenticated, "jwt.issuer_not_registered",
                       "no " + std::string(ProviderName(provider_)) +
                           " workload identity names the issuer '" + issuer->canonical +
                           "'; register one (CREATE USER ... WORKLOAD_IDENTITY) before its "
                           "tokens can log in",
                       "The token's issuer is not trusted."));
  }
  if (std::find(issuer->algorithms.begin(), issuer->algorithms.end(), jws->alg) ==
      issuer->algorithms.end()) {
    return done(Status(Code::kUnauthenticated, "jwt.alg_not_allowed",
                       "the issuer '" + issuer->canonical + "' is not allowed to use " +
                           std::string(jwt::AlgorithmName(jws->alg)),
                       "The token's signing algorithm is not accepted."));
  }
  std::vector<std::string> audiences = AcceptedAudiences(*policy);

  // The key may need a fetch: continue in the cache's callback, carrying what it needs.
  auto state = std::make_shared<std::pair<jwt::Jws, TrustedIssuer>>(std::move(jws).value(),
                                                                    std::move(issuer).value());
  std::optional<std::string> kid = state->first.kid;
  cache_.GetKeyAsync(state->second.keys, std::move(kid),
                     [this, state, audiences = std::move(audiences),
                      done = std::move(done)](Result<jwt::Jwk> key) {
                       Finish(state->first, state->second, audiences, std::move(key), done);
                     });
}

void JwtVerifier::Finish(const jwt::Jws& jws, const TrustedIssuer& issuer,
                         const std::vector<std::string>& audiences, Result<jwt::Jwk> key,
                         const Callback& done) const {
  if (!key.ok()) return done(key.status());
  Status signature = jwt::VerifySignature(jws.alg, *key, jws.signing_input, jws.signature);
  if (!signature.ok()) return done(signature);
  jwt::ClaimsPolicy policy;
  policy.audiences = audiences;
  policy.leeway = options_.leeway;
  policy.max_lifetime = options_.max_lifetime;
  policy.allow_extra_audiences = options_.allow_extra_audiences;
  Result<jwt::Claims> claims = jwt::ValidateClaims(jws.claims, policy, env_.Now());
  if (!claims.ok()) return done(claims.status());
  done(MakeIdentity(*claims, jws.claims, issuer));
}

}  // namespace wifgate::verify
