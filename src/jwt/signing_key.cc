#include "jwt/signing_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "common/base64.h"
#include "common/json.h"

namespace wifgate::jwt {
namespace {

namespace json = boost::json;

Status Failed(std::string what) {
  return Status(Code::kInternal, "jwt.signing_failed", "cannot sign a token: " + what);
}

const EVP_MD* Digest(Algorithm alg) {
  switch (alg) {
    case Algorithm::kRs256:
    case Algorithm::kEs256:
      return EVP_sha256();
    case Algorithm::kRs384:
    case Algorithm::kEs384:
      return EVP_sha384();
    default:
      return EVP_sha512();
  }
}

const char* GroupName(Algorithm alg) {
  return alg == Algorithm::kEs256 ? "P-256" : alg == Algorithm::kEs384 ? "P-384" : "P-521";
}

std::string BnToPaddedBytes(const BIGNUM* bn, size_t width) {
  std::string out(width == 0 ? static_cast<size_t>(BN_num_bytes(bn)) : width, '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  return out;
}

std::string BnParam(EVP_PKEY* pkey, const char* name, size_t width) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) return "";
  std::string out = BnToPaddedBytes(bn, width);
  BN_free(bn);
  return out;
}

}  // namespace

Result<SigningKey> SigningKey::Generate(Algorithm alg, std::string kid) {
  EVP_PKEY* pkey = IsEcdsa(alg) ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", GroupName(alg))
                                : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  if (pkey == nullptr) return Failed("key generation failed");
  return SigningKey(alg, std::move(kid), std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free));
}

Result<SigningKey> SigningKey::FromPem(Algorithm alg, std::string kid, std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (pkey == nullptr) return Failed("the PEM private key for kid '" + kid + "' is unreadable");
  bool rsa = EVP_PKEY_is_a(pkey, "RSA") == 1;
  if (rsa == IsEcdsa(alg)) {
    EVP_PKEY_free(pkey);
    return Failed("the key for kid '" + kid + "' does not fit " + std::string(AlgorithmName(alg)));
  }
  return SigningKey(alg, std::move(kid), std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free));
}

std::string SigningKey::ToPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string out;
  if (bio != nullptr &&
      PEM_write_bio_PrivateKey(bio, pkey_.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    out.assign(data, static_cast<size_t>(len));
  }
  BIO_free(bio);
  return out;
}

json::object SigningKey::PublicJwk() const {
  json::object jwk;
  jwk["kid"] = kid_;
  jwk["alg"] = AlgorithmName(alg_);
  jwk["use"] = "sig";
  if (IsEcdsa(alg_)) {
    size_t width = EcCoordinateBytes(alg_);
    jwk["kty"] = "EC";
    jwk["crv"] = EcCurveName(alg_);
    jwk["x"] = Base64UrlEncode(BnParam(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_X, width));
    jwk["y"] = Base64UrlEncode(BnParam(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, width));
  } else {
    jwk["kty"] = "RSA";
    jwk["n"] = Base64UrlEncode(BnParam(pkey_.get(), OSSL_PKEY_PARAM_RSA_N, 0));
    jwk["e"] = Base64UrlEncode(BnParam(pkey_.get(), OSSL_PKEY_PARAM_RSA_E, 0));
  }
  return jwk;
}

Result<std::string> SigningKey::Sign(std::string_view data) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  bool ok = ctx != nullptr &&
            EVP_DigestSignInit(ctx, nullptr, Digest(alg_), nullptr, pkey_.get()) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                           data.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                        reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return Failed("OpenSSL could not sign");
  if (!IsEcdsa(alg_)) return sig;

  // DER SEQUENCE { r, s } -> fixed-length r‖s (RFC 7518 §3.4).
  const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* ecdsa = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
  if (ecdsa == nullptr) return Failed("OpenSSL produced an unreadable ECDSA signature");
  size_t width = EcCoordinateBytes(alg_);
  std::string raw = BnToPaddedBytes(ECDSA_SIG_get0_r(ecdsa), width) +
                    BnToPaddedBytes(ECDSA_SIG_get0_s(ecdsa), width);
  ECDSA_SIG_free(ecdsa);
  return raw;
}

Result<std::string> MintJws(const SigningKey& key, const json::object& claims,
                            const json::object& extra_header) {
  json::object header;
  header["alg"] = AlgorithmName(key.alg());
  header["typ"] = "JWT";
  if (!key.kid().empty()) header["kid"] = key.kid();
  for (const auto& member : extra_header) header[member.key()] = member.value();
  std::string input = Base64UrlEncode(ToJson(header)) + "." + Base64UrlEncode(ToJson(claims));
  WIFGATE_ASSIGN_OR_RETURN(std::string sig, key.Sign(input));
  return input + "." + Base64UrlEncode(sig);
}

}  // namespace wifgate::jwt
