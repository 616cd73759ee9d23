#include "jwt/signature.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <memory>
#include <string>

namespace wifgate::jwt {
namespace {

Status Invalid(std::string what) {
  return Status(Code::kUnauthenticated, "jwt.signature_invalid",
                "the token's signature does not verify: " + what,
                "The token's signature is invalid.");
}

// Digests fetched once: in OpenSSL 3 the legacy EVP_sha256() accessors fetch the provider
// implementation again on every DigestVerifyInit, a measurable cost per token.
const EVP_MD* Digest(Algorithm alg) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static EVP_MD* const sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  static EVP_MD* const sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  switch (alg) {
    case Algorithm::kRs256:
    case Algorithm::kEs256:
      return sha256;
    case Algorithm::kRs384:
    case Algorithm::kEs384:
      return sha384;
    case Algorithm::kRs512:
    case Algorithm::kEs512:
      return sha512;
  }
  return nullptr;
}

// The group order n of the curve ES* uses, built once.
const BIGNUM* CurveOrder(Algorithm alg) {
  static const auto make = [](int nid) {
    EC_GROUP* group = EC_GROUP_new_by_curve_name(nid);
    BIGNUM* order = BN_dup(EC_GROUP_get0_order(group));
    EC_GROUP_free(group);
    return order;
  };
  static const BIGNUM* p256 = make(NID_X9_62_prime256v1);
  static const BIGNUM* p384 = make(NID_secp384r1);
  static const BIGNUM* p521 = make(NID_secp521r1);
  return alg == Algorithm::kEs256 ? p256 : alg == Algorithm::kEs384 ? p384 : p521;
}

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};

// Checks the raw r‖s form and re-encodes it as the DER SEQUENCE OpenSSL verifies.
Result<std::string> EcdsaRawToDer(Algorithm alg, std::string_view raw) {
  size_t half = EcCoordinateBytes(alg);
  if (raw.size() != 2 * half) {
    return Invalid("an " + std::string(AlgorithmName(alg)) + " signature must be " +
                   std::to_string(2 * half) + " bytes (r||s), not " + std::to_string(raw.size()));
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  std::unique_ptr<BIGNUM, BnDeleter> r(BN_bin2bn(bytes, static_cast<int>(half), nullptr));
  std::unique_ptr<BIGNUM, BnDeleter> s(BN_bin2bn(bytes + half, static_cast<int>(half), nullptr));
  const BIGNUM* n = CurveOrder(alg);
  if (!r || !s || n == nullptr) return Invalid("cannot read r and s");
  if (BN_is_zero(r.get()) || BN_is_zero(s.get()) || BN_cmp(r.get(), n) >= 0 ||
      BN_cmp(s.get(), n) >= 0) {
    return Invalid("r or s is outside [1, n-1]");
  }
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (sig == nullptr || ECDSA_SIG_set0(sig, r.get(), s.get()) != 1) {
    ECDSA_SIG_free(sig);
    return Invalid("cannot build the ECDSA signature");
  }
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return Invalid("cannot encode the ECDSA signature");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

std::shared_ptr<const EVP_MD_CTX> PrepareVerify(EVP_PKEY* key, Algorithm alg) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestVerifyInit(ctx, nullptr, Digest(alg), nullptr, key) != 1) {
    EVP_MD_CTX_free(ctx);
    return nullptr;
  }
  return std::shared_ptr<const EVP_MD_CTX>(ctx, EVP_MD_CTX_free);
}

Status VerifySignature(Algorithm alg, const Jwk& key, std::string_view signing_input,
                       std::string_view signature) {
  if (!key.Accepts(alg) || !key.pkey) {
    return Status(Code::kUnauthenticated, "jwt.key_alg_mismatch",
                  "the token's algorithm " + std::string(AlgorithmName(alg)) +
                      " does not fit the issuer's key '" + key.kid + "'",
                  "The token's signing algorithm does not match the issuer's key.");
  }
  std::string der;
  if (IsEcdsa(alg)) {
    WIFGATE_ASSIGN_OR_RETURN(der, EcdsaRawToDer(alg, signature));
    signature = der;
  } else if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(key.pkey.get()))) {
    return Invalid("an RSA signature must be exactly as long as the modulus");
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD_CTX* prepared = key.prepared[static_cast<size_t>(alg)].get();
  bool ready =
      ctx != nullptr && (prepared != nullptr ? EVP_MD_CTX_copy_ex(ctx, prepared) == 1
                                             : EVP_DigestVerifyInit(ctx, nullptr, Digest(alg),
                                                                    nullptr, key.pkey.get()) == 1);
  bool ok = ready && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                                      signature.size(),
                                      reinterpret_cast<const unsigned char*>(signing_input.data()),
                                      signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return Invalid("the signature does not match the key");
  return Status::Ok();
}

}  // namespace wifgate::jwt
