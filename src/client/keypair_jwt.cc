#include "client/keypair_jwt.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/json/object.hpp>
#include <memory>

#include "common/base64.h"
#include "common/crypto.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace wifgate::client {
namespace {

constexpr int64_t kLifetimeSeconds = 60;

using PKeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Status BadKey(std::string_view why) {
  return Status(Code::kInvalidArgument, "client.bad_private_key",
                "the private key " + std::string(why) +
                    "; SNOWFLAKE_JWT needs an unencrypted RSA private key in PEM (PKCS#8 "
                    "\"BEGIN PRIVATE KEY\" or PKCS#1 \"BEGIN RSA PRIVATE KEY\")");
}

Result<PKeyPtr> LoadRsaKey(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return BadKey("could not be read");
  // A null passphrase callback that refuses: encrypted keys fail instead of prompting.
  auto no_passphrase = [](char*, int, int, void*) -> int { return -1; };
  PKeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr), &EVP_PKEY_free);
  if (!key) return BadKey("is not an unencrypted PEM private key");
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return BadKey("is not an RSA key");
  return key;
}

Result<std::string> SpkiFingerprint(EVP_PKEY* key) {
  int len = i2d_PUBKEY(key, nullptr);
  if (len <= 0) return BadKey("has no encodable public key");
  std::string der(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_PUBKEY(key, &p) != len) return BadKey("has no encodable public key");
  return "SHA256:" + Base64Encode(Sha256(der));
}

Result<std::string> SignRs256(EVP_PKEY* key, std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t sig_len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &sig_len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Status(Code::kInternal, "client.jwt_sign_failed", "RS256 signing could not start");
  }
  std::string sig(sig_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Status(Code::kInternal, "client.jwt_sign_failed", "RS256 signing failed");
  }
  sig.resize(sig_len);
  return sig;
}

}  // namespace

Result<std::string> PublicKeyFingerprint(std::string_view private_key_pem) {
  WIFGATE_ASSIGN_OR_RETURN(PKeyPtr key, LoadRsaKey(private_key_pem));
  return SpkiFingerprint(key.get());
}

Result<std::string> MakeKeypairJwt(std::string_view account, std::string_view user,
                                   std::string_view private_key_pem, SystemTime now) {
  WIFGATE_ASSIGN_OR_RETURN(PKeyPtr key, LoadRsaKey(private_key_pem));
  WIFGATE_ASSIGN_OR_RETURN(std::string fingerprint, SpkiFingerprint(key.get()));
  std::string subject = AsciiUpper(account) + "." + AsciiUpper(user);
  int64_t iat = ToUnixSeconds(now);

  boost::json::object header{{"alg", "RS256"}, {"typ", "JWT"}};
  boost::json::object claims{{"iss", subject + "." + fingerprint},
                             {"sub", subject},
                             {"iat", iat},
                             {"exp", iat + kLifetimeSeconds}};
  std::string signing_input =
      Base64UrlEncode(ToJson(header)) + "." + Base64UrlEncode(ToJson(claims));
  WIFGATE_ASSIGN_OR_RETURN(std::string signature, SignRs256(key.get(), signing_input));
  return signing_input + "." + Base64UrlEncode(signature);
}

}  // namespace wifgate::client
