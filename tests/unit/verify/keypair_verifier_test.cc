#include "verify/keypair_verifier.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "common/base64.h"
#include "common/time_format.h"
#include "jwt/signing_key.h"

namespace wifgate::verify {
namespace {

// The base64 DER SubjectPublicKeyInfo of a signing key, as ALTER USER … SET RSA_PUBLIC_KEY
// takes it.
std::string PublicKeyBase64(const jwt::SigningKey& key) {
  std::string pem = key.ToPem();
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pkey, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  EVP_PKEY_free(pkey);
  return Base64Encode(out);
}

class KeyPairTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto k = jwt::SigningKey::Generate(jwt::Algorithm::kRs256, "");
    ASSERT_TRUE(k.ok());
    key_ = std::make_unique<jwt::SigningKey>(*k);
    public_key_ = PublicKeyBase64(*key_);
    fingerprint_ = *PublicKeyFingerprint(public_key_);
  }

  std::string Token(std::string iss, std::string sub, int64_t iat, int64_t exp) {
    boost::json::object claims{{"iss", iss}, {"sub", sub}, {"iat", iat}, {"exp", exp}};
    return *jwt::MintJws(*key_, claims);
  }

  Status Check(const std::string& token, std::string_view user = "svc") {
    return VerifyKeyPairLogin({.token = token,
                               .account = "TESTACCT",
                               .user = user,
                               .rsa_public_key = public_key_,
                               .now = now_});
  }

  std::unique_ptr<jwt::SigningKey> key_;
  std::string public_key_, fingerprint_;
  SystemTime now_ = FromUnixSeconds(1795945180);
  int64_t t_ = 1795945180;
};

TEST_F(KeyPairTest, AcceptsPythonSecondsAndNodeMilliseconds) {
  EXPECT_TRUE(Check(Token("TESTACCT.SVC." + fingerprint_, "TESTACCT.SVC", t_, t_ + 60)).ok());
  EXPECT_TRUE(
      Check(Token("testacct.svc." + fingerprint_, "testacct.svc", t_ * 1000, (t_ + 120) * 1000))
          .ok());
}

TEST_F(KeyPairTest, PemAndBase64KeysHaveOneFingerprint) {
  std::string pem = "-----BEGIN PUBLIC KEY-----\n" + public_key_ + "\n-----END PUBLIC KEY-----\n";
  EXPECT_EQ(*PublicKeyFingerprint(pem), fingerprint_);
  EXPECT_TRUE(fingerprint_.starts_with("SHA256:"));
  EXPECT_FALSE(PublicKeyFingerprint("not a key").ok());
  EXPECT_FALSE(PublicKeyFingerprint(Base64Encode("garbage")).ok());
}

TEST_F(KeyPairTest, RejectsEachMismatchWithItsReason) {
  std::string iss = "TESTACCT.SVC." + fingerprint_;
  EXPECT_EQ(Check(Token(iss, "TESTACCT.OTHER", t_, t_ + 60)).reason(), "keypair.subject_mismatch");
  EXPECT_EQ(Check(Token(iss, "OTHERACCT.SVC", t_, t_ + 60)).reason(), "keypair.subject_mismatch");
  EXPECT_EQ(Check(Token("TESTACCT.SVC.SHA256:AAAA", "TESTACCT.SVC", t_, t_ + 60)).reason(),
            "keypair.fingerprint_mismatch");
  EXPECT_EQ(Check(Token(iss, "TESTACCT.SVC", t_ - 600, t_ - 300)).reason(), "keypair.expired");
  EXPECT_EQ(Check(Token(iss, "TESTACCT.SVC", t_ + 600, t_ + 660)).reason(),
            "keypair.not_yet_valid");
  EXPECT_EQ(Check(Token(iss, "TESTACCT.SVC", t_, t_ + 86400)).reason(),
            "keypair.lifetime_too_long");
  EXPECT_EQ(Check("a.b.c").reason(), "keypair.malformed");
}

TEST_F(KeyPairTest, RejectsAnotherKeysSignature) {
  auto other = jwt::SigningKey::Generate(jwt::Algorithm::kRs256, "");
  ASSERT_TRUE(other.ok());
  // Claims name the registered key, but the signature is the other key's.
  boost::json::object claims{{"iss", "TESTACCT.SVC." + fingerprint_},
                             {"sub", "TESTACCT.SVC"},
                             {"iat", t_},
                             {"exp", t_ + 60}};
  std::string token = *jwt::MintJws(*other, claims);
  Status s = Check(token);
  EXPECT_EQ(s.reason(), "keypair.signature_invalid");
  EXPECT_EQ(s.client_message(), "JWT token is invalid.");
  EXPECT_EQ(s.message().find(token), std::string::npos);
}

}  // namespace
}  // namespace wifgate::verify
