#include "verify/keypair_verifier.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "common/base64.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "jwt/jws.h"
#include "jwt/signature.h"

namespace wifgate::verify {
namespace {

Status Fail(std::string reason, std::string message) {
  return Status(Code::kUnauthenticated, std::move(reason), message, "JWT token is invalid.");
}

// The DER SubjectPublicKeyInfo of a key given as PEM or as bare base64 DER.
Result<std::string> PublicKeyDer(std::string_view text) {
  text = TrimWhitespace(text);
  std::string b64;
  if (text.starts_with("-----BEGIN PUBLIC KEY-----")) {
    constexpr std::string_view kEnd = "-----END PUBLIC KEY-----";
    size_t end = text.find(kEnd);
    if (end == std::string_view::npos) {
      return Status(Code::kInvalidArgument, "keypair.public_key_invalid",
                    "the registered public key is PEM without an END line");
    }
    text = text.substr(26, end - 26);
  }
  for (char c : text) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') b64 += c;
  }
  auto der = Base64Decode(b64);
  if (!der) {
    return Status(Code::kInvalidArgument, "keypair.public_key_invalid",
                  "the registered public key is neither PEM nor base64 DER");
  }
  return *der;
}

Result<std::shared_ptr<EVP_PKEY>> ParseKey(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (key == nullptr || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    EVP_PKEY_free(key);
    return Status(Code::kInvalidArgument, "keypair.public_key_invalid",
                  "the registered public key is not a DER SubjectPublicKeyInfo");
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

// Seconds since the epoch from a NumericDate that may be in milliseconds (Node).
std::optional<int64_t> EpochSeconds(const boost::json::object& claims, std::string_view name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  double v = 0;
  if (it->value().is_int64()) {
    v = static_cast<double>(it->value().get_int64());
  } else if (it->value().is_uint64()) {
    v = static_cast<double>(it->value().get_uint64());
  } else if (it->value().is_double()) {
    v = it->value().get_double();
  } else {
    return std::nullopt;
  }
  if (v > 1e11) v /= 1000;  // 1e11 s is the year 5138; anything larger is milliseconds
  return static_cast<int64_t>(v);
}

}  // namespace

Result<std::string> PublicKeyFingerprint(std::string_view rsa_public_key) {
  WIFGATE_ASSIGN_OR_RETURN(std::string der, PublicKeyDer(rsa_public_key));
  WIFGATE_RETURN_IF_ERROR(ParseKey(der).status());
  return "SHA256:" + Base64Encode(Sha256(der));
}

Status VerifyKeyPairLogin(const KeyPairLogin& login) {
  auto jws = jwt::ParseJws(login.token);
  if (!jws.ok())
    return Fail("keypair.malformed", "key-pair JWT rejected: " + jws.status().message());
  if (jws->alg != jwt::Algorithm::kRs256 && jws->alg != jwt::Algorithm::kRs384 &&
      jws->alg != jwt::Algorithm::kRs512 && !jwt::IsEcdsa(jws->alg)) {
    return Fail("keypair.alg_not_allowed", "key-pair JWT uses an algorithm other than RS*/ES*");
  }

  std::string expected_sub = AsciiUpper(login.account) + "." + AsciiUpper(login.user);
  auto sub = jws->claims.find("sub");
  if (sub == jws->claims.end() || !sub->value().is_string() ||
      AsciiUpper(std::string_view(sub->value().get_string())) != expected_sub) {
    return Fail("keypair.subject_mismatch",
                "key-pair JWT sub must be '" + expected_sub + "' (ACCOUNT.USER)");
  }

  WIFGATE_ASSIGN_OR_RETURN(std::string der, PublicKeyDer(login.rsa_public_key));
  WIFGATE_ASSIGN_OR_RETURN(auto pkey, ParseKey(der));
  std::string fingerprint = "SHA256:" + Base64Encode(Sha256(der));
  auto iss = jws->claims.find("iss");
  if (iss == jws->claims.end() || !iss->value().is_string()) {
    return Fail("keypair.fingerprint_mismatch", "key-pair JWT has no iss");
  }
  std::string_view iss_text(iss->value().get_string());
  std::string expected_iss = expected_sub + "." + fingerprint;
  // Account and user compare case-insensitively; the fingerprint (base64) exactly.
  if (iss_text.size() != expected_iss.size() ||
      AsciiUpper(iss_text.substr(0, expected_sub.size() + 1)) != expected_sub + "." ||
      iss_text.substr(expected_sub.size() + 1) != fingerprint) {
    return Fail("keypair.fingerprint_mismatch",
                "key-pair JWT was signed for another key than the user's RSA_PUBLIC_KEY (" +
                    fingerprint + "); register the client's public key with ALTER USER " +
                    std::string(login.user) + " SET RSA_PUBLIC_KEY = '…'");
  }

  jwt::Jwk key;
  key.type =
      EVP_PKEY_get_base_id(pkey.get()) == EVP_PKEY_EC ? jwt::Jwk::Type::kEc : jwt::Jwk::Type::kRsa;
  if (key.type == jwt::Jwk::Type::kEc) {
    char group[64] = {};
    size_t len = 0;
    EVP_PKEY_get_utf8_string_param(pkey.get(), "group", group, sizeof group, &len);
    std::string_view g(group, len);
    key.curve = g == "prime256v1"  ? "P-256"
                : g == "secp384r1" ? "P-384"
                : g == "secp521r1" ? "P-521"
                                   : "";
  }
  key.pkey = pkey;
  Status sig = jwt::VerifySignature(jws->alg, key, jws->signing_input, jws->signature);
  if (!sig.ok())
    return Fail("keypair.signature_invalid", "key-pair JWT signature: " + sig.message());

  int64_t now = ToUnixSeconds(login.now);
  auto exp = EpochSeconds(jws->claims, "exp");
  auto iat = EpochSeconds(jws->claims, "iat");
  if (!exp || !iat) return Fail("keypair.malformed", "key-pair JWT needs numeric iat and exp");
  if (now > *exp + login.leeway.count()) return Fail("keypair.expired", "key-pair JWT has expired");
  if (*iat > now + login.leeway.count()) {
    return Fail("keypair.not_yet_valid",
                "key-pair JWT iat is in the future; check the client's clock");
  }
  if (*exp - *iat > login.max_lifetime.count()) {
    return Fail("keypair.lifetime_too_long", "key-pair JWT lives longer than " +
                                                 std::to_string(login.max_lifetime.count()) + " s");
  }
  return Status();
}

}  // namespace wifgate::verify
