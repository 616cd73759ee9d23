// JwtVerifier: the verification pipeline every JWT attestation goes through, whichever
// provider issued it (GCP, Azure, OIDC, AWS outbound tokens).
//
//   parse (jwt/jws) -> read `iss` -> provider maps it to a TrustedIssuer (canonical name,
//   key source, allowed algorithms) -> IssuerRegistry must name it, else nothing is
//   fetched -> `alg` in the issuer's allow-list -> key by (issuer, kid) from the JwksCache
//   (asynchronously) -> signature -> claims (aud, exp, nbf, iat, lifetime, sub) ->
//   provider rules build the VerifiedIdentity.
//
// Providers subclass it and supply only what differs: which `iss` values they trust and
// how, their default audiences, and their subject rules.
#ifndef WIFGATE_VERIFY_JWT_VERIFIER_H_
#define WIFGATE_VERIFY_JWT_VERIFIER_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "jwt/algorithm.h"
#include "jwt/claims.h"
#include "jwt/jwks_cache.h"
#include "jwt/jws.h"
#include "jwt/key_source.h"
#include "verify/verifier.h"
#include "wifgate/env.h"

namespace wifgate::verify {

// One issuer a provider is prepared to trust, pending the registry's word.
struct TrustedIssuer {
  std::string canonical;  // JwtSubject::issuer, and what IssuerRegistry is asked about
  jwt::KeySource keys;
  std::vector<jwt::Algorithm> algorithms;
};

struct JwtVerifierOptions {
  jwt::JwsLimits limits;
  std::chrono::seconds leeway{60};
  std::chrono::seconds max_lifetime{24 * 3600};
  bool allow_extra_audiences = false;  // see jwt::ClaimsPolicy
};

class JwtVerifier : public Verifier {
 public:
  // `cache`, `registry` and `env` must outlive the verifier and its verifications.
  JwtVerifier(Provider provider, jwt::JwksCache& cache, const IssuerRegistry& registry,
              const Env& env, JwtVerifierOptions options)
      : provider_(provider), cache_(cache), registry_(registry), env_(env), options_(options) {}

  Provider provider() const override { return provider_; }
  void VerifyAsync(std::string attestation, Callback done) override;

 protected:
  // Maps the token's `iss` to the issuer it would be trusted as, or fails (the token can
  // never be accepted by this provider). Must not contact anything.
  virtual Result<TrustedIssuer> Trust(std::string_view iss) const = 0;

  // The audiences accepted for `issuer` given what the registry says. By default the
  // provider's defaults plus the registry's; OIDC replaces the default instead.
  virtual std::vector<std::string> AcceptedAudiences(const IssuerPolicy& policy) const;
  virtual std::vector<std::string> DefaultAudiences() const = 0;

  // Provider rules on verified claims; builds the identity.
  virtual Result<VerifiedIdentity> MakeIdentity(const jwt::Claims& claims,
                                                const boost::json::object& payload,
                                                const TrustedIssuer& issuer) const = 0;

  // A JwtSubject from verified claims, for MakeIdentity implementations.
  static JwtSubject Subject(const jwt::Claims& claims, const TrustedIssuer& issuer);

 private:
  void Finish(const jwt::Jws& jws, const TrustedIssuer& issuer,
              const std::vector<std::string>& audiences, Result<jwt::Jwk> key,
              const Callback& done) const;

  const Provider provider_;
  jwt::JwksCache& cache_;
  const IssuerRegistry& registry_;
  const Env& env_;
  const JwtVerifierOptions options_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_JWT_VERIFIER_H_
