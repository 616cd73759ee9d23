// JWS signature verification (RFC 7518 §3.3, §3.4) with OpenSSL 3.
//
// ECDSA signatures in a JWS are the fixed-length concatenation r‖s (64, 96 or 132 bytes),
// not DER. Anything else — a DER signature, a byte too many or too few — is refused, and so
// are r or s outside [1, n-1] (the all-zero "psychic signature" of CVE-2022-21449), before
// the pair is re-encoded as DER for OpenSSL. RSA signatures must be exactly the modulus
// length. The key must fit the algorithm (Jwk::Accepts), so an ES256 header cannot make a
// P-384 or RSA key verify.
#ifndef WIFGATE_JWT_SIGNATURE_H_
#define WIFGATE_JWT_SIGNATURE_H_

#include <memory>
#include <string_view>

#include "jwt/algorithm.h"
#include "jwt/jwk.h"
#include "wifgate/status.h"

namespace wifgate::jwt {

// A context with DigestVerifyInit done for (key, alg), for Jwk::prepared; null on failure.
std::shared_ptr<const EVP_MD_CTX> PrepareVerify(EVP_PKEY* key, Algorithm alg);

// OK when `signature` is a valid signature of `signing_input` by `key` under `alg`.
// Failures: jwt.key_alg_mismatch, jwt.signature_invalid.
Status VerifySignature(Algorithm alg, const Jwk& key, std::string_view signing_input,
                       std::string_view signature);

}  // namespace wifgate::jwt

#endif  // WIFGATE_JWT_SIGNATURE_H_
