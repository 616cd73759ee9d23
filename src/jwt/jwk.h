// JSON Web Keys (RFC 7517/7518) turned into OpenSSL public keys, and key sets.
//
// Only what a JWS verifier needs is accepted: RSA keys of 2048 to 8192 bits with a public
// exponent of at least 65537, and EC keys on P-256, P-384 or P-521 whose point is checked
// to lie on the named curve. A key with `use` other than "sig", an unknown `kty` (such as
// symmetric "oct") or an `alg` outside jwt::Algorithm is skipped when it sits in a set, so
// that a token naming it finds no key. A set with two keys of the same `kid` is refused as
// a whole: which one a token meant would be ambiguous.
#ifndef WIFGATE_JWT_JWK_H_
#define WIFGATE_JWT_JWK_H_

#include <openssl/types.h>

#include <array>
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jwt/algorithm.h"
#include "wifgate/status.h"

namespace wifgate::jwt {

struct Jwk {
  enum class Type { kRsa, kEc };

  std::string kid;  // empty when the JWK has none
  Type type = Type::kRsa;
  std::string curve;               // "P-256", "P-384", "P-521" for EC keys
  std::optional<Algorithm> alg;    // set when the JWK names its algorithm
  std::shared_ptr<EVP_PKEY> pkey;  // the public key
  // Per algorithm this key accepts, a context on which DigestVerifyInit has run, copied for
  // each token: in OpenSSL 3 the init is mostly provider lookups, a third of an RSA verify.
  // Never modified after ParseJwk; entries may be empty (the slow path is then used).
  std::array<std::shared_ptr<const EVP_MD_CTX>, 6> prepared;

  // Whether a token signed with `a` may be verified with this key: RS* need an RSA key,
  // ES256/384/512 need exactly P-256/384/521, and a JWK that names its `alg` allows only it.
  bool Accepts(Algorithm a) const;
};

// Converts one JWK. Failures have reason jwt.jwk_invalid and say which member is wrong.
Result<Jwk> ParseJwk(const boost::json::object& jwk);

struct JwkSetLimits {
  size_t max_bytes = 256 * 1024;
  size_t max_keys = 100;
};

class JwkSet {
 public:
  JwkSet() = default;
  explicit JwkSet(std::vector<Jwk> keys) : keys_(std::move(keys)) {}

  // The key named `kid`; with no kid, the only key of the set if there is exactly one.
  const Jwk* Find(const std::optional<std::string>& kid) const;
  const std::vector<Jwk>& keys() const { return keys_; }

 private:
  std::vector<Jwk> keys_;
};

// Parses a JWKS document ({"keys": [...]}). Unusable keys are skipped (see above); a
// malformed document, too many keys or a duplicate kid fail with jwt.jwks_invalid.
Result<JwkSet> ParseJwkSet(std::string_view text, const JwkSetLimits& limits = {});

}  // namespace wifgate::jwt

#endif  // WIFGATE_JWT_JWK_H_
