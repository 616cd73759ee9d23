// Private signing keys and JWS minting, for the dev OIDC issuer and for tests.
//
// Production verification never signs; this exists so that the dev IdP (dev/dev_idp) and
// the unit tests produce real RS*/ES* tokens with the same encoding rules the verifier
// enforces (ECDSA as fixed-length r‖s), and publish the matching public JWK.
#ifndef WIFGATE_JWT_SIGNING_KEY_H_
#define WIFGATE_JWT_SIGNING_KEY_H_

#include <openssl/types.h>

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "jwt/algorithm.h"
#include "wifgate/status.h"

namespace wifgate::jwt {

class SigningKey {
 public:
  // A fresh key for `alg`: RSA 2048 for RS*, the algorithm's curve for ES*.
  static Result<SigningKey> Generate(Algorithm alg, std::string kid);
  // A key saved with ToPem (PKCS#8).
  static Result<SigningKey> FromPem(Algorithm alg, std::string kid, std::string_view pem);

  std::string ToPem() const;
  // The public half as a JWK with kid, alg and use "sig".
  boost::json::object PublicJwk() const;
  // Signs `data`: PKCS#1 v1.5 for RS*, raw r‖s for ES*.
  Result<std::string> Sign(std::string_view data) const;

  Algorithm alg() const { return alg_; }
  const std::string& kid() const { return kid_; }

 private:
  SigningKey(Algorithm alg, std::string kid, std::shared_ptr<EVP_PKEY> pkey)
      : alg_(alg), kid_(std::move(kid)), pkey_(std::move(pkey)) {}

  Algorithm alg_;
  std::string kid_;
  std::shared_ptr<EVP_PKEY> pkey_;
};

// "<b64url header>.<b64url claims>.<b64url signature>" with header {"alg","kid","typ":"JWT"}
// plus `extra_header` members.
Result<std::string> MintJws(const SigningKey& key, const boost::json::object& claims,
                            const boost::json::object& extra_header = {});

}  // namespace wifgate::jwt

#endif  // WIFGATE_JWT_SIGNING_KEY_H_
